import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgAsyncDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { type ChangeFeed, type ChangeWatcher, watchEmbeddedChanges, watchServerChanges } from './changes.ts';
import { type OpenSqlClientOptions, openSqlClient, type SqlClient } from './engine/open.ts';
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

export type OpenDatabaseOptions = OpenSqlClientOptions;

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return fromSqlClient(await openSqlClient(options));
}

export function fromSqlClient(client: SqlClient): Database {
  if (client.kind === 'pglite') {
    const pglite = client.pglite;
    return {
      db: drizzlePglite({ client: pglite, relations, logger: countingLogger }) as unknown as ChanceryDb,
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
      close: client.close,
    };
  }
  const pool = client.pool;
  return {
    db: drizzlePg({ client: pool, relations, logger: countingLogger }) as unknown as ChanceryDb,
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
    close: client.close,
  };
}
