import { createServer as createTcpServer } from 'node:net';
import { createTokens, type TestDatabase, testEngines } from '@chancery/db/testing';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChanceryClient, createChanceryClient, type FetchLike } from '../src/client.ts';
import { createChanceryCoreClient } from '../src/core.ts';
import { ChanceryError } from '../src/errors.ts';
import { StatementsDocument as StatementsText } from '../src/generated/documents/Statements.ts';
import { StatementsDocument } from '../src/generated/graphql.ts';
import { operations } from '../src/generated/operations.ts';
import { httpOperations, runEveryOperation, SEED, type SeedIds, seedIds, type Tokens } from './samples.ts';
import { type Exchange, type RunningServer, recordingFetch, startServer } from './server.ts';

/** A port on this machine that nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Real fetch whose first `failures` calls go to a closed port (a real connection failure). */
function failingFirst(failures: number, deadUrl: string): { fetch: FetchLike; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    fetch: (url, init) => fetch(++calls <= failures ? deadUrl : url, init),
  };
}

const rejection = async (promise: Promise<unknown>): Promise<ChanceryError> => {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChanceryError);
  return error as ChanceryError;
};

describe.each(testEngines)('the SDK against a real server on $name', (engine) => {
  let database: TestDatabase;
  let running: RunningServer;
  let client: ChanceryClient;
  let exchanges: Exchange[];
  let ids: SeedIds;
  let tokens: Tokens;
  let deadUrl: string;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    tokens = await createTokens(database);
    running = await startServer(database);
    const recorder = recordingFetch();
    exchanges = recorder.exchanges;
    client = createChanceryClient({ url: running.url, fetch: recorder.fetch });
    ids = await seedIds(client);
    deadUrl = `http://127.0.0.1:${await closedPort()}/graphql`;
  });
  afterAll(async () => {
    await running?.stop();
    await database?.close();
  });

  describe('operations', () => {
    it('actors: filtered by kind and name, in the order asked', async () => {
      const people = await client.actors({ filter: { kind: 'PERSON' }, orderBy: 'NAME_DESC' });
      expect(people.actors.totalCount).toBe(2);
      expect(people.actors.nodes.map((a) => a.name)).toEqual(['Vladimir Putin', 'Andrey Rudenko']);
      const duma = await client.actors({ filter: { name: 'duma' } });
      expect(duma.actors.nodes).toEqual([
        {
          id: expect.any(String),
          name: 'State Duma',
          slug: 'state-duma',
          kind: 'ORGANIZATION',
          countryCode: 'RU',
        },
      ]);
    });

    it("actor: a person's page with roles, statements and the articles that mention them", async () => {
      const { actor } = await client.actor({ slug: SEED.rudenko });
      expect(actor).toMatchObject({ name: 'Andrey Rudenko', kind: 'PERSON', aliases: ['Rudenko'] });
      expect(actor!.roles.map((role) => role.title)).toEqual(['Deputy Foreign Minister of Russia']);
      expect(actor!.statements.totalCount).toBe(4);
      expect(actor!.statements.nodes).toHaveLength(4);
      expect(actor!.statements.pageInfo.hasNextPage).toBe(false);
      expect(actor!.mentionedIn.nodes.map((a) => a.slug)).toEqual([SEED.article]);
      const byId = await client.actor({ id: actor!.id, listSize: 1 });
      expect(byId.actor!.statements.nodes).toHaveLength(1);
      expect(byId.actor!.statements.pageInfo.hasNextPage).toBe(true);
      expect(await client.actor({ slug: 'nobody-at-all' })).toEqual({ actor: null });
    });

    it("actor: a state's page with the treaties it is party to", async () => {
      const { actor } = await client.actor({ slug: SEED.northKorea });
      expect(actor!.treaties.nodes.map((t) => t.slug)).toEqual([SEED.partnership]);
      expect(actor!.treaties.nodes[0]!.status).toBe('PENDING_RATIFICATION');
    });

    it('treaties: filtered by status and party', async () => {
      const inForce = await client.treaties({ filter: { status: 'IN_FORCE' } });
      expect(inForce.treaties.nodes.map((t) => t.slug)).toEqual([SEED.charter]);
      const parties = await client.treaties({ filter: { partyId: ids.actorId } });
      expect(parties.treaties.totalCount).toBe(0);
      const all = await client.treaties({ orderBy: 'TITLE_DESC' });
      expect(all.treaties.nodes.map((t) => t.slug)).toEqual([SEED.partnership, SEED.charter]);
    });

    it("treaty: parties, provisions, timeline and what's said about it", async () => {
      const { treaty } = await client.treaty({ slug: SEED.partnership });
      expect(treaty!.parties.map((p) => p.name)).toEqual(['Russia', 'North Korea']);
      expect(treaty!.provisions.map((p) => p.number)).toEqual(['4']);
      expect(treaty!.actions).toEqual([
        expect.objectContaining({
          type: 'SUBMISSION_FOR_RATIFICATION',
          date: '2024-10-14',
          actor: expect.objectContaining({ name: 'Vladimir Putin' }),
          body: expect.objectContaining({ name: 'State Duma' }),
          source: expect.objectContaining({
            paragraph: 4,
            article: expect.objectContaining({ slug: SEED.article }),
          }),
        }),
      ]);
      const source = treaty!.actions[0]!.source!;
      expect(source.paragraphText.slice(source.start, source.end)).toBe(source.text);
      expect(treaty!.statements.totalCount).toBeGreaterThan(0);
      expect(treaty!.articles.nodes.map((a) => a.slug)).toEqual([SEED.article]);
    });

    it('treatyProvision: Article 4 refers to Article 51 of the UN Charter', async () => {
      const { treaty } = await client.treatyProvision({ treatySlug: SEED.partnership, number: '4' });
      const provision = treaty!.provision!;
      expect(provision.refersTo.map((p) => [p.treaty.slug, p.number])).toEqual([[SEED.charter, '51']]);
      expect(provision.statements.nodes.map((s) => s.text)).toContainEqual(
        expect.stringContaining('Article 4 of the document is of particular importance'),
      );
      const charter = await client.treatyProvision({ treatySlug: SEED.charter, number: '51' });
      expect(charter.treaty!.provision!.referencedBy.map((p) => [p.treaty.slug, p.number])).toEqual([
        [SEED.partnership, '4'],
      ]);
      const missing = await client.treatyProvision({ treatySlug: SEED.partnership, number: '99' });
      expect(missing.treaty!.provision).toBeNull();
    });

    it('article: paragraphs, mentions whose spans match the text, statements in reading order', async () => {
      const { article } = await client.article({ slug: SEED.article });
      expect(article!.paragraphs.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(article!.publisher!.name).toBe('TASS');
      expect(article!.mentions.length).toBeGreaterThan(0);
      for (const mention of article!.mentions) {
        const { paragraph, start, end, text } = mention.span;
        expect(article!.paragraphs[paragraph]!.text.slice(start, end)).toBe(text);
        expect([mention.actor, mention.treaty, mention.provision].filter(Boolean)).toHaveLength(1);
      }
      expect(article!.statements.nodes.map((s) => s.source.paragraph)).toEqual([0, 1, 2, 3]);
      expect(article!.treaties.map((t) => t.slug).sort()).toEqual([SEED.charter, SEED.partnership]);
    });

    it('articles: filtered by mentioned actor, treaty and publication time', async () => {
      const mentioning = await client.articles({ filter: { mentionsActorId: ids.actorId } });
      expect(mentioning.articles.nodes.map((a) => a.slug)).toEqual([SEED.article]);
      const byTreaty = await client.articles({ filter: { treatyId: ids.treatyId } });
      expect(byTreaty.articles.totalCount).toBe(1);
      const later = await client.articles({ filter: { publishedFrom: '2025-01-01T00:00:00Z' } });
      expect(later.articles).toMatchObject({ totalCount: 0, nodes: [] });
    });

    it('statement: the exact words and where they stand in the source paragraph', async () => {
      const { statement } = await client.statement({ id: ids.statementId });
      const source = statement!.source;
      expect(source.paragraphText.slice(source.start, source.end)).toBe(statement!.text);
      expect(statement!.speaker!.slug).toBe(SEED.rudenko);
      expect(statement!.attribution.method).toMatch(/^(MANUAL|RULES)$/);
      expect(source.article.slug).toBe(SEED.article);
    });

    it('statements: filtered by speaker and kind, in reading order', async () => {
      const direct = await client.statements({
        filter: { speakerId: ids.actorId, kind: 'DIRECT' },
        orderBy: 'READING_ORDER',
      });
      expect(direct.statements.nodes.map((s) => s.source.paragraph)).toEqual([1, 2]);
      expect(direct.statements.nodes.every((s) => s.kind === 'DIRECT')).toBe(true);
      const none = await client.statements({ filter: { saidTo: '2000-01-01' } });
      expect(none.statements.totalCount).toBe(0);
    });

    it('node and nodes: any record by global id, with its __typename', async () => {
      const { node } = await client.node({ id: ids.treatyId });
      expect(node).toMatchObject({ __typename: 'Treaty', slug: SEED.partnership });
      const missing = Buffer.from('Actor:00000000-0000-4000-8000-000000000000').toString('base64url');
      expect(await client.node({ id: missing })).toEqual({ node: null });
      const { nodes } = await client.nodes({ ids: [ids.statementId, ids.articleId, ids.actorId] });
      expect(nodes.map((n) => n?.__typename)).toEqual(['Statement', 'Article', 'Actor']);
      const statement = nodes[0];
      if (statement?.__typename !== 'Statement') throw new Error('expected a statement');
      expect(statement.speaker!.slug).toBe(SEED.rudenko);
    });

    it('every operation of the SDK runs and was run by these tests', async () => {
      const census = async () => [
        (await client.actors({ first: 1 })).actors.totalCount,
        (await client.treaties({ first: 1 })).treaties.totalCount,
        (await client.articles({ first: 1 })).articles.totalCount,
        (await client.statements({ first: 1 })).statements.totalCount,
      ];
      const before = await census();
      const results = await runEveryOperation(client, ids, tokens);
      expect(results.search).toMatchObject({ search: { totalCount: 3 } });
      // The mutations wrote records of their own and purged them: the tests after this one read
      // the seed as it was.
      expect(await census()).toEqual(before);
      const run = new Set(exchanges.filter((e) => e.status === 200).map((e) => e.body.operationName));
      for (const operation of httpOperations) expect(run, operation.name).toContain(operation.name);
    });

    it('each root field is planned into one SQL statement', async () => {
      // The entity pages select three levels deep; the server plans each root field as one
      // statement (plus one count per connection), so a page costs a handful, not one per row.
      const before = exchanges.length;
      await client.article({ slug: SEED.article });
      const [exchange] = exchanges.slice(before);
      expect(exchange!.sqlStatements).toBeLessThanOrEqual(3);
    });
  });

  describe('paginate', () => {
    it('walks every page of a connection, following endCursor', async () => {
      const before = exchanges.length;
      const pages = [];
      for await (const page of client.paginate('statements', { first: 1, orderBy: 'READING_ORDER' })) {
        pages.push(page);
      }
      expect(pages.map((p) => p.statements.nodes.map((s) => s.source.paragraph))).toEqual([
        [0],
        [1],
        [2],
        [3],
      ]);
      expect(pages.at(-1)!.statements.pageInfo.hasNextPage).toBe(false);
      const sent = exchanges.slice(before).map((e) => e.body.variables?.after);
      expect(sent).toEqual([null, ...pages.slice(0, -1).map((p) => p.statements.pageInfo.endCursor)]);
    });

    it('keeps filters across pages and can be left early', async () => {
      const names = [];
      for await (const page of client.paginate('actors', { first: 1, filter: { kind: 'STATE' } })) {
        names.push(...page.actors.nodes.map((a) => a.name));
      }
      expect(names).toEqual(['North Korea', 'Russia']);
      for await (const page of client.paginate('treaties', { first: 1 })) {
        expect(page.treaties.nodes).toHaveLength(1);
        break;
      }
    });

    it('follows a nested connection of a document of your own', async () => {
      const document = parse(`
        query RudenkoStatements($first: Int, $after: String) {
          actor(slug: "${SEED.rudenko}") {
            said: statements(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } }
          }
        }`);
      const seen: string[] = [];
      for await (const page of client.paginate(document, { first: 3 })) {
        seen.push(...page.actor.said.nodes.map((s: { id: string }) => s.id));
      }
      expect(new Set(seen).size).toBe(4);
    });

    it('stops after one page when the parent is null', async () => {
      const document = parse(`query Nobody($after: String) {
        actor(slug: "nobody") { statements(after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }
      }`);
      const pages = [];
      for await (const page of client.paginate(document)) pages.push(page);
      expect(pages).toEqual([{ actor: null }]);
    });

    it('the core client follows an SDK document and a syntax tree of your own alike', async () => {
      const core = createChanceryCoreClient({ url: running.url });
      const kinds = [];
      for await (const page of core.paginate(StatementsText, { first: 2, orderBy: 'READING_ORDER' }))
        kinds.push(...page.statements.nodes.map((s) => s.kind));
      expect(kinds).toHaveLength(4);
      const document = parse(
        'query States($after: String) { actors(first: 1, after: $after, filter: { kind: STATE }) { pageInfo { hasNextPage endCursor } nodes { name } } }',
      );
      const names = [];
      for await (const page of core.paginate(document)) names.push(page.actors.nodes[0].name);
      expect(names).toEqual(['North Korea', 'Russia']);
    });

    it('refuses a document it cannot follow', async () => {
      const pages = client.paginate(parse('query NoCursor { actors(first: 1) { nodes { id } } }'));
      await expect(pages.next()).rejects.toThrow(/needs an `\$after: String` variable/);
      const backwards = client.paginate('statements', { last: 2 });
      await expect(backwards.next()).rejects.toThrow(/walks forwards/);
    });
  });

  describe('errors', () => {
    it('a GraphQL error becomes a ChanceryError with its code, path and message', async () => {
      const error = await rejection(client.treaty());
      expect(error).toMatchObject({
        name: 'ChanceryError',
        code: 'BAD_USER_INPUT',
        path: ['treaty'],
        message: 'Pass exactly one of `id` or `slug` to look up a Treaty.',
        operationName: 'Treaty',
        status: 200,
      });
      expect(error.errors).toHaveLength(1);
      expect(error.data).toEqual({ treaty: null });
    });

    it('a request error (page size, unknown id, invalid document) keeps the server code', async () => {
      const tooBig = await rejection(client.statements({ first: 500 }));
      expect(tooBig.code).toBe('BAD_USER_INPUT');
      expect(tooBig.message).toMatch(/statements: .*100/);
      expect(tooBig.status).toBe(400);

      const badId = await rejection(client.statement({ id: ids.actorId }));
      expect(badId).toMatchObject({ code: 'BAD_USER_INPUT', path: ['statement'] });
      expect(badId.message).toMatch(/belongs to a Actor, not a Statement/);

      const invalid = await rejection(client.request(parse('query Nope { nope }')));
      expect(invalid).toMatchObject({
        code: 'GRAPHQL_VALIDATION_FAILED',
        status: 400,
        operationName: 'Nope',
      });
      expect(invalid.message).toMatch(/Cannot query field "nope" on type "Query"/);
    });

    it('a reply that is not GraphQL is a BAD_RESPONSE with the HTTP status', async () => {
      const elsewhere = createChanceryClient({ url: running.url.replace(/graphql$/, 'nowhere') });
      const error = await rejection(elsewhere.actors());
      expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 404 });
      expect(error.message).toMatch(/Expected a GraphQL response .* got HTTP 404/);
    });

    it('the TypedDocumentNodes run through request() with their types', async () => {
      const data = await client.request(StatementsDocument, { first: 1 });
      expect(data.statements.nodes[0]!.text.length).toBeGreaterThan(0);
    });
  });

  describe('network failures', () => {
    it('retries a query whose connection failed, and succeeds', async () => {
      const flaky = failingFirst(1, deadUrl);
      const retrying = createChanceryClient({
        url: running.url,
        fetch: flaky.fetch,
        retry: { minDelayMs: 1 },
      });
      const { actors } = await retrying.actors({ first: 1 });
      expect(actors.nodes).toHaveLength(1);
      expect(flaky.calls()).toBe(2);
    });

    it('never retries a mutation', async () => {
      const flaky = failingFirst(1, deadUrl);
      const once = createChanceryClient({ url: running.url, fetch: flaky.fetch, retry: { minDelayMs: 1 } });
      const error = await rejection(once.request(parse('mutation Probe { __typename }')));
      expect(error.code).toBe('NETWORK_ERROR');
      expect(flaky.calls()).toBe(1);
      // The SDK's own mutations are marked as such in the generated operation table.
      const sdkFlaky = failingFirst(1, deadUrl);
      const editor = createChanceryClient({ url: running.url, fetch: sdkFlaky.fetch, token: tokens.editor });
      const write = await rejection(editor.createActor({ input: { name: 'Never Sent', kind: 'PERSON' } }));
      expect(write).toMatchObject({ code: 'NETWORK_ERROR', operationName: 'CreateActor' });
      expect(sdkFlaky.calls()).toBe(1);
      expect(operations.createActor.type).toBe('mutation');
    });

    it('gives up after the configured retries with NETWORK_ERROR and the cause', async () => {
      const flaky = failingFirst(Number.POSITIVE_INFINITY, deadUrl);
      const doomed = createChanceryClient({
        url: running.url,
        fetch: flaky.fetch,
        retry: { retries: 3, minDelayMs: 1, maxDelayMs: 4 },
      });
      const error = await rejection(doomed.treaties());
      expect(error.code).toBe('NETWORK_ERROR');
      expect(error.message).toMatch(/\(4 attempts\).*ECONNREFUSED/);
      expect(error.cause).toBeInstanceOf(Error);
      expect(flaky.calls()).toBe(4);
      const noRetry = failingFirst(Number.POSITIVE_INFINITY, deadUrl);
      await rejection(
        createChanceryClient({ url: running.url, fetch: noRetry.fetch, retry: false }).treaties(),
      );
      expect(noRetry.calls()).toBe(1);
    });

    it('an abort ends the wait between retries', async () => {
      const flaky = failingFirst(Number.POSITIVE_INFINITY, deadUrl);
      const patient = createChanceryClient({
        url: running.url,
        fetch: flaky.fetch,
        retry: { retries: 5, minDelayMs: 60_000 },
      });
      const controller = new AbortController();
      const call = patient.actors({}, { signal: controller.signal });
      while (flaky.calls() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      expect((await rejection(call)).code).toBe('ABORTED');
    });
  });

  describe('headers', () => {
    it('sends the token as a bearer token, and per-call headers last', async () => {
      const seen: Record<string, string>[] = [];
      const spying: FetchLike = (url, init) => {
        seen.push(init.headers);
        return fetch(url, init);
      };
      const authed = createChanceryClient({
        url: running.url,
        fetch: spying,
        token: async () => 'not-a-real-token',
        headers: { 'x-client': 'sdk-test' },
      });
      // The server reads the token, and refuses this one: the refusal comes back typed.
      const refused = await rejection(authed.actors({ first: 1 }, { headers: { 'x-request': 'one' } }));
      expect(refused.code).toBe('UNAUTHENTICATED');
      expect(seen[0]).toMatchObject({
        authorization: 'Bearer not-a-real-token',
        'x-client': 'sdk-test',
        'x-request': 'one',
        'content-type': 'application/json',
      });
    });
  });
});
