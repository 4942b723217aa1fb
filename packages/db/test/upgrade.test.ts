// An upgrade keeps the data: a database as an older build made it (fixtures/upgrade-from-*.sql,
// written by packages/db/scripts/upgrade-fixture.ts, where it says how and when to regenerate it)
// is migrated by the current `migrate`, and every record is still there, as it was, and readable.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_TOKEN, FIXTURE_TOKEN_NAME } from '../scripts/upgrade-fixture.ts';
import { exportBundle } from '../src/import/bundle.ts';
import { migrate, readMigrations } from '../src/migrate.ts';
import { rows } from '../src/repositories/sql.ts';
import { type BundleRecords, readBundleText, seedFactProblems } from '../src/seed-facts.ts';
import { type TestDatabase, testEngines } from '../src/testing.ts';
import { verifyToken } from '../src/tokens.ts';

const FIXTURE_THROUGH = '0004_change_feed';
const FIXTURE = readFileSync(
  new URL(`fixtures/upgrade-from-${FIXTURE_THROUGH}.sql`, import.meta.url),
  'utf8',
);

async function tableCounts(database: TestDatabase): Promise<Record<string, number>> {
  const tables = await rows<{ name: string }>(
    database.db,
    sql`select table_name as name from information_schema.tables where table_schema = ${database.schema} order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await rows<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from "${name}"`));
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

async function bundle(database: TestDatabase): Promise<BundleRecords> {
  const lines: string[] = [];
  await exportBundle(database.db, (line) => {
    lines.push(line);
  });
  return readBundleText(lines.join(''));
}

describe.each(testEngines)(`an upgrade from ${FIXTURE_THROUGH} on $name`, (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await engine.open();
    // The suite's schema emptied, then filled as the older build left it.
    await database.withRawTransaction((raw) =>
      raw.exec(`DROP SCHEMA ${database.schema} CASCADE; CREATE SCHEMA ${database.schema};`),
    );
    await database.withRawTransaction((raw) => raw.exec(FIXTURE));
  });
  afterAll(() => database?.close());

  it('applies the newer migrations and keeps every record as it was', async () => {
    const countsBefore = await tableCounts(database);
    const before = await bundle(database);
    expect(countsBefore.statements).toBeGreaterThan(0);

    const newer = (await readMigrations()).map((m) => m.name).filter((name) => name > FIXTURE_THROUGH);
    expect(await migrate(database)).toEqual({ applied: newer });

    // Every table the older database had holds as many rows; tables a newer migration adds may
    // come with rows of their own.
    const countsAfter = await tableCounts(database);
    expect(Object.fromEntries(Object.keys(countsBefore).map((table) => [table, countsAfter[table]]))).toEqual(
      {
        ...countsBefore,
        chancery_migrations: (countsBefore.chancery_migrations ?? 0) + newer.length,
      },
    );
    // The log starts with the upgrade: the records already stored are not changes.
    expect(countsAfter.change_log).toBe(0);
    const after = await bundle(database);
    for (const [type, records] of before) {
      const now = new Map((after.get(type) ?? []).map((r) => [JSON.stringify(r.id ?? r), r]));
      for (const record of records) {
        // Columns a newer migration adds may appear; the ones the record had keep their values.
        expect(now.get(JSON.stringify(record.id ?? record)), type).toMatchObject(record);
      }
    }
    expect(seedFactProblems(after)).toEqual([]);
    expect(await verifyToken(database.db, FIXTURE_TOKEN)).toMatchObject({ name: FIXTURE_TOKEN_NAME });
  });
});
