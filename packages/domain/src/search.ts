// Search as a reader types it: the query syntax (words, "phrases", -exclusions, OR — what
// PostgreSQL's websearch_to_tsquery reads), which queries are worth running, which record types a
// filter can match, cursors over ranked hits, and snippets with the matched words marked.
// Pure: the database does the matching (packages/db/src/search.ts).
import { badInput } from './errors.ts';
import type { ActorKind, StatementKind } from './model.ts';

export const SEARCH_TYPES = ['ARTICLE', 'STATEMENT', 'ACTOR', 'TREATY'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export const SEARCH_LIMITS = {
  /** Characters in a query. */
  queryLength: 1000,
  /** Words in a query, excluded ones included. */
  queryWords: 32,
  /** Characters in an actor name lookup (`actors(filter: { name })`, `suggestActors`). */
  nameLength: 200,
  /** Actor suggestions returned at most, and by default. */
  suggestions: { max: 20, default: 10 },
} as const;

/**
 * PostgreSQL's English stop words (tsearch_data/english.stop): the index leaves them out, so a
 * query made only of them can match nothing.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her ' +
    'hers herself it its itself they them their theirs themselves what which who whom this that these ' +
    'those am is are was were be been being have has had having do does did doing a an the and but if or ' +
    'because as until while of at by for with about against between into through during before after ' +
    'above below to from up down in out on off over under again further then once here there when where ' +
    'why how all any both each few more most other some such no nor not only own same so than too very s ' +
    't can will just don should now'
  ).split(' '),
);

export type ParsedSearchQuery = {
  /** The query for websearch_to_tsquery: typographic quotes made plain, control characters gone. */
  text: string;
  /** Every word the query looks for, joined by OR: what a highlight marks and a snippet shows. */
  anyWord: string;
  /** The words looked for (lower case, stop words left out), in query order. */
  words: string[];
};

// Quote marks people paste from word processors and other languages' typography.
const QUOTES = /[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033]/g;
// C0 and C1 control characters: PostgreSQL refuses NUL in text, and none of them is a word.
const CONTROLS = /\p{Cc}/gu;
const WORD = /[\p{L}\p{N}]+/gu;

type Unit = { words: string[]; excluded: boolean };

/**
 * Reads a search query the way websearch_to_tsquery does and decides whether it can find anything.
 * @throws DomainError BAD_USER_INPUT, saying what was wrong and what would work, for an empty or
 *   over-long query, an unclosed quote, or a query with nothing to look for (only operators,
 *   punctuation, stop words or excluded words).
 */
export function parseSearchQuery(input: string): ParsedSearchQuery {
  if (input.length > SEARCH_LIMITS.queryLength) {
    throw badInput(
      `The search query is ${input.length} characters long; at most ${SEARCH_LIMITS.queryLength} are allowed.`,
    );
  }
  const text = input.replace(CONTROLS, ' ').replace(QUOTES, '"').trim();
  if (text === '') {
    throw badInput('The search query is empty: type at least one word to search for.');
  }
  if ((text.match(/"/g)?.length ?? 0) % 2 === 1) {
    throw badInput(
      'The search query opens a quoted phrase (") and never closes it: close the phrase, "like this", or remove the quote mark.',
    );
  }

  const units = readUnits(text);
  const allWords = units.flatMap((unit) => unit.words);
  if (allWords.length > SEARCH_LIMITS.queryWords) {
    throw badInput(
      `The search query has ${allWords.length} words; at most ${SEARCH_LIMITS.queryWords} are allowed.`,
    );
  }
  if (allWords.length === 0) {
    throw badInput(
      `The search query ${JSON.stringify(text)} has no words in it, only operators or punctuation: type a word to search for, e.g. treaty.`,
    );
  }
  const wanted = units.filter((unit) => !unit.excluded).flatMap((unit) => unit.words);
  const words = wanted.filter((word) => !ENGLISH_STOP_WORDS.has(word));
  if (words.length === 0) {
    if (wanted.length > 0) {
      throw badInput(
        `The search query has only words too common to be indexed (${[...new Set(wanted)].slice(0, 5).join(', ')}): add a more specific word.`,
      );
    }
    throw badInput(
      'The search query only excludes words (a leading - excludes a word): add at least one word to search for, e.g. treaty -nuclear.',
    );
  }
  return { text, anyWord: [...new Set(words)].join(' or '), words };
}

/**
 * Splits a query into what websearch_to_tsquery treats as operands: "phrases" and runs of text.
 * As there, a dash where an operand may start negates it, however many spaces follow, and
 * negations add up ("- -treaty" wants treaty); a dash inside a word ("self-defence") is the word's.
 */
function readUnits(text: string): Unit[] {
  const units: Unit[] = [];
  let excluded = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '-') {
      excluded = !excluded;
      i += 1;
    } else if (char === '"') {
      const close = text.indexOf('"', i + 1);
      units.push({ words: wordsOf(text.slice(i + 1, close)), excluded });
      excluded = false;
      i = close + 1;
    } else {
      let end = i;
      while (end < text.length && !/\s/.test(text[end] as string) && text[end] !== '"') end += 1;
      const chunk = text.slice(i, end);
      i = end;
      // OR between operands is the operator; as an operand it is a stop word anyway.
      if (chunk.toLowerCase() !== 'or') units.push({ words: wordsOf(chunk), excluded });
      excluded = false;
    }
  }
  return units;
}

const wordsOf = (chunk: string) => (chunk.toLowerCase().match(WORD) ?? []) as string[];

/**
 * A name to look actors up by (`actors(filter: { name })`, `suggestActors(prefix)`): trimmed, and
 * null when blank, which means no name condition. A name without a letter or digit ("%") is
 * compared like any other and matches no actor.
 * @throws DomainError BAD_USER_INPUT when it is too long.
 */
export function parseActorName(input: string | null | undefined, argument: string): string | null {
  const name = input?.replace(CONTROLS, ' ').trim();
  if (!name) return null;
  if (name.length > SEARCH_LIMITS.nameLength) {
    throw badInput(
      `${argument} is ${name.length} characters long; at most ${SEARCH_LIMITS.nameLength} are allowed.`,
    );
  }
  return name;
}

/** `limit` of suggestActors: 1 to 20, default 10. */
export function suggestionLimit(limit: number | null | undefined): number {
  if (limit == null) return SEARCH_LIMITS.suggestions.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.suggestions.max) {
    throw badInput(`\`limit\` must be an integer from 1 to ${SEARCH_LIMITS.suggestions.max}; got ${limit}.`);
  }
  return limit;
}

// ---------------------------------------------------------------------------------------------
// Filters

/** Search filters with database IDs (the transport decodes global IDs). */
export type SearchFilter = {
  /** Statements by this actor. */
  speakerId?: string | null;
  /** Statements about the treaty or its provisions, articles mentioning it, the treaty itself, its parties. */
  treatyId?: string | null;
  /** Statements about the provision, articles mentioning it, the treaty that contains it. */
  provisionId?: string | null;
  /** Articles by this publisher and the statements taken from them. */
  publisherId?: string | null;
  /** On or after this day (YYYY-MM-DD): articles by publication day (UTC), statements by the day said, treaties by signature. */
  from?: string | null;
  /** On or before this day, as `from`. */
  to?: string | null;
  /** Statements of this kind. */
  kind?: StatementKind | null;
  /** Actors of this kind. */
  actorKind?: ActorKind | null;
};

/** Which record types each filter can say something about; a filter excludes the other types. */
export const SEARCH_FILTER_TYPES: Record<keyof SearchFilter, readonly SearchType[]> = {
  speakerId: ['STATEMENT'],
  treatyId: ['ARTICLE', 'STATEMENT', 'ACTOR', 'TREATY'],
  provisionId: ['ARTICLE', 'STATEMENT', 'TREATY'],
  publisherId: ['ARTICLE', 'STATEMENT'],
  from: ['ARTICLE', 'STATEMENT', 'TREATY'],
  to: ['ARTICLE', 'STATEMENT', 'TREATY'],
  kind: ['STATEMENT'],
  actorKind: ['ACTOR'],
};

/**
 * The types to search: those asked for (all when `types` is null) that every filter given applies
 * to. May be empty: `speakerId` with `types: [ACTOR]` can match nothing.
 * @throws DomainError BAD_USER_INPUT for an empty `types` list or a reversed date range.
 */
export function searchedTypes(
  types: readonly SearchType[] | null | undefined,
  filter: SearchFilter,
): SearchType[] {
  if (types && types.length === 0) {
    throw badInput(
      `\`types\` must name at least one of ${SEARCH_TYPES.join(', ')}; omit it to search them all.`,
    );
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    throw badInput('filter.from must be on or before filter.to.');
  }
  const asked = new Set(types ?? SEARCH_TYPES);
  return SEARCH_TYPES.filter(
    (type) =>
      asked.has(type) &&
      (Object.keys(SEARCH_FILTER_TYPES) as (keyof SearchFilter)[]).every(
        (key) => filter[key] == null || SEARCH_FILTER_TYPES[key].includes(type),
      ),
  );
}

// ---------------------------------------------------------------------------------------------
// Cursors: a hit's position in the ranking — score, then type, then id — so the next page starts
// exactly after it whatever was added meanwhile.

export type SearchPosition = { score: number; type: SearchType; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeSearchCursor(position: SearchPosition): string {
  return Buffer.from(JSON.stringify(['S', position.score, position.type, position.id]), 'utf8').toString(
    'base64url',
  );
}

/** @throws DomainError BAD_USER_INPUT for anything but a cursor of a search result. */
export function decodeSearchCursor(cursor: string, argument: string): SearchPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 4) {
      const [tag, score, type, id] = value as unknown[];
      if (
        tag === 'S' &&
        typeof score === 'number' &&
        Number.isFinite(score) &&
        SEARCH_TYPES.includes(type as SearchType) &&
        typeof id === 'string' &&
        UUID.test(id)
      ) {
        return { score, type: type as SearchType, id };
      }
    }
  } catch {
    // reported below
  }
  throw badInput(
    `\`${argument}\` is not a search cursor: pass the startCursor or endCursor of a page of search results.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Highlights: the database marks the matched words of a whole field with these two characters
// (ts_headline with HighlightAll), which cannot occur in stored text; this turns that into offsets
// into the field and a short snippet.

export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

/** A range of a field's text: `text.slice(start, end)`, in UTF-16 code units like every span. */
export type TextRange = { start: number; end: number };

export type FieldHighlight = {
  /** An excerpt around the densest run of matches, HTML-escaped, matches in <mark>…</mark>. */
  snippet: string;
  /** Every match in the whole field. */
  offsets: TextRange[];
};

export const SNIPPET_LENGTH = 200;

/** Offsets and a snippet from a field marked by the database; null when nothing in it matched. */
export function highlightField(marked: string, snippetLength = SNIPPET_LENGTH): FieldHighlight | null {
  let text = '';
  const offsets: TextRange[] = [];
  let start = -1;
  for (const char of marked) {
    if (char === MATCH_START) start = text.length;
    else if (char === MATCH_END) {
      if (start >= 0 && text.length > start) offsets.push({ start, end: text.length });
      start = -1;
    } else text += char;
  }
  if (offsets.length === 0) return null;
  return { snippet: snippetOf(text, offsets, snippetLength), offsets };
}

function snippetOf(text: string, offsets: TextRange[], length: number): string {
  let from = 0;
  let to = text.length;
  if (text.length > length) {
    // The window of `length` characters that starts at a match and holds the most matches.
    let best = { first: 0, last: 0 };
    for (let first = 0; first < offsets.length; first++) {
      let last = first;
      const begin = (offsets[first] as TextRange).start;
      while (last + 1 < offsets.length && (offsets[last + 1] as TextRange).end - begin <= length) last += 1;
      if (last - first > best.last - best.first) best = { first, last };
    }
    const begin = (offsets[best.first] as TextRange).start;
    const end = (offsets[best.last] as TextRange).end;
    // Some context before the first match, the rest after the last; cut between words.
    const slack = Math.max(0, length - (end - begin));
    from = Math.max(0, begin - Math.min(Math.floor(slack / 3), 60));
    to = Math.min(text.length, from + Math.max(length, end - from));
    if (from > 0 && !/\s/.test(text[from - 1] as string)) {
      const space = text.slice(from, begin).search(/\s/);
      from = space >= 0 ? from + space + 1 : begin;
    }
    if (to < text.length) {
      const space = text.slice(end, to).search(/\s\S*$/);
      to = space >= 0 ? end + space : Math.max(end, to);
    }
  }
  let snippet = from > 0 ? '…' : '';
  let at = from;
  for (const { start, end } of offsets) {
    if (end <= from || start >= to) continue;
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    snippet += `${escapeHtml(text.slice(at, s))}<mark>${escapeHtml(text.slice(s, e))}</mark>`;
    at = e;
  }
  snippet += escapeHtml(text.slice(at, to));
  return to < text.length ? `${snippet}…` : snippet;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
