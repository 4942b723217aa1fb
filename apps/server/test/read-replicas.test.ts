// DATABASE_READ_URL: anonymous and reader requests read from a replica, editors and every mutation
// use the primary, and a replica that fails is skipped until it answers again. The "replica" is a
// second schema on the test PostgreSQL, reached through a TCP proxy the test can cut; its treaty
// titles differ from the primary's, so every answer shows which database gave it.
import { randomBytes } from 'node:crypto';
import { connect, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { type Database, openDatabase } from '@chancery/db/database';
import { migrate } from '@chancery/db/migrate';
import { loadSeed } from '@chancery/db/seed';
import { createTokens, openSchemaDatabase } from '@chancery/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChanceryServer, createServer } from '../src/server.ts';
import { schemaUrl } from './processes.ts';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim();
const TREATIES = '{ treaties(first: 50) { nodes { title } } }';

/** A TCP proxy to PostgreSQL that the test can cut (every connection dropped, none accepted) and restore. */
async function startProxy(target: URL, port = 0): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', end);
      socket.on('close', () => {
        sockets.delete(socket);
        end();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describe.skipIf(!TEST_DATABASE_URL)('read replicas', () => {
  const id = randomBytes(4).toString('hex');
  // The describe body runs even when the suite is skipped: a placeholder URL then.
  const base = new URL(TEST_DATABASE_URL ?? 'postgres://skipped');
  let primary: Database;
  let replica: Database;
  let database: Database;
  let server: ChanceryServer;
  let url: string;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let tokens: Record<'reader' | 'editor' | 'admin', string>;
  const changes: string[] = [];

  const ask = async (query: string, token?: string, variables?: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as any;
    return { status: response.status, body, pool: response.headers.get('x-chancery-db-pool') };
  };
  const titles = (answer: { body: any }): string[] =>
    answer.body.data.treaties.nodes.map((n: any) => n.title);
  const fromReplica = (answer: { body: any }) => titles(answer).every((t) => t.startsWith('Replica: '));

  beforeAll(async () => {
    ({ database: primary } = await openSchemaDatabase(base.href, { schema: `test_primary_${id}`, max: 2 }));
    ({ database: replica } = await openSchemaDatabase(base.href, { schema: `test_replica_${id}`, max: 2 }));
    for (const db of [primary, replica]) {
      await migrate(db);
      await loadSeed(db.db);
    }
    await replica.db.execute(sql`update treaties set title = 'Replica: ' || title`);
    tokens = await createTokens(primary);
    proxy = await startProxy(base);
    const replicaUrl = new URL(base.href);
    replicaUrl.hostname = '127.0.0.1';
    replicaUrl.port = String(proxy.port);
    database = await openDatabase({
      databaseUrl: schemaUrl(base.href, `test_primary_${id}`),
      dataDir: 'unused',
      role: 'server',
      readUrls: [schemaUrl(replicaUrl.href, `test_replica_${id}`)],
      onReplicaChange: (r, up) => changes.push(`${r.name} ${up ? 'up' : 'down'}`),
    });
    server = await createServer({ database, statistics: false });
    url = await server.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await server?.stop();
    await database?.close();
    await proxy?.cut();
    await replica?.close();
    await primary?.close();
  });

  it('sends anonymous and reader queries to the replica, editors and admins to the primary', async () => {
    const anonymous = await ask(TREATIES);
    expect(anonymous.pool).toBe('replica1');
    expect(fromReplica(anonymous)).toBe(true);
    const reader = await ask(TREATIES, tokens.reader);
    expect(reader.pool).toBe('replica1');
    expect(fromReplica(reader)).toBe(true);
    for (const token of [tokens.editor, tokens.admin]) {
      const answer = await ask(TREATIES, token);
      expect(answer.pool).toBe('primary');
      expect(titles(answer).some((t) => t.startsWith('Replica: '))).toBe(false);
    }
  });

  it('writes on the primary, where the editor reads them back at once', async () => {
    const created = await ask(
      'mutation ($input: CreateTreatyInput!) { createTreaty(input: $input) { __typename } }',
      tokens.editor,
      { input: { title: 'Written on the primary' } },
    );
    expect(created.pool).toBe('primary');
    expect(created.body.data.createTreaty.__typename).toBe('TreatyPayload');
    expect(titles(await ask(TREATIES, tokens.editor))).toContain('Written on the primary');
    // This replica replicates nothing: the write is not there.
    expect(titles(await ask(TREATIES))).not.toContain('Written on the primary');
  });

  it('skips a replica that fails, serving from the primary, until it answers again', async () => {
    const port = proxy.port;
    await proxy.cut();
    // The query that meets the failure runs again on the primary: the client sees no error.
    const during = await ask(TREATIES);
    expect(during.status).toBe(200);
    expect(fromReplica(during)).toBe(false);
    const next = await ask(TREATIES);
    expect(next.pool).toBe('primary');
    expect(fromReplica(next)).toBe(false);
    expect(changes).toEqual(['replica1 down']);
    const ready = await fetch(url.replace(/graphql$/, 'readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', replicas: { replica1: 'unreachable' } });

    proxy = await startProxy(base, port);
    for (let attempt = 0; attempt < 200 && changes.length < 2; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(changes).toEqual(['replica1 down', 'replica1 up']);
    const after = await ask(TREATIES);
    expect(after.pool).toBe('replica1');
    expect(fromReplica(after)).toBe(true);
  });
});
