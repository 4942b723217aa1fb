// Writes the upgrade test's fixture (packages/db/test/upgrade.test.ts): a database as a build with
// the migrations through `--through` made it, as one plain-SQL file that PGlite and PostgreSQL both
// load: those migrations verbatim, their rows in chancery_migrations, then every row as an INSERT.
// The rows are what the current code writes (the seed, then a story naming the seed's records,
// imported as `chancery import` does, and an API token), restricted to the columns that database has.
//
//   npx tsx packages/db/scripts/upgrade-fixture.ts --through 0004_change_feed
//
// When you write a new migration, keep the fixture: the upgrade test then applies your migration to
// a database an older build made, and fails if a record is lost. To move the baseline forward (a
// release has shipped migrations the fixture predates), run this with `--through` the last
// migration that release has, delete the old fixture and point FIXTURE in the test at the new one.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { fromSqlClient } from '../src/database.ts';
import { PGLITE_OPTIONS } from '../src/engine/embedded.ts';
import { BUNDLE_TABLES } from '../src/import/bundle.ts';
import { StoryImporter } from '../src/import/story.ts';
import { migrate, readMigrations } from '../src/migrate.ts';
import { rows } from '../src/repositories/sql.ts';
import { loadSeed } from '../src/seed.ts';
import { createToken, hashToken } from '../src/tokens.ts';

/** The API token the fixture holds (its hash, as every token): the test checks it still works. */
export const FIXTURE_TOKEN = `chy_${'upgrade-fixture-token-not-a-secret-'.padEnd(43, '0')}`;
export const FIXTURE_TOKEN_NAME = 'upgrade-fixture';

/** Tables (and rows) in an order every row comes after the rows it points at: a bundle's. */
const ROW_ORDER = new Map<string, readonly string[]>([
  ['chancery_migrations', ['name']],
  ['api_tokens', ['id']],
  ...BUNDLE_TABLES.map((b) => [b.table, b.order] as const),
]);
const TABLE_ORDER = [...ROW_ORDER.keys()];

const STORY = fileURLToPath(
  new URL('../test/fixtures/duma-ratifies-russia-dprk-treaty.txt', import.meta.url),
);

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { through: { type: 'string' } } });
  if (!args.through) throw new Error('Name the last migration the fixture has: --through 0004_change_feed');
  const through = args.through;
  const out = fileURLToPath(new URL(`../test/fixtures/upgrade-from-${through}.sql`, import.meta.url));

  const pglite = await PGlite.create(PGLITE_OPTIONS);
  const open = async (schema: string) => {
    await pglite.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}, public;`);
    return fromSqlClient({ kind: 'pglite', pglite, socketPath: null, close: async () => {} });
  };

  // The records, written by the current code on the current schema.
  const now = await open('fixture_now');
  await migrate(now);
  await loadSeed(now.db);
  const importer = new StoryImporter(now.db, { tokenName: null });
  await importer.importStory({
    source: 'duma',
    text: readFileSync(STORY, 'utf8'),
    published: { date: '2024-10-24' },
    status: 'PUBLISHED',
  });
  const { record } = await createToken(now.db, { name: FIXTURE_TOKEN_NAME, role: 'editor' });
  await now.db.execute(
    sql`update api_tokens set token_hash = ${hashToken(FIXTURE_TOKEN)} where id = ${record.id}`,
  );

  // The older database: its migrations, then the rows, in the columns it has.
  const then = await open('fixture_then');
  await migrate(then, { through });
  const columns = await rows<{ table: string; columns: string[] }>(
    then.db,
    sql`select table_name as "table", array_agg(column_name::text order by ordinal_position) as columns
        from information_schema.columns
        where table_schema = 'fixture_then' and is_generated = 'NEVER' and udt_name <> 'tsvector'
        group by table_name`,
  );
  const tables = new Map(columns.map((c) => [c.table, c.columns]));
  const unknown = [...tables.keys()].filter((table) => !TABLE_ORDER.includes(table));
  if (unknown.length > 0)
    throw new Error(`Add ${unknown.join(', ')} to TABLE_ORDER, after what they point at.`);
  const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
  for (const table of TABLE_ORDER) {
    const names = tables.get(table);
    if (!names || table === 'chancery_migrations') continue;
    await pglite.exec(
      `INSERT INTO fixture_then.${table} (${quoted(names)}) SELECT ${quoted(names)} FROM fixture_now.${table}`,
    );
  }

  // The dump: each row one INSERT of text literals (PostgreSQL casts them to the column types),
  // instants in UTC, rows in primary-key order so that a regenerated file diffs by what changed.
  await pglite.exec('SET timezone = UTC');
  const migrations = (await readMigrations()).filter((m) => m.name <= through);
  const parts = [
    `-- A Chancery database as a build with the migrations through ${through} made it: written by`,
    '-- packages/db/scripts/upgrade-fixture.ts (how and when to regenerate it is there). Do not edit.',
    '',
    ...migrations.map((m) => `-- Migration ${m.name}\n${m.sql.trimEnd()}\n`),
    'CREATE TABLE IF NOT EXISTS chancery_migrations (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());',
  ];
  for (const table of TABLE_ORDER) {
    const names = tables.get(table);
    if (!names) continue;
    const values = names.map((n) => `quote_nullable("${n}"::text)`).join(` || ', ' || `);
    const lines = await rows<{ line: string }>(
      then.db,
      sql.raw(
        `select 'INSERT INTO ${table} (${quoted(names)}) VALUES (' || ${values} || ');' as line
         from fixture_then.${table} t order by ${orderBy(table)}`,
      ),
    );
    parts.push('', `-- ${table}: ${lines.length} rows`, ...lines.map((l) => l.line));
  }
  writeFileSync(out, `${parts.join('\n')}\n`);
  await pglite.close();
  console.log(`Wrote ${out}`);
}

/** A plain name is a column; anything else an SQL expression over the table aliased `t`. */
const orderBy = (table: string) =>
  (ROW_ORDER.get(table) ?? []).map((o) => (/^[a-z_]+$/.test(o) ? `t."${o}"` : `(${o})`)).join(', ');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main().catch((error: Error) => {
    console.error(`upgrade-fixture: ${error.message}`);
    process.exitCode = 1;
  });
}
