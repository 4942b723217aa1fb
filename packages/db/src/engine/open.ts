/**
 * One entry point choosing the SQL engine:
 * - `databaseUrl` set (non-empty)          → PostgreSQL server through a pg.Pool (`via: 'server'`);
 * - else, a live process owns `dataDir`:
 *     role 'cli'    → pg.Pool (max 1) through the owner's Unix socket (`via: 'socket'`);
 *     role 'server' / 'test' → DataDirectoryLockedError naming the owner's PID;
 * - else embedded PGlite on `dataDir` (role 'server' also serves the socket for the CLI).
 *
 * Type parsing on the pg pools: `date` (and `date[]`) come back as the plain 'YYYY-MM-DD' string,
 * never a JS Date (pg's default builds a Date at local midnight, which shifts the day when
 * serialised in a timezone east/west of UTC). `timestamptz` keeps pg's default, a JS Date: it is
 * an absolute instant, so the Date is exact. The PGlite handle is configured the same way for
 * `date`. Drizzle's node-postgres driver passes its own per-query parsers and is unaffected.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { CustomTypesConfig } from 'pg';
import pg from 'pg';
import type { EmbeddedOwner } from './embedded.ts';
import { findEmbeddedOwner, openEmbedded, PG_OID, SOCKET_FILE_NAME } from './embedded.ts';
import { DataDirectoryLockedError, isProcessAlive } from './lock.ts';
import { PreparingClient } from './prepared.ts';
import type { NotificationListener } from './socket-server.ts';

export { DataDirectoryLockedError } from './lock.ts';

export type SqlRole = 'server' | 'cli' | 'test';

export interface OpenSqlClientOptions {
  /** `postgres://` or `postgresql://` URL; empty or undefined selects the embedded engine. */
  databaseUrl?: string | undefined;
  dataDir: string;
  role: SqlRole;
  /** Errors of idle pooled connections (e.g. the server went away). Default: print to stderr. */
  onPoolError?: (error: Error) => void;
  /** How long role 'cli' waits for an owner that is still starting to create its socket. Default 30 s. */
  socketWaitMs?: number;
}

export type SqlClient =
  | {
      kind: 'pglite';
      pglite: PGlite;
      /** Where other processes reach this database, or null. */
      socketPath: string | null;
      /** Hears notifications delivered by socket clients' statements; absent without a socket. */
      onSocketNotification?: (listener: NotificationListener) => () => void;
      close(): Promise<void>;
    }
  | {
      kind: 'pg';
      pool: pg.Pool;
      via: 'server' | 'socket';
      close(): Promise<void>;
    };

export class InvalidDatabaseUrlError extends Error {
  override readonly name = 'InvalidDatabaseUrlError';
  readonly code = 'CHANCERY_INVALID_DATABASE_URL';
}

export const POOL_MAX_SERVER = 10;

/** pg's parser for text[] (oid 1009; the TypeId enum of @types/pg lists scalar types only). */
const textArrayParser = (pg.types.getTypeParser as (oid: number) => (value: string) => unknown)(1009);

/** pg type parsers: date → 'YYYY-MM-DD', date[] → string[]; everything else pg's defaults. */
export const pgTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary') {
      if (oid === PG_OID.DATE) return (value: string) => value;
      if (oid === PG_OID.DATE_ARRAY) return textArrayParser;
    }
    return pg.types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};

/** Shows a URL without its password, for error messages. */
function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}

/** A connection URL without its password, for logs; a string that is no URL is not shown. */
export function redactUrl(url: string): string {
  try {
    return redact(new URL(url));
  } catch {
    return '(not a URL)';
  }
}

/**
 * Checks that `databaseUrl` is a PostgreSQL URL and returns it trimmed.
 * @throws InvalidDatabaseUrlError
 */
export function validateDatabaseUrl(databaseUrl: string): string {
  const trimmed = databaseUrl.trim();
  const allowed =
    'DATABASE_URL must be a PostgreSQL connection URL, postgres://user:password@host:5432/database ' +
    '(or postgresql://…); unset it to use the embedded PGlite database.';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new InvalidDatabaseUrlError(`${allowed} The value given is not a URL.`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new InvalidDatabaseUrlError(
      `${allowed} Got a "${url.protocol.replace(/:$/, '')}" URL: ${redact(url)}`,
    );
  }
  return trimmed;
}

function makePool(config: pg.PoolConfig, onPoolError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ ...config, types: pgTypes });
  // Without a listener, an idle client's error (server restart, socket owner exiting) crashes the process.
  pool.on('error', onPoolError);
  return pool;
}

function closePool(pool: pg.Pool): () => Promise<void> {
  let ending: Promise<void> | null = null;
  return () => {
    ending ??= pool.end();
    return ending;
  };
}

const defaultPoolError = (error: Error) => {
  process.stderr.write(`chancery: database connection error: ${error.message}\n`);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits while the owner is alive but has not created its socket yet (PGlite takes seconds to open). */
async function waitForSocket(owner: EmbeddedOwner, dataDir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const socketPath = owner.socketPath ?? '';
  while (!existsSync(socketPath)) {
    if (!isProcessAlive(owner.pid)) {
      throw new Error(
        `Process ${owner.pid}, which owned ${dataDir}, exited while starting; run the command again.`,
      );
    }
    if (Date.now() > deadline) {
      throw new DataDirectoryLockedError(
        dataDir,
        owner,
        `Its socket ${socketPath} did not appear within ${Math.round(timeoutMs / 1000)} s.`,
      );
    }
    await sleep(100);
  }
}

export async function openSqlClient(options: OpenSqlClientOptions): Promise<SqlClient> {
  const onPoolError = options.onPoolError ?? defaultPoolError;

  if (options.databaseUrl !== undefined && options.databaseUrl.trim() !== '') {
    const connectionString = validateDatabaseUrl(options.databaseUrl);
    // A server of its own: each connection a session of its own, so statements stay prepared.
    const pool = makePool({ connectionString, max: POOL_MAX_SERVER, Client: PreparingClient }, onPoolError);
    return { kind: 'pg', pool, via: 'server', close: closePool(pool) };
  }

  for (let attempt = 0; ; attempt++) {
    const owner = await findEmbeddedOwner(options.dataDir);
    if (owner) return connectToOwner(owner, options, onPoolError);
    try {
      const handle = await openEmbedded({ dataDir: options.dataDir, serveSocket: options.role === 'server' });
      return {
        kind: 'pglite',
        pglite: handle.pglite,
        socketPath: handle.socketPath,
        onSocketNotification: (listener) => handle.onSocketNotification(listener),
        close: () => handle.close(),
      };
    } catch (error) {
      // Another process took the directory between our look and our open: connect to it instead.
      if (error instanceof DataDirectoryLockedError && options.role === 'cli' && attempt === 0) continue;
      throw error;
    }
  }
}

async function connectToOwner(
  owner: EmbeddedOwner,
  options: OpenSqlClientOptions,
  onPoolError: (error: Error) => void,
): Promise<SqlClient> {
  const dataDir = resolve(options.dataDir);
  if (options.role !== 'cli') throw new DataDirectoryLockedError(dataDir, owner);
  if (!owner.socketPath) {
    throw new DataDirectoryLockedError(dataDir, owner, 'That process does not serve a socket to share it.');
  }
  const match = /\.s\.PGSQL\.(\d+)$/.exec(owner.socketPath);
  if (!match)
    throw new Error(`Unexpected socket file name ${owner.socketPath} (expected ${SOCKET_FILE_NAME}).`);
  await waitForSocket(owner, dataDir, options.socketWaitMs ?? 30_000);
  const pool = makePool(
    {
      host: dirname(owner.socketPath),
      port: Number(match[1]),
      user: 'postgres',
      database: 'postgres',
      max: 1,
    },
    onPoolError,
  );
  return { kind: 'pg', pool, via: 'socket', close: closePool(pool) };
}
