// Real server processes (`src/main.ts` under tsx) and a private redis-server, for the scale-out tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export type ServerProcess = {
  child: ChildProcess;
  /** The port every worker of this process serves on. */
  port: number;
  origin: string;
  /** Everything it printed so far. */
  output(): string;
  /** Its JSON log lines so far. */
  lines(): Record<string, any>[];
  /** Resolves once its output matches `pattern` `times` times. */
  waitFor(pattern: RegExp, times?: number): Promise<void>;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
};

/** PostgreSQL URL whose connections start in `schema` (the suites' own schemas, see @chancery/db/testing). */
export function schemaUrl(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return url.href;
}

/** Starts `npm start` as a process with `env` added; resolves once `servingLines` workers serve. */
export async function startServerProcess(
  env: Record<string, string>,
  options: { servingLines?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  let text = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    text += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const waitFor = (pattern: RegExp, times = 1) =>
    new Promise<void>((resolve, reject) => {
      const global = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);
      const check = () => {
        if ((text.match(global)?.length ?? 0) >= times) {
          listeners.delete(check);
          child.off('exit', exited);
          resolve();
        }
      };
      const exited = (code: number | null) => {
        listeners.delete(check);
        reject(new Error(`exited with ${code} before ${pattern} (x${times}):\n${text}`));
      };
      listeners.add(check);
      child.once('exit', exited);
      check();
    });
  const lines = () =>
    text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
  await waitFor(/Chancery is serving http:/, options.servingLines ?? 1);
  const serving = lines().find((line) => typeof line.url === 'string' && /serving/.test(line.msg));
  const port = Number(new URL(serving?.url).port);
  return {
    child,
    port,
    origin: `http://127.0.0.1:${port}`,
    output: () => text,
    lines,
    waitFor,
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own (never the machine's), with nothing saved to disk. */
export async function startRedis(
  port?: number,
): Promise<{ url: string; port: number; kill(): Promise<void> }> {
  const chosen = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk) => {
      text += chunk;
      if (/Ready to accept connections/i.test(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${text}`)));
  });
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** A POST /graphql from client address `ip` (the servers trust one proxy's X-Forwarded-For). */
export async function post(
  origin: string,
  query: string,
  options: { ip: string; authorization?: string; variables?: Record<string, unknown> },
): Promise<{ status: number; body: any; sqlStatements: number }> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': options.ip,
      ...(options.authorization ? { authorization: options.authorization } : {}),
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return {
    status: response.status,
    body: await response.json(),
    sqlStatements: Number(response.headers.get('x-chancery-sql-statements') ?? Number.NaN),
  };
}

/** One request on a connection of its own (no keep-alive), so that the cluster picks a worker for it. */
export function fresh(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
