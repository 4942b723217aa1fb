import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Database, RawSql } from './database.ts';

// Found through the package rather than next to this file: bundled into apps/server/dist/main.mjs,
// `import.meta.url` is the bundle's, and `../migrations/` from there is not this package's folder.
const MIGRATIONS_DIR = new URL(
  'migrations/',
  pathToFileURL(createRequire(import.meta.url).resolve('@chancery/db/package.json')),
);
// Any constant works; it only has to be the same for every Chancery process sharing a database.
const MIGRATION_LOCK_KEY = 7_203_411;

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationState = { name: string; appliedAt: string | null };

export async function readMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(new URL(file, MIGRATIONS_DIR), 'utf8');
      return { name: file.replace(/\.sql$/, ''), sql, checksum: sha256(sql) };
    }),
  );
}

/**
 * Applies pending migrations in one transaction, under an advisory lock so that several servers
 * starting against one PostgreSQL apply each migration once. Idempotent. Refuses to run when an
 * applied migration's file has changed since. `through` stops after the named migration: a
 * database as an older build made it (the upgrade test's fixture, packages/db/scripts/).
 */
export async function migrate(
  database: Database,
  options: { through?: string } = {},
): Promise<{ applied: string[] }> {
  let migrations = await readMigrations();
  if (options.through !== undefined) {
    const last = migrations.findIndex((m) => m.name === options.through);
    if (last < 0) {
      throw new Error(
        `There is no migration ${options.through}; the migrations are ${migrations.map((m) => m.name).join(', ')}.`,
      );
    }
    migrations = migrations.slice(0, last + 1);
  }
  return database.withRawTransaction(async (raw) => {
    await raw.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await ensureHistoryTable(raw);
    const done = new Map(
      (
        await raw.query<{ name: string; checksum: string }>('SELECT name, checksum FROM chancery_migrations')
      ).map((row) => [row.name, row.checksum]),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      const checksum = done.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied; add a new migration instead of editing it.`,
          );
        }
        continue;
      }
      await raw.exec(migration.sql);
      await raw.query('INSERT INTO chancery_migrations (name, checksum) VALUES ($1, $2)', [
        migration.name,
        migration.checksum,
      ]);
      applied.push(migration.name);
    }
    return { applied };
  });
}

export async function migrationStatus(database: Database): Promise<MigrationState[]> {
  const migrations = await readMigrations();
  const rows = await database.withRawTransaction(async (raw) => {
    const exists = await raw.query<{ found: boolean }>(
      "SELECT to_regclass('chancery_migrations') IS NOT NULL AS found",
    );
    if (!exists[0]?.found) return [];
    return raw.query<{ name: string; applied_at: string }>(
      'SELECT name, applied_at::text FROM chancery_migrations',
    );
  });
  const appliedAt = new Map(rows.map((row) => [row.name, row.applied_at]));
  return migrations.map((m) => ({ name: m.name, appliedAt: appliedAt.get(m.name) ?? null }));
}

async function ensureHistoryTable(raw: RawSql): Promise<void> {
  await raw.exec(`CREATE TABLE IF NOT EXISTS chancery_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
