import * as t from '@chancery/db/schema';
import { seedIds } from '@chancery/db/seed';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { stableId } from '@chancery/domain/stable-id';
import { eq } from 'drizzle-orm';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/context.ts';
import { schema } from '../src/schema/index.ts';
import { insertTreatyTree } from './fixtures.ts';
import { startTestServer, type TestServer } from './http.ts';

const gid = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64url');
const PARTNERSHIP = 'russia-dprk-comprehensive-strategic-partnership-treaty';
const UN_CHARTER = 'charter-of-the-united-nations';
const ids = {
  putin: seedIds.actor('vladimir-putin'),
  rudenko: seedIds.actor('andrey-rudenko'),
  tass: seedIds.actor('tass'),
  partnership: seedIds.treaty(PARTNERSHIP),
  charter: seedIds.treaty(UN_CHARTER),
  article51: seedIds.provision(UN_CHARTER, '51'),
  ratified: stableId('search-test:article:ratified'),
  stalled: stableId('search-test:article:stalled'),
  draft: stableId('search-test:article:draft'),
  withdrawn: stableId('search-test:article:withdrawn'),
  resolve: stableId('search-test:statement:resolve'),
  stalledStatement: stableId('search-test:statement:stalled'),
  draftStatement: stableId('search-test:statement:draft'),
  ghost: stableId('search-test:actor:ghost'),
};

/** Stories beside the seed: one ratification story, one older one, a draft, a withdrawn one. */
async function insertStories(database: TestDatabase): Promise<void> {
  const { db } = database;
  const story = async (
    id: string,
    article: Omit<typeof t.articles.$inferInsert, 'id' | 'slug'>,
    paragraphs: string[],
    quote?: { id: string; paragraph: number; text: string } & Partial<typeof t.statements.$inferInsert>,
  ) => {
    await db.insert(t.articles).values({ id, slug: `search-test-${id.slice(0, 8)}`, ...article });
    await db
      .insert(t.articleParagraphs)
      .values(paragraphs.map((text, index) => ({ articleId: id, index, text })));
    if (!quote) return;
    const paragraph = paragraphs[quote.paragraph] as string;
    const start = paragraph.indexOf(quote.text);
    await db.insert(t.statements).values({
      kind: 'DIRECT',
      saidOn: article.publishedAt.slice(0, 10),
      attributionMethod: 'MANUAL',
      ...quote,
      articleId: id,
      start,
      end: start + quote.text.length,
    });
  };
  await story(
    ids.ratified,
    {
      headline: 'Duma ratifies partnership treaty with North Korea',
      standfirst: 'Lawmakers voted unanimously for the ratification',
      publishedAt: '2025-03-01T09:00:00Z',
      publisherId: ids.tass,
      status: 'PUBLISHED',
    },
    [
      'MOSCOW, March 1. /TASS/. The State Duma has approved the comprehensive strategic partnership treaty.',
      '"The ratification shows our resolve," Putin said.',
      'Delegates of the Fédération Internationale observed the vote from Pyongyang.',
    ],
    {
      id: ids.resolve,
      paragraph: 1,
      text: 'The ratification shows our resolve',
      speakerId: ids.putin,
      cue: 'said',
    },
  );
  await db.insert(t.statementTreaties).values({ statementId: ids.resolve, treatyId: ids.partnership });
  await db.insert(t.articleTreaties).values({ articleId: ids.ratified, treatyId: ids.partnership });
  await story(
    ids.stalled,
    { headline: 'Nuclear talks stall', publishedAt: '2023-05-05T12:00:00Z', status: 'PUBLISHED' },
    ['Negotiators said nuclear talks on the strategic partnership have stalled, Rudenko said.'],
    {
      id: ids.stalledStatement,
      paragraph: 0,
      text: 'nuclear talks on the strategic partnership have stalled',
      kind: 'INDIRECT',
      speakerId: ids.rudenko,
    },
  );
  await story(
    ids.draft,
    { headline: 'Embargoed Zanzibar memo', publishedAt: '2025-04-01T00:00:00Z', status: 'DRAFT' },
    ['"Zanzibar ratification secret," Rudenko said.'],
    { id: ids.draftStatement, paragraph: 0, text: 'Zanzibar ratification secret', speakerId: ids.rudenko },
  );
  await story(
    ids.withdrawn,
    { headline: 'Withdrawn Zanzibar story', publishedAt: '2025-04-02T00:00:00Z', status: 'WITHDRAWN' },
    ['Zanzibar was never here.'],
  );
  await db.insert(t.actors).values({
    id: ids.ghost,
    slug: 'zanzibar-ghost',
    name: 'Zanzibar Ghost',
    kind: 'PERSON',
    deletedAt: '2025-01-01T00:00:00Z',
  });
}

type Hit = {
  score: number;
  cursor: string;
  node: { __typename: string; id: string; [key: string]: any };
  highlights: {
    field: string;
    index: number | null;
    snippet: string;
    offsets: { start: number; end: number }[];
  }[];
};

const SEARCH = `query Search($query: String!, $types: [SearchType!], $filter: SearchFilter, $first: Int, $after: String, $last: Int, $before: String) {
  search(query: $query, types: $types, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor score
      node {
        __typename
        ... on Article { id headline standfirst paragraphs { text } }
        ... on Statement { id text speakerRole occasion }
        ... on Actor { id name aliases description }
        ... on Treaty { id title shortTitle provisions { number heading text summary } }
      }
      highlights { field index snippet offsets { start end } provision { number } }
    }
  }
}`;

describe.each(testEngines)('search on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    api = await startTestServer(database);
    await insertStories(database);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  async function search(query: string, variables: Record<string, unknown> = {}) {
    const response = await api.graphql(SEARCH, { query, first: 40, ...variables });
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const connection = response.data?.search as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
      edges: Hit[];
    };
    return { ...connection, keys: connection.edges.map((e) => `${e.node.__typename}:${e.node.id}`) };
  }
  const key = (typename: string, id: string) => `${typename}:${gid(typename, id)}`;

  describe('query syntax', () => {
    it('finds every type, best first, each hit scored from 0 to 1', async () => {
      const result = await search('partnership');
      const types = new Set(result.edges.map((e) => e.node.__typename));
      expect(types).toEqual(new Set(['Article', 'Statement', 'Treaty']));
      expect(result.totalCount).toBe(result.edges.length);
      const scores = result.edges.map((e) => e.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const score of scores) expect(score > 0 && score < 1).toBe(true);
      const actors = await search('Pyongyang');
      expect(actors.keys[0]).toBe(key('Actor', seedIds.actor('north-korea')));
    });

    it('"quoted phrases" match the words in that order only', async () => {
      const phrase = await search('"strategic partnership"');
      const reversed = await search('"partnership strategic"');
      const words = await search('partnership strategic');
      expect(phrase.totalCount).toBeGreaterThan(0);
      expect(reversed.totalCount).toBe(0);
      expect(words.totalCount).toBe(phrase.totalCount);
    });

    it('-word excludes what contains it', async () => {
      const all = await search('partnership');
      const without = await search('partnership -nuclear');
      expect(all.keys).toContain(key('Statement', ids.stalledStatement));
      expect(all.keys).toContain(key('Article', ids.stalled));
      expect(without.keys).not.toContain(key('Statement', ids.stalledStatement));
      expect(without.keys).not.toContain(key('Article', ids.stalled));
      expect(without.totalCount).toBe(all.totalCount - 2);
    });

    it('OR finds either word', async () => {
      const resolve = await search('resolve');
      const stalled = await search('stalled');
      const either = await search('resolve OR stalled');
      expect(new Set(either.keys)).toEqual(new Set([...resolve.keys, ...stalled.keys]));
      expect(either.keys).toEqual(
        expect.arrayContaining([key('Statement', ids.resolve), key('Statement', ids.stalledStatement)]),
      );
      expect((await search('resolve stalled')).totalCount).toBe(0);
    });

    it('stems English: "ratified" finds "ratification" and "ratifies", and the other way round', async () => {
      const ratified = await search('ratified', { types: ['STATEMENT', 'ARTICLE'] });
      expect(ratified.keys).toEqual(
        expect.arrayContaining([key('Statement', ids.resolve), key('Article', ids.ratified)]),
      );
      const statement = ratified.edges.find((e) => e.node.id === gid('Statement', ids.resolve)) as Hit;
      const text = statement.node.text as string;
      const marked = statement.highlights.find((h) => h.field === 'TEXT');
      expect(marked?.offsets.map((o) => text.slice(o.start, o.end))).toEqual(['ratification']);
      const ratification = await search('ratification', { types: ['ARTICLE'] });
      const article = ratification.edges.find((e) => e.node.id === gid('Article', ids.ratified)) as Hit;
      const headline = article.highlights.find((h) => h.field === 'HEADLINE');
      expect(headline?.snippet).toBe('Duma <mark>ratifies</mark> partnership treaty with North Korea');
    });

    it('ignores accents both ways', async () => {
      const plain = await search('federation internationale');
      expect(plain.keys).toEqual([key('Article', ids.ratified)]);
      const paragraph = plain.edges[0]?.highlights.find((h) => h.field === 'PARAGRAPH');
      expect(paragraph?.index).toBe(2);
      const text = plain.edges[0]?.node.paragraphs[2].text as string;
      expect(paragraph?.offsets.map((o) => text.slice(o.start, o.end))).toEqual([
        'Fédération',
        'Internationale',
      ]);
      const accented = await search('Fédération Internationale');
      expect(accented.keys).toEqual(plain.keys);
      // The seed's "Russian Federation" is found by the accented spelling too.
      expect((await search('Fédération', { types: ['ACTOR'] })).keys).toContain(
        key('Actor', seedIds.actor('russia')),
      );
    });
  });

  describe('highlights', () => {
    it('mark the matches in a snippet, with offsets that point at them in the field text', async () => {
      const result = await search('treaty OR partnership OR charter OR Rudenko OR Korea');
      expect(result.edges.length).toBeGreaterThan(5);
      let checked = 0;
      for (const hit of result.edges) {
        expect(hit.highlights.length, hit.node.__typename).toBeGreaterThan(0);
        for (const h of hit.highlights) {
          const text = fieldText(hit.node, h);
          expect(typeof text, `${hit.node.__typename}.${h.field}`).toBe('string');
          const matched = h.offsets.map((o) => (text as string).slice(o.start, o.end).toLowerCase());
          for (const word of matched) expect(word).toMatch(/^(treat|partnership|charter|rudenko|korea)/);
          // The snippet is the field's text (HTML-escaped), cut to length, with those words marked.
          const marks = [...h.snippet.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) =>
            unescapeHtml(m[1] as string).toLowerCase(),
          );
          expect(marks.length).toBeGreaterThan(0);
          expect(matched).toEqual(expect.arrayContaining(marks));
          const plain = unescapeHtml(h.snippet.replace(/<\/?mark>/g, '')).replace(/^…|…$/g, '');
          expect(text).toContain(plain);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(10);
    });

    it('point into provisions and long fields, with a snippet around the matches', async () => {
      const result = await search('"collective self-defence"', { types: ['TREATY'] });
      expect(result.keys).toEqual([key('Treaty', ids.charter)]);
      const highlight = result.edges[0]?.highlights.find((h) => h.field === 'PROVISION_TEXT') as any;
      expect(highlight.provision).toEqual({ number: '51' });
      const text = result.edges[0]?.node.provisions[0].text as string;
      expect(text.length).toBeGreaterThan(400);
      const matched = highlight.offsets.map((o: any) => text.slice(o.start, o.end));
      expect(matched[0]).toBe('collective');
      expect(new Set(matched)).toEqual(new Set(['collective', 'self', 'defence']));
      expect(highlight.snippet.length).toBeLessThan(300);
      expect(highlight.snippet).toMatch(/<mark>collective<\/mark>/);
      expect(highlight.snippet.endsWith('…')).toBe(true);
    });
  });

  describe('filters and facets', () => {
    it('combine filters with the text', async () => {
      const bySpeaker = await search('partnership OR ratification', {
        filter: { speakerId: gid('Actor', ids.putin) },
      });
      expect(bySpeaker.keys).toEqual([key('Statement', ids.resolve)]);
      const indirect = await search('partnership', { filter: { kind: 'INDIRECT' } });
      expect(indirect.edges.every((e) => e.node.__typename === 'Statement')).toBe(true);
      expect(indirect.keys).toContain(key('Statement', ids.stalledStatement));
      expect(indirect.keys).not.toContain(key('Statement', ids.resolve));
      const in2024 = await search('partnership', { filter: { from: '2024-01-01', to: '2024-12-31' } });
      expect(in2024.totalCount).toBeGreaterThan(0);
      expect(in2024.keys).not.toContain(key('Article', ids.ratified));
      expect(in2024.keys).not.toContain(key('Statement', ids.stalledStatement));
      expect(in2024.keys).toContain(key('Article', seedIds.article()));
      const byTass = await search('partnership', { filter: { publisherId: gid('Actor', ids.tass) } });
      expect(byTass.keys).toContain(key('Article', ids.ratified));
      expect(byTass.keys).not.toContain(key('Article', ids.stalled));
      expect(byTass.edges.every((e) => ['Article', 'Statement'].includes(e.node.__typename))).toBe(true);
      const onCharter = await search('armed attack', { filter: { treatyId: gid('Treaty', ids.charter) } });
      // The charter itself and the seed story, which mentions it; no statement is about it.
      expect(new Set(onCharter.keys)).toEqual(
        new Set([key('Treaty', ids.charter), key('Article', seedIds.article())]),
      );
      const onArticle51 = await search('armed attack', {
        filter: { provisionId: gid('TreatyProvision', ids.article51) },
      });
      expect(onArticle51.keys).toContain(key('Treaty', ids.charter));
      expect(onArticle51.keys).toContain(key('Article', seedIds.article()));
      const onlyTreaties = await search('partnership', { types: ['TREATY'] });
      expect(onlyTreaties.keys).toEqual([key('Treaty', ids.partnership)]);
      const nothing = await search('partnership', {
        types: ['ACTOR'],
        filter: { speakerId: gid('Actor', ids.putin) },
      });
      expect(nothing).toMatchObject({ totalCount: 0, edges: [] });
    });

    it('count the whole result set by type, speaker, treaty and year, as the filters would', async () => {
      const { data, errors } = await api.graphql(
        `query ($q: String!) { search(query: $q, first: 1) {
          totalCount
          facets {
            types { type count }
            speakers { speaker { id name } count }
            treaties { treaty { id title } count }
            years { year count }
          }
        } }`,
        { q: 'partnership OR ratification' },
      );
      expect(errors).toBeUndefined();
      const { totalCount, facets } = data?.search ?? {};
      const all = await search('partnership OR ratification');
      expect(all.totalCount).toBe(totalCount);
      const byType = (type: string) =>
        all.edges.filter((e) => e.node.__typename.toUpperCase() === type).length;
      expect(facets.types).toEqual(
        ['ARTICLE', 'STATEMENT', 'ACTOR', 'TREATY'].map((type) => ({ type, count: byType(type) })),
      );
      expect(facets.types.reduce((sum: number, f: { count: number }) => sum + f.count, 0)).toBe(totalCount);
      for (const bucket of facets.speakers) {
        const filtered = await search('partnership OR ratification', {
          filter: { speakerId: bucket.speaker.id },
        });
        expect(filtered.totalCount, bucket.speaker.name).toBe(bucket.count);
      }
      expect(facets.speakers.map((b: any) => b.speaker.name)).toEqual(['Andrey Rudenko', 'Vladimir Putin']);
      for (const bucket of facets.treaties) {
        const filtered = await search('partnership OR ratification', {
          filter: { treatyId: bucket.treaty.id },
        });
        expect(filtered.totalCount, bucket.treaty.title).toBe(bucket.count);
      }
      expect(facets.treaties[0].treaty.id).toBe(gid('Treaty', ids.partnership));
      for (const bucket of facets.years) {
        const day = (suffix: string) => `${bucket.year}-${suffix}`;
        const filtered = await search('partnership OR ratification', {
          filter: { from: day('01-01'), to: day('12-31') },
        });
        expect(filtered.totalCount, String(bucket.year)).toBe(bucket.count);
      }
      expect(facets.years.map((b: any) => b.year)).toEqual([2025, 2024, 2023]);
    });
  });

  describe('visibility', () => {
    it('keeps drafts, withdrawn articles and deleted records out of results and facets', async () => {
      const { data, errors } = await api.graphql(
        `{ search(query: "Zanzibar") { totalCount edges { node { __typename } } facets { types { type count } years { year } } } }`,
      );
      expect(errors).toBeUndefined();
      expect(data?.search).toEqual({
        totalCount: 0,
        edges: [],
        facets: {
          types: ['ARTICLE', 'STATEMENT', 'ACTOR', 'TREATY'].map((type) => ({ type, count: 0 })),
          years: [],
        },
      });
      const speakers = await api.graphql(
        `{ search(query: "ratification") { facets { speakers { speaker { name } count } } } }`,
      );
      expect(speakers.data?.search.facets.speakers).toEqual([
        { speaker: { name: 'Vladimir Putin' }, count: 1 },
      ]);
      const suggestions = await api.graphql(`{ suggestActors(prefix: "Zanzibar") { name } }`);
      expect(suggestions.data).toEqual({ suggestActors: [] });
    });

    it('shows drafts and withdrawn articles to editors', async () => {
      const run = (role: 'editor' | 'anonymous') =>
        graphql({
          schema,
          source: `{ search(query: "Zanzibar") { totalCount edges { node { __typename ... on Article { status } } } } }`,
          contextValue: createContext({
            db: database.db,
            viewer: { role, tokenName: role === 'editor' ? 'ed' : null },
          }),
        });
      const editor = await run('editor');
      expect(editor.errors).toBeUndefined();
      expect((editor.data as any).search.totalCount).toBe(3);
      expect(
        (editor.data as any).search.edges.map((e: any) => e.node.status ?? e.node.__typename).sort(),
      ).toEqual(['DRAFT', 'Statement', 'WITHDRAWN']);
      expect(((await run('anonymous')).data as any).search.totalCount).toBe(0);
    });
  });

  describe('bad queries', () => {
    it.each([
      ['an empty query', { query: '' }, /empty/],
      ['a blank query', { query: ' \n\t ' }, /empty/],
      ['only stop words', { query: 'the of and' }, /too common/],
      [
        '10 000 characters',
        { query: 'treaty '.repeat(1500).slice(0, 10_000) },
        /10000 characters long; at most 1000/,
      ],
      ['an unclosed quote', { query: '"strategic partnership' }, /never closes it/],
      ['OR alone', { query: 'OR' }, /no words in it/],
      ['a dash alone', { query: '-' }, /no words in it/],
      ['an empty phrase', { query: '""' }, /no words in it/],
      ['only exclusions', { query: '-treaty -nuclear' }, /only excludes words/],
      ['a dash and a space before the only word', { query: '- treaty' }, /only excludes words/],
      ['punctuation', { query: '!!! ((( )))' }, /no words in it/],
      ['a NUL character and nothing else', { query: '\u0000' }, /empty/],
      ['an empty type list', { query: 'treaty', types: [] }, /at least one of ARTICLE/],
      [
        'a reversed date range',
        { query: 'treaty', filter: { from: '2025-01-01', to: '2024-01-01' } },
        /from must be on or before/,
      ],
      [
        'a treaty ID as speaker',
        { query: 'treaty', filter: { speakerId: gid('Treaty', ids.charter) } },
        /not a Actor/,
      ],
      ['a foreign cursor', { query: 'treaty', after: 'REM6WyJuYW1lIl0' }, /`after` is not a search cursor/],
      ['first: 101', { query: 'treaty', first: 101 }, /from 1 to 100; got 101/],
    ])('%s is BAD_USER_INPUT, never a 500', async (_name, variables, message) => {
      const response = await api.graphql(SEARCH, { first: 10, ...variables });
      expect(response.status).not.toBe(500);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toMatch(message);
    });

    it('a query PostgreSQL reads as nothing but the domain lets through finds nothing, quietly', async () => {
      // Without their accents these are stop words: only the database's dictionaries know. The
      // second would otherwise be "-treaty" alone, which matches everything without the word.
      expect((await search('thé ït')).totalCount).toBe(0);
      expect((await search('ït -treaty')).totalCount).toBe(0);
    });
  });

  describe('pages', () => {
    it('page forward and backward through the same ranking', async () => {
      const all = await search('treaty OR partnership OR charter');
      expect(all.totalCount).toBeGreaterThan(5);
      const forward: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await search('treaty OR partnership OR charter', { first: 2, after });
        forward.push(...page.keys);
        expect(page.totalCount).toBe(all.totalCount);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(forward).toEqual(all.keys);
      const last = await search('treaty OR partnership OR charter', { first: undefined, last: 3 });
      expect(last.keys).toEqual(all.keys.slice(-3));
      expect(last.pageInfo.hasPreviousPage).toBe(true);
      const before = await search('treaty OR partnership OR charter', {
        first: undefined,
        last: 2,
        before: last.pageInfo.startCursor,
      });
      expect(before.keys).toEqual(all.keys.slice(-5, -3));
    });
  });

  describe('vectors follow every write', () => {
    it('of a paragraph, a headline, a provision and an actor', async () => {
      await database.db
        .update(t.articleParagraphs)
        .set({ text: 'Observers from Quixotic Island watched the vote from Pyongyang.' })
        .where(
          eq(
            t.articleParagraphs.text,
            'Delegates of the Fédération Internationale observed the vote from Pyongyang.',
          ),
        );
      expect((await search('quixotic')).keys).toEqual([key('Article', ids.ratified)]);
      expect((await search('Fédération Internationale')).totalCount).toBe(0);
      await database.db
        .update(t.articles)
        .set({ headline: 'Duma backs treaty, Quixotic says' })
        .where(eq(t.articles.id, ids.stalled));
      expect(new Set((await search('quixotic')).keys)).toEqual(
        new Set([key('Article', ids.ratified), key('Article', ids.stalled)]),
      );
      await database.db
        .update(t.treatyProvisions)
        .set({ deletedAt: '2025-01-01T00:00:00Z' })
        .where(eq(t.treatyProvisions.id, ids.article51));
      expect((await search('"collective self-defence"')).totalCount).toBe(0);
      await database.db
        .update(t.treatyProvisions)
        .set({ deletedAt: null })
        .where(eq(t.treatyProvisions.id, ids.article51));
      expect((await search('"collective self-defence"')).keys).toEqual([key('Treaty', ids.charter)]);
      await database.db
        .update(t.actors)
        .set({ aliases: ['Rudenko', 'Quixote'] })
        .where(eq(t.actors.id, ids.rudenko));
      expect((await search('quixote', { types: ['ACTOR'] })).keys).toEqual([key('Actor', ids.rudenko)]);
      const { data } = await api.graphql(`{ actors(filter: { name: "Kixote" }) { nodes { name } } }`);
      expect(data?.actors.nodes).toEqual([{ name: 'Andrey Rudenko' }]);
    });
  });

  describe('actor lookup by name', () => {
    it.each([
      ['Rudenco', 'Andrey Rudenko'],
      ['rudneko', 'Andrey Rudenko'],
      ['Pyong-yang', 'North Korea'],
      ['Pyong yang', 'North Korea'],
      ['Moskow', 'Russia'],
      ['Vladimir Poutine', 'Vladimir Putin'],
      ['DPRK', 'North Korea'],
      ['duma', 'State Duma'],
    ])('actors(filter: { name: %j }) finds %s first', async (name, expected) => {
      const { data, errors } = await api.graphql(
        `query ($name: String!) { actors(filter: { name: $name }) { totalCount nodes { name } } }`,
        { name },
      );
      expect(errors).toBeUndefined();
      expect(data?.actors.nodes[0]).toEqual({ name: expected });
      expect(data?.actors.totalCount).toBe(data?.actors.nodes.length);
    });

    it('ranks by similarity, pages over that ranking, and keeps an explicit order', async () => {
      const ranked = await api.graphql(`{ actors(filter: { name: "russ" }) { nodes { name } } }`);
      expect(ranked.data?.actors.nodes.map((n: any) => n.name)).toEqual(['Russia']);
      const all = await api.graphql(
        `{ actors(filter: { name: "rudenko putin" }, first: 10) { nodes { name } } }`,
      );
      const names = all.data?.actors.nodes.map((n: any) => n.name);
      expect(names.length).toBeGreaterThan(0);
      const paged: string[] = [];
      let after: string | null = null;
      do {
        const page: any = await api.graphql(
          `query ($after: String) { actors(filter: { name: "rudenko putin" }, first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { name } } }`,
          { after },
        );
        expect(page.errors).toBeUndefined();
        paged.push(...page.data.actors.nodes.map((n: any) => n.name));
        after = page.data.actors.pageInfo.hasNextPage ? page.data.actors.pageInfo.endCursor : null;
      } while (after);
      expect(paged).toEqual(names);
      const byName = await api.graphql(
        `{ actors(filter: { name: "korea" }, orderBy: NAME_DESC) { nodes { name } } }`,
      );
      expect(byName.data?.actors.nodes).toEqual([{ name: 'North Korea' }]);
    });

    it('suggestActors completes prefixes, names first, then aliases and near misses', async () => {
      const suggest = async (prefix: string, limit?: number) => {
        const { data, errors } = await api.graphql(
          `query ($prefix: String!, $limit: Int) { suggestActors(prefix: $prefix, limit: $limit) { name } }`,
          { prefix, limit },
        );
        expect(errors).toBeUndefined();
        return data?.suggestActors.map((a: { name: string }) => a.name);
      };
      expect(await suggest('Ru')).toEqual(['Russia', 'Andrey Rudenko']);
      expect(await suggest('Ru', 1)).toEqual(['Russia']);
      expect(await suggest('vlad')).toEqual(['Vladimir Putin']);
      expect(await suggest('Pyong')).toEqual(['North Korea']);
      expect(await suggest('Rudenco')).toEqual(['Andrey Rudenko']);
      expect(await suggest('   ')).toEqual([]);
      expect(await suggest('%')).toEqual([]);
      const bad = await api.graphql(`{ suggestActors(prefix: "ru", limit: 50) { name } }`);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0]?.message).toMatch(/from 1 to 20; got 50/);
    });
  });
});

// The SQL statements a search issues depend on what it selects, never on how many hits it returns.
describe.each(testEngines)('search SQL statements on $name', (engine) => {
  const query = `query ($first: Int!) { search(query: "bulk OR treaty", first: $first) {
    totalCount
    facets { types { count } speakers { speaker { name } count } treaties { treaty { title } count } years { year } }
    edges {
      score
      highlights { field snippet offsets { start end } provision { number } }
      node {
        __typename
        ... on Statement { text speaker { name roles { title } } source { paragraph article { headline } } about { title } }
        ... on Treaty { title parties { name } provisions { number } }
        ... on Article { headline publisher { name } }
        ... on Actor { name }
      }
    }
    nodes { __typename ... on Treaty { slug } }
  } }`;

  it('do not grow with the number of hits', async () => {
    const database = await engine.open({ seed: true });
    const api = await startTestServer(database);
    try {
      await insertTreatyTree(
        database.db,
        { treaties: 10, provisionsPerTreaty: 3, statementsPerProvision: 3 },
        'bulk',
      );
      const counts: Record<number, { statements: number; hits: number; types: Set<string> }> = {};
      // Ten fixture treaties rank first, then the fixture story, then statements: both pages hold
      // all three types, so both load nodes of each.
      for (const first of [12, 60]) {
        const response = await api.graphql(query, { first });
        expect(response.errors).toBeUndefined();
        counts[first] = {
          statements: response.sqlStatements,
          hits: response.data?.search.edges.length,
          types: new Set(response.data?.search.edges.map((e: any) => e.node.__typename)),
        };
      }
      expect(counts[12]?.hits).toBe(12);
      expect(counts[60]?.hits).toBe(60);
      expect(counts[12]?.types.size).toBeGreaterThanOrEqual(3);
      expect(counts[60]?.types).toEqual(counts[12]?.types);
      expect(counts[60]?.statements).toBe(counts[12]?.statements);
      // The page (with totals and highlights), the facets, and one load per type and selection.
      expect(counts[12]?.statements).toBeLessThanOrEqual(10);
    } finally {
      await api.stop();
      await database.close();
    }
  });
});

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const unescapeHtml = (html: string) =>
  html.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] as string);

function fieldText(
  node: Record<string, any>,
  highlight: { field: string; index: number | null } & Record<string, any>,
) {
  switch (highlight.field) {
    case 'HEADLINE':
      return node.headline;
    case 'STANDFIRST':
      return node.standfirst;
    case 'PARAGRAPH':
      return node.paragraphs[highlight.index as number].text;
    case 'TEXT':
      return node.text;
    case 'SPEAKER_ROLE':
      return node.speakerRole;
    case 'OCCASION':
      return node.occasion;
    case 'NAME':
      return node.name;
    case 'ALIAS':
      return node.aliases[highlight.index as number];
    case 'DESCRIPTION':
      return node.description;
    case 'TITLE':
      return node.title;
    case 'SHORT_TITLE':
      return node.shortTitle;
    default: {
      const provision = node.provisions.find((p: any) => p.number === highlight.provision?.number);
      const part = { PROVISION_HEADING: 'heading', PROVISION_TEXT: 'text', PROVISION_SUMMARY: 'summary' }[
        highlight.field
      ] as string;
      return provision?.[part];
    }
  }
}
