// The SDK's own read operations against two real servers on one database, one answering readers
// with compiled reads and one without: the same answers, and the reader app's statement list
// answered by its compiled statement, page after page.
import { StoryImporter } from '@chancery/db/import/story';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { generateStories } from '@chancery/domain/generate/stories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChanceryClient, createChanceryClient } from '../src/client.ts';
import { SEED } from './samples.ts';
import { type RunningServer, startServer } from './server.ts';

describe.each(testEngines)('the SDK with compiled reads on $name', (engine) => {
  let database: TestDatabase;
  let compiled: RunningServer;
  let usual: RunningServer;
  let fast: ChanceryClient;
  let slow: ChanceryClient;
  let compiledCount = 0;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    const importer = new StoryImporter(database.db, { tokenName: null });
    for (const story of generateStories({ stories: 12, seed: 'sdk-compiled' }))
      await importer.importStory({
        source: story.fileName,
        text: story.text,
        published: { year: 2024 },
        status: 'PUBLISHED',
      });
    compiled = await startServer(database, {
      webhooks: false,
      compiledReads: { onCompiled: () => compiledCount++ },
    });
    usual = await startServer(database, { webhooks: false, compiledReads: false });
    fast = createChanceryClient({ url: compiled.url });
    slow = createChanceryClient({ url: usual.url });
  }, 120_000);
  afterAll(async () => {
    await compiled?.stop();
    await usual?.stop();
    await database?.close();
  });

  /** Both servers' answers to one call, and whether the compiled one used its compiled statement. */
  async function both<T>(call: (client: ChanceryClient) => Promise<T>) {
    const before = compiledCount;
    const answer = await call(fast);
    const wasCompiled = compiledCount > before;
    expect(JSON.stringify(answer)).toBe(JSON.stringify(await call(slow)));
    return { answer, wasCompiled };
  }

  it("answers the reader app's statement list, page after page, with its compiled statement", async () => {
    const first = await both((client) => client.readerStatements({ first: 5 }));
    expect(first.wasCompiled).toBe(true);
    const page = first.answer.statements;
    expect(page.nodes).toHaveLength(5);
    expect(page.pageInfo.hasNextPage).toBe(true);
    // The next page, after the compiled page's cursor, is compiled too.
    const next = await both((client) =>
      client.readerStatements({ first: 5, after: page.pageInfo.endCursor }),
    );
    expect(next.wasCompiled).toBe(true);
    expect(next.answer.statements.nodes[0]?.id).not.toBe(page.nodes[0]?.id);
    expect(next.answer.statements.pageInfo.hasPreviousPage).toBe(true);
  });

  it("answers an actor page's statement timeline, newest first, with its compiled statement", async () => {
    const { actor } = await fast.actor({ slug: SEED.rudenko });
    const timeline = await both((client) =>
      client.readerStatements({ first: 5, filter: { speakerId: actor!.id }, orderBy: 'SAID_ON_DESC' }),
    );
    expect(timeline.wasCompiled).toBe(true);
    expect(timeline.answer.statements.totalCount).toBeGreaterThan(0);
    // Oldest first is another order: it runs through the resolvers.
    const oldest = await both((client) =>
      client.readerStatements({ first: 5, filter: { speakerId: actor!.id }, orderBy: 'SAID_ON_ASC' }),
    );
    expect(oldest.wasCompiled).toBe(false);
  });

  it("answers the reader app's lists (home page, treaties, articles, actors), actor, article and treaty pages with their compiled statements", async () => {
    const lists: ((client: ChanceryClient) => Promise<unknown>)[] = [
      (client) => client.articles({ first: 5 }),
      (client) => client.treaties({ first: 10 }),
      (client) => client.actors({ first: 20 }),
    ];
    for (const list of lists) expect((await both(list)).wasCompiled, String(list)).toBe(true);
    // The actor page: profile, roles, statements, treaties and the articles that mention them;
    // the article page: paragraphs, mentions, treaties and statements in reading order; the
    // treaty page: parties, timeline, provisions with their references and statements, articles.
    const pages: ((client: ChanceryClient) => Promise<unknown>)[] = [
      (client) => client.actor({ slug: SEED.rudenko }),
      (client) => client.readerArticle({ slug: SEED.article }),
      (client) => client.article({ slug: SEED.article }),
      (client) => client.readerTreaty({ slug: SEED.partnership }),
    ];
    for (const page of pages) expect((await both(page)).wasCompiled, String(page)).toBe(true);
    // The next page of articles, after the compiled page's cursor, is compiled too.
    const first = await both((client) => client.articles({ first: 5 }));
    const next = await both((client) =>
      client.articles({ first: 5, after: first.answer.articles.pageInfo.endCursor }),
    );
    expect(next.wasCompiled).toBe(true);
    expect(next.answer.articles.pageInfo.hasPreviousPage).toBe(true);
  });

  it('answers every other read operation as the resolvers do', async () => {
    const calls: ((client: ChanceryClient) => Promise<unknown>)[] = [
      (client) => client.statements({ first: 10 }),
      (client) => client.treaties({}),
      (client) => client.treaty({ slug: SEED.partnership }),
      (client) => client.actors({ filter: { kind: 'STATE' } }),
      (client) => client.articles({ orderBy: 'PUBLISHED_AT_ASC' }),
    ];
    for (const call of calls) await both(call);
  });
});
