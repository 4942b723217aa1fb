// Webhooks survive crashes (issue 16, "done when"): a receiver on this machine gets every event of
// a 1000-change import exactly as logged, with valid signatures, although the server process is
// killed with SIGKILL twice while delivering and the receiver answers 500 for a while. Nothing is
// lost; an event sent twice carries the same id and the same body; the first successful receipt of
// each event comes in log order. Real server processes on PostgreSQL (PGlite is one process's, and
// killing it mid-write is the embedded database's own test).
import { randomBytes, randomUUID } from 'node:crypto';
import { encodeChangeCursor } from '@chancery/db/change-log';
import type { Database } from '@chancery/db/database';
import { importBundle } from '@chancery/db/import/bundle';
import { migrate } from '@chancery/db/migrate';
import { rows } from '@chancery/db/repositories/sql';
import { loadSeed } from '@chancery/db/seed';
import { openSchemaDatabase } from '@chancery/db/testing';
import { createWebhook } from '@chancery/db/webhooks';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './http.ts';
import { type ServerProcess, schemaUrl, startServerProcess } from './processes.ts';
import { startReceiver } from './webhook-receiver.ts';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim();
const CHANGES = 1000;
const FAILING_ANSWERS = 5;

describe.skipIf(!TEST_DATABASE_URL)('webhooks across SIGKILLed server processes on PostgreSQL', () => {
  const schema = `test_webhook_crash_${randomBytes(4).toString('hex')}`;
  let database: Database;
  const processes: ServerProcess[] = [];

  beforeAll(async () => {
    ({ database } = await openSchemaDatabase(TEST_DATABASE_URL as string, { schema, max: 2 }));
    await migrate(database);
    // The seed, as the servers would load it: its records are not part of the import.
    await loadSeed(database.db);
  });
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop();
    await database?.close();
  });

  it('delivers every event of a 1000-change import exactly as logged, signed, despite two SIGKILLs and 500s', async () => {
    // The receiver fails its first answers, then takes everything.
    const receiver = await startReceiver((_request, index) => ({
      status: index < FAILING_ANSWERS ? 500 : 200,
    }));
    const ok = () => receiver.received.slice(FAILING_ANSWERS);
    const { secret, webhook } = await createWebhook(
      database.db,
      { url: receiver.url, events: ['ACTOR_CHANGED'] },
      { allowPrivate: true },
    );
    const [start] = await rows<{ xid: string; id: string }>(
      database.db,
      sql`select position_xid::text as xid, position_id::text as id from webhook_endpoints where id = ${webhook.id}`,
    );

    const env = {
      DATABASE_URL: schemaUrl(TEST_DATABASE_URL as string, schema),
      CHANCERY_WEBHOOK_ALLOW_PRIVATE: '1',
      CHANCERY_WEBHOOK_RETRY_BASE_MS: '50',
      CHANCERY_WEBHOOK_MAX_ATTEMPTS: '50',
      CHANCERY_WEBHOOK_TIMEOUT_MS: '1000',
      CHANCERY_RATE_LIMIT_PER_IP: '0',
      LOG_LEVEL: 'warn',
    };
    const serve = async () => {
      const started = await startServerProcess({ ...env, LOG_LEVEL: 'info' });
      processes.push(started);
      return started;
    };
    const kill = async (p: ServerProcess) => {
      const exited = new Promise((resolve) => p.child.once('exit', resolve));
      p.child.kill('SIGKILL');
      await exited;
    };

    let server = await serve();
    // The import: 1000 actors in one transaction, through the bundle importer (`chancery import`).
    const ids = Array.from({ length: CHANGES }, () => randomUUID());
    async function* bundle() {
      for (let i = 0; i < CHANGES; i++)
        yield {
          line: i + 1,
          text: JSON.stringify({
            type: 'Actor',
            data: { id: ids[i], slug: `imported-${i}`, name: `Imported Person ${i}`, kind: 'PERSON' },
          }),
        };
    }
    const imported = await importBundle(database.db, bundle());
    expect(imported.created.Actor).toBe(CHANGES);

    // Killed twice while delivering. Each time the next process starts first, so for a while two
    // deliver side by side (claiming, never sending one delivery at once), then the older dies
    // mid-request and its lease runs out.
    const delivered = (n: number) =>
      eventually(
        async () => ok().length,
        (count) => count >= n,
        30_000,
      );
    await delivered(150);
    let next = await serve();
    await kill(server);
    server = next;
    await delivered(500);
    next = await serve();
    await kill(server);
    server = next;

    // The import's changes as logged, in log order; nothing else was logged after the endpoint was made.
    const logged = await rows<{ xid: string; id: string; node_id: string }>(
      database.db,
      sql`select xid::text as xid, id::text as id, node_id from change_log
          where (xid, id) > (${start?.xid}::xid8, ${start?.id}::bigint)
          order by change_log.xid, change_log.id`,
    );
    const importedIds = new Set<string>(ids);
    const expected = logged
      .filter((row) => importedIds.has(row.node_id))
      .map((row) => encodeChangeCursor(row));
    expect(expected).toHaveLength(CHANGES);
    const expectedSet = new Set(expected);
    const ofImport = () => ok().filter((r) => expectedSet.has(String(r.headers['webhook-id'])));
    await eventually(
      async () => new Set(ofImport().map((r) => r.headers['webhook-id'])).size,
      (n) => n >= CHANGES,
      30_000,
    );
    const everyLogged = new Set(logged.map((row) => encodeChangeCursor(row)));
    for (const request of receiver.received)
      expect(everyLogged.has(String(request.headers['webhook-id']))).toBe(true);

    // Every request verifies; the same id always comes with the same body.
    const bodies = new Map<string, string>();
    for (const request of receiver.received) {
      const id = String(request.headers['webhook-id']);
      const payload = new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as {
        id: string;
        type: string;
        data: { nodeType: string; operation: string; node: { name: string } };
      };
      expect(payload.id).toBe(id);
      expect(payload).toMatchObject({ type: 'actor.changed', data: { nodeType: 'Actor' } });
      if (expectedSet.has(id))
        expect(payload.data).toMatchObject({
          operation: 'CREATE',
          node: { name: expect.stringMatching(/^Imported Person \d+$/) },
        });
      expect(bodies.get(id) ?? request.body).toBe(request.body);
      bodies.set(id, request.body);
    }
    // Exactly the logged events, in log order (first successful receipt of each).
    const firstReceipts = [...new Set(ofImport().map((r) => String(r.headers['webhook-id'])))];
    expect(firstReceipts).toEqual(expected);
    expect(receiver.received.length).toBeGreaterThanOrEqual(CHANGES + FAILING_ANSWERS);
    // And the delivery log says so, once the last outcome is recorded.
    const counts = await eventually(
      async () =>
        (
          await rows<{ delivered: number; other: number }>(
            database.db,
            sql`select count(*) filter (where status = 'DELIVERED')::int as delivered,
                       count(*) filter (where status <> 'DELIVERED')::int as other
                from webhook_deliveries`,
          )
        )[0],
      (c) => c?.other === 0,
      10_000,
    );
    expect(counts?.delivered).toBeGreaterThanOrEqual(CHANGES);
    await server.stop();
    await receiver.close();
  }, 90_000);
});
