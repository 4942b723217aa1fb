// Webhooks as a receiver sees them: real servers on both engines, a real receiver (node:http on
// 127.0.0.1), changes made through the API. Each request is signed per Standard Webhooks (verified
// here with the standardwebhooks package), carries the change's cursor as its id, and the node as
// an anonymous reader sees it; 500s are retried, a redirect is not followed, the last failure is
// FAILED and can be redelivered; old DELIVERED and FAILED deliveries are pruned; changes pruned
// before a paused endpoint had them are a gap it shows (and a warning), never a silent skip; only
// admins manage endpoints; bad input and private addresses are refused with what is allowed.
import { Writable } from 'node:stream';
import { pruneChangeLog } from '@chancery/db/change-log';
import { rows } from '@chancery/db/repositories/sql';
import { createTokens, heldTransaction, type TestDatabase, testEngines } from '@chancery/db/testing';
import { pruneDeliveries } from '@chancery/db/webhooks';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logging.ts';
import { type ChanceryServer, createServer } from '../src/server.ts';
import { sendDelivery } from '../src/webhooks.ts';
import { eventually } from './http.ts';
import { type Received, startReceiver } from './webhook-receiver.ts';

type Client = (
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) => Promise<{ data?: any; errors?: { message: string; extensions?: { code?: string } }[] }>;

function clientOf(url: string): Client {
  return async (query, variables, token) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as any;
  };
}

const CREATE = `mutation ($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    __typename
    ... on CreateWebhookPayload { secret webhook { id url events paused } }
    ... on ValidationError { message fieldErrors { path message } }
  }
}`;
const DELIVERIES = `query ($id: ID!) {
  webhook(id: $id) {
    pendingDeliveries failedDeliveries
    deliveries(first: 50) { nodes { id eventId type event status attempts lastResponseStatus lastError nodeId } }
  }
}`;
const CREATE_TREATY = `mutation ($title: String!) {
  createTreaty(input: { title: $title }) { __typename ... on TreatyPayload { treaty { id } } }
}`;

describe.each(testEngines)('webhooks on $name', (engine) => {
  let database: TestDatabase;
  let tokens: Awaited<ReturnType<typeof createTokens>>;
  // One server sends to this machine's receivers (as CHANCERY_WEBHOOK_ALLOW_PRIVATE=1 allows), with
  // small retry delays; the other refuses private addresses, as by default.
  let server: ChanceryServer;
  let strict: ChanceryServer;
  let api: Client;
  let strictApi: Client;
  let metricsUrl: string;
  /** What the sending server logged, warnings and worse. */
  const logged: string[] = [];

  beforeAll(async () => {
    database = await engine.open();
    tokens = await createTokens(database);
    server = await createServer({
      database,
      logger: createLogger({
        level: 'warn',
        destination: new Writable({
          write(chunk, _encoding, done) {
            logged.push(String(chunk));
            done();
          },
        }),
      }),
      webhooks: { allowPrivate: true, retryBaseMs: 30, maxAttempts: 3, timeoutMs: 3_000, pollMs: 50 },
    });
    const url = await server.listen(0);
    api = clientOf(url);
    metricsUrl = url.replace(/graphql$/, 'metrics');
    strict = await createServer({ database, webhooks: false });
    strictApi = clientOf(await strict.listen(0));
  });
  // Each test removes its endpoints; one that failed half-way must not leave them to the next.
  afterEach(async () => {
    await database.db.execute(sql`delete from webhook_endpoints`);
  });
  afterAll(async () => {
    await strict?.stop();
    await server?.stop();
    await database?.close();
  });

  async function register(url: string, events = ['TREATY_CHANGED'], secret?: string) {
    const result = await api(CREATE, { input: { url, events, secret } }, tokens.admin);
    expect(result.errors).toBeUndefined();
    expect(result.data.createWebhook.__typename).toBe('CreateWebhookPayload');
    return result.data.createWebhook as { secret: string; webhook: { id: string } };
  }
  const remove = (id: string) =>
    api('mutation ($id: ID!) { deleteWebhook(id: $id) { __typename } }', { id }, tokens.admin);
  const resume = (id: string) =>
    api('mutation ($id: ID!) { resumeWebhook(id: $id) { __typename } }', { id }, tokens.admin);
  const createTreaty = async (title: string) => {
    const result = await api(CREATE_TREATY, { title }, tokens.editor);
    return result.data.createTreaty.treaty.id as string;
  };
  const deliveries = async (id: string) => (await api(DELIVERIES, { id }, tokens.admin)).data.webhook;

  it('signs each event per Standard Webhooks, with the change’s cursor as its id and the node as readers see it', async () => {
    const receiver = await startReceiver();
    const { secret, webhook } = await register(receiver.url, ['TREATY_CHANGED', 'ARTICLE_PUBLISHED']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const treatyId = await createTreaty('Treaty on webhooks');
    // A draft article: no reader sees it, so nothing is sent.
    await api(
      `mutation { createArticle(input: { headline: "Draft no reader sees", language: "en", publishedAt: "2024-10-24T09:00:00Z", paragraphs: ["A draft."] }) { __typename } }`,
      {},
      tokens.editor,
    );
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 1,
      20_000,
    );
    const [request] = receiver.received as [Received];
    expect(request.path).toBe('/hook');
    expect(request.headers['content-type']).toBe('application/json');
    const payload = new Webhook(secret).verify(
      request.body,
      request.headers as Record<string, string>,
    ) as any;
    const changes = (
      await api('{ changes(first: 100, types: [Treaty]) { nodes { cursor nodeId operation } } }')
    ).data.changes.nodes as { cursor: string; nodeId: string; operation: string }[];
    const change = changes.find((c) => c.nodeId === treatyId);
    expect(request.headers['webhook-id']).toBe(change?.cursor);
    expect(payload).toMatchObject({
      id: change?.cursor,
      type: 'treaty.changed',
      data: {
        nodeType: 'Treaty',
        nodeId: treatyId,
        operation: 'CREATE',
        node: { __typename: 'Treaty', id: treatyId, title: 'Treaty on webhooks', status: 'NEGOTIATING' },
      },
    });
    expect(Date.parse(payload.timestamp)).not.toBeNaN();
    // A tampered body does not verify.
    expect(() =>
      new Webhook(secret).verify(
        request.body.replace('webhooks', 'hooks'),
        request.headers as Record<string, string>,
      ),
    ).toThrow();
    const log = await eventually(
      () => deliveries(webhook.id),
      (w) => w.deliveries.nodes[0]?.status === 'DELIVERED',
      10_000,
    );
    expect(log.deliveries.nodes).toHaveLength(1);
    expect(log.deliveries.nodes[0]).toMatchObject({
      eventId: change?.cursor,
      type: 'treaty.changed',
      event: 'TREATY_CHANGED',
      attempts: 1,
      lastResponseStatus: 200,
      nodeId: treatyId,
    });
    expect(receiver.received).toHaveLength(1);
    await remove(webhook.id);
    await receiver.close();
  });

  it('retries after 500s with the same id and body, then delivers', async () => {
    const receiver = await startReceiver((_request, index) => ({ status: index < 2 ? 500 : 204 }));
    const { webhook, secret } = await register(receiver.url);
    await createTreaty('Treaty retried');
    const log = await eventually(
      () => deliveries(webhook.id),
      (w) => w.deliveries.nodes[0]?.status === 'DELIVERED',
      15_000,
    );
    expect(log.deliveries.nodes[0]).toMatchObject({ attempts: 3, lastResponseStatus: 204, lastError: null });
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    for (const request of receiver.received)
      new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    await remove(webhook.id);
    await receiver.close();
  });

  it('marks a delivery FAILED after the last attempt; a redelivery sends it again', async () => {
    let healthy = false;
    const receiver = await startReceiver(() => ({ status: healthy ? 200 : 503 }));
    const { webhook } = await register(receiver.url);
    await createTreaty('Treaty failed');
    // The count and the list are read by two statements: wait until both say so.
    const failed = await eventually(
      () => deliveries(webhook.id),
      (w) => w.deliveries.nodes[0]?.status === 'FAILED' && w.failedDeliveries === 1,
      15_000,
    );
    expect(failed.failedDeliveries).toBe(1);
    expect(failed.deliveries.nodes[0]).toMatchObject({
      attempts: 3,
      lastResponseStatus: 503,
      lastError: 'Answered 503.',
    });
    expect(receiver.received).toHaveLength(3);

    const metrics = await (await fetch(metricsUrl)).text();
    expect(metrics).toMatch(/^chancery_webhook_deliveries\{status="failed"\} 1$/m);
    expect(metrics).toMatch(/^chancery_webhook_deliveries\{status="pending"\} 0$/m);

    healthy = true;
    const redelivered = await api(
      'mutation ($id: ID!) { redeliverWebhookDelivery(id: $id) { __typename ... on WebhookDeliveryPayload { delivery { status attempts } } } }',
      { id: failed.deliveries.nodes[0].id },
      tokens.admin,
    );
    expect(redelivered.data.redeliverWebhookDelivery.delivery.status).toBe('PENDING');
    const delivered = await eventually(
      () => deliveries(webhook.id),
      (w) => w.deliveries.nodes[0]?.status === 'DELIVERED' && w.failedDeliveries === 0,
      15_000,
    );
    expect(delivered.failedDeliveries).toBe(0);
    expect(receiver.received).toHaveLength(4);
    expect(receiver.received[3]?.headers['webhook-id']).toBe(receiver.received[0]?.headers['webhook-id']);
    await remove(webhook.id);
    await receiver.close();
  });

  it('never follows a redirect: a 3xx is a failed attempt', async () => {
    const receiver = await startReceiver((request) =>
      request.path === '/hook' ? { status: 302, headers: { location: '/elsewhere' } } : { status: 200 },
    );
    const { webhook } = await register(receiver.url);
    await createTreaty('Treaty redirected');
    const log = await eventually(
      () => deliveries(webhook.id),
      (w) => w.deliveries.nodes[0]?.status === 'FAILED',
      15_000,
    );
    expect(log.deliveries.nodes[0].lastResponseStatus).toBe(302);
    expect(log.deliveries.nodes[0].lastError).toMatch(/redirect.*not followed/);
    expect(receiver.received.map((r) => r.path)).toEqual(['/hook', '/hook', '/hook']);
    await remove(webhook.id);
    await receiver.close();
  });

  it('pauses and resumes: what changed meanwhile is sent on resume, in order', async () => {
    const receiver = await startReceiver();
    const { webhook } = await register(receiver.url);
    const pause = await api(
      'mutation ($id: ID!) { pauseWebhook(id: $id) { ... on WebhookPayload { webhook { paused } } } }',
      { id: webhook.id },
      tokens.admin,
    );
    expect(pause.data.pauseWebhook.webhook.paused).toBe(true);
    const ids = [await createTreaty('Paused one'), await createTreaty('Paused two')];
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(0);
    await resume(webhook.id);
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 2,
      15_000,
    );
    expect(receiver.received.map((r) => JSON.parse(r.body).data.nodeId)).toEqual(ids);
    await remove(webhook.id);
    await receiver.close();
  });

  it('prunes deliveries delivered, or failed, longer ago than the retention', async () => {
    const receiver = await startReceiver((request) => ({
      status: request.body.includes('Treaty refused') ? 503 : 200,
    }));
    const { webhook } = await register(receiver.url);
    await createTreaty('Treaty pruned');
    await createTreaty('Treaty refused');
    await eventually(
      () => deliveries(webhook.id),
      (w) => w.deliveries.nodes[0]?.status === 'FAILED',
      15_000,
    );
    // A recent FAILED one stays, to be redelivered.
    expect(await pruneDeliveries(database.db, 30)).toBe(0);
    await rows(
      database.db,
      sql`update webhook_deliveries set delivered_at = now() - interval '31 days',
          updated_at = now() - interval '31 days'`,
    );
    expect(await pruneDeliveries(database.db, 30)).toBe(2);
    expect((await deliveries(webhook.id)).deliveries.nodes).toEqual([]);
    await remove(webhook.id);
    await receiver.close();
  });

  it('records a gap when changes are pruned before a paused endpoint had them, warns, and goes on with the oldest kept', async () => {
    const receiver = await startReceiver();
    const { webhook } = await register(receiver.url);
    // Asks for other events: the treaties pruned are no loss to it.
    const { webhook: actorsOnly } = await register(receiver.url, ['ACTOR_CHANGED']);
    for (const id of [webhook.id, actorsOnly.id])
      await api('mutation ($id: ID!) { pauseWebhook(id: $id) { __typename } }', { id }, tokens.admin);
    const pruned = [await createTreaty('Treaty pruned unsent'), await createTreaty('Treaty pruned too')];
    const kept = await createTreaty('Treaty kept');
    const uuids = pruned.map((id) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1]);
    await rows(
      database.db,
      sql`update change_log set changed_at = now() - interval '31 days'
          where node_id in (${sql.join(
            uuids.map((u) => sql`${u}::uuid`),
            sql`, `,
          )})`,
    );
    expect(await pruneChangeLog(database.db, 30)).toBe(2);

    const GAPS = `query ($id: ID!, $first: Int) {
      webhook(id: $id) { gaps(first: $first) { changes from through recordedAt message } }
    }`;
    const { gaps } = (await api(GAPS, { id: webhook.id }, tokens.admin)).data.webhook;
    expect(gaps).toHaveLength(1);
    expect(gaps[0].changes).toBe(2);
    expect(Date.parse(gaps[0].through) - Date.parse(gaps[0].from)).toBeGreaterThanOrEqual(0);
    expect(Date.now() - Date.parse(gaps[0].through)).toBeGreaterThan(30 * 24 * 3600 * 1000);
    expect(gaps[0].message).toMatch(
      /^2 change\(s\) between \S+ and \S+ were pruned from the change log before delivery; resync what changed then\.$/,
    );
    expect((await api(GAPS, { id: actorsOnly.id }, tokens.admin)).data.webhook.gaps).toEqual([]);
    const tooMany = await api(GAPS, { id: webhook.id, first: 0 }, tokens.admin);
    expect(tooMany.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/`first` must be an integer from 1 to 100; got 0/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const warning = await eventually(
      async () => logged.find((line) => line.includes('were pruned from the change log')),
      (line) => line !== undefined,
      10_000,
    );
    expect(JSON.parse(warning as string)).toMatchObject({ level: 'warn', changes: 2 });

    await resume(webhook.id);
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 1,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.map((r) => JSON.parse(r.body).data.nodeId)).toEqual([kept]);
    expect(logged.filter((line) => line.includes('were pruned from the change log'))).toHaveLength(1);
    await remove(webhook.id);
    await remove(actorsOnly.id);
    await receiver.close();
  });

  it('sends only what its filter matches', async () => {
    const receiver = await startReceiver();
    const watched = await createTreaty('Treaty watched');
    const created = await api(
      CREATE,
      { input: { url: receiver.url, events: ['TREATY_CHANGED'], filter: { treatyId: watched } } },
      tokens.admin,
    );
    const webhook = created.data.createWebhook.webhook as { id: string };
    await createTreaty('Treaty not watched');
    const updated = await api(
      'mutation ($id: ID!) { updateTreaty(id: $id, expectedVersion: 1, input: { shortTitle: "Watched" }) { __typename } }',
      { id: watched },
      tokens.editor,
    );
    expect(updated.data.updateTreaty.__typename).toBe('TreatyPayload');
    const events = await eventually(
      async () => receiver.received.map((r) => JSON.parse(r.body).data),
      (data) => data.some((d) => d.operation === 'UPDATE'),
      15_000,
    );
    // Only the watched treaty's change: not the other treaty, nor the watched one's creation,
    // committed before the endpoint was made.
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      nodeId: watched,
      operation: 'UPDATE',
      node: { shortTitle: 'Watched' },
    });
    await remove(webhook.id);
    await receiver.close();
  });

  it.skipIf(engine.name === 'pglite')(
    'gets exactly the changes committed after it was made, though an older transaction still runs',
    async () => {
      const receiver = await startReceiver();
      const older = await heldTransaction(database, (raw) =>
        raw.query(
          "insert into treaties (title, slug, status) values ('Treaty held back', 'treaty-held-back', 'NEGOTIATING')",
        ),
      );
      // Committed before the endpoint is made, but above the readers' horizon (the older one runs).
      const before = await createTreaty('Treaty committed before');
      const { webhook } = await register(receiver.url);
      const after = await createTreaty('Treaty committed after');
      older.release();
      await older.done;
      const events = await eventually(
        async () => receiver.received.map((r) => JSON.parse(r.body).data),
        (data) => data.length >= 2,
        15_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The held transaction's treaty committed after the endpoint was made: it is the endpoint's.
      expect(events.map((d) => d.node?.title ?? d.nodeId)).toEqual([
        'Treaty held back',
        'Treaty committed after',
      ]);
      expect(events.some((d) => d.nodeId === before)).toBe(false);
      expect(events[1].nodeId).toBe(after);
      await remove(webhook.id);
      await receiver.close();
    },
  );

  it('only admins manage webhooks', async () => {
    const input = { url: 'https://example.com/hook', events: ['TREATY_CHANGED'] };
    const anonymous = await api(CREATE, { input });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const role of ['reader', 'editor'] as const) {
      const refused = await api(CREATE, { input }, tokens[role]);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.errors?.[0]?.message).toMatch(/admin/);
      const list = await api('{ webhooks { id } }', {}, tokens[role]);
      expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await api('{ webhooks { id } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses bad input, saying what is allowed', async () => {
    const bad = async (input: Record<string, unknown>) =>
      api(
        CREATE,
        { input: { url: 'https://example.com/hook', events: ['TREATY_CHANGED'], ...input } },
        tokens.admin,
      );
    const ftp = (await bad({ url: 'ftp://example.com/x' })).data.createWebhook;
    expect(ftp).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'url'] }] });
    expect(ftp.message).toMatch(/ftp URLs are not allowed.*http:\/\/ or https:\/\//);
    expect((await bad({ url: 'not a url' })).data.createWebhook.message).toMatch(/is not a URL/);
    const unknownEvent = await bad({ events: ['TREATY_SIGNED'] });
    expect(unknownEvent.errors?.[0]?.message).toMatch(
      /"TREATY_SIGNED" is not a WebhookEvent; allowed: .*STATEMENT_PUBLISHED/,
    );
    expect((await bad({ events: [] })).data.createWebhook.message).toMatch(/at least one event/);
    expect((await bad({ secret: 'hunter2' })).data.createWebhook.message).toMatch(/whsec_/);
    const filter = await bad({ filter: { speakerId: 'nonsense' } });
    expect(filter.data.createWebhook.fieldErrors[0]).toMatchObject({
      path: ['input', 'filter', 'speakerId'],
    });
    expect(filter.data.createWebhook.fieldErrors[0].message).toMatch(/not the ID of an Actor/);
    const gone = await bad({
      filter: { treatyId: 'VHJlYXR5OjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA' },
    });
    expect(gone.data.createWebhook.fieldErrors[0]).toMatchObject({
      path: ['input', 'filter', 'treatyId'],
      message: expect.stringMatching(/There is no Treaty with the ID/),
    });
    const missing = await api(
      'mutation { pauseWebhook(id: "V2ViaG9vazowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA") { __typename ... on NotFoundError { message } } }',
      {},
      tokens.admin,
    );
    expect(missing.data.pauseWebhook.__typename).toBe('NotFoundError');
    expect((await api('{ webhooks { id } }', {}, tokens.admin)).data.webhooks).toEqual([]);
  });

  it('refuses loopback and private addresses unless allowed, by name too', async () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost/hook',
      'http://10.1.2.3/',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
    ]) {
      const refused = (await strictApi(CREATE, { input: { url, events: ['TREATY_CHANGED'] } }, tokens.admin))
        .data.createWebhook;
      expect(refused.__typename, url).toBe('ValidationError');
      expect(refused.message, url).toMatch(
        /(loopback|private|linkLocal) address.*CHANCERY_WEBHOOK_ALLOW_PRIVATE=1/,
      );
    }
    expect((await strictApi('{ webhooks { id } }', {}, tokens.admin)).data.webhooks).toEqual([]);
  });
});

describe('a webhook request', () => {
  it('is refused at sending time too when its host is (or now resolves to) a private address', async () => {
    const receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    const claim = {
      id: '00000000-0000-0000-0000-000000000000',
      endpointId: '00000000-0000-0000-0000-000000000000',
      eventId: 'evt',
      body: '{}',
      attempt: 1,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    };
    for (const host of ['127.0.0.1', 'localhost']) {
      const outcome = await sendDelivery(
        { ...claim, url: `http://${host}:${port}/hook` },
        { allowPrivate: false, timeoutMs: 2_000 },
      );
      expect(outcome.delivered, host).toBe(false);
      expect(outcome.error, host).toMatch(/a loopback address: webhooks are only sent to public addresses/);
    }
    expect(receiver.received).toHaveLength(0);
    const allowed = await sendDelivery(
      { ...claim, url: `http://127.0.0.1:${port}/hook` },
      { allowPrivate: true, timeoutMs: 2_000 },
    );
    expect(allowed).toEqual({ delivered: true, status: 200, error: null });
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });
});

describe('webhook settings', () => {
  it('are checked at start, saying what is allowed', () => {
    expect(() => loadConfig({ CHANCERY_WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(
      /CHANCERY_WEBHOOK_ALLOW_PRIVATE="yes": neither 1 nor 0; must be 1 \(webhooks may also go to loopback/,
    );
    expect(() => loadConfig({ CHANCERY_WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(
      /CHANCERY_WEBHOOK_MAX_ATTEMPTS="0": below 1; must be a whole number from 1 to 100/,
    );
    expect(() => loadConfig({ CHANCERY_WEBHOOK_TIMEOUT_MS: '10s' })).toThrow(
      /CHANCERY_WEBHOOK_TIMEOUT_MS="10s": not a whole number/,
    );
    expect(loadConfig({}).webhooks).toEqual({
      allowPrivate: false,
      timeoutMs: 10_000,
      maxAttempts: 10,
      retryBaseMs: 5_000,
    });
    expect(loadConfig({ CHANCERY_WEBHOOK_ALLOW_PRIVATE: '1' }).webhooks.allowPrivate).toBe(true);
  });
});
