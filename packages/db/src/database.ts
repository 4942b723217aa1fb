import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgAsyncDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type pg from 'pg';
import { type ChangeFeed, type ChangeWatcher, watchEmbeddedChanges, watchServerChanges } from './changes.ts';
import { type OpenSqlClientOptions, openSqlClient, type SqlClient } from './engine/open.ts';
import { preparingPglite } from './engine/prepared.ts';
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
  /** The same database, counting into `counter` every statement issued through it (one request's). */
  counting(counter: StatementCounter): CountedDatabase;
  /** The read replicas and whether each is in use; empty without DATABASE_READ_URL. */
  replicas(): { name: string; up: boolean }[];
  close(): Promise<void>;
};

/**
 * The SQL statements issued through a counted database (Database.counting): how many, and with
 * `log` / `params` given, their text and parameters (`params[i]` for `log[i]`).
 */
export type StatementCounter = { count: number; log?: string[]; params?: unknown[][] };

/**
 * A drizzle logger that counts into `counter`. Each request gets a database of its own built with
 * one (building it costs a few microseconds), rather than one shared logger looking its request up
 * in an AsyncLocalStorage, which on Node 20 puts a hook on every promise of every request.
 */
const countingInto = (counter: StatementCounter): Logger => ({
  logQuery(query, params) {
    counter.count += 1;
    counter.log?.push(query);
    counter.params?.push(params);
  },
});

/** A database whose statements are counted: `db` and, for reads, `readDb()` as Database has them. */
export type CountedDatabase = Pick<Database, 'db' | 'readDb'>;

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
    const reads = preparingPglite(pglite);
    const connect = (logger?: Logger) =>
      drizzlePglite({ client: reads, relations, logger }) as unknown as ChanceryDb;
    const db = connect();
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
      counting(counter) {
        const counted = connect(countingInto(counter));
        return { db: counted, readDb: () => ({ db: counted, pool: 'primary' }) };
      },
      replicas: () => [],
      close: client.close,
    };
  }
  const pool = client.pool;
  const connect = (client: pg.Pool, logger?: Logger) =>
    drizzlePg({ client, relations, logger }) as unknown as ChanceryDb;
  const db = connect(pool);
  const replicaDbs = new Map((replicas?.replicas ?? []).map((r) => [r, connect(r.pool)]));
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
    counting(counter) {
      const logger = countingInto(counter);
      const primary = connect(pool, logger);
      return {
        db: primary,
        readDb() {
          const replica = replicas?.pick();
          return replica
            ? { db: connect(replica.pool, logger), pool: replica.name }
            : { db: primary, pool: 'primary' };
        },
      };
    },
    replicas: () => (replicas?.replicas ?? []).map((r) => ({ name: r.name, up: r.up })),
    async close() {
      await replicas?.close();
      await client.close();
    },
  };
}
