// Per engine: make the bench database (the corpus imported afresh by the CLI, or another
// corpus created if missing), then, on an in-process Chancery, answer each scenario's request,
// count the SQL it issues (through a Drizzle logger), and check that the floor's hand-written SQL
// gives the same `data`; EXPLAIN says which indexes the floor's SQL uses. The write is captured
// (write.ts). Everything the children need comes out of here.
import { cp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ChanceryDb, fromSqlClient } from '@chancery/db/database';
import { openSqlClient, type SqlClient } from '@chancery/db/engine/open';
import { migrate } from '@chancery/db/migrate';
import { relations } from '@chancery/db/relations';
import { loadSeed } from '@chancery/db/seed';
import { createContext, createRequestContext } from '@chancery/server/context';
import { type ChanceryServerOptions, createServer } from '@chancery/server/server';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { comparableAnswer, firstDifference } from './answers.ts';
import type { CorpusSource, CorpusSummary } from './corpus/source.ts';
import type { FloorPlan } from './floor-plan.ts';
import { floorSql } from './floor-sql.ts';
import { scenarios as allScenarios, type Row, type Scenario } from './scenarios.ts';
import { pgliteWithTransactionMarkers, prepareWrite, type WriteRequest } from './write.ts';

export type EngineName = 'postgres' | 'pglite';

export type ScenarioRequest = {
  scenario: Scenario;
  variables: Record<string, unknown>;
  /** The POST body both servers receive. */
  body: string;
  /** Chancery's `data` for it (the floor must produce the same). */
  data: unknown;
  /** PostGraphile's POST body for the same answer. */
  peerBody: string;
  /** What Chancery's answer says, to compare PostGraphile's with (answers.ts). */
  comparable: unknown;
  sqlStatements: number;
  sql: { text: string; params: unknown[] }[];
  /** The floor's plan as EXPLAIN shows it: the indexes it uses, and any table it reads whole. */
  floorPlan: FloorExplain;
};

export type FloorExplain = { indexes: string[]; seqScans: string[] };

export type PreparedEngine = {
  engine: EngineName;
  /** Where the data lives, for the report (no password). */
  location: string;
  /** The indexes of the tables the reads touch, by table (what the floor could use). */
  indexes: Record<string, string[]>;
  serverVersion: string;
  corpus: CorpusSummary;
  requests: ScenarioRequest[];
  /** Scenario 4, when asked for. */
  write: WriteRequest | null;
  plan: FloorPlan;
  /**
   * Environment for a Chancery child, for the response-cached Chancery child and for a floor child
   * (PGlite: one copy of the same data each, the first being the bench's own directory).
   */
  chanceryEnv: Record<string, string>;
  cachedEnv: Record<string, string>;
  floorEnv: Record<string, string>;
};

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/chancery_bench';

/** The bench database for a scale: chancery_bench, chancery_bench_s10, … */
export function databaseUrlFor(baseUrl: string, scale: number): string {
  if (scale === 1) return baseUrl;
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname}_s${String(scale).replace('.', '_')}`;
  return url.href;
}

/** The database holding a corpus: chancery_bench_generated, chancery_bench_loader_s10, … */
export function corpusDatabaseUrl(baseUrl: string, scale: number, corpus: CorpusSource): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname}_${corpus.key}`;
  return databaseUrlFor(url.href, scale);
}

export const defaultDataRoot = () => join(tmpdir(), 'chancery-bench');

export async function ensurePostgresDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Bench database name must be [a-z0-9_]+; got ${name}.`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

export async function dropPostgresDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^chancery_bench[a-z0-9_]*$/.test(name))
    throw new Error(`Refusing to drop ${name}: not a bench database.`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.href;
}

type Captured = { query: string; params: unknown[] };

function capturingDb(client: SqlClient, log: Captured[]): ChanceryDb {
  const logger: Logger = { logQuery: (query, params) => log.push({ query, params: [...params] }) };
  // PGlite sends BEGIN and COMMIT itself (transaction()); they are logged as Drizzle logs them on pg.
  return (client.kind === 'pglite'
    ? drizzlePglite({ client: pgliteWithTransactionMarkers(client.pglite, log), relations, logger })
    : drizzlePg({ client: client.pool, relations, logger })) as unknown as ChanceryDb;
}

/**
 * A server run in the bench's own process, as deployed but with nothing in the background (no
 * statistics keeping, webhook sending or change-log pruning): its queries and CPU are the requests'.
 */
export const IN_PROCESS_SERVER = {
  production: true,
  statistics: false,
  webhooks: false,
  live: { changeLogDays: 0 },
} satisfies Omit<ChanceryServerOptions, 'database'>;

async function rawQuery(client: SqlClient, text: string, params: unknown[]): Promise<Row[]> {
  if (client.kind === 'pglite') return (await client.pglite.query<Row>(text, params)).rows;
  return (await client.pool.query({ text, values: params })).rows;
}

/** Index names and sequential scans anywhere in an EXPLAIN (FORMAT JSON) plan. */
export function explainSummary(plan: unknown): FloorExplain {
  const indexes = new Set<string>();
  const seqScans = new Set<string>();
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (typeof node['Index Name'] === 'string') indexes.add(node['Index Name']);
    if (node['Node Type'] === 'Seq Scan') seqScans.add(node['Relation Name']);
    for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
  };
  walk(plan);
  return { indexes: [...indexes].sort(), seqScans: [...seqScans].sort() };
}

const READ_TABLES = [
  'statements',
  'articles',
  'actors',
  'actor_roles',
  'treaties',
  'treaty_parties',
  'treaty_provisions',
  'statement_provisions',
];

export async function prepareEngine(options: {
  engine: EngineName;
  scale: number;
  databaseUrl: string;
  dataRoot: string;
  corpus: CorpusSource;
  scenarios?: Scenario[];
  /** Start from an empty bench database (needed when an applied migration was edited). */
  fresh?: boolean;
  /** Also capture scenario 4 (createStatement). */
  write?: boolean;
  /** PGlite: also copy the data for a response-cached Chancery child. */
  cachedCopy?: boolean;
  /** The repository (the CLI a corpus `load` runs) and the CPU its processes are pinned to. */
  repo: string;
  cpu: number | null;
  log: (line: string) => void;
}): Promise<PreparedEngine> {
  const { engine, scale, log } = options;
  const scenarios = options.scenarios ?? allScenarios;
  const url = corpusDatabaseUrl(options.databaseUrl, scale, options.corpus);
  const dataDir = resolve(options.dataRoot, `pglite-${options.corpus.key}-s${scale}`);
  if (options.corpus.load) {
    await options.corpus.load({
      engine,
      databaseUrl: url,
      dataDir,
      repo: options.repo,
      dataRoot: options.dataRoot,
      scale,
      cpu: options.cpu,
      log,
      resetDatabase: async () => {
        await dropPostgresDatabase(url);
        await ensurePostgresDatabase(url);
      },
    });
  } else if (options.fresh) {
    log(`${engine}: starting from an empty database`);
    if (engine === 'postgres') await dropPostgresDatabase(url);
    else await rm(dataDir, { recursive: true, force: true });
  }
  if (engine === 'postgres') await ensurePostgresDatabase(url);
  else await mkdir(dataDir, { recursive: true });

  const client = await openSqlClient(
    engine === 'postgres' ? { databaseUrl: url, dataDir, role: 'test' } : { dataDir, role: 'test' },
  );
  const database = fromSqlClient(client);
  try {
    const { applied } = await migrate(database).catch((error: Error) => {
      throw new Error(`${error.message}\nThe bench database predates that change: run again with --fresh.`);
    });
    if (applied.length) log(`${engine}: applied migrations ${applied.join(', ')}`);
    await loadSeed(database.db);
    const corpus = await options.corpus.ensure(database, { scale, log });
    const [{ version = '?' } = {}] = await rawQuery(client, 'select version() as version', []);

    // An in-process Chancery whose Drizzle logs every statement with its parameters.
    const captured: Captured[] = [];
    const db = capturingDb(client, captured);
    // Nothing in the background: only the scenarios' own statements are captured.
    const server = await createServer({ database: { ...database, db }, ...IN_PROCESS_SERVER });
    const run = async (query: string, variables?: Record<string, unknown>) => {
      const response = await server.apollo.executeOperation(
        { query, variables },
        { contextValue: createContext({ db }) },
      );
      if (response.body.kind !== 'single') throw new Error('Unexpected incremental response');
      return response.body.singleResult as { data?: any; errors?: unknown[] };
    };

    const requests: ScenarioRequest[] = [];
    const plan: FloorPlan = { reads: [] };
    // The hand-written SQL for the schema as it is (the visibility column came with 0005).
    const [published] = await rawQuery(
      client,
      `select 1 from information_schema.columns where table_schema = 'public' and table_name = 'statements' and column_name = 'published'`,
      [],
    );
    const floorStatements = floorSql({ publishedColumn: Boolean(published) });
    for (const scenario of scenarios) {
      const variables = scenario.variables(corpus);
      captured.length = 0;
      const result = await run(scenario.query, variables);
      if (result.errors) throw new Error(`${scenario.id}: ${JSON.stringify(result.errors)}`);
      const sql = captured.map((entry) => ({ text: entry.query, params: entry.params }));
      const data = JSON.parse(JSON.stringify(result.data)) as unknown;
      // The floor's answer must be Chancery's, or the comparison is void.
      const params = scenario.floor.params.map((name) => variables[name]);
      const floorText = floorStatements[scenario.floor.sql];
      const [floorRow] = await rawQuery(client, floorText, params);
      const difference = firstDifference(JSON.parse(String(floorRow?.data)), data);
      if (difference)
        throw new Error(`${scenario.id}: the floor's data differs from Chancery's at ${difference}`);
      const [explained] = await rawQuery(client, `explain (format json) ${floorText}`, params);
      plan.reads.push({
        id: scenario.id,
        name: `floor-${scenario.id}`,
        sql: floorText,
        params: scenario.floor.params,
      });
      requests.push({
        scenario,
        variables,
        body: JSON.stringify({ query: scenario.query, variables }),
        data,
        peerBody: JSON.stringify({ query: scenario.peer.query, variables }),
        comparable: comparableAnswer(scenario.id, 'chancery', data),
        sqlStatements: sql.length,
        sql,
        floorPlan: explainSummary(explained?.['QUERY PLAN']),
      });
      captured.length = 0;
    }
    const indexRows = await rawQuery(
      client,
      `select tablename, indexname from pg_indexes where schemaname = 'public' and tablename = any($1) order by tablename, indexname`,
      [READ_TABLES],
    );
    const indexes: Record<string, string[]> = {};
    for (const row of indexRows) indexes[row.tablename] = [...(indexes[row.tablename] ?? []), row.indexname];
    let write: WriteRequest | null = null;
    if (options.write) {
      const prepared = await prepareWrite({
        database,
        client,
        captured,
        runAs: async (query, variables, headers) => {
          const contextValue = await createRequestContext({ db, headers: { get: (name) => headers[name] } });
          const response = await server.apollo.executeOperation({ query, variables }, { contextValue });
          if (response.body.kind !== 'single') throw new Error('Unexpected incremental response');
          return response.body.singleResult;
        },
        log,
      });
      write = prepared.request;
      plan.writes = [prepared.plan];
    }
    await server.stop();

    let floorEnv: Record<string, string>;
    let chanceryEnv: Record<string, string>;
    let cachedEnv: Record<string, string>;
    if (engine === 'postgres') {
      chanceryEnv = { DATABASE_URL: url };
      cachedEnv = { DATABASE_URL: url };
      floorEnv = { DATABASE_URL: url };
    } else {
      chanceryEnv = { CHANCERY_DATA_DIR: dataDir, DATABASE_URL: '' };
      cachedEnv = { CHANCERY_DATA_DIR: `${dataDir}-cached`, DATABASE_URL: '' };
      floorEnv = { CHANCERY_DATA_DIR: `${dataDir}-floor`, DATABASE_URL: '' };
    }
    return {
      engine,
      location: engine === 'postgres' ? redact(url) : dataDir,
      indexes,
      serverVersion: String(version),
      corpus,
      requests,
      write,
      plan,
      chanceryEnv,
      cachedEnv,
      floorEnv,
    };
  } finally {
    await database.close();
    if (engine === 'pglite') {
      // The floor (and the cached Chancery) get their own copy of the same data: PGlite is
      // single-process.
      for (const copy of ['floor', ...(options.cachedCopy ? ['cached'] : [])]) {
        await rm(`${dataDir}-${copy}`, { recursive: true, force: true });
        await cp(join(dataDir, 'pgdata'), join(`${dataDir}-${copy}`, 'pgdata'), { recursive: true });
      }
    }
  }
}
