// Hostile requests against a listening production server: malformed and oversized bodies, wrong
// parameter types, wrong media types and charsets, GET mutations, batches, writes without a token,
// drafts through nested paths, SQL metacharacters in every string argument. Each case asserts the
// status and the error code; after each, nothing was written and a normal query is answered.
import { randomUUID } from 'node:crypto';
import * as t from '@chancery/db/schema';
import { seedIds } from '@chancery/db/seed';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../src/global-id.ts';
import { schema } from '../src/schema/index.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../src/server.ts';
import {
  codes,
  GRAPHQL_RESPONSE,
  type HardenedServer,
  INTERNALS,
  type RawResponse,
  rowCounts,
  startHardenedServer,
} from './hostile-client.ts';

const accept = { accept: GRAPHQL_RESPONSE };
const QUERY = '{ treaties { totalCount } }';

type Case = {
  name: string;
  send: (api: HardenedServer) => Promise<RawResponse>;
  status: number;
  code: string;
};

/** A JSON body of exactly `size` bytes that is a valid request. */
const bodyOfSize = (size: number) => {
  const base = JSON.stringify({ query: QUERY });
  return `${base.slice(0, -1)}${' '.repeat(size - base.length)}}`;
};

const post =
  (body: unknown, headers: Record<string, string | undefined> = {}) =>
  (api: HardenedServer) =>
    api.post(body, { ...accept, ...headers });

const transportCases: Case[] = [
  // Malformed JSON and bodies that are not one request object.
  {
    name: 'malformed JSON',
    send: post('{"query": "{ treaties { totalCount } }"'),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'an empty body', send: post(''), status: 400, code: 'BAD_REQUEST' },
  { name: 'JSON null', send: post('null'), status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON string', send: post('"{ treaties { totalCount } }"'), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'a batch of two operations',
    send: post([{ query: QUERY }, { query: QUERY }]),
    status: 400,
    code: 'BATCHING_NOT_SUPPORTED',
  },
  { name: 'an empty batch', send: post([]), status: 400, code: 'BATCHING_NOT_SUPPORTED' },
  // Parameters of the wrong type.
  { name: 'query as a number', send: post({ query: 42 }), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'query as an object',
    send: post({ query: { kind: 'Document' } }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'query as an array', send: post({ query: [QUERY] }), status: 400, code: 'BAD_REQUEST' },
  { name: 'query as a boolean', send: post({ query: true }), status: 400, code: 'BAD_REQUEST' },
  { name: 'no query at all', send: post({ variables: {} }), status: 400, code: 'BAD_REQUEST' },
  {
    name: 'variables as a string',
    send: post({ query: QUERY, variables: '{}' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'variables as an array',
    send: post({ query: QUERY, variables: [1] }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'variables as a number',
    send: post({ query: QUERY, variables: 7 }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'operationName as a number',
    send: post({ query: QUERY, operationName: 1 }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'operationName as an object',
    send: post({ query: QUERY, operationName: { name: 'Q' } }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'extensions as a string',
    send: post({ query: QUERY, extensions: 'x' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an operationName the document does not have',
    send: post({ query: 'query A { __typename }', operationName: 'B' }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'a variable of the wrong type',
    send: post({
      query: 'query ($n: Int) { statements(first: $n) { totalCount } }',
      variables: { n: 'ten' },
    }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a page size out of range',
    send: post({ query: '{ statements(first: 101) { totalCount } }' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a syntax error',
    send: post({ query: '{ treaties { totalCount }' }),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  // Media types and charsets.
  {
    name: 'charset utf-16',
    send: post({ query: QUERY }, { 'content-type': 'application/json; charset=utf-16' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'charset latin1',
    send: post({ query: QUERY }, { 'content-type': 'application/json;charset="ISO-8859-1"' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'bytes that are not UTF-8',
    send: (api) =>
      api.raw({
        headers: { 'content-type': 'application/json; charset=utf-8', ...accept },
        body: Buffer.concat([
          Buffer.from('{"query":"{ __typename }","x":"'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}'),
        ]),
      }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'text/plain (a form a browser may post across sites)',
    send: post({ query: QUERY }, { 'content-type': 'text/plain' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'application/x-www-form-urlencoded',
    send: post(`query=${encodeURIComponent(QUERY)}`, { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'multipart/form-data',
    send: post('--x\r\n\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'no Content-Type',
    send: post({ query: QUERY }, { 'content-type': undefined }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a GET with a Content-Type other than JSON',
    send: (api) =>
      api.get({ query: QUERY }, { 'content-type': 'text/plain', 'apollo-require-preflight': '1', ...accept }),
    status: 415,
    code: 'BAD_REQUEST',
  },
  // Sizes.
  {
    name: 'a body one byte over 256 KB',
    send: post(bodyOfSize(DEFAULT_MAX_BODY_BYTES + 1)),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a declared length of 10 GB',
    send: (api) =>
      api.raw({
        headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 3), ...accept },
        body: '{}',
      }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a chunked body that grows past 256 KB',
    send: (api) =>
      api.raw({
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...accept },
        body: bodyOfSize(DEFAULT_MAX_BODY_BYTES * 4),
      }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  // Methods and GET.
  {
    name: 'a mutation over GET',
    send: (api) =>
      api.get({ query: 'mutation { __typename }' }, { 'apollo-require-preflight': '1', ...accept }),
    status: 405,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a GET without a CSRF-preventing header',
    send: (api) => api.get({ query: QUERY }, accept),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a GET with two queries',
    send: (api) =>
      api.raw({
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent(QUERY)}&query=${encodeURIComponent('{ __typename }')}`,
        headers: { 'apollo-require-preflight': '1', ...accept },
      }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'PUT',
    send: (api) =>
      api.raw({ method: 'PUT', headers: { 'content-type': 'application/json', ...accept }, body: '{}' }),
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
];

describe.each(testEngines)('hostile input against a production server on $name', (engine) => {
  let database: TestDatabase;
  let api: HardenedServer;
  let rowsBefore: Record<string, number>;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    await insertDraft(database);
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

  it.each(transportCases)('refuses $name with $status $code', async ({ send, status, code }) => {
    const response = await send(api);
    expect(response.status).toBe(status);
    expect(codes(response)).toEqual([code]);
    expect(response.json.data ?? null).toBeNull();
    expect(response.text).not.toMatch(INTERNALS);
  });

  it('accepts a body of exactly 256 KB', async () => {
    const response = await api.post(bodyOfSize(DEFAULT_MAX_BODY_BYTES), accept);
    expect(response.status).toBe(200);
    expect(response.json.data).toEqual({ treaties: { totalCount: 2 } });
  });

  it('ignores __proto__ and constructor keys in variables', async () => {
    const body = `{"query":"query ($n: Int) { statements(first: $n) { totalCount } }","variables":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"n":1}}`;
    const response = await api.post(body, accept);
    expect(response.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  describe('production mode tells a client nothing about the internals', () => {
    it('introspection is off', async () => {
      for (const query of [
        '{ __schema { types { name } } }',
        '{ __type(name: "Actor") { fields { name } } }',
      ]) {
        const response = await api.post({ query }, accept);
        expect(response.status).toBe(400);
        expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
        expect(response.json.errors[0].message).toMatch(/Introspection .* is turned off/);
      }
    });

    it('no field or type suggestions', async () => {
      const response = await api.post(
        { query: '{ treaties { nodes { titel } } statments { totalCount } }' },
        accept,
      );
      expect(response.status).toBe(400);
      expect(codes(response).every((c) => c === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
      expect(response.text).not.toMatch(/Did you mean|"title"|"statements"/);
    });

    it('text PostgreSQL cannot store (NUL) is BAD_USER_INPUT, not a database error', async () => {
      const response = await api.post(
        { query: 'query ($s: String) { actor(slug: $s) { name } }', variables: { s: 'a\u0000b' } },
        accept,
      );
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.json.errors[0].message).toMatch(/NUL character/);
      expect(response.text).not.toMatch(INTERNALS);
    });

    it('a cursor written by hand with a date or an id that is none is BAD_USER_INPUT, not a database error', async () => {
      for (const values of [
        '"S:2024-13-45","S:00000000-0000-4000-8000-000000000000"',
        '"S:2024-01-01","S:x"',
      ]) {
        const after = Buffer.from(`DC:T:[${values}]`).toString('base64');
        const response = await api.post(
          {
            query: 'query ($a: String) { statements(first: 2, after: $a) { nodes { id } } }',
            variables: { a: after },
          },
          accept,
        );
        expect(codes(response), values).toEqual(['BAD_USER_INPUT']);
        expect(response.json.errors[0].message).toMatch(/cursor .* must be one this API gave out/);
        expect(response.text).not.toMatch(INTERNALS);
      }
    });

    it('the Sandbox page is off: a browser gets no HTML', async () => {
      const response = await api.raw({ method: 'GET', headers: { accept: 'text/html' } });
      expect(response.text).not.toMatch(/embeddable-sandbox|<html/i);
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('no stack traces or SQL in any error of this suite', async () => {
      const response = await api.post(
        { query: '{ statements(after: "garbage") { nodes { text } } }' },
        accept,
      );
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.text).not.toMatch(INTERNALS);
      for (const line of api.logs.filter((l) => l.msg === 'request')) expect(line.status).toBeLessThan(500);
    });
  });

  describe('writes without a token', () => {
    const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});

    if (mutations.length === 0) {
      it('(the schema has no mutations yet) a mutation is refused and writes nothing', async () => {
        const response = await api.post({ query: 'mutation { __typename }' }, accept);
        expect(response.status).toBe(400);
        expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      });
    } else {
      it.each(mutations.map((field) => [field.name, field] as const))(
        '%s without a token is UNAUTHENTICATED and writes nothing',
        async (_name, field) => {
          const { query, variables } = mutationCall(field);
          const response = await api.post({ query, variables }, accept);
          expect(codes(response)).toContain('UNAUTHENTICATED');
          expect(response.json.data?.[field.name] ?? null).toBeNull();
          expect(response.text).not.toMatch(INTERNALS);
        },
      );

      it('a mutation over GET is refused even with a preflight header', async () => {
        const { query } = mutationCall(mutations[0] as GraphQLField<unknown, unknown>);
        const response = await api.get({ query }, { 'apollo-require-preflight': '1', ...accept });
        expect(response.status).toBe(405);
        expect(response.headers.allow).toBe('POST');
      });
    }
  });

  describe('drafts stay invisible through every path', () => {
    const DRAFT_WORDS = /Embargoed|Secret words|draft-story/;

    it.each([
      [
        'root lists and their counts',
        '{ articles { totalCount nodes { slug headline } } statements(first: 100) { totalCount nodes { text } } }',
      ],
      ['a lookup by slug', '{ article(slug: "draft-story") { headline } }'],
      [
        'an actor’s statements and mentions',
        '{ actor(slug: "andrey-rudenko") { statements(first: 100) { totalCount nodes { text } } mentionedIn { totalCount nodes { slug } } } }',
      ],
      [
        'a treaty’s statements, articles and provisions',
        `{ treaty(slug: "russia-dprk-comprehensive-strategic-partnership-treaty") {
          statements(first: 100) { totalCount nodes { text source { article { headline } } } }
          articles { totalCount nodes { headline } }
          provision(number: "4") { statements(first: 100) { totalCount nodes { text } } }
          provisions { statements { totalCount nodes { text } } }
        } }`,
      ],
      [
        'statements of the speaker of a statement of the treaty',
        `{ treaties { nodes { statements { nodes { speaker { statements { totalCount nodes { text source { article { headline } } } } } } } } } } `,
      ],
    ])('%s', async (_name, query) => {
      const response = await api.post({ query }, accept);
      expect(response.json.errors).toBeUndefined();
      expect(response.status).toBe(200);
      expect(response.text).not.toMatch(DRAFT_WORDS);
      const counts = [...response.text.matchAll(/"totalCount":(\d+)/g)].map((m) => Number(m[1]));
      expect(Math.max(0, ...counts)).toBeLessThanOrEqual(4);
    });

    it('by ID, with filters naming the draft, and by node', async () => {
      const article = encodeGlobalId('Article', DRAFT.article);
      const statement = encodeGlobalId('Statement', DRAFT.statement);
      const response = await api.post(
        {
          query: `query ($article: ID!, $statement: ID!) {
            article(id: $article) { headline }
            statement(id: $statement) { text }
            node(id: $statement) { id }
            nodes(ids: [$article, $statement]) { id }
            statements(filter: { articleId: $article }) { totalCount nodes { text } }
          }`,
          variables: { article, statement },
        },
        accept,
      );
      expect(response.json.errors).toBeUndefined();
      expect(response.json.data).toEqual({
        article: null,
        statement: null,
        node: null,
        nodes: [null, null],
        statements: { totalCount: 0, nodes: [] },
      });
    });
  });

  describe('SQL metacharacters in every string argument', () => {
    const PAYLOADS = [
      "' OR '1'='1",
      "'; DROP TABLE actors; --",
      '" OR ""="',
      '%',
      '_',
      '\\',
      "%' --",
      '$1',
      '$$; SELECT pg_sleep(10); $$',
      '*/ SELECT 1 /*',
      "' UNION SELECT token_hash, name FROM api_tokens --",
      'a\u0000b',
      '\ud800',
    ];
    const queryFields = Object.values(schema.getQueryType()?.getFields() ?? {});
    const targets = queryFields.flatMap((field) =>
      stringPaths(field).map((path) => [`${field.name}(${path.label})`, field, path] as const),
    );

    it('there are string arguments to try', () => {
      expect(targets.length).toBeGreaterThan(10);
    });

    it.each(targets)('%s', async (_label, field, path) => {
      for (const payload of PAYLOADS) {
        const { query, variables } = path.call(payload);
        const response = await api.post({ query, variables }, accept);
        expect([200, 400]).toContain(response.status);
        expect(codes(response)).not.toContain('INTERNAL_SERVER_ERROR');
        // Messages may quote the client's own input back; anything else SQL-like would be ours.
        expect(withoutEcho(response.text, payload)).not.toMatch(INTERNALS);
        // Wildcards in text filters match themselves only: nothing in the data has them.
        if (path.textFilter && ['%', '_'].includes(payload) && response.json.data?.[field.name])
          expect(response.json.data[field.name].totalCount).toBe(0);
      }
    });
  });
});

// The draft: an article, its paragraph and a statement by Rudenko about the treaty and its Article 4.
const DRAFT = { article: randomUUID(), statement: randomUUID() };

async function insertDraft(database: TestDatabase): Promise<void> {
  const treaty = seedIds.treaty('russia-dprk-comprehensive-strategic-partnership-treaty');
  const rudenko = seedIds.actor('andrey-rudenko');
  await database.db.transaction(async (tx) => {
    await tx.insert(t.articles).values({
      id: DRAFT.article,
      slug: 'draft-story',
      headline: 'Embargoed',
      publishedAt: '2025-01-01T00:00:00Z',
      status: 'DRAFT',
    });
    await tx
      .insert(t.articleParagraphs)
      .values({ articleId: DRAFT.article, index: 0, text: '"Secret words," Rudenko said.' });
    await tx.insert(t.articleActors).values({ articleId: DRAFT.article, actorId: rudenko });
    await tx.insert(t.articleTreaties).values({ articleId: DRAFT.article, treatyId: treaty });
    await tx.insert(t.statements).values({
      id: DRAFT.statement,
      text: 'Secret words',
      kind: 'DIRECT',
      speakerId: rudenko,
      saidOn: '2025-01-01',
      articleId: DRAFT.article,
      paragraph: 0,
      start: 1,
      end: 13,
      attributionMethod: 'MANUAL',
    });
    await tx.insert(t.statementTreaties).values({ statementId: DRAFT.statement, treatyId: treaty });
    await tx.insert(t.statementProvisions).values({
      statementId: DRAFT.statement,
      provisionId: seedIds.provision('russia-dprk-comprehensive-strategic-partnership-treaty', '4'),
    });
  });
}

type StringPath = {
  label: string;
  /** A String (not ID) field of a filter: matched against text. */
  textFilter: boolean;
  call(value: string): { query: string; variables: Record<string, unknown> };
};

/** Every place a string goes into a root field: its String/ID arguments and filter fields. */
function stringPaths(field: GraphQLField<unknown, unknown>): StringPath[] {
  const required = field.args.filter((a) => isNonNullType(a.type));
  const selection = selectionFor(field);
  const paths: StringPath[] = [];
  for (const arg of field.args) {
    const named = getNamedType(arg.type);
    const others = required.filter((r) => r !== arg);
    if (others.some((r) => !isStringLike(getNamedType(r.type)))) continue;
    const fill = others.map((r) => `${r.name}: "x"`);
    if (isScalarType(named) && isStringLike(named)) {
      const list = isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type);
      paths.push({
        label: arg.name,
        textFilter: false,
        call: (value) => ({
          query: `query ($v: ${named.name}!) { ${field.name}(${[`${arg.name}: ${list ? '[$v]' : '$v'}`, ...fill].join(', ')}) ${selection} }`,
          variables: { v: value },
        }),
      });
    } else if (isInputObjectType(named)) {
      for (const inner of Object.values(named.getFields())) {
        const innerNamed = getNamedType(inner.type);
        if (!isScalarType(innerNamed) || !isStringLike(innerNamed)) continue;
        paths.push({
          label: `${arg.name}.${inner.name}`,
          textFilter: innerNamed.name === 'String',
          call: (value) => ({
            query: `query ($v: ${innerNamed.name}!) { ${field.name}(${[`${arg.name}: { ${inner.name}: $v }`, ...fill].join(', ')}) ${selection} }`,
            variables: { v: value },
          }),
        });
      }
    }
  }
  return paths;
}

/** The response text without the payload quoted back in it (once or twice JSON-encoded). */
function withoutEcho(text: string, payload: string): string {
  const once = JSON.stringify(payload).slice(1, -1);
  const twice = JSON.stringify(JSON.stringify(payload)).slice(1, -1);
  return text.replaceAll(twice, '').replaceAll(once, '');
}

const isStringLike = (type: { name: string }) => type.name === 'String' || type.name === 'ID';

function selectionFor(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  if (isLeafType(named)) return '';
  if (isObjectType(named) && named.getFields().totalCount) return '{ totalCount __typename }';
  return isCompositeType(named) ? '{ __typename }' : '';
}

/** A call of a mutation with a plausible value for every argument (writes must be refused before they matter). */
function mutationCall(field: GraphQLField<unknown, unknown>): {
  query: string;
  variables: Record<string, unknown>;
} {
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const args = field.args.map((arg: GraphQLArgument, i) => {
    variables[`a${i}`] = sample(arg.type);
    definitions.push(`$a${i}: ${String(arg.type)}`);
    return `${arg.name}: $a${i}`;
  });
  const selection = isCompositeType(getNamedType(field.type)) ? '{ __typename }' : '';
  return {
    query: `mutation Attempt${definitions.length ? `(${definitions.join(', ')})` : ''} { ${field.name}${args.length ? `(${args.join(', ')})` : ''} ${selection} }`,
    variables,
  };
}

function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    const fields = Object.values(type.getFields());
    const oneOf = (type as { isOneOf?: boolean }).isOneOf;
    for (const inner of oneOf ? fields.slice(0, 1) : fields)
      if (oneOf || isNonNullType(inner.type)) value[inner.name] = sample(inner.type);
    return value;
  }
  switch (type.name) {
    case 'ID':
      return encodeGlobalId('Actor', seedIds.actor('andrey-rudenko'));
    case 'Int':
      return 1;
    case 'Float':
      return 0.5;
    case 'Boolean':
      return false;
    case 'Date':
      return '2024-10-24';
    case 'DateTime':
      return '2024-10-24T09:30:00Z';
    default:
      return 'x';
  }
}
