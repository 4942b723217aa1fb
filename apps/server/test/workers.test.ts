// CHANCERY_WORKERS: one `npm start` runs several server processes on one port. The primary
// migrates and seeds once, a worker that dies is replaced, and SIGTERM stops every worker
// gracefully. PostgreSQL only for the processes; PGlite's single process is checked directly.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Database } from '@chancery/db/database';
import { openSchemaDatabase } from '@chancery/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workersToRun } from '../src/cluster.ts';
import { createLogger } from '../src/logging.ts';
import { post, type ServerProcess, schemaUrl, startServerProcess } from './processes.ts';

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

  it('replaces a worker that dies, and serves meanwhile', async () => {
    const [victim] = servingPids();
    process.kill(victim as number, 'SIGKILL');
    await server.waitFor(/exited on SIGKILL; starting another/);
    expect((await post(server.origin, '{ treaties { totalCount } }', { ip: '192.0.2.1' })).status).toBe(200);
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
