// The change log (migration 0006): every committed change to a node, once per transaction, with
// whether readers could see it before and after; read by cursor without ever skipping a change
// that commits late.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Change,
  ChangeLogFollower,
  encodeChangeCursor,
  pruneChangeLog,
  readChanges,
} from '../src/change-log.ts';
import { rows } from '../src/repositories/sql.ts';
import { seedIds } from '../src/seed.ts';
import { changeLogSettled, heldTransaction, type TestDatabase, testEngines } from '../src/testing.ts';

const brief = (changes: Change[]) =>
  changes.map(
    (c) =>
      `${c.nodeType} ${c.operation} ${c.wasVisible ? 'visible' : 'hidden'}→${c.visible ? 'visible' : 'hidden'}`,
  );

describe.each(testEngines)('the change log on $name', (engine) => {
  let database: TestDatabase;
  /** Where the previous `next()` stopped. */
  let cursor: string | null = null;
  /** The end of the log once the seed is in. */
  let afterSeed: string | null = null;
  const next = async (options: { readersOnly?: boolean } = {}) => {
    await changeLogSettled(database);
    const { changes } = await readChanges(database.db, { after: cursor, first: 1000, ...options });
    cursor = changes.at(-1)?.cursor ?? cursor;
    return changes;
  };

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    await next();
    afterSeed = cursor;
  });
  afterAll(() => database?.close());

  it('records a write from any path once per node per transaction, and nothing rolled back', async () => {
    await database.db
      .transaction(async (tx) => {
        await tx.execute(
          sql`insert into actors (slug, name, kind) values ('rolled-back', 'Rolled Back', 'PERSON')`,
        );
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const [actor] = await rows<{ id: string }>(
      database.db,
      sql`insert into actors (slug, name, kind) values ('new-envoy', 'New Envoy', 'PERSON') returning id`,
    );
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`update actors set description = 'An envoy' where id = ${actor?.id}`);
      await tx.execute(
        sql`insert into actor_roles (actor_id, position, title) values (${actor?.id}, 0, 'Envoy')`,
      );
    });
    await database.db.execute(sql`update actors set deleted_at = now() where id = ${actor?.id}`);
    const changes = await next();
    expect(brief(changes)).toEqual([
      'Actor CREATE hidden→visible',
      'Actor UPDATE visible→visible',
      'Actor DELETE visible→hidden',
    ]);
    expect(new Set(changes.map((c) => c.nodeId))).toEqual(new Set([actor?.id]));
  });

  it('tells when an article and its statements become visible to readers, and hides drafts from them', async () => {
    const article = seedIds.article();
    await database.db.execute(sql`update articles set status = 'DRAFT' where id = ${article}`);
    await database.db.execute(sql`update statements set cue = 'noted' where article_id = ${article}`);
    await database.db.execute(sql`update articles set status = 'PUBLISHED' where id = ${article}`);
    const changes = await next();
    const [statements] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from statements where article_id = ${article} and deleted_at is null`,
    );
    const count = statements?.n ?? 0;
    expect(count).toBeGreaterThan(0);
    expect(brief(changes)).toEqual([
      'Article UPDATE visible→hidden',
      ...Array(count).fill('Statement UPDATE visible→hidden'),
      ...Array(count).fill('Statement UPDATE hidden→hidden'),
      'Article UPDATE hidden→visible',
      ...Array(count).fill('Statement UPDATE hidden→visible'),
    ]);
    // Readers are not told of the edit to the draft.
    const forReaders = await readChanges(database.db, {
      after: changes[0]?.cursor,
      first: 1000,
      readersOnly: true,
    });
    expect(brief(forReaders.changes)).not.toContain('Statement UPDATE hidden→hidden');
    expect(forReaders.changes).toHaveLength(count * 2 + 1);
  });

  it('pages by cursor, filters by type, and refuses cursors it did not hand out or has pruned', async () => {
    const first = await readChanges(database.db, { after: afterSeed, first: 2, types: ['Actor'] });
    expect(first.changes.map((c) => c.nodeType)).toEqual(['Actor', 'Actor']);
    expect(first.hasNextPage).toBe(true);
    const rest = await readChanges(database.db, {
      after: first.changes[1]?.cursor,
      first: 1000,
      types: ['Actor'],
    });
    expect(brief(rest.changes)).toEqual(['Actor DELETE visible→hidden']);

    await expect(readChanges(database.db, { after: 'not-a-cursor', first: 10 })).rejects.toThrow(
      /Invalid change cursor "not-a-cursor": pass the `cursor` of a change/,
    );
    // A cursor past the end (a replica behind the primary that handed it out) reads nothing yet.
    const ahead = encodeChangeCursor({ xid: '999999999999', id: '1' });
    expect(await readChanges(database.db, { after: ahead, first: 10 })).toEqual({
      changes: [],
      hasNextPage: false,
    });
    const oldest = first.changes[0]?.cursor as string;
    await database.db.execute(sql`update change_log set changed_at = changed_at - interval '40 days'`);
    expect(await pruneChangeLog(database.db, 30)).toBeGreaterThan(0);
    await expect(readChanges(database.db, { after: oldest, first: 10, retentionDays: 30 })).rejects.toThrow(
      /names no change kept in the log \(changes are kept 30 days\)/,
    );
  });
  it('refuses TRUNCATE of what it logs (and of itself), which row triggers would not see; nothing is emptied', async () => {
    const count = async (table: string) =>
      (
        await rows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`)
      )[0]?.n;
    const tables = ['statement_provisions', 'actors', 'change_log'];
    const counts = async () => Promise.all(tables.map(count));
    const before = await counts();
    expect(before.every((n) => (n ?? 0) > 0)).toBe(true);
    for (const statement of [
      'truncate statement_provisions',
      'truncate table actors cascade',
      'truncate change_log',
    ]) {
      const refused = await database
        .withRawTransaction((raw) => raw.exec(statement))
        .then(
          () => null,
          (error: Error) => error,
        );
      expect(refused?.message, statement).toMatch(
        /^TRUNCATE \w+ is refused: the change log does not record it, so subscribers, changes\(after:\) and webhooks would never hear of it$/,
      );
      expect((refused as { hint?: string }).hint, statement).toMatch(
        /Delete the rows instead \(DELETE FROM \w+\)/,
      );
    }
    expect(await counts()).toEqual(before);
  });
});

describe.each(testEngines)('following the change log on $name', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  it('reads again on its own after a read fails, though no further change is notified', async () => {
    const errors: unknown[] = [];
    const follower = new ChangeLogFollower(database.db, (error) => errors.push(error));
    await follower.start();
    const heard: Change[] = [];
    const stopListening = follower.listen((changes) => heard.push(...changes));
    try {
      // A real failure: the log is not there while the follower reads.
      await database.db.execute(sql`alter table change_log rename to change_log_away`);
      await follower.poll();
      expect(errors).toHaveLength(1);
      await database.db.execute(sql`alter table change_log_away rename to change_log`);
      await database.db.execute(
        sql`insert into actors (slug, name, kind) values ('after-failure', 'After Failure', 'PERSON')`,
      );
      // Nobody calls poll() again: the follower's own retry reads the change.
      for (let i = 0; i < 100 && heard.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard.map((c) => `${c.nodeType} ${c.operation}`)).toEqual(['Actor CREATE']);
    } finally {
      stopListening();
      follower.stop();
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('the change log across PostgreSQL connections', () => {
  let database: TestDatabase;
  const postgres = testEngines.find((e) => e.name === 'postgres');
  beforeAll(async () => {
    database = (await postgres?.open()) as TestDatabase;
  });
  afterAll(() => database?.close());

  it('holds back what commits behind a running transaction, so a cursor never skips a late commit', async () => {
    await changeLogSettled(database);
    const start = await readChanges(database.db, { first: 1000 });
    const cursor = start.changes.at(-1)?.cursor ?? null;
    // The early transaction takes its id first but writes and commits last.
    const early = await heldTransaction(database, (raw) =>
      raw.query("insert into actors (slug, name, kind) values ('early', 'Early', 'PERSON')"),
    );
    await database.db.execute(sql`insert into actors (slug, name, kind) values ('late', 'Late', 'PERSON')`);
    // The late one has committed, but sits above the early one's id: not readable yet.
    expect((await readChanges(database.db, { after: cursor, first: 1000 })).changes).toEqual([]);
    early.release();
    await early.done;
    await changeLogSettled(database);
    const after = await readChanges(database.db, { after: cursor, first: 1000 });
    const slugs = await rows<{ id: string; slug: string }>(
      database.db,
      sql`select id, slug from actors where slug in ('early', 'late')`,
    );
    const slugOf = new Map(slugs.map((r) => [r.id, r.slug]));
    expect(after.changes.map((c) => slugOf.get(c.nodeId))).toEqual(['early', 'late']);
  });

  it('is not held back by a transaction running in another database on the server', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.pathname = '/postgres';
    const elsewhere = new pg.Client({ connectionString: url.href });
    await elsewhere.connect();
    try {
      await elsewhere.query('begin');
      await elsewhere.query('select pg_current_xact_id()');
      await changeLogSettled(database);
      const start = await readChanges(database.db, { first: 1000 });
      await database.db.execute(
        sql`insert into actors (slug, name, kind) values ('meanwhile', 'Meanwhile', 'PERSON')`,
      );
      // Other suites' transactions in this database may hold it a while; the one elsewhere never does.
      await changeLogSettled(database);
      const after = await readChanges(database.db, {
        after: start.changes.at(-1)?.cursor ?? null,
        first: 1000,
      });
      expect(after.changes.map((c) => c.operation)).toEqual(['CREATE']);
    } finally {
      await elsewhere.query('rollback');
      await elsewhere.end();
    }
  });
});
