// Roles as the gold files normalise them: the title in Title Case followed by the state it is held for,
// "Russian Deputy Foreign Minister" → "Deputy Foreign Minister of Russia", "Arvand's Permanent
// Representative to the UN" → "Permanent Representative of Arvand to the UN", "The board's chairwoman"
// → "Chairwoman of the Kelmar Grain Board", "his Ostravan counterpart" → the other person's title.
import type { ActorRecord, RolePhrase } from './actor-record.ts';
import { RANK_TITLES } from './lexicon.ts';
import { isPossessive, stripPossessive, titleCase, tokenize } from './text.ts';

export type RoleLookup = {
  /** A state named in the range (name, alias, demonym or possessive), with the printed ranges to drop. */
  statesIn(
    paragraph: number,
    start: number,
    end: number,
  ): { state: ActorRecord; start: number; end: number }[];
  /** What "its" refers to: the last state or organisation named before. */
  ownerBefore(paragraph: number, offset: number): ActorRecord | null;
  /** The organisation a lower-case noun refers to ("board" → "Kelmar Grain Board"). */
  organizationFor(noun: string, paragraph: number, offset: number): ActorRecord | null;
  /** The last person named before, other than `exclude` ("his counterpart"). */
  personBefore(paragraph: number, offset: number, exclude: ActorRecord): ActorRecord | null;
  /** Organisations named in the range, with their printed ranges. */
  organizationsIn(
    paragraph: number,
    start: number,
    end: number,
  ): { organization: ActorRecord; start: number; end: number }[];
  /** The first state named in the sentence around the offset, else the first one of the story. */
  sentenceState(paragraph: number, offset: number): ActorRecord | null;
};

export type NormalisedRole = { role: string; title: string; state: ActorRecord | null; rank: boolean };

const POSSESSIVE_PRONOUNS = new Set(['its', 'his', 'her', 'their']);
const LEADING_WORDS = new Set(['the', 'a', 'an', 'but', 'and', 'while', 'whereas']);

/** Removes the state's words (and an "of the"/"from the" before them) from a role phrase. */
function stripRanges(text: string, offset: number, ranges: { start: number; end: number }[]): string {
  let out = text;
  for (const range of [...ranges].sort((a, b) => b.start - a.start)) {
    const start = range.start - offset;
    let end = range.end - offset;
    if (/^['’]s\b/.test(out.slice(end))) end += 2;
    const before = out
      .slice(0, start)
      .replace(/\s+(?:of|from)(?:\s+the)?\s*$/i, ' ')
      .replace(/\bthe\s*$/i, '');
    out = `${before} ${out.slice(end)}`;
  }
  return out;
}

function withState(title: string, state: ActorRecord | null): string {
  if (!state) return title;
  const name = state.shortName;
  const to = / (?:to|in|at) (?:the )?\p{Lu}/u.exec(title);
  return to ? `${title.slice(0, to.index)} of ${name}${title.slice(to.index)}` : `${title} of ${name}`;
}

export function normaliseRole(
  phrase: RolePhrase,
  person: ActorRecord,
  lookup: RoleLookup,
): NormalisedRole | null {
  const { paragraph, start, text } = phrase;
  const found = lookup.statesIn(paragraph, start, phrase.end);
  let state = found[0]?.state ?? null;
  let organization: ActorRecord | null = null;
  const tokens = tokenize(text);
  const firstWord = tokens[0]?.text.toLowerCase();
  if (firstWord === 'its') {
    const owner = lookup.ownerBefore(paragraph, start);
    if (owner?.kind === 'STATE') state = owner;
    else organization = owner;
  }
  // Only the state the role is held for leaves the phrase: "ambassador to Tarvonia" keeps its "to Tarvonia".
  let rest = stripRanges(
    text,
    start,
    found.filter((f) => f.state === state),
  );
  // "The board's chairwoman": the role is held in an organisation named earlier.
  const ownerWord = tokens.find((t) => isPossessive(t.text) && t.text === t.text.toLowerCase());
  if (ownerWord) {
    organization = lookup.organizationFor(stripPossessive(ownerWord.text), paragraph, start);
    rest = rest.replace(ownerWord.text, ' ');
  }
  // "Russian Foreign Ministry spokeswoman", "a spokeswoman for the Tarvonian Ministry of …": held in that body.
  // An organisation after "to" is where the role is accredited ("Permanent Representative to the UN").
  const named = lookup
    .organizationsIn(paragraph, start, phrase.end)
    .find((o) => !/\bto\s+(?:the\s+)?$/i.test(text.slice(0, o.start - start)));
  if (named && !organization) {
    organization = named.organization;
    rest = rest
      .replace(text.slice(named.start - start, named.end - start), ' ')
      .replace(/\b(?:for|of|at|with|in)\s+(?:the\s+)?(?=\s*$)/i, ' ');
  }
  let words = rest
    .split(/\s+/)
    .filter((word) => word && !POSSESSIVE_PRONOUNS.has(word.toLowerCase()))
    .filter((word) => !(isPossessive(word) && word.toLowerCase() !== word));
  while (words.length > 0 && LEADING_WORDS.has(words[0]?.toLowerCase() ?? '')) words.shift();
  if (words.some((w) => w.toLowerCase() === 'counterpart')) {
    const other = lookup.personBefore(paragraph, start, person);
    const title = other?.titles[0];
    if (!title) return null;
    words = title.split(' ');
  }
  while (words.length > 0 && /^(of|to|from|for)$/i.test(words[words.length - 1] ?? '')) words.pop();
  if (words.length === 0) return null;
  const title = titleCase(words.join(' '));
  const rank = words.length === 1 && RANK_TITLES.has(title);
  if (organization)
    return { role: `${title} of the ${organization.name}`, title, state: organization.state, rank };
  return { role: withState(title, state), title, state, rank };
}

/**
 * All roles of a person, most descriptive first. A title printed without a state ("Defence Minister")
 * takes the state the sentence is about when no other role names one.
 */
export function rolesOf(person: ActorRecord, lookup: RoleLookup): void {
  const normalised: { role: NormalisedRole; phrase: RolePhrase }[] = [];
  for (const phrase of person.rolePhrases) {
    const role = normaliseRole(phrase, person, lookup);
    if (role) normalised.push({ role, phrase });
  }
  if (!normalised.some(({ role }) => role.state)) {
    // Not for a role in an organisation ("Spokeswoman for the Tarvonian Ministry …"): it names its own owner.
    const first = normalised.find(({ role }) => !role.rank && !/ (?:of|for) the /.test(role.role));
    const state = first ? lookup.sentenceState(first.phrase.paragraph, first.phrase.start) : null;
    if (first && state) first.role = { ...first.role, role: withState(first.role.title, state), state };
  }
  const ordered = [
    ...normalised.filter(({ phrase }) => !phrase.before),
    ...normalised.filter(({ phrase }) => phrase.before),
  ];
  for (const { role } of ordered) {
    if (!person.titles.includes(role.title)) person.titles.push(role.title);
    if (role.rank) continue;
    if (!person.roles.includes(role.role)) person.roles.push(role.role);
    person.state ??= role.state;
  }
}
