// Capitals stand for their states ("Moscow and Pyongyang had assumed obligations" → Russia, North
// Korea). Real capitals come from the gazetteer; an invented one is learnt from the text: "in the
// Ostravan capital" in a story datelined DRAZEN, "In Bresk, Kelmar’s deputy minister said", an official
// speaking "in Drazen", "the government in Drazen", or a pair "between Drazen and Bresk" once one of the
// two is known. A capital becomes an alias only where it is used for the state, not as a mere location
// ("signed in Korvin", "the Bresk–Drazen line").
import type { ActorRecord } from './actor-record.ts';
import type { StoryContext } from './context.ts';
import { AUXILIARIES, IRREGULAR_PAST, REPORTING_VERBS } from './lexicon.ts';
import { findWholeWord, tokenize } from './text.ts';

export type CapitalLookup = {
  states: readonly ActorRecord[];
  /** The state of a word: a state form or demonym ("Ostravan"), else null. */
  stateOfWord(word: string): ActorRecord | null;
  /** The state of the person named last before the offset (the subject of "said in Drazen"). */
  stateOfPersonBefore(paragraph: number, offset: number): ActorRecord | null;
  /** Words known to be something else (people, organisations, states). */
  isKnownName(word: string): boolean;
  /** The first state named in paragraph 0. */
  openingState(): ActorRecord | null;
  /** The state most often named together with this one ("Kelmar and Ostrava"). */
  partnerOf(state: ActorRecord): ActorRecord | null;
};

const LOCATIVE = new Set([
  'in',
  'at',
  'near',
  'to',
  'from',
  'into',
  'via',
  'outside',
  'inside',
  'toward',
  'towards',
  'through',
  'across',
  'around',
  'on',
]);
// Nouns before "in X" that make X stand for its government: "the government in Drazen", "partners in Drazen".
const INSTITUTION_NOUNS = new Set([
  'government',
  'governments',
  'partners',
  'officials',
  'authorities',
  'leadership',
  'counterparts',
  'administration',
  'regime',
  'leaders',
  'rulers',
]);

const DETERMINERS = new Set([
  'the',
  'a',
  'an',
  'this',
  'that',
  'its',
  'his',
  'her',
  'their',
  'of',
  'by',
  'with',
  'for',
]);

type Place = { paragraph: number; start: number; end: number };

const PAIR = /\b(?:between )?(\p{Lu}[\p{Ll}\p{M}'’-]+)(?: and |–|—)(\p{Lu}[\p{Ll}\p{M}'’-]+)\b/gu;

/** Learns capital → state pairs from the text. */
export function inferCapitals(context: StoryContext, lookup: CapitalLookup): Map<string, ActorRecord> {
  const capitals = new Map<string, ActorRecord>();
  for (const state of lookup.states) for (const capital of state.capitals) capitals.set(capital, state);
  const learn = (place: string | null, state: ActorRecord | null) => {
    if (!place || !state || capitals.has(place) || lookup.isKnownName(place) || lookup.stateOfWord(place))
      return;
    capitals.set(place, state);
  };
  const datelinePlace = context.story.dateline?.place ?? null;
  const datelineName = datelinePlace ? titleCasePlace(datelinePlace) : null;
  const pairs: [string, string][] = [];
  context.paragraphs.forEach((text, paragraph) => {
    const from = context.bodyStarts[paragraph] ?? 0;
    const body = text.slice(from);
    // A story filed from a capital calls it "the Ostravan capital".
    for (const match of body.matchAll(/\bthe (\p{Lu}[\p{L}'’-]+) capital\b/gu)) {
      learn(datelineName, lookup.stateOfWord(match[1] ?? ''));
    }
    for (const match of body.matchAll(/\b(\p{Lu}[\p{Ll}\p{M}'’-]+), the (\p{Lu}[\p{L}'’-]+) capital\b/gu)) {
      learn(match[1] ?? null, lookup.stateOfWord(match[2] ?? ''));
    }
    // "In Bresk, Kelmar's Deputy Foreign Minister …"
    for (const match of body.matchAll(
      /(?:^|\.\s+)In (\p{Lu}[\p{Ll}\p{M}'’-]+), (?:the )?(\p{Lu}[\p{L}'’-]+?)(?:['’]s)? /gu,
    )) {
      learn(match[1] ?? null, lookup.stateOfWord(match[2] ?? ''));
    }
    // An official "said in Drazen", "the government in Drazen": the place of the person's state.
    for (const match of body.matchAll(
      /\b(?:said|spoke|speaking|told reporters|government|authorities) in (\p{Lu}[\p{Ll}\p{M}'’-]+)/gu,
    )) {
      const offset = from + (match.index ?? 0);
      learn(match[1] ?? null, lookup.stateOfPersonBefore(paragraph, offset));
    }
    for (const match of body.matchAll(PAIR)) {
      pairs.push([match[1] ?? '', match[2] ?? '']);
    }
  });
  // The headline pairs capitals too: "Korsk and Sarenne trade blame".
  for (const match of context.story.headline.matchAll(PAIR)) pairs.push([match[1] ?? '', match[2] ?? '']);
  learnFromPairs(pairs, capitals, lookup, learn);
  // Last resort: a story is usually filed from the capital of the state it opens with.
  if (datelineName && isUsedForAState(context, datelineName)) {
    learn(datelineName, lookup.openingState());
    // … and then the dateline's capital may be the known half of a pair.
    learnFromPairs(pairs, capitals, lookup, learn);
  }
  return capitals;
}

/** "between Drazen and Bresk": when one is a known capital, the other is its usual partner's. */
function learnFromPairs(
  pairs: [string, string][],
  capitals: Map<string, ActorRecord>,
  lookup: CapitalLookup,
  learn: (place: string | null, state: ActorRecord | null) => void,
): void {
  for (const [a, b] of pairs) {
    const known = capitals.get(a) ? a : capitals.get(b) ? b : null;
    if (!known) continue;
    const other = known === a ? b : a;
    if (capitals.has(other) || lookup.isKnownName(other) || lookup.stateOfWord(other)) continue;
    const knownState = capitals.get(known);
    const partners = lookup.states.filter((state) => state !== knownState);
    if (partners.length === 1) learn(other, partners[0] ?? null);
    else if (knownState) learn(other, lookup.partnerOf(knownState));
  }
}

function titleCasePlace(place: string): string {
  return place
    .toLowerCase()
    .split(' ')
    .map((word) => (word[0] ?? '').toUpperCase() + word.slice(1))
    .join(' ');
}

/**
 * Is this occurrence of a capital used for its state? Yes as a subject ("Bresk had placed"), a
 * possessive ("Sallon's view"), an object ("notify Bresk"), in a pair ("between Drazen and Bresk") or
 * after an institution ("the government in Drazen"); no as a location ("signed in Korvin") or a
 * modifier ("the Bresk–Drazen line", "the Sallon canal").
 */
export function isMetonymic(text: string, place: Place): boolean {
  const before = tokenize(text, Math.max(0, place.start - 40), place.start);
  const printedPrevious = before[before.length - 1]?.text ?? '';
  const previous = printedPrevious.toLowerCase();
  const beforePrevious = before[before.length - 2]?.text.toLowerCase() ?? '';
  const afterText = text.slice(place.end);
  if (/^[–—-]\p{L}/u.test(afterText) || /[–—-]$/u.test(text.slice(0, place.start))) return false;
  if (/^['’]s\b/.test(afterText)) return true;
  if (previous === 'between') return true;
  if (LOCATIVE.has(previous)) return INSTITUTION_NOUNS.has(beforePrevious);
  const next = /^\s+(\p{L}+)/u.exec(afterText)?.[1]?.toLowerCase() ?? '';
  if (
    AUXILIARIES.has(next) ||
    REPORTING_VERBS.has(next) ||
    IRREGULAR_PAST.has(next) ||
    next === 'and' ||
    next === 'or'
  ) {
    return true;
  }
  if (/^\p{Ll}+ed$/u.test(next)) return true;
  // The object of a verb: "notify Bresk", "gave Drazen thirty days".
  const previousEnd = before[before.length - 1]?.end ?? place.start;
  const adjacent = /^\s+$/.test(text.slice(previousEnd, place.start));
  return adjacent && /^\p{Ll}+$/u.test(printedPrevious) && !DETERMINERS.has(previous);
}

function isUsedForAState(context: StoryContext, place: string): boolean {
  return context.paragraphs.some((text, paragraph) =>
    findWholeWord(text, place, context.bodyStarts[paragraph] ?? 0).some((start) =>
      isMetonymic(text, { paragraph, start, end: start + place.length }),
    ),
  );
}

/** Capitals used for their state somewhere in the paragraphs (the dateline does not count). */
export function metonymicCapitals(
  context: StoryContext,
  capitals: Map<string, ActorRecord>,
): Map<ActorRecord, string[]> {
  const used = new Map<ActorRecord, string[]>();
  // The headline and standfirst count: "Moscow and Pyongyang had assumed obligations".
  const texts = [
    ...context.paragraphs.map((text, paragraph) => ({ text, from: context.bodyStarts[paragraph] ?? 0 })),
    { text: context.story.headline, from: 0 },
    { text: context.story.standfirst, from: 0 },
  ];
  for (const [place, state] of capitals) {
    const metonymic = texts.some(({ text, from }) =>
      findWholeWord(text, place, from).some((start) =>
        isMetonymic(text, { paragraph: 0, start, end: start + place.length }),
      ),
    );
    if (!metonymic) continue;
    used.set(state, [...(used.get(state) ?? []), place]);
  }
  return used;
}
