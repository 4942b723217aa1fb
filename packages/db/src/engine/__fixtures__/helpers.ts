/** Helpers shared by the engine tests. */

import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCK_FILE_NAME } from '../lock.ts';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..', '..');

const created: string[] = [];

/** A new directory under the OS temp dir; remove them all with removeTempDirs() in afterAll. */
export async function tempDir(prefix = 'chancery-engine-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** PID of a process that has exited. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('spawn failed');
  return child.pid;
}

/**
 * Simulates an owner killed with SIGKILL while serving: a process listens on `socketPath` and kills
 * itself, leaving the socket file behind. Returns its (dead) PID.
 */
export function killedSocketOwner(socketPath: string): number {
  const script = `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`;
  const child = spawnSync(process.execPath, ['-e', script]);
  if (child.pid === undefined || child.signal !== 'SIGKILL')
    throw new Error(`helper did not die as planned: ${child.stderr}`);
  return child.pid;
}

export async function writeLock(dataDir: string, pid: number, socketPath: string | null): Promise<void> {
  const info = { pid, socketPath, startedAt: new Date(0).toISOString(), token: `test-${pid}` };
  await writeFile(join(dataDir, LOCK_FILE_NAME), JSON.stringify(info));
}

export interface ChildEvent {
  event: string;
  [key: string]: unknown;
}

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  /** Resolves with the next JSON line the child prints. */
  next(): Promise<ChildEvent>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  stderr(): string;
}

/** Runs __fixtures__/open-child.ts in a separate Node process. */
export function runChild(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(here, 'open-child.ts'), ...args], {
    cwd: packageRoot,
    stdio: 'pipe',
  });
  let out = '';
  let err = '';
  const lines: ChildEvent[] = [];
  const waiters: ((e: ChildEvent) => void)[] = [];
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  proc.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    let nl = out.indexOf('\n');
    while (nl >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      nl = out.indexOf('\n');
      const event = JSON.parse(line) as ChildEvent;
      const waiter = waiters.shift();
      if (waiter) waiter(event);
      else lines.push(event);
    }
  });
  return {
    proc,
    exited,
    stderr: () => err,
    next: () => {
      const queued = lines.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise<ChildEvent>((resolve, reject) => {
        waiters.push(resolve);
        void exited.then((code) =>
          reject(new Error(`child exited (${code}) without output; stderr: ${err}`)),
        );
      });
    },
  };
}
