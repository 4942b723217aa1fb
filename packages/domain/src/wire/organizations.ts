// Organisations: capitalised names around a head noun ("Kelmar Grain Board", "Council of Northern
// Waters", "Meridian Ministry of Foreign Affairs") plus well-known bodies ("UN", "WTO"). News agencies
// are publishers, not actors; a name only inside a treaty title ("Charter of the United Nations") does
// not make its owner an actor either.
import { type ActorRecord, addForm, type Blocked, isBlocked, newActor } from './actor-record.ts';
import type { StoryContext } from './context.ts';
import { KNOWN_ORGANIZATIONS } from './gazetteer.ts';
import { FUNCTION_WORDS, MONTHS, NAME_TITLES, ORGANIZATION_HEADS, WEEKDAYS } from './lexicon.ts';
import { capitalizedRuns, type Run } from './runs.ts';
import { findWholeWord, isCapitalized, isPossessive, stripPossessive } from './text.ts';

const ORG_CONNECTORS = new Set(['of', 'for', 'on', 'the']);
// News agencies publish; a government agency ("Nakaran Fisheries Agency") is an actor.
const AGENCY_NAME = /\b(?:News|Press|Telegraph|Information)\s+(?:Agency|Service)$/;

type Found = { name: string; paragraph: number; start: number; end: number };

/** The organisation name inside a run: from its first word to the head noun and its "of …" complement. */
function organizationIn(run: Run, stateForms: ReadonlySet<string> = new Set()): Found | null {
  const tokens = run.tokens;
  // "Federation" in "State Assembly of the Federation of Vostria" heads the state's name, not this one.
  const headIndex = tokens.findLastIndex(
    (token, i) => ORGANIZATION_HEADS.has(token.text) && !formalStateAt(run, i, stateForms),
  );
  if (headIndex < 0) return null;
  let first = 0;
  // "Economist Hana Dvorak of Orna University": a titled person, then the organisation after "of".
  const title = tokens.findIndex((token, i) => i < headIndex && NAME_TITLES.has(token.text));
  if (title >= 0) {
    const connector = tokens.findIndex(
      (token, i) => i > title && i < headIndex && /^(?:of|at|for)$/.test(token.text),
    );
    if (connector > title + 1) first = connector + 1;
  }
  while (
    first < headIndex &&
    (FUNCTION_WORDS.has(tokens[first]?.text ?? '') || !isCapitalized(tokens[first]?.text ?? ''))
  ) {
    first++;
  }
  // A title before the name belongs to a person ("Chairwoman Rina …"), never to the organisation.
  let last = headIndex;
  // After the head only an "of …" complement belongs to the name: "Ministry of Foreign Affairs", but not
  // the person in "the Vostrian Foreign Ministry Irina Sokol".
  let complement = false;
  for (let i = headIndex + 1; i < tokens.length; i++) {
    const text = tokens[i]?.text ?? '';
    // "State Assembly of the Federation of Vostria": a state's formal name is the owner, not the name.
    if (text === 'of' && formalStateAt(run, i + 1, stateForms)) break;
    if (NAME_TITLES.has(text) || MONTHS.has(text) || WEEKDAYS.has(text)) break;
    if (ORG_CONNECTORS.has(text)) complement = true;
    else if (!complement) break;
    if (isCapitalized(text)) last = i;
  }
  // "Chief Cabinet Secretary Hiroto Sanda": a title from end to end, not an organisation.
  if (NAME_TITLES.has(tokens[first]?.text ?? '') && NAME_TITLES.has(tokens[headIndex + 1]?.text ?? ''))
    return null;
  const start = tokens[first];
  const end = tokens[last];
  if (!start || !end) return null;
  const name = run.text.slice(start.start - run.start, end.end - run.start);
  if (name.split(/\s+/).length < 2) return null;
  return { name, paragraph: run.paragraph, start: start.start, end: end.end };
}

/** A multi-word state form ("Federation of Vostria") starts at token i (after an optional "the"). */
function formalStateAt(run: Run, i: number, stateForms: ReadonlySet<string>): boolean {
  const from = run.tokens[i]?.text === 'the' ? i + 1 : i;
  const start = run.tokens[from];
  if (!start) return false;
  const rest = run.text.slice(start.start - run.start);
  for (const form of stateForms) {
    if (form.includes(' of ') && rest.startsWith(form) && !/^[\p{L}\p{M}]/u.test(rest.slice(form.length)))
      return true;
  }
  return false;
}

/**
 * "Ministry of Oceans and Fisheries", "Ministry of Trade and Industry": one more portfolio after "and"
 * (a single word, not a state, a possessive or the subject of a reporting verb).
 */
function extendByAnd(
  context: StoryContext,
  text: string,
  found: Found,
  stateWords: ReadonlySet<string>,
): void {
  if (!/\sof\s/.test(found.name)) return;
  const more = /^ and (\p{Lu}[\p{Ll}\p{M}-]+)(?![\p{L}\p{M}'’-])(?!\s+\p{Lu})/u.exec(
    text.slice(found.end, found.end + 60),
  );
  const word = more?.[1];
  // "the Ministry of Finance and Roos said": a surname (printed after a first name elsewhere) is a person.
  if (!word || stateWords.has(word) || FUNCTION_WORDS.has(word) || isSurname(context, word)) return;
  found.name = `${found.name} and ${word}`;
  found.end += ` and ${word}`.length;
}

function isAgency(name: string, agency: string | null): boolean {
  return AGENCY_NAME.test(name) || (agency !== null && name.toLowerCase() === agency.toLowerCase());
}

/** Initials of the capitalised words: "World Trade Organization" → "WTO". */
function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter((word) => isCapitalized(word))
    .map((word) => word[0])
    .join('');
}

function addNamed(organizations: ActorRecord[], found: Found, claimed: Blocked[]): void {
  claimed.push(found);
  const known = KNOWN_ORGANIZATIONS.find((entry) => entry.forms.includes(found.name));
  const name = known?.name ?? found.name;
  const existing = organizations.find((org) => org.name === name || org.forms.includes(found.name));
  if (existing) {
    addForm(existing, found.name);
    return;
  }
  const org = newActor(found.name, 'ORGANIZATION');
  if (known) org.shortName = known.name;
  organizations.push(org);
}

export function findOrganizations(
  context: StoryContext,
  blocked: readonly Blocked[],
  stateForms: ReadonlySet<string>,
  stateWords: ReadonlySet<string> = stateForms,
): ActorRecord[] {
  const organizations: ActorRecord[] = [];
  const claimed: Blocked[] = [...blocked];
  const agency = context.story.dateline?.agency ?? null;
  const breakAfter = (token: { text: string }) => stateForms.has(stripPossessive(token.text));
  context.paragraphs.forEach((_, paragraph) => {
    for (const run of capitalizedRuns(context, paragraph, {
      connectors: ORG_CONNECTORS,
      blocked,
      breakAfter,
    })) {
      const found = organizationIn(run, stateForms);
      if (!found || isAgency(found.name, agency) || stateForms.has(found.name)) continue;
      extendByAnd(context, context.paragraphs[paragraph] ?? '', found, stateWords);
      addNamed(organizations, found, claimed);
    }
  });
  addNamedByDescription(context, organizations, claimed, stateForms);
  addKnownOrganizations(context, organizations, claimed);
  addShortForms(context, organizations, claimed, stateWords);
  return organizations.filter((org) => !isPossessive(org.name));
}

// "the Ostravan operator, Ostragas", "the state energy company Merigaz": a name after an organisation noun.
const DESCRIBED_ORGANIZATION =
  /\b(?:[Tt]he|[Aa]n?|[Ii]ts)\s+(?:[\p{L}-]+\s+){0,3}?(?:operator|company|firm|utility|carrier|agency|broadcaster|bank|airline|producer|exporter|importer|monopoly|consortium|regulator|watchdog|charity|think tank|association|network|group)\s*,?\s+(\p{Lu}[\p{L}\p{M}'’-]*(?:\s+\p{Lu}[\p{L}\p{M}'’-]*){0,3})/gu;

// "from Sorvian defence contractor Aldra", "carmaker Ostmark": a business noun (no article needed) right
// before a capitalised name.
const BUSINESS_THEN_NAME =
  /\b(?:contractor|carmaker|automaker|steelmaker|chipmaker|shipbuilder|manufacturer|maker|airline|carrier|lender|insurer|retailer|conglomerate)\s+(\p{Lu}[\p{L}\p{M}'’-]*(?:\s+\p{Lu}[\p{L}\p{M}'’-]*){0,2})/gu;

// "its Sorvian rival Brekke", "its subsidiary Nordfin": what a business has as rival or unit is a business.
const ITS_RIVAL =
  /\b[Ii]ts\s+(?:[\p{L}-]+\s+){0,2}?(?:rival|competitor|subsidiary|unit|parent)\s+(\p{Lu}[\p{L}\p{M}'’-]*(?:\s+\p{Lu}[\p{L}\p{M}'’-]*){0,2})/gu;

// "Kessastal, the largest steelmaker in …", "Nordair, the flag carrier of …": a one-word name described as a
// business right after it.
const NAME_THEN_BUSINESS =
  /(?<![\p{L}\p{M}'’-])(\p{Lu}[\p{L}\p{M}'’-]+),\s+(?:the|an?)\s+(?:[\p{L}'’-]+\s+){0,4}?(?:company|firm|carrier|airline|steelmaker|carmaker|automaker|producer|exporter|manufacturer|retailer|insurer|lender|utility|operator|conglomerate|bank)\b/gu;

/** "Viktor Hlavac … said Hlavac, a former …": a word printed after a first name is a surname. */
function isSurname(context: StoryContext, word: string): boolean {
  const afterName = new RegExp(`\\p{Lu}[\\p{L}\\p{M}'’-]+\\s+${word}(?![\\p{L}\\p{M}])`, 'u');
  return context.paragraphs.some((text) => afterName.test(text));
}

function addNamedByDescription(
  context: StoryContext,
  organizations: ActorRecord[],
  claimed: Blocked[],
  stateForms: ReadonlySet<string>,
): void {
  const agency = context.story.dateline?.agency ?? null;
  context.paragraphs.forEach((text, paragraph) => {
    const described = [
      ...[...text.matchAll(DESCRIBED_ORGANIZATION)].map((m) => ({
        name: m[1] ?? '',
        start: (m.index ?? 0) + m[0].length - (m[1] ?? '').length,
      })),
      ...[...text.matchAll(BUSINESS_THEN_NAME), ...text.matchAll(ITS_RIVAL)].map((m) => ({
        name: m[1] ?? '',
        start: (m.index ?? 0) + m[0].length - (m[1] ?? '').length,
      })),
      ...[...text.matchAll(NAME_THEN_BUSINESS)]
        .filter((m) => !isSurname(context, m[1] ?? ''))
        .map((m) => ({ name: m[1] ?? '', start: m.index ?? 0 })),
    ];
    for (const { name, start } of described) {
      const first = name.split(/\s+/)[0] ?? '';
      if (
        start < (context.bodyStarts[paragraph] ?? 0) ||
        isBlocked(claimed, paragraph, start, start + name.length)
      )
        continue;
      if (
        FUNCTION_WORDS.has(first) ||
        MONTHS.has(first) ||
        NAME_TITLES.has(first) ||
        WEEKDAYS.has(first) ||
        stateForms.has(first) ||
        isAgency(name, agency)
      )
        continue;
      addNamed(organizations, { name, paragraph, start, end: start + name.length }, claimed);
    }
  });
}

/** Well-known bodies named on their own ("a UN conference", "the WTO"). */
function addKnownOrganizations(
  context: StoryContext,
  organizations: ActorRecord[],
  claimed: Blocked[],
): void {
  for (const entry of KNOWN_ORGANIZATIONS) {
    const existing = organizations.find((org) => org.shortName === entry.name);
    const standalone = entry.forms.filter((form) =>
      context.paragraphs.some((text, paragraph) =>
        findWholeWord(text, form, context.bodyStarts[paragraph] ?? 0).some(
          (start) => !isBlocked(claimed, paragraph, start, start + form.length),
        ),
      ),
    );
    if (standalone.length === 0) continue;
    // The headline and standfirst may use a shorter form ("a UN conference"): an alias too.
    const lead = `${context.story.headline}\n${context.story.standfirst}`;
    for (const form of entry.forms)
      if (!standalone.includes(form) && findWholeWord(lead, form).length > 0) standalone.push(form);
    // The canonical name if it is printed anywhere (even inside a title), else the longest form used.
    const printed = context.paragraphs.some((text) => findWholeWord(text, entry.name).length > 0);
    const name =
      existing?.name ??
      (printed ? entry.name : ([...standalone].sort((a, b) => b.length - a.length)[0] ?? entry.name));
    const org = existing ?? newActor(name, 'ORGANIZATION');
    org.shortName = entry.name;
    for (const form of standalone) addForm(org, form);
    if (!existing) organizations.push(org);
  }
}

/**
 * Shorter names of an organisation used on their own: its initials ("WTO") and a name without the
 * leading modifier ("General Assembly" for "UN General Assembly").
 */
// Companies whose first word is used alone as their name: "Ostmark Motor Corporation" … "Ostmark said".
const BUSINESS_NAME_HEADS =
  /\s(?:Corporation|Corp\.?|Company|Co\.|Holdings|Industries|Group|Motors?|Mining|Airlines|Airways|Steel|Electronics|Inc\.?|Ltd\.?)$/;

function addShortForms(
  context: StoryContext,
  organizations: ActorRecord[],
  claimed: Blocked[],
  stateWords: ReadonlySet<string>,
): void {
  const standsAlone = (form: string) =>
    context.paragraphs.some((text, paragraph) =>
      findWholeWord(text, form, context.bodyStarts[paragraph] ?? 0).some(
        (start) =>
          !isBlocked(claimed, paragraph, start, start + form.length) ||
          isWholeClaim(claimed, paragraph, start, form),
      ),
    );
  for (const org of organizations) {
    const acronym = initials(org.name);
    if (acronym.length >= 2 && acronym !== org.name && standsAlone(acronym)) addForm(org, acronym);
    // "Hanseo Joint Chiefs of Staff" … "the JCS": the initials without the leading owner's name.
    const owned = initials(org.name.split(/\s+/).slice(1).join(' '));
    if (owned.length >= 3 && owned !== acronym && standsAlone(owned)) addForm(org, owned);
    const words = org.name.split(/\s+/);
    const first = words[0] ?? '';
    if (
      words.length >= 2 &&
      BUSINESS_NAME_HEADS.test(org.name) &&
      isCapitalized(first) &&
      !FUNCTION_WORDS.has(first) &&
      !stateWords.has(first) &&
      !organizations.some((other) => other !== org && other.name.split(/\s+/)[0] === first) &&
      standsAlone(first)
    )
      addForm(org, first);
    for (let drop = 1; drop <= words.length - 2; drop++) {
      const suffix = words.slice(drop).join(' ');
      if (!isCapitalized(suffix) || ORG_CONNECTORS.has(words[drop] ?? '')) continue;
      const other = organizations.find((candidate) => candidate !== org && candidate.name === suffix);
      if (other) {
        for (const form of other.forms) addForm(org, form);
        other.forms = [];
      } else if (standsAlone(suffix)) {
        addForm(org, suffix);
      }
    }
  }
  for (let i = organizations.length - 1; i >= 0; i--) {
    if (organizations[i]?.forms.length === 0) organizations.splice(i, 1);
  }
}

/** A claimed span that is exactly this form (an organisation run that is only the short name). */
function isWholeClaim(claimed: readonly Blocked[], paragraph: number, start: number, form: string): boolean {
  return claimed.some((c) => c.paragraph === paragraph && c.start === start && c.end === start + form.length);
}
