import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import {
  decodeSearchCursor,
  encodeSearchCursor,
  highlightField,
  MATCH_END,
  MATCH_START,
  parseActorName,
  parseSearchQuery,
  searchedTypes,
  suggestionLimit,
} from './search.ts';

const badInput = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return (error as DomainError).message;
  }
  throw new Error('expected BAD_USER_INPUT');
};

describe('parseSearchQuery', () => {
  it.each([
    ['treaty', ['treaty']],
    ['"strategic partnership" treaty', ['strategic', 'partnership', 'treaty']],
    ['treaty -nuclear', ['treaty']],
    ['putin OR rudenko', ['putin', 'rudenko']],
    ['the treaty of the Duma', ['treaty', 'duma']],
    ['Fédération', ['fédération']],
    ['Article 51', ['article', '51']],
    ['treaty -', ['treaty']],
    ['- -treaty', ['treaty']],
    ['self-defence', ['self', 'defence']],
  ])('%j looks for %j', (query, words) => {
    expect(parseSearchQuery(query).words).toEqual(words);
  });

  it('makes typographic quotes plain and drops control characters', () => {
    expect(parseSearchQuery('“strategic partnership”\u0000 treaty').text).toBe(
      '"strategic partnership"  treaty',
    );
  });

  it('joins the wanted words with OR for highlighting, without excluded or stop words', () => {
    expect(parseSearchQuery('"the strategic partnership" -nuclear treaty treaty').anyWord).toBe(
      'strategic or partnership or treaty',
    );
  });

  it.each([
    ['', /empty/],
    ['   \n\t ', /empty/],
    ['x'.repeat(10_000), /10000 characters long; at most 1000/],
    ['"strategic partnership', /never closes it/],
    ['treaty "a" "b', /never closes it/],
    ['the of and', /only words too common.*the, of, and/],
    ['-treaty', /only excludes words/],
    ['-treaty -"strategic partnership"', /only excludes words/],
    ['- - - zzyzx -', /only excludes words/],
    ['- zzyzx', /only excludes words/],
    ['OR', /no words in it/],
    ['- OR -', /no words in it/],
    ['""', /no words in it/],
    ['!!! ??? ...', /no words in it/],
    [Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '), /40 words; at most 32/],
  ])('%j is BAD_USER_INPUT saying %s', (query, message) => {
    expect(badInput(() => parseSearchQuery(query))).toMatch(message);
  });
});

describe('searchedTypes', () => {
  it('searches every type by default, and what a filter applies to', () => {
    expect(searchedTypes(null, {})).toEqual(['ARTICLE', 'STATEMENT', 'ACTOR', 'TREATY']);
    expect(searchedTypes(null, { speakerId: 'x' })).toEqual(['STATEMENT']);
    expect(searchedTypes(null, { from: '2024-01-01' })).toEqual(['ARTICLE', 'STATEMENT', 'TREATY']);
    expect(searchedTypes(['ACTOR', 'STATEMENT'], { treatyId: 'x' })).toEqual(['STATEMENT', 'ACTOR']);
    expect(searchedTypes(['ACTOR'], { speakerId: 'x' })).toEqual([]);
  });

  it('refuses an empty type list and a reversed date range', () => {
    expect(badInput(() => searchedTypes([], {}))).toMatch(
      /at least one of ARTICLE, STATEMENT, ACTOR, TREATY/,
    );
    expect(badInput(() => searchedTypes(null, { from: '2025-01-01', to: '2024-01-01' }))).toMatch(
      /from must be on or before/,
    );
  });
});

describe('search cursors', () => {
  it('round-trip a position exactly', () => {
    const position = { score: 0.060792699456214905, type: 'STATEMENT' as const, id: crypto.randomUUID() };
    expect(decodeSearchCursor(encodeSearchCursor(position), 'after')).toEqual(position);
  });

  it.each(['', 'nope', Buffer.from('["S",1,"SHOE","x"]').toString('base64url'), 'DC:abc'])(
    'refuse %j',
    (cursor) => {
      expect(badInput(() => decodeSearchCursor(cursor, 'after'))).toMatch(/`after` is not a search cursor/);
    },
  );
});

describe('highlightField', () => {
  const mark = (text: string, words: string[]) =>
    words.reduce((t, w) => t.replaceAll(w, `${MATCH_START}${w}${MATCH_END}`), text);

  it('gives offsets into the unmarked text and a snippet with the matches marked', () => {
    const text = 'Russia & North Korea <signed> a treaty.';
    const highlight = highlightField(mark(text, ['Korea', 'treaty']));
    expect(highlight?.offsets.map(({ start, end }) => text.slice(start, end))).toEqual(['Korea', 'treaty']);
    expect(highlight?.snippet).toBe(
      'Russia &amp; North <mark>Korea</mark> &lt;signed&gt; a <mark>treaty</mark>.',
    );
  });

  it('counts offsets in UTF-16 code units, as String.slice does', () => {
    const text = '🇰🇵 Pyongyang 👍 treaty';
    const highlight = highlightField(mark(text, ['treaty']));
    expect(text.slice(highlight?.offsets[0]?.start, highlight?.offsets[0]?.end)).toBe('treaty');
  });

  it('is null when nothing in the field matched', () => {
    expect(highlightField('no match here')).toBeNull();
  });

  it('cuts a long field around the densest run of matches, between words', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(20);
    const text = `treaty ${filler}the strategic partnership treaty was ratified ${filler}end`;
    const highlight = highlightField(mark(text, ['strategic', 'partnership', 'ratified']), 120);
    const snippet = highlight?.snippet ?? '';
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain(
      '<mark>strategic</mark> <mark>partnership</mark> treaty was <mark>ratified</mark>',
    );
    expect(snippet.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(122);
    expect(snippet).not.toMatch(/…\S*ipsu…|…m /);
    expect(highlight?.offsets).toHaveLength(3);
  });
});

describe('actor names', () => {
  it('trims, and treats blank as no name', () => {
    expect(parseActorName('  Rudenco ', 'prefix')).toBe('Rudenco');
    expect(parseActorName('   ', 'filter.name')).toBeNull();
    expect(parseActorName(null, 'filter.name')).toBeNull();
  });

  it('refuses overly long names', () => {
    expect(badInput(() => parseActorName('a'.repeat(201), 'filter.name'))).toMatch(/at most 200/);
  });

  it('allows 1 to 20 suggestions, 10 by default', () => {
    expect(suggestionLimit(undefined)).toBe(10);
    expect(suggestionLimit(20)).toBe(20);
    expect(badInput(() => suggestionLimit(0))).toMatch(/from 1 to 20; got 0/);
  });
});
