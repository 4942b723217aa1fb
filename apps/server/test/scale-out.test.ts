// Several real server processes on one PostgreSQL schema: the rate limits are one count in Redis
// (not one per process), a write through one process drops the cached answers of the others and
// reaches the subscribers of the others, and losing Redis leaves every process serving. PostgreSQL only: PGlite is one process's database.
import { randomBytes } from 'node:crypto';
import type { Database } from '@chancery/db/database';
import { migrate } from '@chancery/db/migrate';
import { loadSeed } from '@chancery/db/seed';
import { createTokens, openSchemaDatabase } from '@chancery/db/testing';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { builders } from './editorial.ts';
import { eventually } from './http.ts';
import { post, type ServerProcess, schemaUrl, startRedis, startServerProcess } from './processes.ts';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim();
// The machine's Redis (CI runs one too); each suite counts under keys of its own.
const MACHINE_REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TREATIES = '{ treaties(first: 50) { totalCount nodes { title } } }';

describe.skipIf(!TEST_DATABASE_URL)('several server processes on one PostgreSQL', () => {
  const schema = `test_scale_${randomBytes(4).toString('hex')}`;
  let database: Database;
  let editor: string;
  let processes: ServerProcess[] = [];

  beforeAll(async () => {
    ({ database } = await openSchemaDatabase(TEST_DATABASE_URL as string, { schema, max: 2 }));
    await migrate(database);
    await loadSeed(database.db);
    editor = (await createTokens(database)).editor;
    const env = {
      DATABASE_URL: schemaUrl(TEST_DATABASE_URL as string, schema),
      REDIS_URL: MACHINE_REDIS,
      CHANCERY_REDIS_KEY_PREFIX: `test-${schema}`,
      CHANCERY_RATE_LIMIT_PER_IP: '20',
      CHANCERY_TRUST_PROXY: '1',
    };
    processes = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await database?.close();
  });

  it('a limit of 20 per minute allows 20 requests in total across the processes, not 20 each', async () => {
    for (const p of processes)
      await eventually(
        async () => (await (await fetch(`${p.origin}/readyz`)).json()) as { rateLimits?: string },
        (ready) => ready.rateLimits === 'redis',
      );
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push(
        (await post((processes[i % 2] as ServerProcess).origin, '{ __typename }', { ip: '192.0.2.20' }))
          .status,
      );
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    // Another client has its own 20.
    expect(
      (await post((processes[1] as ServerProcess).origin, '{ __typename }', { ip: '192.0.2.21' })).status,
    ).toBe(200);
  });

  it('a write through one process drops the cached answer in the others', async () => {
    const [a, b] = processes as [ServerProcess, ServerProcess];
    const ip = '192.0.2.30';
    const before = await post(b.origin, TREATIES, { ip });
    expect((await post(b.origin, TREATIES, { ip })).sqlStatements).toBe(0);
    const created = await post(
      a.origin,
      'mutation ($input: CreateTreatyInput!) { createTreaty(input: $input) { __typename } }',
      {
        ip,
        authorization: `Bearer ${editor}`,
        variables: { input: { title: 'Treaty written through another process' } },
      },
    );
    expect(created.body.data.createTreaty.__typename).toBe('TreatyPayload');
    const after = await eventually(
      () => post(b.origin, TREATIES, { ip }),
      (r) => r.body.data.treaties.totalCount === before.body.data.treaties.totalCount + 1,
    );
    expect(after.body.data.treaties.nodes.map((n: { title: string }) => n.title)).toContain(
      'Treaty written through another process',
    );
  });

  it('a subscriber on one process hears what is published through another, and never a draft', async () => {
    const [a, b] = processes as [ServerProcess, ServerProcess];
    let request = 0;
    const editing = builders(
      async (query, variables) =>
        (
          await post(a.origin, query, {
            ip: `198.51.100.${++request}`,
            authorization: `Bearer ${editor}`,
            variables,
          })
        ).body,
    );
    const heard = new Set<string>();
    const client = createClient({
      url: `${b.origin.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
    });
    const dispose = client.subscribe<{ statementPublished: { statement: { id: string } } }>(
      { query: 'subscription { statementPublished { statement { id } } }' },
      {
        next: (event) => heard.add(event.data?.statementPublished.statement.id ?? ''),
        error: () => {},
        complete: () => {},
      },
    );
    try {
      const speaker = await editing.actor();
      const publish = async () => {
        const story = await editing.article();
        const said = await editing.statement(story.id, { speakerId: speaker.id });
        await editing.publish(story);
        return said.id;
      };
      const arrives = async (id: string) => {
        for (let i = 0; i < 100 && !heard.has(id); i++) await new Promise((r) => setTimeout(r, 20));
        return heard.has(id);
      };
      // The other process sets the subscription up on its own time: publish until it hears one.
      let established = false;
      for (let attempt = 0; attempt < 10 && !established; attempt++)
        established = await arrives(await publish());
      expect(established).toBe(true);

      const draft = await editing.article();
      const hidden = await editing.statement(draft.id, { speakerId: speaker.id });
      const shown = await publish();
      expect(await arrives(shown)).toBe(true);
      expect(heard.has(hidden.id)).toBe(false);
    } finally {
      dispose();
      await client.dispose();
    }
  });
});

describe.skipIf(!TEST_DATABASE_URL)('server processes when Redis goes away', () => {
  const schema = `test_redis_${randomBytes(4).toString('hex')}`;
  let database: Database;
  let processes: ServerProcess[] = [];
  let redis: Awaited<ReturnType<typeof startRedis>>;

  beforeAll(async () => {
    ({ database } = await openSchemaDatabase(TEST_DATABASE_URL as string, { schema, max: 2 }));
    await migrate(database);
    await loadSeed(database.db);
    redis = await startRedis();
    const env = {
      DATABASE_URL: schemaUrl(TEST_DATABASE_URL as string, schema),
      REDIS_URL: redis.url,
      CHANCERY_RATE_LIMIT_PER_IP: '1000',
      CHANCERY_TRUST_PROXY: '1',
    };
    processes = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await redis?.kill();
    await database?.close();
  });

  it('keeps every process serving, per process, says so once, and shares the counts again when Redis is back', async () => {
    const readiness = async (p: ServerProcess) => {
      const response = await fetch(`${p.origin}/readyz`);
      // The body's own status ('ready' or 'degraded') apart from the HTTP one.
      const body = (await response.json()) as { rateLimits?: string; status: string };
      return { ...body, state: body.status, status: response.status };
    };
    for (const p of processes)
      await eventually(
        () => readiness(p),
        (r) => r.rateLimits === 'redis',
      );
    await redis.kill();
    for (const p of processes) {
      expect((await post(p.origin, TREATIES, { ip: '192.0.2.40' })).status).toBe(200);
      const ready = await eventually(
        () => readiness(p),
        (r) => r.rateLimits === 'fallback',
      );
      expect(ready).toMatchObject({ status: 200, state: 'degraded', database: 'ok' });
      expect((await post(p.origin, TREATIES, { ip: '192.0.2.40' })).status).toBe(200);
    }
    redis = await startRedis(redis.port);
    for (const p of processes) {
      await eventually(
        () => readiness(p),
        (r) => r.rateLimits === 'redis',
      );
      // Once at start, once when Redis came back; the line may reach us after /readyz's answer.
      const shared = await eventually(
        async () => p.lines().filter((l) => /counted in Redis, shared/.test(l.msg)),
        (lines) => lines.length >= 2,
      );
      expect(shared).toHaveLength(2);
      const warnings = p.lines().filter((l) => /Redis is unreachable/.test(l.msg));
      expect(warnings).toHaveLength(1);
    }
  });
});
