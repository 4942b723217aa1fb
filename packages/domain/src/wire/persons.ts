// People: a run of two to four capitalised name words that the story introduces as a person — after a
// title ("Deputy Foreign Minister Andrey Rudenko"), in apposition to a role ("Ostrava’s Energy Minister,
// Pavel Hruda,"), or as the subject of a reporting verb. Their role phrases are kept as printed for
// roles.ts; the surname becomes an alias when the story uses it alone.
import { type ActorRecord, addForm, type Blocked, newActor, type RolePhrase } from './actor-record.ts';
import type { StoryContext } from './context.ts';
import {
  AUXILIARIES,
  FEMALE_TITLES,
  FUNCTION_WORDS,
  MALE_TITLES,
  MONTHS,
  NAME_TITLES,
  ORGANIZATION_HEADS,
  PERSON_ROLE_NOUNS,
  REPORTING_VERBS,
  TREATY_HEADS,
  WEEKDAYS,
} from './lexicon.ts';
import { capitalizedRuns } from './runs.ts';
import { findWholeWord, isCapitalized, isPossessive, type Token, tokenize } from './text.ts';

const PARTICLES = new Set([
  'de',
  'da',
  'van',
  'von',
  'der',
  'den',
  'del',
  'di',
  'la',
  'le',
  'bin',
  'al',
  'ibn',
  'dos',
  'du',
]);

/** Lower-case words that may sit inside a role phrase ("the Principality of Lisenne's chief mediator"). */
export const ROLE_PHRASE_WORDS = new Set([
  ...PERSON_ROLE_NOUNS,
  ...'the its his her their of to for from at deputy foreign defence defense trade energy chief senior top permanent prime interior finance economy justice health vice acting former special high-ranking lead junior assistant executive general state fisheries agriculture transport culture education labour labor environment'.split(
    ' ',
  ),
]);

export function isRoleWord(word: string): boolean {
  const lower = word.toLowerCase();
  return (
    PERSON_ROLE_NOUNS.has(lower) || NAME_TITLES.has(word) || PERSON_ROLE_NOUNS.has(lower.replace(/s$/, ''))
  );
}

function isNameWord(token: Token, stateWords: ReadonlySet<string>): boolean {
  const text = token.text;
  if (/^(?:al|el|ad|ash|as|at|ben|bin|ibn|abu)-\p{Lu}\p{L}+$/u.test(text)) return true; // "al-Rashid"
  if (!isCapitalized(text) || isPossessive(text)) return false;
  if (text.length > 1 && text === text.toUpperCase()) return false; // acronyms
  if (text.split('-').some((part) => NAME_TITLES.has(part))) return false; // "Secretary-General"
  return !(
    FUNCTION_WORDS.has(text) ||
    (MONTHS.has(text) && text.length > 4) || // full month names; "Jan" may be a first name
    WEEKDAYS.has(text) ||
    NAME_TITLES.has(text) ||
    ORGANIZATION_HEADS.has(text) ||
    TREATY_HEADS.has(text) ||
    stateWords.has(text)
  );
}

/** Walks left from `from` over the words of a role phrase; returns its start, or `from` if none. */
export function rolePhraseStartBefore(text: string, from: number, stop: number, allowComma: boolean): number {
  // A role phrase is a few words long; looking further back only costs time on long paragraphs.
  const tokens = tokenize(text, Math.max(stop, from - 200), from);
  let start = from;
  let edge = from;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i] as Token;
    const gap = text.slice(token.end, edge);
    if (!/^\s*$/.test(gap) && !(allowComma && edge === from && /^,\s*$/.test(gap))) break;
    const word = token.text;
    const fits = isCapitalized(word) || isPossessive(word) || ROLE_PHRASE_WORDS.has(word.toLowerCase());
    if (!fits) break;
    start = token.start;
    edge = token.start;
  }
  return start;
}

function hasRoleWord(phrase: string): boolean {
  return tokenize(phrase).some((token) => isRoleWord(token.text));
}

function sentenceStartBefore(context: StoryContext, paragraph: number, offset: number): number {
  const sentence = (context.sentences[paragraph] ?? []).find((s) => offset >= s.start && offset < s.end);
  return sentence?.start ?? 0;
}

/** Finite verbs that rule a comma part out as a role ("The document was signed …"). */
function hasVerb(words: string[]): boolean {
  return words.some((word, i) => {
    const lower = word.toLowerCase();
    return AUXILIARIES.has(lower) || REPORTING_VERBS.has(lower) || (i > 0 && /^\p{Ll}{3,}ed$/u.test(word));
  });
}

type Candidate = {
  name: string;
  paragraph: number;
  start: number;
  end: number;
  phrases: RolePhrase[];
  evidence: boolean;
};

function phrase(
  context: StoryContext,
  paragraph: number,
  start: number,
  end: number,
  before: boolean,
): RolePhrase {
  const text = context.paragraphs[paragraph] ?? '';
  const trimmed = text.slice(start, end).replace(/[\s,]+$/, '');
  return { paragraph, start, end: start + trimmed.length, text: trimmed, before };
}

/** Role phrases around a name: the title before it, a role before a comma, a role after a comma. */
function rolePhrasesAround(
  context: StoryContext,
  paragraph: number,
  start: number,
  end: number,
): RolePhrase[] {
  const text = context.paragraphs[paragraph] ?? '';
  const bodyStart = context.bodyStarts[paragraph] ?? 0;
  const phrases: RolePhrase[] = [];
  const titleStart = rolePhraseStartBefore(text, start, bodyStart, false);
  if (titleStart < start && hasRoleWord(text.slice(titleStart, start))) {
    phrases.unshift(phrase(context, paragraph, titleStart, start, true));
  }
  const beforeTitle = text.slice(bodyStart, titleStart);
  if (/,\s*$/.test(beforeTitle)) {
    const comma = bodyStart + beforeTitle.lastIndexOf(',');
    const walked = rolePhraseStartBefore(text, comma, bodyStart, false);
    // The words of a role are open-ended ("chief scientist"); a short verbless part before the comma will do.
    const partStart = Math.max(
      bodyStart,
      text.lastIndexOf(',', comma - 1) + 1,
      sentenceStartBefore(context, paragraph, comma),
    );
    const part = text.slice(partStart, comma);
    const words = tokenize(part);
    const shortPart =
      words.length > 0 && words.length <= 8 && !/["“”]/.test(part) && !hasVerb(words.map((w) => w.text));
    const appositiveStart =
      walked < comma && hasRoleWord(text.slice(walked, comma)) ? walked : shortPart ? partStart : comma;
    if (appositiveStart < comma && hasRoleWord(text.slice(appositiveStart, comma))) {
      const trimmed = appositiveStart + (/^\s*/.exec(text.slice(appositiveStart, comma))?.[0].length ?? 0);
      phrases.unshift(phrase(context, paragraph, trimmed, comma, false));
    }
  }
  const after = /^,\s*((?:(?:the|a|an|its|his|her|their)\s+)?[^,.;"“”]{2,80}?)(?:,|\.\s|\.?$)/u.exec(
    text.slice(end),
  );
  const roleWords = (phrase: string) =>
    phrase
      .split(/\s+/)
      .every(
        (w) =>
          ROLE_PHRASE_WORDS.has(w.toLowerCase()) ||
          /^(?:a|an)$/i.test(w) ||
          isCapitalized(w) ||
          isPossessive(w),
      );
  if (after?.[1] && hasRoleWord(after[1]) && roleWords(after[1])) {
    const afterStart = end + after[0].indexOf(after[1]);
    phrases.push(phrase(context, paragraph, afterStart, afterStart + after[1].length, false));
  }
  return phrases;
}

/** "according to Tomas Adler", "…,” said Ilka Varn": a source named after its cue is a person. */
function afterCue(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 20), start);
  const verb = /(\p{Ll}+)\s+$/u.exec(before)?.[1] ?? '';
  return (
    /\baccording to\s+$/i.test(before) || (REPORTING_VERBS.has(verb) && /[,"”]\s*\p{Ll}+\s+$/u.test(before))
  );
}

function followedByReportingVerb(text: string, end: number): boolean {
  const after = text.slice(end, end + 120);
  const verb = /^(?:,[^,.]{1,100},)?\s+(?:\w+ly\s+|also\s+|later\s+)?(\p{Ll}+)/u.exec(after)?.[1] ?? '';
  return REPORTING_VERBS.has(verb);
}

function candidatesIn(
  context: StoryContext,
  paragraph: number,
  blocked: readonly Blocked[],
  stateWords: ReadonlySet<string>,
): Candidate[] {
  const text = context.paragraphs[paragraph] ?? '';
  const candidates: Candidate[] = [];
  for (const run of capitalizedRuns(context, paragraph, {
    connectors: PARTICLES,
    blocked,
    breakAfter: () => true,
  })) {
    let first = run.tokens.length;
    while (
      first > 0 &&
      (isNameWord(run.tokens[first - 1] as Token, stateWords) ||
        PARTICLES.has(run.tokens[first - 1]?.text ?? ''))
    ) {
      first--;
    }
    while (first < run.tokens.length && PARTICLES.has(run.tokens[first]?.text ?? '')) first++;
    // "He Yadong": a family name that is also an English word, followed by a given name (a
    // pronoun is never followed by a capitalised name word in running text).
    const family = run.tokens[first - 1];
    if (family && SURNAME_WORDS.has(family.text) && first === run.tokens.length - 1) first--;
    let nameTokens = run.tokens.slice(first);
    // After "of" comes a portfolio ("Minister of Water Resources", "Chief of General Staff"); a name may
    // follow it ("Secretary of State Antony Blinken"), and then it is the last two words.
    const afterOf = /\b(?:of|for|on|the)\s+$/i.test(text.slice(Math.max(0, run.start - 5), run.start));
    // "chief economist at Orna Capital Partners": after "at" comes an employer or a place, not a person.
    if (first === 0 && /\bat\s+$/.test(text.slice(Math.max(0, run.start - 4), run.start))) continue;
    if (afterOf) {
      if (run.tokens.length < 3 || nameTokens.length < 2) continue;
      nameTokens = nameTokens.slice(-2);
    }
    // A surname alone counts only right after a title: "Foreign Minister Varga", "Ambassador Vasseur".
    const titled = !afterOf && first > 0 && NAME_TITLES.has(run.tokens[first - 1]?.text ?? '');
    if (nameTokens.length < (titled ? 1 : 2) || nameTokens.length > 4) continue;
    const start = nameTokens[0]?.start ?? 0;
    const end = nameTokens[nameTokens.length - 1]?.end ?? 0;
    const phrases = rolePhrasesAround(context, paragraph, start, end);
    const evidence = phrases.length > 0 || followedByReportingVerb(text, end) || afterCue(text, start);
    candidates.push({ name: text.slice(start, end), paragraph, start, end, phrases, evidence });
  }
  return candidates;
}

/** The surname is used on its own somewhere (not as the end of the full name). */
function surnameStandsAlone(context: StoryContext, name: string, surname: string): boolean {
  return context.paragraphs.some((text, paragraph) => {
    const fullEnds = findWholeWord(text, name).map((start) => start + name.length - surname.length);
    return findWholeWord(text, surname, context.bodyStarts[paragraph] ?? 0).some(
      (start) => !fullEnds.includes(start),
    );
  });
}

const PRONOUNS = new Set(['He', 'She', 'It', 'They', 'We', 'I']);
const SURNAME_WORDS = new Set(['He']);

/**
 * The name the story uses alone for a person: the last word ("Varga"), or the first where the family
 * name comes first ("Zhao Renshu" … "Zhao said", "Park Ji-won", "Faisal bin Nasser"); null if neither.
 */
function shortName(context: StoryContext, name: string): string | null {
  const words = name.split(/\s+/);
  const last = words[words.length - 1] ?? '';
  if (surnameStandsAlone(context, name, last)) return last;
  const first = words[0] ?? '';
  if (words.length < 2 || PRONOUNS.has(first)) return null;
  return firstNameStandsAlone(context, name, first) ? first : null;
}

/** The first word is used on its own somewhere (not as the start of the full name). */
function firstNameStandsAlone(context: StoryContext, name: string, first: string): boolean {
  return context.paragraphs.some((text, paragraph) => {
    const fullStarts = findWholeWord(text, name);
    return findWholeWord(text, first, context.bodyStarts[paragraph] ?? 0).some(
      (start) => !fullStarts.includes(start),
    );
  });
}

function genderFromTitles(phrases: readonly RolePhrase[]): ActorRecord['gender'] {
  for (const { text } of phrases) {
    for (const token of tokenize(text)) {
      const word = token.text.toLowerCase();
      if (FEMALE_TITLES.has(word)) return 'female';
      if (MALE_TITLES.has(word)) return 'male';
    }
  }
  return null;
}

/** "Article V", "Section 3", "Annex II": a part of a text, however much it looks like a name. */
const PART_OF_A_TEXT =
  /^(?:Articles?|Sections?|Chapters?|Paragraphs?|Annex(?:es)?|Clauses?|Parts?|Protocols?)\s+(?:\d+[a-z]?|[IVXLCDM]+)$/u;

export function findPersons(
  context: StoryContext,
  blocked: readonly Blocked[],
  stateWords: ReadonlySet<string>,
): ActorRecord[] {
  const byName = new Map<string, { actor: ActorRecord; evidence: boolean }>();
  context.paragraphs.forEach((_, paragraph) => {
    for (const candidate of candidatesIn(context, paragraph, blocked, stateWords)) {
      if (PART_OF_A_TEXT.test(candidate.name)) continue;
      const entry = byName.get(candidate.name) ?? {
        actor: newActor(candidate.name, 'PERSON'),
        evidence: false,
      };
      entry.actor.rolePhrases.push(...candidate.phrases);
      entry.evidence ||= candidate.evidence;
      byName.set(candidate.name, entry);
    }
  });
  const persons: ActorRecord[] = [];
  const fullNames = [...byName.keys()].filter((name) => name.includes(' '));
  for (const { actor, evidence } of byName.values()) {
    // "President Putin" where "Vladimir Putin" is named too: the same person.
    if (
      !actor.name.includes(' ') &&
      fullNames.some((full) => full.endsWith(` ${actor.name}`) || full.startsWith(`${actor.name} `))
    )
      continue;
    const surname = shortName(context, actor.name);
    const alone = surname !== null;
    if (!evidence && !alone) continue;
    if (surname !== null) addForm(actor, surname);
    actor.gender = genderFromTitles(actor.rolePhrases);
    persons.push(actor);
  }
  return persons;
}
