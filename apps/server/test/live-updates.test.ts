// Live updates as a client sees them: real servers, real WebSocket clients (graphql-ws), writes
// through the API, through another server on the same database, and by raw SQL on another
// connection; events in the subscriber's own visibility; `changes(after:)` resumes with nothing
// missed; bad input refused with a clear error.

import { ConfigError } from '@chancery/db/config';
import { rows } from '@chancery/db/repositories/sql';
import { changeLogSettled, heldTransaction, type TestDatabase, testEngines } from '@chancery/db/testing';
import { sql } from 'drizzle-orm';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.ts';
import { createServer } from '../src/server.ts';
import { sha256 } from '../src/trusted-documents.ts';
import { as, builders, createTokens, gid, type Tokens } from './editorial.ts';
import { startTestServer, type TestServer } from './http.ts';

type Message = { kind: 'next'; value: any } | { kind: 'error'; error: any } | { kind: 'complete' };

/** Subscriptions still open: each test's are ended after it, so a failure cannot leave listeners behind. */
const open = new Set<() => void>();

/** What the database was doing when a wait ran out (set by a suite on PostgreSQL). */
let whileWaiting: (() => Promise<string>) | null = null;

/** A subscription's messages, taken one at a time in the order they came. */
function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const messages: Message[] = [];
  let wake: (() => void) | null = null;
  const push = (message: Message) => {
    messages.push(message);
    wake?.();
  };
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (value) => push({ kind: 'next', value }),
      error: (error) => push({ kind: 'error', error }),
      complete: () => push({ kind: 'complete' }),
    },
  );
  const dispose = () => {
    open.delete(dispose);
    unsubscribe();
  };
  open.add(dispose);
  return {
    dispose,
    // Generous: other suites' transactions in the same test database hold the log's horizon back.
    async take(timeoutMs = 60_000): Promise<Message> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length === 0) {
        if (Date.now() > deadline)
          throw new Error(
            `No message within ${timeoutMs} ms for ${query}${whileWaiting ? `; ${await whileWaiting()}` : ''}`,
          );
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return messages.shift() as Message;
    },
  };
}

/** Waits until `check` holds (the server has set up what a client asked for, asynchronously). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Never: ${what}`);
}

const STATEMENTS = `subscription ($filter: StatementPublishedFilter) {
  statementPublished(filter: $filter) { cursor statement { id text speaker { id } } }
}`;

describe.each(testEngines)('live updates on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  /** A second server on the same database: another process, as far as the first can tell. */
  let other: TestServer;
  let tokens: Tokens;
  const clients: Client[] = [];
  const connect = (token: string | null, server: TestServer = api) => {
    const client = createClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  };
  const listening = () => api.server.live.follower.listening;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    tokens = await createTokens(database);
    api = await startTestServer(database, { live: { maxSubscriptions: 3 } });
    other = await startTestServer(database);
    // A wait that runs out on PostgreSQL says which transactions held the log's horizon back.
    if (engine.name === 'postgres')
      whileWaiting = async () =>
        JSON.stringify(
          await rows(
            database.db,
            sql`select round(extract(epoch from now() - xact_start)) as seconds, state, left(query, 100) as query
                from pg_stat_activity where backend_xid is not null order by xact_start limit 3`,
          ),
        );
  });
  afterEach(async () => {
    for (const dispose of [...open]) dispose();
    await until(() => listening() === 0, 'the test’s subscribers are gone');
  });
  afterAll(async () => {
    whileWaiting = null;
    await Promise.all(clients.map((client) => client.dispose()));
    await other?.stop();
    await api?.stop();
    await database?.close();
  });

  it('delivers what is published, by the API or another server, in each subscriber’s visibility, and resumes with changes(after:)', async () => {
    const editor = builders(as(other, tokens.editor));
    const [speaker, quiet] = [await editor.actor(), await editor.actor()];
    const anonymous = subscribe(connect(null), STATEMENTS);
    const byQuiet = subscribe(connect(null), STATEMENTS, { filter: { speakerId: quiet.id } });
    await until(() => listening() === 2, 'both subscribers listen');

    // A draft with a statement, never published: no subscriber hears of it.
    const draft = await editor.article();
    const hidden = await editor.statement(draft.id, { speakerId: speaker.id });
    // Published through the other server: the first one's subscribers hear it.
    const story = await editor.article();
    const said = await editor.statement(story.id, { speakerId: speaker.id });
    await editor.publish(story);

    const event = await anonymous.take();
    expect(event).toMatchObject({
      kind: 'next',
      value: { data: { statementPublished: { statement: { id: said.id, speaker: { id: speaker.id } } } } },
    });
    expect(JSON.stringify(event)).not.toContain(hidden.id);

    // A statement by the quiet actor, added to the published story: the filtered subscriber's first event.
    const quietWords = await editor.statement(story.id, { speakerId: quiet.id });
    expect(await byQuiet.take()).toMatchObject({
      kind: 'next',
      value: { data: { statementPublished: { statement: { id: quietWords.id } } } },
    });
    expect(await anonymous.take()).toMatchObject({
      value: { data: { statementPublished: { statement: { id: quietWords.id } } } },
    });

    // Written by raw SQL on another connection: the draft is published by hand.
    const cursor = (event as { value: any }).value.data.statementPublished.cursor as string;
    await database.withRawTransaction((raw) =>
      raw.query("update articles set status = 'PUBLISHED' where id = $1", [
        Buffer.from(draft.id, 'base64url').toString().split(':')[1],
      ]),
    );
    expect(await anonymous.take()).toMatchObject({
      value: { data: { statementPublished: { statement: { id: hidden.id } } } },
    });

    // A reader who was away from `cursor` on misses nothing, and sees no draft's changes.
    const away = await as(api, null)(
      `query ($after: String) { changes(after: $after, first: 100, types: [Statement, Article]) {
        edges { node { type nodeId operation visible wasVisible } } pageInfo { hasNextPage } } }`,
      { after: cursor },
    );
    expect(away.errors).toBeUndefined();
    const seen = away.data?.changes.edges.map(
      (e: any) => `${e.node.type} ${e.node.nodeId} ${e.node.visible}`,
    );
    expect(seen).toEqual([
      `Statement ${quietWords.id} true`,
      `Article ${draft.id} true`,
      `Statement ${hidden.id} true`,
    ]);
    anonymous.dispose();
    byQuiet.dispose();
    await until(() => listening() === 0, 'the subscribers are gone');
  });

  it('tells when a treaty gets a new action, to any subscriber', async () => {
    const editor = builders(as(api, tokens.editor));
    const treaty = await editor.treaty();
    const changed = subscribe(
      connect(tokens.reader),
      'subscription ($id: ID!) { treatyChanged(id: $id) { cursor treaty { id actions { type } } } }',
      { id: treaty.id },
    );
    await until(() => listening() === 1, 'the subscriber listens');
    await editor.action(treaty.id, { type: 'SIGNATURE' });
    expect(await changed.take()).toMatchObject({
      value: { data: { treatyChanged: { treaty: { id: treaty.id, actions: [{ type: 'SIGNATURE' }] } } } },
    });
    changed.dispose();
    await until(() => listening() === 0, 'the subscriber is gone');
  });

  // PGlite runs one transaction at a time: nothing there commits behind an older one.
  it.skipIf(engine.name !== 'postgres')(
    'tells a subscriber only what was committed after it subscribed',
    async () => {
      const editor = builders(as(api, tokens.editor));
      const treaty = await editor.treaty();
      const actions = 'subscription ($id: ID!) { treatyChanged(id: $id) { cursor } }';
      // Committed before the subscription starts, but behind an older transaction: not yet readable.
      const older = await heldTransaction(database);
      let changed: ReturnType<typeof subscribe>;
      try {
        await editor.action(treaty.id, { type: 'SIGNATURE' });
        changed = subscribe(connect(null), actions, { id: treaty.id });
        await until(() => listening() === 1, 'the subscriber listens');
      } finally {
        older.release();
        await older.done;
      }
      await editor.action(treaty.id, { type: 'RATIFICATION' });
      const event = (await changed.take()) as { value: any };
      const log = await as(api, null)('{ changes(first: 100, types: [Treaty]) { edges { cursor } } }');
      const last = log.data?.changes.edges.at(-1).cursor;
      expect(event.value.data.treatyChanged.cursor).toBe(last);
    },
  );

  it('shares an event’s result only among subscribers who may see the same', async () => {
    const editor = builders(as(api, tokens.editor));
    const treaty = await editor.treaty();
    const history =
      'subscription ($id: ID!) { treatyChanged(id: $id) { treaty { revisions { totalCount } } } }';
    const anonymous = subscribe(connect(null), history, { id: treaty.id });
    const editing = subscribe(connect(tokens.editor), history, { id: treaty.id });
    await until(() => listening() === 2, 'both subscribers listen');
    await editor.action(treaty.id);
    const count = async (subscription: typeof anonymous) =>
      ((await subscription.take()) as { value: any }).value.data.treatyChanged.treaty.revisions.totalCount;
    expect(await count(anonymous)).toBe(0);
    expect(await count(editing)).toBeGreaterThan(0);
    anonymous.dispose();
    editing.dispose();
    await until(() => listening() === 0, 'the subscribers are gone');
  });

  it('signs a socket in with an editor session’s cookie, from this site’s pages only', async () => {
    const signedIn = await fetch(api.url.replace(/graphql$/, 'auth/session'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: tokens.editor }),
    });
    const cookie = /^(chancery_session=[^;]*)/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1] as string;
    expect(cookie).toBeDefined();
    const host = new URL(api.url).host;
    const browser = (origin: string) => {
      const client = createClient({
        url: api.url.replace(/^http/, 'ws'),
        webSocketImpl: class extends WebSocket {
          constructor(url: string, protocols?: string | string[]) {
            super(url, protocols, { headers: { cookie, origin } });
          }
        },
        retryAttempts: 0,
      });
      clients.push(client);
      return client;
    };
    const editor = builders(as(api, tokens.editor));
    const treaty = await editor.treaty();
    const history =
      'subscription ($id: ID!) { treatyChanged(id: $id) { treaty { revisions { totalCount } } } }';
    const ours = subscribe(browser(`http://${host}`), history, { id: treaty.id });
    await until(() => listening() === 1, 'the signed-in subscriber listens');
    await editor.action(treaty.id);
    // History is editors' reading (anonymous subscribers count none): the session's editor sees it.
    const event = await ours.take();
    expect(event.kind).toBe('next');
    expect((event as { value: any }).value.data.treatyChanged.treaty.revisions.totalCount).toBeGreaterThan(0);
    ours.dispose();
    const theirs = subscribe(browser('https://elsewhere.example'), history, { id: treaty.id });
    expect(await theirs.take()).toMatchObject({
      kind: 'error',
      error: { code: 4403, reason: expect.stringMatching(/session cookie must come from this site/) },
    });
    await until(() => listening() === 0, 'the subscriber is gone');
  });

  it('refuses bad input with a clear error', async () => {
    const client = connect(null);
    const refused = async (query: string, variables: Record<string, unknown> = {}) => {
      const subscription = subscribe(client, query, variables);
      const message = await subscription.take();
      if (message.kind === 'error') return message.error[0];
      expect(message.kind).toBe('next');
      return (message as { value: any }).value.errors[0];
    };
    expect(
      await refused(STATEMENTS, {
        filter: { speakerId: gid('Actor', '00000000-0000-4000-8000-000000000009') },
      }),
    ).toMatchObject({
      message: expect.stringMatching(/^filter.speakerId: there is no actor with the ID/),
      extensions: { code: 'NOT_FOUND' },
    });
    expect(await refused(STATEMENTS, { filter: { treatyId: 'nonsense' } })).toMatchObject({
      message: expect.stringContaining('Invalid ID "nonsense"'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await refused('{ treaties { totalCount } }')).toMatchObject({
      message: 'Only subscriptions go over WebSocket; send queries with POST /graphql.',
    });
    const deep = `subscription { treatyChanged(id: "x") { treaty { parties { roles { organization { roles { organization { roles { organization { roles { organization { name } } } } } } } } } } } }`;
    expect(await refused(deep)).toMatchObject({ extensions: { code: 'DEPTH_LIMIT_EXCEEDED' } });

    // Three subscriptions per connection here; the fourth is refused.
    const held = [1, 2, 3].map(() => subscribe(client, STATEMENTS));
    await until(() => listening() === 3, 'three subscriptions listen');
    expect(await refused(STATEMENTS)).toMatchObject({ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED' } });
    for (const subscription of held) subscription.dispose();

    const stranger = subscribe(connect(`chy_${'x'.repeat(43)}`), STATEMENTS);
    expect(await stranger.take()).toMatchObject({
      kind: 'error',
      error: {
        code: 4403,
        reason: expect.stringMatching(/^Unauthenticated: The API token is unknown or has been revoked/),
      },
    });

    const badCursor = await as(api, null)('{ changes(after: "nope") { edges { cursor } } }');
    expect(badCursor.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Invalid change cursor "nope": pass the `cursor` of a change/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('runs only trusted subscriptions when the server runs only trusted documents', async () => {
    const trustedText = 'subscription { treatyChanged(id: "x") { cursor } }';
    const server = await createServer({
      database,
      trustedDocuments: {
        manifest: { path: 'test', documents: new Map([[sha256(trustedText), trustedText]]) },
      },
    });
    const url = await server.listen(0);
    try {
      const client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
      });
      clients.push(client);
      // Trusted, it runs (and fails on its unknown ID); anything else is refused unseen.
      expect(await subscribe(client, trustedText).take()).toMatchObject({
        value: { errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] },
      });
      expect(await subscribe(client, STATEMENTS).take()).toMatchObject({
        kind: 'error',
        error: [{ extensions: { code: 'OPERATION_NOT_TRUSTED' } }],
      });
    } finally {
      await server.stop();
    }
  });

  it('refuses a client address more sockets than allowed', async () => {
    const server = await startTestServer(database, { live: { maxSocketsPerAddress: 2 } });
    try {
      const held = [1, 2].map(() => subscribe(connect(null, server), STATEMENTS));
      await until(() => server.server.live.follower.listening === 2, 'two sockets subscribe');
      const refused = await subscribe(connect(null, server), STATEMENTS).take();
      expect(refused).toMatchObject({ kind: 'error', error: { message: 'Unexpected server response: 429' } });
      expect(server.server.live.follower.listening).toBe(2);
      for (const subscription of held) subscription.dispose();
    } finally {
      await server.stop();
    }
  });

  it('closes subscribers’ sockets with 1001 (going away) when the server stops', async () => {
    const server = await startTestServer(database);
    const subscription = subscribe(connect(null, server), STATEMENTS);
    await until(() => server.server.live.follower.listening === 1, 'the subscriber listens');
    await server.stop();
    expect(await subscription.take()).toMatchObject({ kind: 'error', error: { code: 1001 } });
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('cached pages of the change log on PostgreSQL', () => {
  let database: TestDatabase;
  let api: TestServer;
  beforeAll(async () => {
    database = (await testEngines.find((e) => e.name === 'postgres')?.open()) as TestDatabase;
    api = await startTestServer(database, { responseCache: { maxBytes: 1_000_000 } });
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  it('go stale when a change committed behind an older transaction becomes readable', async () => {
    const page = () =>
      as(api, null)('{ changes(first: 100, types: [Actor]) { edges { node { operation } } } }');
    // An older transaction that never writes the log: its end sends no notification.
    const older = await heldTransaction(database);
    await database.withRawTransaction((raw) =>
      raw.query("insert into actors (slug, name, kind) values ('behind', 'Behind', 'PERSON')"),
    );
    try {
      // Held back, the page is empty; asked again (once the insert's notification is in), it is cached.
      let cached = await page();
      for (let attempt = 0; attempt < 100 && cached.sqlStatements !== 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        cached = await page();
      }
      expect(cached.sqlStatements).toBe(0);
      expect(cached.data?.changes.edges).toEqual([]);
    } finally {
      older.release();
      await older.done;
    }
    await changeLogSettled(database);
    let edges: unknown[] = [];
    for (let attempt = 0; attempt < 200 && edges.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      edges = (await page()).data?.changes.edges ?? [];
    }
    expect(edges).toEqual([{ node: { operation: 'CREATE' } }]);
  });
});

describe('live-update settings', () => {
  it('reads the change log retention and the subscriptions per connection, and names a bad value', () => {
    expect(loadConfig({}).live).toEqual({
      changeLogDays: 30,
      maxSubscriptions: 20,
      maxSocketsPerAddress: 50,
    });
    expect(
      loadConfig({
        CHANCERY_CHANGE_LOG_DAYS: '0',
        CHANCERY_MAX_SUBSCRIPTIONS: '5',
        CHANCERY_MAX_SOCKETS_PER_ADDRESS: '2',
      }).live,
    ).toEqual({ changeLogDays: 0, maxSubscriptions: 5, maxSocketsPerAddress: 2 });
    expect(() => loadConfig({ CHANCERY_CHANGE_LOG_DAYS: 'a week' })).toThrow(ConfigError);
    expect(() => loadConfig({ CHANCERY_CHANGE_LOG_DAYS: 'a week' })).toThrow(
      'CHANCERY_CHANGE_LOG_DAYS="a week": not a whole number; must be a whole number from 0 to 3650 (days the change log keeps each change; 0 keeps them for ever); default 30',
    );
  });
});
