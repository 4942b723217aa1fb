// Server processes of a run: Chancery or the floor, each a child process pinned to its own CPU,
// so that its CPU time and RSS are its own and the load generator cannot steal its core.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export type ServerChild = {
  pid: number;
  url: string;
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  /** The last lines the child wrote to stderr, for error messages. */
  stderrTail(): string;
  stop(): Promise<void>;
  exited: Promise<number | null>;
};

export const hasTaskset = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');

export type SpawnServerOptions = {
  /** Script to run with `node --import tsx`. */
  entry: string;
  /** Extra options for node, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** The entry is plain JavaScript: run it without the tsx loader. */
  plainNode?: boolean;
  /** Another Node executable than this process's (PostGraphile's Node 22, peer.ts). */
  node?: string;
  args?: string[];
  env: Record<string, string | undefined>;
  /** CPU to pin to with taskset; null for no pinning. */
  cpu: number | null;
  /** Reads the URL from a line of stdout; null until the line comes. */
  readyLine: (line: string) => string | null;
  timeoutMs?: number;
  cwd?: string;
};

export async function spawnServer(options: SpawnServerOptions): Promise<ServerChild> {
  const nodeArgs = [
    ...(options.nodeArgs ?? []),
    ...(options.plainNode ? [] : ['--import', 'tsx']),
    options.entry,
    ...(options.args ?? []),
  ];
  const [command, args] =
    options.cpu !== null && hasTaskset
      ? ['taskset', ['-c', String(options.cpu), options.node ?? process.execPath, ...nodeArgs]]
      : [options.node ?? process.execPath, nodeArgs];
  const started = performance.now();
  const child: ChildProcess = spawn(command, args as string[], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
  });
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 50) stderr.shift();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      reject(
        new Error(
          `${options.entry} was not ready after ${options.timeoutMs ?? 120_000} ms:\n${stderr.join('')}`,
        ),
      );
    }, options.timeoutMs ?? 120_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const found = options.readyLine(line);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
        newline = buffered.indexOf('\n');
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.entry} exited with ${code} before it was ready:\n${stderr.join('')}`));
    });
  });
  const readyMs = performance.now() - started;
  const pid = child.pid as number;
  return {
    pid,
    url,
    readyMs,
    stderrTail: () => stderr.join(''),
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), 15_000).unref(),
      );
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Bench server entries print one JSON line `{"ready":true,"url":…}` when they listen. */
export const benchReadyLine = (line: string): string | null => {
  if (!line.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(line) as { ready?: boolean; url?: string };
    return parsed.ready && parsed.url ? parsed.url : null;
  } catch {
    return null;
  }
};

/** apps/server/src/main.ts prints "Chancery is serving <url> (database: …)". */
export const mainReadyLine = (line: string): string | null =>
  /Chancery is serving (\S+)/.exec(line)?.[1] ?? null;
