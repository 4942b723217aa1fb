import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actors } from '@chancery/db/schema';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChangeFeed, changeFeedName, TABLE_NAMES, tablesNamed, tablesWritten } from '../src/changes.ts';
import { type Database, openDatabase } from '../src/database.ts';
import { type TestDatabase, testEngines } from '../src/testing.ts';

/** A watcher that records what it hears, and waits for what it expects. */
function recorder() {
  const events: string[] = [];
  const waiters = new Set<() => void>();
  const push = (event: string) => {
    events.push(event);
    for (const wake of waiters) wake();
  };
  return {
    events,
    watcher: {
      changed: (table: string) => push(`changed:${table}`),
      lost: () => push('lost'),
      live: () => push('live'),
    },
    /** Resolves once `event` has been heard `times` times (NOTIFY reaches a listener asynchronously). */
    until(event: string, times = 1, timeoutMs = 60_000): Promise<void> {
      const heard = () => events.filter((e) => e === event).length >= times;
      if (heard()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Never heard ${event}; heard ${JSON.stringify(events)}`));
        }, timeoutMs);
        const check = () => {
          if (!heard()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
  };
}

const newActor = (name: string) => ({
  name,
  slug: name.toLowerCase().replace(/\W+/g, '-'),
  kind: 'PERSON' as const,
});

describe.each(testEngines)('the change feed on $name', (engine) => {
  let database: TestDatabase;
  let feed: ChangeFeed;
  const heard = recorder();
  beforeAll(async () => {
    database = await engine.open();
    feed = await database.watchChanges(heard.watcher);
  });
  afterAll(async () => {
    await feed?.stop();
    await database?.close();
  });

  it('has a trigger on every table but the migration history', async () => {
    const rows = await database.withRawTransaction((raw) =>
      raw.query<{ table_name: string; has_trigger: boolean }>(
        `SELECT c.relname AS table_name,
                EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                        WHERE t.tgrelid = c.oid AND p.proname = 'chancery_notify_change') AS has_trigger
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname <> 'chancery_migrations'`,
        [database.schema],
      ),
    );
    expect(rows.filter((r) => !r.has_trigger).map((r) => r.table_name)).toEqual([]);
    expect(new Set(rows.map((r) => r.table_name))).toEqual(TABLE_NAMES);
  });

  it('reports the tables a committed write touched, and nothing for a rolled-back one', async () => {
    expect(heard.events[0]).toBe('live');
    await database.db
      .transaction(async (tx) => {
        await tx.insert(actors).values(newActor('Rolled Back'));
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await database.db.insert(actors).values(newActor('Committed Person'));
    await heard.until('changed:actors');
    await database.db.update(actors).set({ description: 'x' }).where(eq(actors.slug, 'committed-person'));
    await database.db.execute(sql`delete from ${actors} where slug = 'committed-person'`);
    // A marker write after them: once it is heard, everything before it has been too.
    await database.db.execute(sql`update api_tokens set name = name where false`);
    await heard.until('changed:api_tokens');
    expect(heard.events.filter((e) => e === 'changed:actors')).toHaveLength(3);
    // The delete cascaded to the actor's roles: that table changed too, and the feed says so.
    expect(heard.events).toContain('changed:actor_roles');
    expect(
      heard.events.filter(
        (e) =>
          // The change log (0006) records the actor changes, in the same transactions.
          ![
            'live',
            'changed:actors',
            'changed:actor_roles',
            'changed:change_log',
            'changed:api_tokens',
          ].includes(e),
      ),
    ).toEqual([]);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('the change feed on a PostgreSQL server', () => {
  let database: TestDatabase;
  let other: TestDatabase;
  const postgres = testEngines.find((e) => e.name === 'postgres');
  beforeAll(async () => {
    database = (await postgres?.open()) as TestDatabase;
    other = (await postgres?.open()) as TestDatabase;
  });
  afterAll(async () => {
    await database?.close();
    await other?.close();
  });

  it("ignores writes to another schema's tables", async () => {
    const heard = recorder();
    const feed = await database.watchChanges(heard.watcher);
    try {
      await other.db.insert(actors).values(newActor('Elsewhere'));
      await database.db.execute(sql`update api_tokens set name = name where false`);
      await heard.until('changed:api_tokens');
      expect(heard.events).toEqual(['live', 'changed:api_tokens']);
    } finally {
      await feed.stop();
    }
  });

  it('reports the feed lost when its connection dies, and live again once it has reconnected', async () => {
    // Other suites' feeds share the server (CI runs every package at once): find only ours.
    const feedPids = async () =>
      (
        await database.withRawTransaction((raw) =>
          raw.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [
            changeFeedName(database.schema),
          ]),
        )
      ).map((row) => row.pid);
    // The last test's feed may still be on its way out.
    const before = new Set(await feedPids());
    const heard = recorder();
    const feed = await database.watchChanges(heard.watcher);
    try {
      const ours = (await feedPids()).filter((pid) => !before.has(pid));
      expect(ours).toHaveLength(1);
      await database.withRawTransaction((raw) => raw.query('select pg_terminate_backend($1)', ours));
      await heard.until('lost');
      await heard.until('live', 2);
      expect(heard.events.slice(0, 3)).toEqual(['live', 'lost', 'live']);
      await database.db.insert(actors).values(newActor('After Reconnect'));
      await heard.until('changed:actors');
    } finally {
      await feed.stop();
    }
  });
});

describe('the change feed of an embedded database served to the CLI', () => {
  let dataDir: string;
  let owner: Database;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chancery-feed-'));
    owner = await openDatabase({ dataDir, role: 'server' });
    const { migrate } = await import('../src/migrate.ts');
    await migrate(owner);
  });
  afterAll(async () => {
    await owner?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("hears the writes of a client on the owner's socket", async () => {
    const heard = recorder();
    const feed = await owner.watchChanges(heard.watcher);
    const cli = await openDatabase({ dataDir, role: 'cli' });
    try {
      expect(cli.via).toBe('socket');
      await cli.db.insert(actors).values(newActor('Through The Socket'));
      await heard.until('changed:actors');
      await expect(cli.watchChanges(heard.watcher)).rejects.toThrow(/owns the database/);
    } finally {
      await cli.close();
      await feed.stop();
    }
  });
});

describe('tables named and written by SQL', () => {
  it('finds quoted and bare table names, and only tables', () => {
    expect(
      tablesNamed([
        'select "d0"."id", "statements"."text" from "statements" as "d0" left join lateral (select 1 from "actors") on true',
        'select id from actors where "name" = $1',
        'update articles set version = version + 1',
      ]).sort(),
    ).toEqual(['actors', 'articles', 'statements']);
  });

  it('finds the targets of inserts, updates, deletes and truncates, in CTEs too', () => {
    expect(
      tablesWritten([
        'insert into "statements" ("id") values ($1) on conflict do update set "text" = excluded.text',
        'with touched as (update "api_tokens" set last_used_at = now() returning id) select * from "articles"',
        'delete from revisions where node_id = $1',
        'select 1 from "actors" for update',
      ]).sort(),
    ).toEqual(['api_tokens', 'revisions', 'statements']);
  });

  it('knows every table of the schema', () => {
    expect(TABLE_NAMES.has('statements')).toBe(true);
    expect(TABLE_NAMES.has('chancery_migrations')).toBe(false);
  });
});
