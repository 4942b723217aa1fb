import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deadPid, killedSocketOwner, removeTempDirs, tempDir, writeLock } from './__fixtures__/helpers.ts';
import {
  acquireDataDirLock,
  DataDirectoryLockedError,
  InvalidLockFileError,
  isProcessAlive,
  LOCK_FILE_NAME,
  readDataDirLock,
} from './lock.ts';

afterAll(removeTempDirs);

describe('data directory lock', () => {
  it('is taken with our PID and socket path, and released', async () => {
    const dir = await tempDir();
    const lock = await acquireDataDirLock(dir, { socketPath: join(dir, 'sock') });
    const info = JSON.parse(await readFile(join(dir, LOCK_FILE_NAME), 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, socketPath: join(dir, 'sock') });
    expect(Date.parse(info.startedAt)).not.toBeNaN();
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
    await lock.release(); // idempotent
    const again = await acquireDataDirLock(dir, { socketPath: null });
    await again.release();
  });

  it('refuses a second holder while the first is alive, naming its PID and the directory', async () => {
    const dir = await tempDir();
    const lock = await acquireDataDirLock(dir, { socketPath: null });
    const error = await acquireDataDirLock(dir, { socketPath: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirectoryLockedError);
    const locked = error as DataDirectoryLockedError;
    expect(locked.pid).toBe(process.pid);
    expect(locked.message).toContain(`process ${process.pid}`);
    expect(locked.message).toContain(dir);
    expect(locked.message).toMatch(/Stop process \d+ first/);
    expect(locked.message).toContain('DATABASE_URL');
    await lock.release();
  });

  it('recovers a stale lock of a dead process and removes its socket file', async () => {
    const dir = await tempDir();
    const socketPath = join(dir, '.s.PGSQL.5432');
    const pid = killedSocketOwner(socketPath);
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(socketPath)).toBe(true);
    await writeLock(dir, pid, socketPath);

    const lock = await acquireDataDirLock(dir, { socketPath: null });
    expect(existsSync(socketPath)).toBe(false);
    expect((await readDataDirLock(dir))?.pid).toBe(process.pid);
    await lock.release();
  });

  it('lets exactly one of many concurrent openers break a stale lock', async () => {
    for (let round = 0; round < 5; round++) await oneRound();
  });

  async function oneRound() {
    const dir = await tempDir();
    await writeLock(dir, deadPid(), null);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => acquireDataDirLock(dir, { socketPath: null })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DataDirectoryLockedError);
    const lock = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireDataDirLock>>>).value;
    expect((await readDataDirLock(dir))?.token).toBe(lock.info.token);
    await lock.release();
  }

  it('is removed by an exit hook when the process exits without releasing', async () => {
    const dir = await tempDir();
    const lockModule = new URL('./lock.ts', import.meta.url).href;
    const script = `import { acquireDataDirLock } from ${JSON.stringify(lockModule)};
      await acquireDataDirLock(${JSON.stringify(dir)}, { socketPath: null });
      process.exit(0);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url),
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
  });

  it('release leaves alone a lock file that is no longer ours', async () => {
    const dir = await tempDir();
    const lock = await acquireDataDirLock(dir, { socketPath: null });
    await writeLock(dir, process.pid, null); // replaced by somebody else
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(true);
  });

  it('reports an unreadable lock file instead of guessing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, LOCK_FILE_NAME), 'garbage');
    await expect(acquireDataDirLock(dir, { socketPath: null })).rejects.toBeInstanceOf(InvalidLockFileError);
  });

  it('treats EPERM as alive and nonsense PIDs as dead', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(1)).toBe(true); // init: EPERM unless root
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-5)).toBe(false);
  });
});
