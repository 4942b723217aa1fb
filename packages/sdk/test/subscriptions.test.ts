// Typed subscriptions through the SDK, against a real server over a real WebSocket (the `ws`
// package: Node 20 has no global WebSocket): a statement published through the API arrives through
// `client.statementPublished()` as a typed event; the server's refusal of a bad filter, a document
// that is no subscription and an aborted subscription each end the loop with a clear error.

import { fileURLToPath } from 'node:url';
import { createTokens, type TestDatabase, testEngines } from '@chancery/db/testing';
import { encodeGlobalId } from '@chancery/server/global-id';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ChanceryClient, createChanceryClient } from '../src/client.ts';
import { ChanceryError } from '../src/errors.ts';
import { StatementsDocument } from '../src/generated/graphql.ts';
import { operations } from '../src/generated/operations.ts';
import { member, SEED, type SeedIds, seedIds } from './samples.ts';
import { type RunningServer, startServer } from './server.ts';

/**
 * The promise's value, or a failure rather than a test hanging. Generous, as in the server's
 * live-update tests: on PostgreSQL other suites' transactions in the same test database hold the
 * change log's horizon (and so every event) back.
 */
function within<T>(promise: Promise<T>, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What the loop over an iterator throws (it must throw). */
async function thrownBy(events: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of events) throw new Error('expected no event');
  } catch (error) {
    return error;
  }
  throw new Error('expected the subscription to fail, but it ended');
}

const MANIFEST = fileURLToPath(new URL('../src/generated/persisted-documents.json', import.meta.url));

it('runs every subscription of the SDK here', () => {
  expect(
    Object.entries(operations)
      .filter(([, o]) => o.type === 'subscription')
      .map(([method]) => method)
      .sort(),
  ).toEqual(['articlePublished', 'statementPublished', 'treatyChanged']);
});

describe.each(testEngines)('subscriptions through the SDK on $name', (engine) => {
  let database: TestDatabase;
  let running: RunningServer;
  let reader: ChanceryClient;
  let editor: ChanceryClient;
  let ids: SeedIds;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    running = await startServer(database);
    const tokens = await createTokens(database);
    const subscriptions = { webSocketImpl: WebSocket };
    reader = createChanceryClient({ url: running.url, subscriptions });
    editor = createChanceryClient({ url: running.url, token: tokens.editor, subscriptions });
    ids = await seedIds(reader);
  });
  afterAll(async () => {
    await reader?.dispose();
    await editor?.dispose();
    await running?.stop();
    await database?.close();
  });

  /** Resolves once the server holds `count` subscriptions (they are set up asynchronously). */
  async function subscribers(count: number): Promise<void> {
    for (let i = 0; i < 2_000 && running.server.live.follower.listening !== count; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(running.server.live.follower.listening).toBe(count);
  }

  it('delivers a published statement through the typed iterator', async () => {
    const { createArticle } = await editor.createArticle({
      input: {
        headline: 'Envoy expects the accord to be signed',
        paragraphs: ['"We will sign the accord," the envoy said on Monday.', 'Talks continue.'],
        publishedAt: '2024-06-03T09:00:00.000Z',
      },
    });
    const article = member(createArticle, 'ArticlePayload').article;
    const { createStatement } = await editor.createStatement({
      input: {
        source: { articleId: article.id, paragraph: 0, text: 'We will sign the accord' },
        kind: 'DIRECT',
        speakerId: ids.actorId,
        cue: 'said',
      },
    });
    const statementId = member(createStatement, 'StatementPayload').statement.id;

    const events = reader.statementPublished({ filter: { speakerId: ids.actorId } });
    const first = events.next();
    const articles = reader.articlePublished();
    const firstArticle = articles.next();
    await subscribers(2);
    // A draft's statement reaches no reader: only publishing the article sends it.
    member(
      (await editor.publishArticle({ id: article.id, expectedVersion: article.version })).publishArticle,
      'ArticlePayload',
    );
    const event = await within(first);
    if (event.done) throw new Error('the subscription ended without an event');
    // Typed from the operation's selection: no casts.
    const { cursor, statement } = event.value.statementPublished;
    const text: string | undefined = statement?.text;
    const speaker: string | undefined = statement?.speaker?.slug;
    expect({ id: statement?.id, text, speaker, kind: statement?.kind }).toEqual({
      id: statementId,
      text: 'We will sign the accord',
      speaker: SEED.rudenko,
      kind: 'DIRECT',
    });
    expect(cursor).toEqual(expect.any(String));
    const published = await within(firstArticle);
    expect(published.done ? null : published.value.articlePublished.article?.headline).toBe(
      'Envoy expects the accord to be signed',
    );
    // Breaking out (here: return) ends the subscription on the server.
    await events.return();
    await articles.return();
    await subscribers(0);
  });

  it("ends the loop with the server's NOT_FOUND for a speaker that does not exist", async () => {
    const speakerId = encodeGlobalId('Actor', '00000000-0000-4000-8000-000000000009');
    const error = await thrownBy(reader.statementPublished({ filter: { speakerId } }));
    expect(error).toBeInstanceOf(ChanceryError);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      message: `filter.speakerId: there is no actor with the ID ${JSON.stringify(speakerId)}.`,
      operationName: 'StatementPublished',
    });
  });

  it('refuses a query as a subscription, and ends on its signal', async () => {
    const notSubscription = await thrownBy(reader.subscribe(StatementsDocument, { first: 1 }));
    expect(notSubscription).toBeInstanceOf(TypeError);
    expect((notSubscription as Error).message).toBe(
      'Statements is a query: run it with request(), not subscribe().',
    );

    const controller = new AbortController();
    const events = reader.treatyChanged({ id: ids.treatyId }, { signal: controller.signal });
    const next = events.next();
    await subscribers(1);
    controller.abort();
    await expect(next).rejects.toMatchObject({ code: 'ABORTED', operationName: 'TreatyChanged' });
    await subscribers(0);
  });

  it('subscribes on a server that runs only the trusted documents of the manifest', async () => {
    const enforced = await startServer(database, { trustedDocuments: { manifest: MANIFEST } });
    const client = createChanceryClient({ url: enforced.url, subscriptions: { webSocketImpl: WebSocket } });
    try {
      const controller = new AbortController();
      const events = client.treatyChanged({ id: ids.treatyId }, { signal: controller.signal });
      const next = events.next();
      for (let i = 0; i < 2_000 && enforced.server.live.follower.listening === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(enforced.server.live.follower.listening).toBe(1);
      controller.abort();
      await expect(next).rejects.toMatchObject({ code: 'ABORTED' });
      // Anything else is refused over WebSocket too.
      const error = await thrownBy(
        client.subscribe(parse('subscription { treatyChanged(id: "x") { cursor } }')),
      );
      expect(error).toMatchObject({ code: 'OPERATION_NOT_TRUSTED' });
    } finally {
      await client.dispose();
      await enforced.stop();
    }
  });
});
