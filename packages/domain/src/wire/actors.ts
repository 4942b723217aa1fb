// Finds the story's actors and indexes every place the text names them. Order matters: states first
// (their names are not people), then organisations, then people; then the caller's known actors take
// over matching records; then roles, capitals and genders, which need the mention index.
import { type ActorRecord, addForm, type Blocked, isBlocked } from './actor-record.ts';
import { inferCapitals, metonymicCapitals } from './capitals.ts';
import { inQuote, position, type StoryContext, sentenceAt } from './context.ts';
import { FUNCTION_WORDS, MONTHS, ORGANIZATION_HEADS, WEEKDAYS } from './lexicon.ts';
import { findOrganizations } from './organizations.ts';
import { findPersons, isRoleWord } from './persons.ts';
import { type RoleLookup, rolesOf } from './roles.ts';
import { findStates, inferredState } from './states.ts';
import { findWholeWord, fold, isCapitalized, isPossessive, stripPossessive, tokenize } from './text.ts';
import type { TreatyRecord } from './treaties.ts';
import type { KnownActor } from './types.ts';

export type ActorMention = {
  actor: ActorRecord;
  paragraph: number;
  start: number;
  end: number;
  text: string;
  inQuote: boolean;
  pos: number;
};

export type ActorIndex = {
  context: StoryContext;
  actors: ActorRecord[];
  /** Every naming of an actor, in reading order. */
  mentions: ActorMention[];
};

const POLITY_NOUNS = new Set([
  'government',
  'parliament',
  'ministry',
  'embassy',
  'delegation',
  'army',
  'military',
  'cabinet',
]);

/** Names every actor's forms in the text, longest form first so "Union of Kelmar" beats "Kelmar". */
function indexMentions(
  context: StoryContext,
  actors: readonly ActorRecord[],
  blocked: readonly Blocked[],
): ActorMention[] {
  const forms = actors
    .flatMap((actor) => actor.forms.map((form) => ({ form, actor })))
    .sort((a, b) => b.form.length - a.form.length);
  const mentions: ActorMention[] = [];
  context.paragraphs.forEach((text, paragraph) => {
    const claimed: Blocked[] = [...blocked.filter((b) => b.paragraph === paragraph)];
    for (const { form, actor } of forms) {
      for (const start of findWholeWord(text, form, context.bodyStarts[paragraph] ?? 0)) {
        const end = start + form.length;
        if (isBlocked(claimed, paragraph, start, end)) continue;
        claimed.push({ paragraph, start, end });
        const mention = {
          actor,
          paragraph,
          start,
          end,
          text: form,
          inQuote: inQuote(context, paragraph, start),
        };
        mentions.push({ ...mention, pos: position(paragraph, start) });
      }
    }
  });
  return mentions.sort((a, b) => a.pos - b.pos);
}

/** Aliases may come from the headline and standfirst too ("a UN conference"). */
function occursIn(context: StoryContext, form: string): boolean {
  const { headline, standfirst } = context.story;
  return (
    findWholeWord(`${headline}\n${standfirst}`, form).length > 0 ||
    context.paragraphs.some(
      (text, paragraph) => findWholeWord(text, form, context.bodyStarts[paragraph] ?? 0).length > 0,
    )
  );
}

/** "Lisenne's Foreign Minister" makes Lisenne a state even without a formal name in the story. */
function inferStatesFromPossessives(
  context: StoryContext,
  actors: ActorRecord[],
  blocked: readonly Blocked[],
): void {
  const known = (word: string) =>
    actors.some(
      (actor) =>
        actor.forms.includes(word) ||
        actor.capitals.includes(word) ||
        (actor.kind === 'PERSON' && actor.name.split(/\s+/).includes(word)),
    );
  context.paragraphs.forEach((text, paragraph) => {
    const tokens = tokenize(text, context.bodyStarts[paragraph] ?? 0);
    tokens.forEach((token, i) => {
      if (!isPossessive(token.text) || !isCapitalized(token.text)) return;
      if (isBlocked(blocked, paragraph, token.start, token.end) || inQuote(context, paragraph, token.start))
        return;
      const owner = stripPossessive(token.text);
      if (
        known(owner) ||
        FUNCTION_WORDS.has(owner) ||
        MONTHS.has(owner) ||
        WEEKDAYS.has(owner) ||
        ORGANIZATION_HEADS.has(owner)
      )
        return;
      const following = tokens.slice(i + 1, i + 5).map((t) => t.text);
      if (!following.some((word) => isRoleWord(word) || POLITY_NOUNS.has(word.toLowerCase()))) return;
      actors.push(inferredState(owner));
    });
  });
}

/** The caller's actors take over the records they match (case- and accent-blind), or join the list. */
function applyKnownActors(
  context: StoryContext,
  actors: ActorRecord[],
  knownActors: readonly KnownActor[],
): void {
  const folded = context.paragraphs.map((text) => fold(text));
  for (const known of knownActors) {
    const knownForms = [known.name, ...known.aliases].filter((form) => form.trim() !== '');
    const printed: string[] = [];
    for (const form of knownForms) {
      const needle = fold(form);
      folded.forEach((text, paragraph) => {
        for (const start of findWholeWord(text, needle, context.bodyStarts[paragraph] ?? 0)) {
          const original = (context.paragraphs[paragraph] ?? '').slice(start, start + form.length);
          if (!printed.includes(original)) printed.push(original);
        }
      });
    }
    const foldedKnown = new Set(knownForms.map(fold));
    const matching = actors.filter((actor) => actor.forms.some((form) => foldedKnown.has(fold(form))));
    if (printed.length === 0 && matching.length === 0) continue;
    const record = matching[0] ?? { ...newKnown(known) };
    if (!matching[0]) actors.push(record);
    for (const extra of matching.slice(1)) {
      for (const form of extra.forms) addForm(record, form);
      actors.splice(actors.indexOf(extra), 1);
    }
    record.name = known.name;
    record.kind = known.kind;
    record.known = true;
    for (const form of printed) addForm(record, form);
  }
}

function newKnown(known: KnownActor): ActorRecord {
  return {
    name: known.name,
    kind: known.kind,
    forms: [],
    aliases: [],
    rolePhrases: [],
    roles: [],
    titles: [],
    state: null,
    gender: null,
    demonyms: [],
    capitals: [],
    shortName: known.name,
    formalName: known.name,
    known: true,
  };
}

// Mentions grouped by paragraph, computed once per mention list (the list is replaced, never mutated).
const byParagraphCache = new WeakMap<readonly ActorMention[], Map<number, ActorMention[]>>();

function paragraphMentions(index: ActorIndex, paragraph: number): ActorMention[] {
  let grouped = byParagraphCache.get(index.mentions);
  if (!grouped) {
    grouped = new Map();
    for (const mention of index.mentions) {
      const list = grouped.get(mention.paragraph) ?? [];
      list.push(mention);
      grouped.set(mention.paragraph, list);
    }
    byParagraphCache.set(index.mentions, grouped);
  }
  return grouped.get(paragraph) ?? [];
}

export function mentionsIn(index: ActorIndex, paragraph: number, start: number, end: number): ActorMention[] {
  return paragraphMentions(index, paragraph).filter((m) => m.start >= start && m.end <= end);
}

/** The last mention before a position that passes the filter; quotes are skipped (they are not narration). */
export function lastMentionBefore(
  index: ActorIndex,
  pos: number,
  accept: (mention: ActorMention) => boolean,
): ActorMention | undefined {
  // Mentions are in reading order: find the first one at or after `pos`, then walk back.
  let low = 0;
  let high = index.mentions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((index.mentions[mid] as ActorMention).pos < pos) low = mid + 1;
    else high = mid;
  }
  for (let i = low - 1; i >= 0; i--) {
    const mention = index.mentions[i] as ActorMention;
    if (!mention.inQuote && accept(mention)) return mention;
  }
  return undefined;
}

/** A state from one word: a name, alias, capital or demonym ("Ostravan" → Federated States of Ostrava). */
export function stateOfWord(index: ActorIndex, word: string): ActorRecord | null {
  const bare = stripPossessive(word);
  return (
    index.actors.find(
      (actor) =>
        actor.kind === 'STATE' &&
        (actor.forms.includes(bare) || actor.demonyms.includes(bare) || actor.shortName === bare),
    ) ?? null
  );
}

function roleLookup(index: ActorIndex): RoleLookup {
  const { context } = index;
  const lookup: RoleLookup = {
    statesIn(paragraph, start, end) {
      const inRange = mentionsIn(index, paragraph, start, end);
      const found = inRange
        .filter((m) => m.actor.kind === 'STATE')
        .map((m) => ({ state: m.actor, start: m.start, end: m.end }));
      // A demonym inside an organisation's name ("Tarvonian Ministry of …") belongs to that name.
      const named = inRange.filter((m) => m.actor.kind !== 'STATE');
      for (const token of tokenize(context.paragraphs[paragraph] ?? '', start, end)) {
        const state = index.actors.find((a) => a.kind === 'STATE' && a.demonyms.includes(token.text));
        const covered = [...found, ...named].some((f) => f.start <= token.start && token.start < f.end);
        if (state && !covered) {
          found.push({ state, start: token.start, end: token.end });
        }
      }
      return found.sort((a, b) => a.start - b.start);
    },
    organizationsIn(paragraph, start, end) {
      return mentionsIn(index, paragraph, start, end)
        .filter((m) => m.actor.kind === 'ORGANIZATION')
        .map((m) => ({ organization: m.actor, start: m.start, end: m.end }));
    },
    ownerBefore(paragraph, offset) {
      return (
        lastMentionBefore(index, position(paragraph, offset), (m) => m.actor.kind !== 'PERSON')?.actor ?? null
      );
    },
    organizationFor(noun, paragraph, offset) {
      const fits = (actor: ActorRecord) =>
        actor.kind === 'ORGANIZATION' && fold(actor.name).includes(fold(noun));
      return (
        lastMentionBefore(index, position(paragraph, offset), (m) => fits(m.actor))?.actor ??
        index.actors.find(fits) ??
        null
      );
    },
    personBefore(paragraph, offset, exclude) {
      return (
        lastMentionBefore(
          index,
          position(paragraph, offset),
          (m) => m.actor.kind === 'PERSON' && m.actor !== exclude,
        )?.actor ?? null
      );
    },
    sentenceState(paragraph, offset) {
      // The sentence, then the one before it ("The Meridian side was unapologetic. … Interior Minister X
      // said"), then the state the story opens with.
      const sentences = context.sentences[paragraph] ?? [];
      const at = sentences.findIndex((s) => offset >= s.start && offset < s.end);
      for (const sentence of [sentences[at], sentences[at - 1]]) {
        if (!sentence) continue;
        const state = lookup.statesIn(paragraph, sentence.start, sentence.end)[0]?.state;
        if (state) return state;
      }
      return index.mentions.find((m) => m.paragraph === 0 && m.actor.kind === 'STATE')?.actor ?? null;
    },
  };
  return lookup;
}

/** A pronoun right after a person's name in the same sentence tells their gender ("Varga and her counterpart"). */
function inferGenders(index: ActorIndex): void {
  const { context } = index;
  index.mentions.forEach((mention, i) => {
    const person = mention.actor;
    if (person.kind !== 'PERSON' || person.gender || mention.inQuote) return;
    const sentence = sentenceAt(context, mention.paragraph, mention.start);
    if (!sentence) return;
    const nextPerson = index.mentions
      .slice(i + 1, i + 20)
      .find((m) => m.paragraph === mention.paragraph && m.actor.kind === 'PERSON' && m.actor !== person);
    const end = Math.min(sentence.end, nextPerson?.start ?? sentence.end);
    const text = context.paragraphs[mention.paragraph] ?? '';
    for (const token of tokenize(text, mention.end, end)) {
      if (inQuote(context, mention.paragraph, token.start)) continue;
      const word = token.text.toLowerCase();
      if (word === 'he' || word === 'his' || word === 'him') person.gender = 'male';
      else if (word === 'she' || word === 'her' || word === 'hers') person.gender = 'female';
      if (person.gender) break;
    }
  });
}

/** The state most often coordinated with this one: "the Union of Kelmar and the Federated States of Ostrava". */
function partnerOf(index: ActorIndex, state: ActorRecord): ActorRecord | null {
  const counts = new Map<ActorRecord, number>();
  const states = index.mentions.filter((m) => m.actor.kind === 'STATE');
  for (let i = 1; i < states.length; i++) {
    const a = states[i - 1] as ActorMention;
    const b = states[i] as ActorMention;
    if (a.paragraph !== b.paragraph || a.actor === b.actor) continue;
    const between = (index.context.paragraphs[a.paragraph] ?? '').slice(a.end, b.start);
    if (!/^(?:['’]s)?\s+and\s+(?:the\s+)?$/.test(between)) continue;
    const other = a.actor === state ? b.actor : b.actor === state ? a.actor : null;
    if (other) counts.set(other, (counts.get(other) ?? 0) + 1);
  }
  return [...counts].sort((x, y) => y[1] - x[1])[0]?.[0] ?? null;
}

function addCapitalAliases(index: ActorIndex): void {
  const capitals = inferCapitals(index.context, {
    states: index.actors.filter((a) => a.kind === 'STATE'),
    stateOfWord: (word) => stateOfWord(index, word),
    stateOfPersonBefore: (paragraph, offset) =>
      lastMentionBefore(index, position(paragraph, offset), (m) => m.actor.kind === 'PERSON')?.actor.state ??
      null,
    isKnownName: (word) =>
      index.actors.some(
        (a) => a.kind !== 'STATE' && (a.forms.includes(word) || a.name.split(/\s+/).includes(word)),
      ),
    partnerOf: (state) => partnerOf(index, state),
    openingState: () =>
      index.mentions.find((m) => m.paragraph === 0 && m.actor.kind === 'STATE')?.actor ?? null,
  });
  for (const [state, places] of metonymicCapitals(index.context, capitals)) {
    for (const place of places) addForm(state, place);
  }
  // Remember learnt capitals so a second pass starts from them.
  for (const [place, state] of capitals)
    if (!state.capitals.includes(place)) state.capitals = [...state.capitals, place];
}

export function findActors(
  context: StoryContext,
  treaties: readonly TreatyRecord[],
  knownActors: readonly KnownActor[],
): ActorIndex {
  const blocked: Blocked[] = treaties.flatMap((treaty) => treaty.titleSpans);
  const states = findStates(context, blocked);
  const stateForms = new Set(states.flatMap((state) => state.forms));
  const stateWords = new Set(
    states.flatMap((state) => [
      ...state.forms.flatMap((form) => form.split(/\s+/)),
      ...state.demonyms,
      ...state.capitals,
    ]),
  );
  const organizations = findOrganizations(context, blocked, stateForms, stateWords);
  const named = [...states, ...organizations];
  const nameSpans = indexMentions(context, named, blocked).map(({ paragraph, start, end }) => ({
    paragraph,
    start,
    end,
  }));
  const persons = findPersons(context, [...blocked, ...nameSpans], stateWords);
  const actors = [...named, ...persons];
  inferStatesFromPossessives(context, actors, blocked);
  applyKnownActors(context, actors, knownActors);

  const index: ActorIndex = { context, actors, mentions: indexMentions(context, actors, blocked) };
  // Capitals twice: before roles ("said Washington would …" names the United States), and after, when
  // people's states help place an invented capital ("said in Drazen").
  addCapitalAliases(index);
  index.mentions = indexMentions(context, actors, blocked);
  const lookup = roleLookup(index);
  const people = actors.filter((a) => a.kind === 'PERSON');
  people.sort((a, b) => firstPos(index, a) - firstPos(index, b));
  for (const person of people) rolesOf(person, lookup);
  addCapitalAliases(index);
  index.mentions = indexMentions(context, actors, blocked);
  inferGenders(index);
  for (const actor of actors) {
    actor.aliases = actor.forms.filter((form) => form !== actor.name && occursIn(context, form));
  }
  index.actors = actors.filter((actor) => index.mentions.some((m) => m.actor === actor));
  index.actors.sort((a, b) => firstPos(index, a) - firstPos(index, b));
  return index;
}

function firstPos(index: ActorIndex, actor: ActorRecord): number {
  return index.mentions.find((m) => m.actor === actor)?.pos ?? Number.MAX_SAFE_INTEGER;
}
