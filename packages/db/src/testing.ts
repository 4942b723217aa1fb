// Test databases: every integration suite runs once per engine, PGlite always and PostgreSQL when
// TEST_DATABASE_URL is set. Each suite gets its own fresh schema, so suites never see each
// other's rows and nothing needs cleaning between runs.
import { randomBytes } from 'node:crypto';
import { TOKEN_ROLES, type TokenRole } from '@chancery/domain/viewer';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { CHANGE_LOG_HORIZON } from './change-log.ts';
import { type Database, fromSqlClient, type RawSql } from './database.ts';
import { PGLITE_OPTIONS } from './engine/embedded.ts';
import { pgTypes, validateDatabaseUrl } from './engine/open.ts';
import { PreparingClient } from './engine/prepared.ts';
import { migrate } from './migrate.ts';
import { rows } from './repositories/sql.ts';
import { loadSeed } from './seed.ts';
import { createToken } from './tokens.ts';

export type TestDatabase = Database & {
  /** The PostgreSQL schema this suite's tables live in. */
  schema: string;
};

export type TestEngine = {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated database in a schema of its own; with `seed`, the seed story loaded. */
  open(options?: { seed?: boolean }): Promise<TestDatabase>;
};

const freshSchemaName = () => `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

// A fresh PGlite costs seconds and most of a gigabyte: one per test worker, shared by its suites,
// which run one after another and switch search_path to their own schema. PGlite is a single
// connection, so only one test database can be open on it at a time.
let sharedPglite: Promise<PGlite> | null = null;
let openSchema: string | null = null;
const workerPglite = () => (sharedPglite ??= PGlite.create(PGLITE_OPTIONS));

const pgliteEngine: TestEngine = {
  name: 'pglite',
  async open(options) {
    if (openSchema) {
      throw new Error(`Close the PGlite test database ${openSchema} before opening another in this worker.`);
    }
    const pglite = await workerPglite();
    const schema = freshSchemaName();
    openSchema = schema;
    await pglite.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}, public;`);
    const database = fromSqlClient({
      kind: 'pglite',
      pglite,
      socketPath: null,
      close: async () => {
        await pglite.exec(`SET search_path TO public; DROP SCHEMA ${schema} CASCADE;`);
        openSchema = null;
      },
    });
    return prepare({ ...database, schema }, options);
  },
};

function postgresEngine(url: string): TestEngine {
  return {
    name: 'postgres',
    async open(options) {
      const schema = freshSchemaName();
      const { database } = await openSchemaDatabase(url, { schema, max: 8 });
      return prepare({ ...database, schema }, options);
    },
  };
}

/**
 * A database of its own on a PostgreSQL server: the schema `schema`, created now and dropped on
 * close (unless `keep`), reached through a pool whose search_path starts with it.
 */
export async function openSchemaDatabase(
  url: string,
  options: { schema: string; max: number; keep?: boolean },
): Promise<{ database: Database; pool: pg.Pool }> {
  const { schema } = options;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    types: pgTypes,
    Client: PreparingClient,
    options: `-c search_path=${schema},public`,
  });
  const database = fromSqlClient({
    kind: 'pg',
    pool,
    via: 'server',
    close: async () => {
      if (!options.keep) await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    },
  });
  return { database, pool };
}

async function prepare(database: TestDatabase, options: { seed?: boolean } = {}): Promise<TestDatabase> {
  await migrate(database);
  if (options.seed) await loadSeed(database.db);
  return database;
}

/** One API token of each role, named after it, made as `chancery token create` makes them. */
export async function createTokens(database: Database): Promise<Record<TokenRole, string>> {
  const tokens: Partial<Record<TokenRole, string>> = {};
  for (const role of TOKEN_ROLES) tokens[role] = (await createToken(database.db, { name: role, role })).token;
  return tokens as Record<TokenRole, string>;
}

const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim();

/** The engines to run integration suites against: `describe.each(testEngines)`. */
export const testEngines: TestEngine[] = [
  pgliteEngine,
  ...(testDatabaseUrl ? [postgresEngine(validateDatabaseUrl(testDatabaseUrl))] : []),
];

/**
 * Waits until the change log's horizon has passed every transaction committed before this call,
 * so reading the log shows them. On PostgreSQL other suites' transactions in the same test
 * database hold the horizon back (only other databases' do not), sometimes for many seconds.
 */
export async function changeLogSettled(database: Database, timeoutMs = 60_000): Promise<void> {
  const [mark] = await rows<{ xid: string }>(database.db, sql`select pg_current_xact_id()::text as xid`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await rows<{ passed: boolean }>(
      database.db,
      sql`select ${CHANGE_LOG_HORIZON} > ${mark?.xid}::xid8 as passed`,
    );
    if (row?.passed) return;
    if (Date.now() > deadline)
      throw new Error(`The change log's horizon stayed below ${mark?.xid} for ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A transaction that has taken its id and stays open until `release()`, then runs `then` (a write
 * that commits after later ones) and commits: for tests of what commits behind what.
 */
export async function heldTransaction(
  database: Database,
  then?: (raw: RawSql) => Promise<unknown>,
): Promise<{ release: () => void; done: Promise<void> }> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let began: () => void = () => undefined;
  const begun = new Promise<void>((resolve) => {
    began = resolve;
  });
  const done = database.withRawTransaction(async (raw) => {
    await raw.query('select pg_current_xact_id()');
    began();
    await held;
    await then?.(raw);
  });
  await Promise.race([begun, done]);
  return { release, done };
}
