/**
 * The embedded engine: PGlite on a local data directory, guarded by the lock file, optionally
 * served to other processes (the CLI) on a Unix socket.
 *
 * Layout of a data directory:
 *   <dataDir>/chancery.lock     lock file (see lock.ts)
 *   <dataDir>/.s.PGSQL.5432     Unix socket while a server owns the directory
 *   <dataDir>/pgdata/           PGlite's PGDATA
 * The socket moves to a private directory under os.tmpdir() when `<dataDir>/.s.PGSQL.5432` would
 * exceed the Unix socket path limit (~107 bytes); clients always read the path from the lock file.
 */
import { mkdir, mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { DataDirLock } from './lock.ts';
import {
  acquireDataDirLock,
  isProcessAlive,
  readDataDirLock,
  removeSocketFile,
  removeStaleSocket,
  SOCKET_TMPDIR_PREFIX,
} from './lock.ts';
import type { NotificationListener, PGliteSocketServer } from './socket-server.ts';
import { startPGliteSocketServer } from './socket-server.ts';

/** The `port` in the socket file name `.s.PGSQL.<port>` — what pg needs besides the directory. */
export const SOCKET_PORT = 5432;
export const SOCKET_FILE_NAME = `.s.PGSQL.${SOCKET_PORT}`;
export const PGDATA_DIR_NAME = 'pgdata';
/** sun_path is 108 bytes on Linux (104 on macOS) including the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 103;

/** PostgreSQL type OIDs. */
export const PG_OID = { DATE: 1082, DATE_ARRAY: 1182 } as const;

/** How every PGlite of ours is made: in a data directory, in tests (in memory) and in scripts. */
export const PGLITE_OPTIONS = {
  // Migration 0003 creates them (`CREATE EXTENSION IF NOT EXISTS`); PGlite must have them loaded.
  extensions: { pg_trgm, unaccent },
  // Same choice as the pg pools (open.ts): a `date` is a calendar day, returned as 'YYYY-MM-DD'.
  parsers: { [PG_OID.DATE]: (value: string) => value },
};

export interface EmbeddedHandle {
  readonly pglite: PGlite;
  readonly dataDir: string;
  /** The Unix socket other processes can connect to, or null when not serving. */
  readonly socketPath: string | null;
  /** Hears the notifications socket clients' statements deliver (see socket-server.ts). */
  onSocketNotification(listener: NotificationListener): () => void;
  /** Stops the socket server (rolling back clients' open transactions), closes PGlite, releases the lock. Idempotent. */
  close(): Promise<void>;
}

export interface OpenEmbeddedOptions {
  dataDir: string;
  /** Serve the database on a Unix socket so that other processes (the CLI) can use it meanwhile. */
  serveSocket: boolean;
  /** Socket connections served at once. Default 32. */
  maxSocketConnections?: number;
}

async function chooseSocketPath(dataDir: string): Promise<string> {
  const inDataDir = join(dataDir, SOCKET_FILE_NAME);
  if (Buffer.byteLength(inDataDir) <= MAX_SOCKET_PATH_BYTES) return inDataDir;
  return join(await mkdtemp(join(tmpdir(), SOCKET_TMPDIR_PREFIX)), SOCKET_FILE_NAME);
}

/**
 * Opens PGlite on `dataDir` (created if missing) with the pg_trgm and unaccent extensions
 * available (migration 0003 creates them: `CREATE EXTENSION IF NOT EXISTS ...`).
 *
 * In-process users must use `pglite.query/exec/transaction` (never a hand-written BEGIN via
 * separate calls): those take the mutex that also serialises socket clients.
 *
 * @throws DataDirectoryLockedError if a live process already has `dataDir` open.
 */
export async function openEmbedded(options: OpenEmbeddedOptions): Promise<EmbeddedHandle> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const plannedSocket = options.serveSocket ? await chooseSocketPath(dataDir) : null;
  let lock: DataDirLock;
  try {
    lock = await acquireDataDirLock(dataDir, { socketPath: plannedSocket });
  } catch (error) {
    if (plannedSocket && basename(dirname(plannedSocket)).startsWith(SOCKET_TMPDIR_PREFIX)) {
      await rmdir(dirname(plannedSocket)).catch(() => undefined);
    }
    throw error;
  }

  let pglite: PGlite | null = null;
  let server: PGliteSocketServer | null = null;
  const notificationListeners = new Set<NotificationListener>();
  try {
    const pgdata = join(dataDir, PGDATA_DIR_NAME);
    await mkdir(pgdata, { recursive: true });
    pglite = await PGlite.create({ dataDir: pgdata, ...PGLITE_OPTIONS });
    if (plannedSocket) {
      // We hold the lock, so anything at the socket path is left over from a dead owner.
      await removeSocketFile(plannedSocket);
      server = await startPGliteSocketServer({
        pglite,
        path: plannedSocket,
        onNotification: (channel, payload) => {
          for (const listener of notificationListeners) listener(channel, payload);
        },
        ...(options.maxSocketConnections === undefined
          ? {}
          : { maxConnections: options.maxSocketConnections }),
      });
    }
  } catch (error) {
    await pglite?.close().catch(() => undefined);
    await removeStaleSocket(plannedSocket).catch(() => undefined);
    await lock.release();
    throw error;
  }

  const db = pglite;
  let closing: Promise<void> | null = null;
  return {
    pglite: db,
    dataDir,
    socketPath: plannedSocket,
    onSocketNotification(listener) {
      notificationListeners.add(listener);
      return () => notificationListeners.delete(listener);
    },
    close() {
      closing ??= (async () => {
        try {
          await server?.stop();
          if (!db.closed) await db.close();
        } finally {
          await removeStaleSocket(plannedSocket).catch(() => undefined);
          await lock.release();
        }
      })();
      return closing;
    },
  };
}

export interface EmbeddedOwner {
  pid: number;
  /** Where the owner serves the database, or null if it serves no socket (a CLI or test run). */
  socketPath: string | null;
  /** ISO timestamp from the lock file. */
  startedAt: string;
}

/** The live process that has `dataDir` open, or null (no lock, or a stale one). */
export async function findEmbeddedOwner(dataDir: string): Promise<EmbeddedOwner | null> {
  const info = await readDataDirLock(dataDir);
  if (!info || !isProcessAlive(info.pid)) return null;
  return { pid: info.pid, socketPath: info.socketPath, startedAt: info.startedAt };
}
