// CHANCERY_WORKERS: one `npm start` runs several server processes on one port. The primary
// migrates and seeds once, a worker that dies is replaced, and SIGTERM stops every worker
// gracefully, and GET /metrics sums every worker's figures. PostgreSQL only for the processes;
// PGlite's single process is checked directly.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Database } from '@chancery/db/database';
import { openSchemaDatabase } from '@chancery/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workersToRun } from '../src/cluster.ts';
import { createLogger } from '../src/logging.ts';
import { fresh, post, type ServerProcess, schemaUrl, startServerProcess } from './processes.ts';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim();

describe('CHANCERY_WORKERS on the embedded database', () => {
  it('stays one process and says why', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    expect(workersToRun(4, { databaseUrl: undefined }, logger)).toBe(1);
    expect(lines.join('')).toMatch(
      /CHANCERY_WORKERS=4 ignored: the embedded PGlite database belongs to one process/,
    );
    expect(workersToRun(4, { databaseUrl: 'postgres://db/chancery' }, logger)).toBe(4);
    expect(workersToRun(1, { databaseUrl: undefined }, logger)).toBe(1);
    expect(lines).toHaveLength(1);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('two workers on PostgreSQL', () => {
  const schema = `test_workers_${randomBytes(4).toString('hex')}`;
  let database: Database;
  let server: ServerProcess;

  beforeAll(async () => {
    // An empty schema: the primary migrates and seeds it before any worker starts.
    ({ database } = await openSchemaDatabase(TEST_DATABASE_URL as string, { schema, max: 1 }));
    server = await startServerProcess(
      { DATABASE_URL: schemaUrl(TEST_DATABASE_URL as string, schema), CHANCERY_WORKERS: '2' },
      { servingLines: 2 },
    );
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await database?.close();
  });

  const servingPids = () =>
    server
      .lines()
      .filter((l) => /Chancery is serving/.test(l.msg))
      .map((l) => l.pid as number);

  it('serves on one port from two processes, after one migration and one seed', async () => {
    expect(new Set(servingPids()).size).toBe(2);
    expect(servingPids()).not.toContain(server.child.pid);
    expect(server.lines().filter((l) => /^Applied migrations/.test(l.msg))).toHaveLength(1);
    expect(server.lines().filter((l) => l.msg === 'Loaded the seed story.')).toHaveLength(1);
    const response = await post(server.origin, '{ treaties { totalCount } }', { ip: '192.0.2.1' });
    expect(response.body).toMatchObject({ data: { treaties: { totalCount: 2 } } });
  });

  it('/metrics counts the requests of every worker, whichever answers the scrape', async () => {
    // A fresh connection each: the primary hands connections to the workers in turn.
    const made = 12;
    for (let i = 0; i < made; i++) {
      const response = await fresh(server.port, 'POST', '/graphql', {
        query: 'query CountedOverWorkers { treaties { totalCount } }',
      });
      expect(response.status).toBe(200);
    }
    // Scrapes in turn land on both workers; each answers for the whole server (alone, each has 6).
    for (let scrape = 0; scrape < 3; scrape++) {
      const { status, text } = await fresh(server.port, 'GET', '/metrics');
      expect(status).toBe(200);
      expect(sample(text, 'chancery_workers')).toBe(2);
      expect(sample(text, 'chancery_graphql_requests_total', 'operation="CountedOverWorkers"')).toBe(made);
      expect(
        sample(text, 'chancery_graphql_request_duration_seconds_count', 'operation="CountedOverWorkers"'),
      ).toBe(made);
      expect(sample(text, 'chancery_db_info')).toBe(1);
    }
  });

  it('/metrics does not hang on a worker that does not answer: 503 naming it', async () => {
    const [stuck, other] = servingPids();
    process.kill(stuck as number, 'SIGSTOP');
    try {
      // At most one of two connections can wait on the stopped worker; the other one's answer
      // comes after the primary's wait for the stopped worker's metrics.
      const scrapes = [fresh(server.port, 'GET', '/metrics'), fresh(server.port, 'GET', '/metrics')];
      const first = await Promise.race(scrapes);
      expect(first.status).toBe(503);
      expect(JSON.parse(first.text).error).toMatch(
        new RegExp(`worker \\d+ \\(pid ${stuck}\\) did not answer within \\d+ ms`),
      );
      expect(first.text).not.toContain(`pid ${other}`);
      await server.waitFor(new RegExp(`GET /metrics failed: worker \\d+ \\(pid ${stuck}\\) did not answer`));
      process.kill(stuck as number, 'SIGCONT');
      for (const scrape of await Promise.all(scrapes)) expect([200, 503]).toContain(scrape.status);
    } finally {
      process.kill(stuck as number, 'SIGCONT');
    }
    expect((await fresh(server.port, 'GET', '/metrics')).status).toBe(200);
  });

  it('replaces a worker that dies, and serves meanwhile', async () => {
    const [victim] = servingPids();
    process.kill(victim as number, 'SIGKILL');
    await server.waitFor(/exited on SIGKILL; starting another/);
    expect((await post(server.origin, '{ treaties { totalCount } }', { ip: '192.0.2.1' })).status).toBe(200);
    // The dead worker is not waited for.
    expect((await fresh(server.port, 'GET', '/metrics')).status).toBe(200);
    await server.waitFor(/Chancery is serving http:/, 3);
    expect(new Set(servingPids()).size).toBe(3);
  });

  it('on SIGTERM stops every worker gracefully, then exits 0', async () => {
    const workers = servingPids().slice(1);
    expect(await server.stop()).toBe(0);
    const stopped = server.lines().filter((l) => l.msg === 'Closed the database; stopped.');
    expect(stopped).toHaveLength(2);
    expect(server.output()).toMatch(/Every worker has stopped/);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});

/** The sum of a metric's samples (in Prometheus text) whose labels include `labels`. */
function sample(text: string, name: string, labels = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name && (match[2] ?? '').includes(labels)) sum += Number(match[3]);
  }
  return sum;
}
