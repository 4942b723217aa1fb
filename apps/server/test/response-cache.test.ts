// The response cache through a real server: anonymous queries are answered without SQL until a
// write, from this server or from anywhere else, changes a table they read.
import { changeFeedName } from '@chancery/db/changes';
import { articles, treaties } from '@chancery/db/schema';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, builders, createTokens, type Tokens } from './editorial.ts';
import { eventually, startTestServer, type TestServer } from './http.ts';

const ARTICLES = '{ articles(first: 50) { totalCount nodes { id headline } } }';
const TREATIES = '{ treaties(first: 50) { nodes { id title } } }';

describe.each(testEngines)('the response cache on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;
  const anonymous = (query: string) => api.graphql(query);
  const metric = async (line: string): Promise<number> => {
    const text = await (await fetch(api.url.replace(/graphql$/, 'metrics'))).text();
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found ? Number(found.slice(line.length + 1)) : 0;
  };
  const hits = () => metric('chancery_response_cache_lookups_total{result="hit"}');

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    api = await startTestServer(database, { responseCache: { maxBytes: 8 * 1024 * 1024 } });
    tokens = await createTokens(database);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  it('answers a repeated anonymous query from the cache, without SQL and with the same body', async () => {
    const first = await anonymous(ARTICLES);
    expect(first.sqlStatements).toBeGreaterThan(0);
    const before = await hits();
    const second = await anonymous(ARTICLES);
    expect(second.sqlStatements).toBe(0);
    expect(second.data).toEqual(first.data);
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(await hits()).toBe(before + 1);
  });

  it('always executes for token holders and for GET', async () => {
    const editor = as(api, tokens.editor);
    await editor(ARTICLES);
    expect((await editor(ARTICLES)).sqlStatements).toBeGreaterThan(0);
    const get = () =>
      fetch(`${api.url}?query=${encodeURIComponent(ARTICLES)}`, {
        headers: { 'apollo-require-preflight': '1' },
      });
    await get();
    expect(Number((await get()).headers.get('x-chancery-sql-statements'))).toBeGreaterThan(0);
  });

  it("shows this server's own writes to the very next request", async () => {
    await anonymous(ARTICLES);
    expect((await anonymous(ARTICLES)).sqlStatements).toBe(0);
    const build = builders(as(api, tokens.editor));
    const article = await build.publish(await build.article({ headline: 'Cache test: published now' }));
    const after = await anonymous(ARTICLES);
    expect(after.sqlStatements).toBeGreaterThan(0);
    expect(after.data?.articles.nodes.map((n: { id: string }) => n.id)).toContain(article.id);
    // Then cached again. The write's own notification may arrive after that read and drop its fresh
    // entry once (the feed says which table, not which write): safe, one more execution.
    const cached = await eventually(
      () => anonymous(ARTICLES),
      (r) => r.sqlStatements === 0,
    );
    expect(cached.data).toEqual(after.data);
  });

  it('drops what a write from elsewhere changed, and keeps what it did not', async () => {
    const articlesBefore = await anonymous(ARTICLES);
    await anonymous(TREATIES);
    expect((await anonymous(ARTICLES)).sqlStatements).toBe(0);
    expect((await anonymous(TREATIES)).sqlStatements).toBe(0);

    // Not through the API: as `chancery import`, psql or another server would.
    await database.db.update(treaties).set({ title: sql`${treaties.title} || ' (amended)'` });
    const treatiesAfter = await eventually(
      () => anonymous(TREATIES),
      (r) => r.data?.treaties.nodes.every((n: { title: string }) => n.title.endsWith(' (amended)')),
    );
    expect(treatiesAfter.data?.treaties.nodes.length).toBeGreaterThan(0);
    // The treaties change has been heard; the articles' entry did not depend on it.
    const articlesAfter = await anonymous(ARTICLES);
    expect(articlesAfter.sqlStatements).toBe(0);
    expect(articlesAfter.data).toEqual(articlesBefore.data);

    const [first] = articlesBefore.data?.articles.nodes ?? [];
    await database.db
      .update(articles)
      .set({ headline: 'Rewritten elsewhere' })
      .where(eq(articles.id, Buffer.from(first.id, 'base64url').toString().split(':')[1] as string));
    await eventually(
      () => anonymous(ARTICLES),
      (r) => r.data?.articles.nodes.some((n: { headline: string }) => n.headline === 'Rewritten elsewhere'),
    );
  });

  it('does not keep responses with errors', async () => {
    const broken = '{ node(id: "not-an-id") { id } }';
    const first = await anonymous(broken);
    expect(first.errors?.length).toBeGreaterThan(0);
    const before = await hits();
    const second = await anonymous(broken);
    expect(second.errors).toEqual(first.errors);
    expect(await hits()).toBe(before);
  });

  it.skipIf(engine.name !== 'postgres')(
    'stands aside while its change feed is down, since writes would go unseen',
    async () => {
      const live = () => metric('chancery_response_cache{measure="live"}');
      await anonymous(ARTICLES);
      expect((await anonymous(ARTICLES)).sqlStatements).toBe(0);
      await database.withRawTransaction((raw) =>
        raw.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
          changeFeedName(database.schema),
        ]),
      );
      await eventually(live, (value) => value === 0);
      expect((await anonymous(ARTICLES)).sqlStatements).toBeGreaterThan(0);
      expect((await anonymous(ARTICLES)).sqlStatements).toBeGreaterThan(0);
      // It reconnects by itself, and starts over empty.
      await eventually(live, (value) => value === 1);
      expect((await anonymous(ARTICLES)).sqlStatements).toBeGreaterThan(0);
      expect((await anonymous(ARTICLES)).sqlStatements).toBe(0);
    },
  );
});
