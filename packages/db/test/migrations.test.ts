import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationStatus } from '../src/migrate.ts';
import * as schema from '../src/schema.ts';
import { type TestDatabase, testEngines } from '../src/testing.ts';

describe.each(testEngines)('migrations on $name', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  it('are applied once; running them again changes nothing', async () => {
    expect(await migrate(database)).toEqual({ applied: [] });
    const status = await migrationStatus(database);
    expect(status.every((m) => m.appliedAt !== null)).toBe(true);
  });

  it('refuse to run when an applied migration was edited afterwards', async () => {
    await database.withRawTransaction((raw) =>
      raw.query("UPDATE chancery_migrations SET checksum = 'edited' WHERE name = '0001_initial'"),
    );
    await expect(migrate(database)).rejects.toThrow(/0001_initial was changed after it was applied/);
  });

  // The SQL migrations are the source of truth; the Drizzle schema must describe the same columns.
  it('create exactly the tables and columns the Drizzle schema describes', async () => {
    const rows = await database.withRawTransaction((raw) =>
      raw.query<{ table_name: string; column_name: string; is_nullable: string }>(
        `SELECT table_name, column_name, is_nullable FROM information_schema.columns
         WHERE table_schema = $1 AND table_name <> 'chancery_migrations'`,
        [database.schema],
      ),
    );
    const actual = new Map<string, Map<string, boolean>>();
    for (const row of rows) {
      const columns = actual.get(row.table_name) ?? new Map<string, boolean>();
      columns.set(row.column_name, row.is_nullable === 'YES');
      actual.set(row.table_name, columns);
    }
    const tables = Object.values(schema).filter(
      (value) => typeof value === 'object' && value && Symbol.for('drizzle:IsDrizzleTable') in value,
    ) as PgTable[];
    expect([...actual.keys()].sort()).toEqual(tables.map((table) => getTableConfig(table).name).sort());
    for (const table of tables) {
      const config = getTableConfig(table);
      const described = new Map(config.columns.map((column) => [column.name, !column.notNull]));
      expect(Object.fromEntries(described), config.name).toEqual(
        Object.fromEntries(actual.get(config.name) ?? []),
      );
    }
  });
});
