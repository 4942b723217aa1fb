import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgAsyncDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { type ChangeFeed, type ChangeWatcher, watchEmbeddedChanges, watchServerChanges } from './changes.ts';
import { type OpenSqlClientOptions, openSqlClient, type SqlClient } from './engine/open.ts';
import { type Replica, ReplicaSet } from './engine/replicas.ts';
import { relations } from './relations.ts';

export type ChanceryDb = PgAsyncDatabase<PgQueryResultHKT, typeof relations>;

/** Runs raw, possibly multi-statement SQL (migrations) on either engine. */
export type RawSql = {
  exec(text: string): Promise<void>;
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
};

export type Database = {
  db: ChanceryDb;
  engine: 'pglite' | 'postgres';
  /** How this process reaches the data: in-process PGlite, a PostgreSQL server, or a PGlite owner's socket. */
  via: 'embedded' | 'server' | 'socket';
  /** Runs `work` on one connection inside a transaction, for raw multi-statement SQL. */
  withRawTransaction<T>(work: (raw: RawSql) => Promise<T>): Promise<T>;
  /**
   * Tells `watcher` which tables committed writes touch, whoever writes (changes.ts). Only the
   * process that owns the database can watch it: not through a PGlite owner's socket.
   */
  watchChanges(watcher: ChangeWatcher): Promise<ChangeFeed>;
  /**
   * Where a request that only reads may go: the next read replica that is up (DATABASE_READ_URL),
   * or the primary (`db`) when there is none. Writes, and editors' reads, always use `db`.
   */
  readDb(): { db: ChanceryDb; pool: string };
  /** The read replicas and whether each is in use; empty without DATABASE_READ_URL. */
  replicas(): { name: string; up: boolean }[];
  close(): Promise<void>;
};

// Counts the SQL statements issued inside `countSqlStatements(fn)`, per async context, so a
// request's count is exact even while other requests run.
type StatementCounter = { count: number; log?: string[]; params?: unknown[][] };
const statementCounter = new AsyncLocalStorage<StatementCounter>();
const countingLogger: Logger = {
  logQuery(query, params) {
    const counter = statementCounter.getStore();
    if (counter) {
      counter.count += 1;
      counter.log?.push(query);
      counter.params?.push(params);
    }
  },
};

/**
 * Runs `work`, counting the SQL statements it issues; `keepLog` keeps their text, and `keepParams`
 * their parameters too (`params[i]` for `log[i]`, for tests that EXPLAIN them).
 */
export async function countSqlStatements<T>(
  work: () => Promise<T>,
  options: { keepLog?: boolean; keepParams?: boolean } = {},
): Promise<{ result: T; count: number; log: string[]; params: unknown[][] }> {
  const keep = options.keepLog || options.keepParams;
  const counter: StatementCounter = {
    count: 0,
    log: keep ? [] : undefined,
    params: options.keepParams ? [] : undefined,
  };
  const result = await statementCounter.run(counter, work);
  return { result, count: counter.count, log: counter.log ?? [], params: counter.params ?? [] };
}

/** Starts counting for the rest of the current async context (one GraphQL request). */
export function startSqlStatementCount(): { readonly count: number } {
  const counter = { count: 0 };
  statementCounter.enterWith(counter);
  return counter;
}

export type OpenDatabaseOptions = OpenSqlClientOptions & {
  /** Read replicas' PostgreSQL URLs (DATABASE_READ_URL); only with `databaseUrl`. */
  readUrls?: string[];
  /** Told when a replica stops being used (it failed) and when it is used again. */
  onReplicaChange?: (replica: Pick<Replica, 'name' | 'where'>, up: boolean, error?: Error) => void;
};

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const client = await openSqlClient(options);
  const readUrls = options.readUrls ?? [];
  if (readUrls.length === 0) return fromSqlClient(client);
  if (client.kind !== 'pg' || client.via !== 'server') {
    await client.close();
    throw new Error('Read replicas (DATABASE_READ_URL) need a PostgreSQL primary (DATABASE_URL).');
  }
  const replicas = new ReplicaSet(readUrls, {
    primary: client.pool,
    onChange: options.onReplicaChange,
    onPoolError: options.onPoolError,
  });
  return fromSqlClient(client, replicas);
}

/** `replicas`: read replicas beside a PostgreSQL primary (openDatabase makes them; tests too). */
export function fromSqlClient(client: SqlClient, replicas?: ReplicaSet): Database {
  if (client.kind === 'pglite') {
    const pglite = client.pglite;
    const db = drizzlePglite({ client: pglite, relations, logger: countingLogger }) as unknown as ChanceryDb;
    return {
      db,
      engine: 'pglite',
      via: 'embedded',
      withRawTransaction: (work) =>
        pglite.transaction((tx) =>
          work({
            exec: async (text) => {
              await tx.exec(text);
            },
            query: async <Row>(text: string, params?: unknown[]) => (await tx.query<Row>(text, params)).rows,
          }),
        ),
      watchChanges: (watcher) =>
        watchEmbeddedChanges(pglite, client.onSocketNotification ?? (() => () => undefined), watcher),
      readDb: () => ({ db, pool: 'primary' }),
      replicas: () => [],
      close: client.close,
    };
  }
  const pool = client.pool;
  const db = drizzlePg({ client: pool, relations, logger: countingLogger }) as unknown as ChanceryDb;
  const replicaDbs = new Map(
    (replicas?.replicas ?? []).map((r) => [
      r,
      drizzlePg({ client: r.pool, relations, logger: countingLogger }) as unknown as ChanceryDb,
    ]),
  );
  return {
    db,
    engine: client.via === 'socket' ? 'pglite' : 'postgres',
    via: client.via,
    async withRawTransaction(work) {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const result = await work({
          exec: async (text) => {
            await connection.query(text);
          },
          query: async <Row>(text: string, params?: unknown[]) =>
            (await connection.query(text, params)).rows as Row[],
        });
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
    async watchChanges(watcher) {
      if (client.via === 'socket')
        throw new Error('Changes are watched by the process that owns the database, not through its socket.');
      return watchServerChanges(pool.options, watcher);
    },
    readDb() {
      const replica = replicas?.pick();
      return replica
        ? { db: replicaDbs.get(replica) as ChanceryDb, pool: replica.name }
        : { db, pool: 'primary' };
    },
    replicas: () => (replicas?.replicas ?? []).map((r) => ({ name: r.name, up: r.up })),
    async close() {
      await replicas?.close();
      await client.close();
    },
  };
}
