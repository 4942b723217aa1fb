/**
 * Exclusive lock file for an embedded (PGlite) data directory.
 *
 * PGlite has no lock of its own: two processes opening one data directory silently lose commits.
 * Whoever opens the directory first writes `<dataDir>/chancery.lock` = JSON {@link LockInfo}; any
 * other opener reads it and is refused while that PID is alive.
 *
 * - Creation is atomic and never exposes a half-written file: the JSON is written to a private
 *   temporary file which is then hard-linked to the lock path (`link` fails with EEXIST if the lock
 *   exists — the same guarantee as `open(path, 'wx')`, but readers always see complete content).
 * - A lock whose PID is dead is stale. It is broken race-safely (see breakStaleLock) and its
 *   socket file is removed too.
 * - `release()` deletes the file only while it still holds our token.
 * - If the process exits without releasing (process.exit, uncaught error), an `exit` hook removes
 *   our lock and socket files synchronously. After SIGKILL the lock stays and is recovered as stale.
 *
 * A PID that has been reused by an unrelated process makes a stale lock look live; the error
 * message tells the user to delete the lock file in that case.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export const LOCK_FILE_NAME = 'chancery.lock';

/** Content of the lock file. */
export interface LockInfo {
  pid: number;
  /** Unix socket on which the owner serves the database, or null when it serves none. */
  socketPath: string | null;
  /** ISO timestamp. */
  startedAt: string;
  /** Random identity of this lock, so that release/recovery never delete somebody else's lock. */
  token: string;
}

export interface DataDirLock {
  readonly dataDir: string;
  readonly path: string;
  readonly info: LockInfo;
  /** Deletes the lock file if it is still ours. Idempotent. */
  release(): Promise<void>;
}

/** Thrown when a live process holds the data directory's lock. */
export class DataDirectoryLockedError extends Error {
  override readonly name = 'DataDirectoryLockedError';
  readonly code = 'CHANCERY_DATA_DIR_LOCKED';
  readonly dataDir: string;
  readonly pid: number;
  readonly socketPath: string | null;
  readonly lockPath: string;

  constructor(dataDir: string, holder: Pick<LockInfo, 'pid' | 'socketPath' | 'startedAt'>, detail?: string) {
    const lockPath = join(dataDir, LOCK_FILE_NAME);
    const use = holder.socketPath
      ? `or reach the database through its socket ${holder.socketPath} (the Chancery CLI does this automatically while the server runs), `
      : '';
    super(
      `Data directory ${dataDir} is in use by process ${holder.pid} (since ${holder.startedAt}), ` +
        'which has its embedded PGlite database open; two processes on one PGlite directory lose commits. ' +
        (detail ? `${detail} ` : '') +
        `Stop process ${holder.pid} first, ${use}or set DATABASE_URL=postgres://… to use a PostgreSQL server instead. ` +
        `If process ${holder.pid} is not a Chancery process, delete ${lockPath}.`,
    );
    this.dataDir = dataDir;
    this.pid = holder.pid;
    this.socketPath = holder.socketPath;
    this.lockPath = lockPath;
  }
}

/** True if a process with this PID exists (EPERM: it exists but belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockPathFor(dataDir: string): string {
  return join(resolve(dataDir), LOCK_FILE_NAME);
}

/** The lock file exists but is not valid JSON of the expected shape (it was not written by us). */
export class InvalidLockFileError extends Error {
  override readonly name = 'InvalidLockFileError';
}

function parseLock(text: string, path: string): LockInfo {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const v = value as Partial<LockInfo> | undefined;
  if (
    !v ||
    typeof v.pid !== 'number' ||
    typeof v.startedAt !== 'string' ||
    typeof v.token !== 'string' ||
    (v.socketPath !== null && typeof v.socketPath !== 'string')
  ) {
    throw new InvalidLockFileError(
      `Lock file ${path} is not a valid Chancery lock. If no Chancery process uses this data directory, delete it.`,
    );
  }
  return { pid: v.pid, socketPath: v.socketPath ?? null, startedAt: v.startedAt, token: v.token };
}

async function readLockFile(path: string): Promise<LockInfo | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseLock(text, path);
}

/** The lock file's content, or null when there is none. Throws if the file is not a valid lock. */
export async function readDataDirLock(dataDir: string): Promise<LockInfo | null> {
  return readLockFile(lockPathFor(dataDir));
}

async function unlinkIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Removes the Unix socket at `socketPath` if there is one (never a regular file). */
export async function removeSocketFile(socketPath: string): Promise<void> {
  try {
    if ((await stat(socketPath)).isSocket()) await unlinkIfExists(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Removes a socket file left behind by a dead owner, and the private temporary directory holding
 * it when the socket lived outside the data directory.
 */
export async function removeStaleSocket(socketPath: string | null): Promise<void> {
  if (!socketPath) return;
  await removeSocketFile(socketPath);
  const dir = dirname(socketPath);
  if (basename(dir).startsWith(SOCKET_TMPDIR_PREFIX)) {
    await rmdir(dir).catch(() => undefined);
  }
}

/** Prefix of the temporary directory used for a socket whose path in the data dir is too long. */
export const SOCKET_TMPDIR_PREFIX = 'chancery-sock-';

/** A breaker older than this is considered abandoned (its process died while breaking). */
const BREAKER_STALE_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Removes a lock judged stale (`judged`), race-safely: only the holder of the exclusive breaker
 * file `<lock>.breaking` may delete the lock, and only after re-reading, under the breaker, that it
 * is still the very lock that was judged (same token). Nobody else can replace a lock file that
 * exists, so it cannot change between that check and the delete. Returns without deleting when
 * another process is breaking it; the caller re-evaluates.
 */
async function breakStaleLock(path: string, judged: LockInfo): Promise<void> {
  const breaker = `${path}.breaking`;
  try {
    await writeFile(breaker, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = await stat(breaker).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > BREAKER_STALE_MS) await unlinkIfExists(breaker);
    else await sleep(10);
    return;
  }
  try {
    const current = await readLockFile(path);
    if (current?.token === judged.token) {
      await unlinkIfExists(path);
      await removeStaleSocket(judged.socketPath);
    }
  } finally {
    await unlinkIfExists(breaker);
  }
}

// --- exit hook: remove our lock (and socket) synchronously if the process exits without release ---

const heldLocks = new Map<string, LockInfo>();
let exitHookInstalled = false;

function onExit(): void {
  for (const [path, info] of heldLocks) {
    try {
      const current = parseLock(readFileSync(path, 'utf8'), path);
      if (current.token !== info.token) continue;
      if (info.socketPath && existsSync(info.socketPath)) unlinkSync(info.socketPath);
      unlinkSync(path);
    } catch {
      // best effort: a lock left behind is recovered as stale by the next opener
    }
  }
}

function track(path: string, info: LockInfo): void {
  heldLocks.set(path, info);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', onExit);
  }
}

/**
 * Takes the exclusive lock of `dataDir` (created if missing) for this process.
 *
 * @throws DataDirectoryLockedError when a live process (this one included) holds it.
 * @throws InvalidLockFileError when the lock file is not one of ours.
 */
export async function acquireDataDirLock(
  dataDir: string,
  options: { socketPath: string | null },
): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE_NAME);
  const info: LockInfo = {
    pid: process.pid,
    socketPath: options.socketPath,
    startedAt: new Date().toISOString(),
    token: randomUUID(),
  };
  const tmp = `${path}.tmp-${process.pid}-${info.token}`;
  await writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`, { flag: 'wx' });
  const deadline = Date.now() + 3 * BREAKER_STALE_MS;
  try {
    for (;;) {
      try {
        await link(tmp, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readLockFile(path);
      if (holder === null) continue; // released meanwhile: retry
      if (isProcessAlive(holder.pid)) throw new DataDirectoryLockedError(dir, holder);
      if (Date.now() > deadline) throw new Error(`Could not take the lock ${path}: it keeps changing.`);
      await breakStaleLock(path, holder);
    }
  } finally {
    await unlinkIfExists(tmp);
  }
  track(path, info);

  let released = false;
  return {
    dataDir: dir,
    path,
    info,
    async release() {
      if (released) return;
      released = true;
      heldLocks.delete(path);
      let current: LockInfo | null = null;
      try {
        current = await readLockFile(path);
      } catch (error) {
        if (!(error instanceof InvalidLockFileError)) throw error;
      }
      if (current?.token === info.token) await unlinkIfExists(path);
    },
  };
}
