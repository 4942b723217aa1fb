// Query limits against a listening production server: each limit at its boundary (at the limit the
// operation runs, one over it is refused with the limit's code), and pathological documents refused
// or answered. After every case nothing was written and the server answers a normal query.
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { Lexer, parse, Source, TokenKind } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  GRAPHQL_RESPONSE,
  type HardenedServer,
  rowCounts,
  startHardenedServer,
} from './hostile-client.ts';

const accept = { accept: GRAPHQL_RESPONSE };

/** `count` aliased __typename fields. */
const aliases = (count: number) => Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ');

/** 30 aliased treaty lists, padded with leaf fields (one token each) to exactly `tokens` tokens. */
function documentOfTokens(tokens: number): string {
  const leaves = ['title', 'shortTitle', 'slug', 'status', 'signedOn', 'signedPlace', 'createdAt', 'version'];
  const blocks = Array.from({ length: 30 }, () => [...leaves]);
  const render = () =>
    `{ ${blocks
      .map(
        (fields, i) =>
          `t${i}: treaties(first: 1, orderBy: TITLE_ASC, filter: { status: IN_FORCE }) { totalCount nodes { ${fields.join(' ')} } }`,
      )
      .join(' ')} }`;
  const missing = tokens - tokenCount(render());
  for (let added = 0; added < missing; added++)
    (blocks[added % 30] as string[]).push(leaves[Math.floor(added / 30) % leaves.length] as string);
  return render();
}

/** Tokens as graphql-js's lexer reads them (comments are skipped, commas are not tokens). */
function tokenCount(document: string): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  return count;
}

// actor 1 > statements 2 > nodes 3 > speaker 4 > statements 5 > nodes 6 > speaker 7 > statements 8 >
// nodes 9 > text 10, through two fragments (a spread adds no level, and hides none).
const DEPTH_10 = `{ actor(slug: "andrey-rudenko") { ...Said } }
  fragment Said on Actor { statements { nodes { ...Speaker } } }
  fragment Speaker on Statement { speaker { statements { nodes { speaker { statements { nodes { text } } } } } } }`;
const DEPTH_11 = DEPTH_10.replace('nodes { text }', 'nodes { speaker { name } }');

// Cost, exactly: actors 2 + 100 × (statements 2 + 100 × 9 leaves) = 90 202; b: 2 + 100 × 97 = 9 702;
// c: 2 + 94 × 1 = 96. Together 100 000, the default budget.
const STATEMENT_LEAVES = [
  'id',
  'text',
  'kind',
  'saidOn',
  'cue',
  'occasion',
  'speakerRole',
  'createdAt',
  'updatedAt',
];
const COST_100_000 = `{
  actors(first: 100) { nodes { statements(first: 100) { nodes { ${STATEMENT_LEAVES.join(' ')} } } } }
  b: statements(first: 100) { nodes { ${Array(10).fill(STATEMENT_LEAVES.join(' ')).join(' ')} ${'version '.repeat(7)} } }
  c: statements(first: 94) { nodes { __typename } }
}`;
const COST_100_001 = COST_100_000.replace(/}\s*$/, ' __typename }');

describe.each(testEngines)('query limits on a production server on $name', (engine) => {
  let database: TestDatabase;
  let api: HardenedServer;
  let rowsBefore: Record<string, number>;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    api = await startHardenedServer(database);
    rowsBefore = await rowCounts(database);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });
  afterEach(async () => {
    await api.expectHealthy();
    expect(await rowCounts(database)).toEqual(rowsBefore);
  });

  async function accepted(query: string, variables?: Record<string, unknown>) {
    const response = await api.post({ query, variables }, accept);
    expect(response.json.errors).toBeUndefined();
    expect(response.status).toBe(200);
    return response;
  }

  async function refused(query: string, code: string, variables?: Record<string, unknown>) {
    const response = await api.post({ query, variables }, accept);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual([code]);
    expect(response.json.data).toBeUndefined();
    return response;
  }

  it('depth: 10 levels through fragments run; 11 are refused', async () => {
    const ok = await accepted(DEPTH_10);
    expect(ok.json.data.actor.statements.nodes.length).toBeGreaterThan(0);
    const over = await refused(DEPTH_11, 'DEPTH_LIMIT_EXCEEDED');
    expect(over.json.errors[0].message).toMatch(/11 fields deep.*at most 10/);
    expect(over.json.errors[0].extensions.limit).toEqual({ max: 10, requested: 11 });
  });

  it('aliases: 30 (on __typename) run; 31 are refused, also when one is in a fragment', async () => {
    const ok = await accepted(`{ ${aliases(30)} }`);
    expect(Object.keys(ok.json.data)).toHaveLength(30);
    await refused(`{ ${aliases(31)} }`, 'ALIAS_LIMIT_EXCEEDED');
    await refused(
      `{ ${aliases(29)} ...F } fragment F on Query { x: __typename y: __typename }`,
      'ALIAS_LIMIT_EXCEEDED',
    );
  });

  it('directives: 10 run; 11 are refused', async () => {
    const directives = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `d${i}: __typename @include(if: true)`).join(' ')} }`;
    await accepted(directives(10));
    await refused(directives(11), 'DIRECTIVE_LIMIT_EXCEEDED');
    await refused(
      `query ($yes: Boolean = true) { ${Array.from({ length: 5 }, (_, i) => `d${i}: __typename @include(if: $yes)`).join(' ')} ...F ...F }
       fragment F on Query @skip(if: false) { ${Array.from({ length: 5 }, (_, i) => `e${i}: __typename @skip(if: false)`).join(' ')} }`,
      'DIRECTIVE_LIMIT_EXCEEDED',
    );
  });

  it('tokens: 2 000 run; 2 001 are refused', async () => {
    const atLimit = documentOfTokens(2000);
    const over = documentOfTokens(2001);
    expect(tokenCount(atLimit)).toBe(2000);
    expect(() => parse(atLimit, { maxTokens: 2000 })).not.toThrow();
    expect(() => parse(over, { maxTokens: 2000 })).toThrow(/2000 tokens/);
    await accepted(atLimit);
    const response = await refused(over, 'TOKEN_LIMIT_EXCEEDED');
    expect(response.json.errors[0].message).toMatch(/more than 2000 tokens/);
  });

  it('repeated fields: 10 run; 11 are refused, counted across repeated parents', async () => {
    await accepted(`{ ${'__typename '.repeat(10)}}`);
    await refused(`{ ${'__typename '.repeat(11)}}`, 'FIELD_REPEAT_LIMIT_EXCEEDED');
    await refused(`{ ${'treaties { nodes { title title } } '.repeat(6)} }`, 'FIELD_REPEAT_LIMIT_EXCEEDED');
  });

  it('cost: exactly the budget (100 000) runs and reports it; one more is refused', async () => {
    const ok = await accepted(COST_100_000);
    expect(ok.json.extensions.cost).toEqual({ requested: 100_000, limit: 100_000 });
    const over = await refused(COST_100_001, 'COST_LIMIT_EXCEEDED');
    expect(over.json.errors[0].extensions.cost).toEqual({ requested: 100_001, limit: 100_000 });
    expect(over.json.errors[0].message).toMatch(/up to 100001 fields, over the budget of 100000/);
  });

  it('cost multiplies by `first` given in variables, and reports the price of every accepted request', async () => {
    const query = 'query ($n: Int) { statements(first: $n) { nodes { text } } }';
    expect((await accepted(query, { n: 3 })).json.extensions.cost).toEqual({ requested: 5, limit: 100_000 });
    expect((await accepted(query, { n: 100 })).json.extensions.cost.requested).toBe(102);
    // Priced once per variable set: the same operation again is priced by its own variables.
    expect((await accepted(query, { n: 3 })).json.extensions.cost.requested).toBe(5);
    await refused(
      `query ($n: Int) { actors(first: $n) { nodes { statements(first: $n) { nodes { about { statements(first: $n) { nodes { text } } } } } } } }`,
      'COST_LIMIT_EXCEEDED',
      { n: 100 },
    );
  });

  it('a refusal in plain application/json is a 200 with the error, as GraphQL over HTTP asks', async () => {
    const response = await api.post({ query: `{ ${aliases(31)} }` }, { accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['ALIAS_LIMIT_EXCEEDED']);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  describe('pathological documents are refused or answered, never hang the server', () => {
    it('thousands of repeated fields', async () => {
      await refused(`{ ${'__typename '.repeat(5_000)}}`, 'TOKEN_LIMIT_EXCEEDED');
      await refused(`{ ${'__typename '.repeat(1_990)}}`, 'FIELD_REPEAT_LIMIT_EXCEEDED');
      // Nested repeats multiply: validation would compare 10^6 pairs.
      await refused(
        `{ ${`treaties { nodes { ${'provisions { number } '.repeat(10)} } } `.repeat(10)} }`,
        'FIELD_REPEAT_LIMIT_EXCEEDED',
      );
    });

    it('deeply nested selections', async () => {
      const deep = `{ actor(slug: "russia") { ${'roles { organization { '.repeat(300)} name ${'} } '.repeat(300)} } }`;
      await refused(deep, 'DEPTH_LIMIT_EXCEEDED');
    });

    it('self-referencing and mutually referencing fragments', async () => {
      const self = await api.post({ query: '{ ...A } fragment A on Query { __typename ...A }' }, accept);
      expect(self.status).toBe(400);
      expect(codes(self)).toContain('GRAPHQL_VALIDATION_FAILED');
      const mutual = await api.post(
        {
          query:
            '{ actor(slug: "russia") { ...A } } fragment A on Actor { roles { organization { ...B } } } fragment B on Actor { roles { organization { ...A } } }',
        },
        accept,
      );
      expect(mutual.status).toBe(400);
      expect(codes(mutual)).toContain('GRAPHQL_VALIDATION_FAILED');
    });

    it('an unknown fragment does not let the rest of the document reach validation', async () => {
      const response = await refused(
        `{ ${'treaties { nodes { title } } '.repeat(280)} ...Missing }`,
        'GRAPHQL_VALIDATION_FAILED',
      );
      expect(response.json.errors[0].message).toBe('Unknown fragment "Missing".');
    });

    it('thousands of fragments', async () => {
      const many = (n: number) =>
        `{ ${Array.from({ length: n }, (_, i) => `...F${i}`).join(' ')} } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { __typename }`).join(' ')}`;
      await refused(many(2_000), 'TOKEN_LIMIT_EXCEEDED');
      await refused(many(200), 'FIELD_REPEAT_LIMIT_EXCEEDED');
    });

    it('fragments spreading each other twice over (2^100 paths) are answered at once', async () => {
      let fragments = '';
      for (let i = 0; i < 100; i++) fragments += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} } `;
      const response = await accepted(`{ ...F0 } ${fragments} fragment F100 on Query { __typename }`);
      expect(response.json.data).toEqual({ __typename: 'Query' });
    });

    it('fragments doubling at every level are refused by depth, counted without walking every path', async () => {
      let fragments = '';
      for (let i = 0; i < 60; i++)
        fragments += `fragment F${i} on Actor { roles { organization { ...F${i + 1} } } statements { nodes { speaker { ...F${i + 1} } } } } `;
      await refused(
        `{ actor(slug: "russia") { ...F0 } } ${fragments} fragment F60 on Actor { name }`,
        'DEPTH_LIMIT_EXCEEDED',
      );
    });

    it('variables nested a hundred thousand deep', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const body = `{"query":"query ($ids: [ID!]) { treaties { totalCount } }","variables":{"ids":${deep}}}`;
      const response = await api.post(body, accept);
      expect([200, 400]).toContain(response.status);
      expect(response.status).not.toBe(500);
    });

    it('a huge introspection-shaped query is refused even if introspection were on', async () => {
      const response = await api.post(
        {
          query:
            '{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }',
        },
        accept,
      );
      expect(response.status).toBe(400);
      expect(new Set(codes(response))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
    });
  });
});
