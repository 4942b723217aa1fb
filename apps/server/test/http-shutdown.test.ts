// `npm start` as a process: on SIGTERM it stops accepting connections, finishes the request in
// flight, closes the database (releasing the embedded database's lock) and exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, readUntilClosed, refusedSoon } from './http.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('the server process on SIGTERM', () => {
  let dataDir: string;
  let child: ChildProcess;
  let output = '';
  const lines = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(output)) {
          child.stdout?.off('data', check);
          resolve();
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}:\n${output}`)));
      check();
    });

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'chancery-shutdown-')), 'pglite');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      CHANCERY_DATA_DIR: dataDir,
      CHANCERY_SHUTDOWN_GRACE_SECONDS: '120',
    };
    delete env.DATABASE_URL;
    child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env });
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    await waitFor(/serving http:/);
  });
  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('finishes the request in flight, refuses new connections, closes the database and exits 0', async () => {
    const serving = lines().find((line) => typeof line.url === 'string');
    const port = Number(new URL(serving?.url).port);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    const body = JSON.stringify({ query: '{ treaties { totalCount } }' });
    const inFlight = await openSocket(port);
    const answer = readUntilClosed(inFlight);
    inFlight.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    // In flight once the server has its headers: the in-flight gauge counts it (and the scrape).
    let gauge = '';
    for (let attempt = 0; attempt < 100 && !/requests_in_flight 2\b/.test(gauge); attempt++) {
      const probe = await openSocket(port);
      probe.write('GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      gauge = (await readUntilClosed(probe)).match(/chancery_http_requests_in_flight \d+/)?.[0] ?? '';
    }
    expect(gauge).toBe('chancery_http_requests_in_flight 2');

    child.kill('SIGTERM');
    // Logged in the same turn as the listener is closed.
    await waitFor(/SIGTERM: no new connections/);
    expect(await refusedSoon(port)).toBe(true);

    inFlight.write(body.slice(5));
    const response = await answer;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toMatch(/connection: close/i);
    expect(response).toContain('"treaties":{"totalCount":2}');

    expect(await exited).toBe(0);
    const messages = lines().map((line) => line.msg);
    expect(messages).toContain('Closed the database; stopped.');
    const requestLines = lines().filter((line) => line.msg === 'request' && line.path === '/graphql');
    expect(requestLines).toEqual([expect.objectContaining({ status: 200, operationType: 'query' })]);
    expect(existsSync(join(dataDir, 'chancery.lock'))).toBe(false);
  });
});
