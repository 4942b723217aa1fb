/**
 * Real PGlite in a temporary directory. A fresh PGlite costs ~4 s, so one directory is shared and
 * the tests run in order (each reopen ~0.6 s).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Child } from './__fixtures__/helpers.ts';
import { killedSocketOwner, removeTempDirs, runChild, tempDir, writeLock } from './__fixtures__/helpers.ts';
import { findEmbeddedOwner, openEmbedded, SOCKET_FILE_NAME } from './embedded.ts';
import { DataDirectoryLockedError, LOCK_FILE_NAME } from './lock.ts';
import type { SqlClient } from './open.ts';
import { openSqlClient, pgTypes } from './open.ts';
import { startPGliteSocketServer } from './socket-server.ts';

describe.sequential('embedded engine', () => {
  let dataDir: string;
  let socketPath: string;
  let server: Extract<SqlClient, { kind: 'pglite' }>;
  const children: Child[] = [];
  const pools: pg.Pool[] = [];

  const socketPool = (max: number) => {
    const pool = new pg.Pool({
      host: dataDir,
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      max,
      types: pgTypes,
    });
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };

  beforeAll(async () => {
    dataDir = await tempDir();
    socketPath = join(dataDir, SOCKET_FILE_NAME);
  });

  afterAll(async () => {
    for (const child of children) child.proc.kill('SIGKILL');
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
    await server?.close();
    await removeTempDirs();
  });

  it('opens as server over a stale lock and socket left by a killed owner', async () => {
    const deadPid = killedSocketOwner(socketPath);
    await writeLock(dataDir, deadPid, socketPath);
    expect(await findEmbeddedOwner(dataDir)).toBeNull();

    const client = await openSqlClient({ dataDir, role: 'server' });
    if (client.kind !== 'pglite') throw new Error('expected pglite');
    server = client;
    expect(server.socketPath).toBe(socketPath);
    const lock = JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, socketPath });
    expect(await findEmbeddedOwner(dataDir)).toMatchObject({ pid: process.pid, socketPath });

    await server.pglite.exec('create extension if not exists pg_trgm');
    const { rows } = await server.pglite.query<{ s: number }>(
      `select similarity('chancery', 'chancellery') as s`,
    );
    expect(rows[0]?.s).toBeGreaterThan(0.3);
  });

  it('refuses a second open in the same process, naming the PID', async () => {
    for (const attempt of [
      () => openEmbedded({ dataDir, serveSocket: false }),
      () => openSqlClient({ dataDir, role: 'server' }),
      () => openSqlClient({ dataDir, role: 'test' }),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirectoryLockedError);
      expect((error as Error).message).toContain(`process ${process.pid}`);
      expect((error as Error).message).toContain(socketPath);
    }
  });

  it('serves pg clients on the socket; the PGlite handle sees their rows', async () => {
    const client = new pg.Client({
      host: dataDir,
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      types: pgTypes,
    });
    await client.connect();
    await client.query('create table engine_t (id int primary key, label text, day date)');
    await client.query('insert into engine_t values ($1, $2, $3)', [1, 'one', '2024-01-02']);
    const viaSocket = await client.query('select day from engine_t');
    expect(viaSocket.rows).toEqual([{ day: '2024-01-02' }]);
    await client.end();
    const { rows } = await server.pglite.query('select id, label, day from engine_t');
    expect(rows).toEqual([{ id: 1, label: 'one', day: '2024-01-02' }]);
  });

  it('role cli connects through the owner socket', async () => {
    const cli = await openSqlClient({ dataDir, role: 'cli' });
    if (cli.kind !== 'pg') throw new Error('expected pg');
    expect(cli.via).toBe('socket');
    expect(cli.pool.options.max).toBe(1);
    const { rows } = await cli.pool.query('select count(*)::int as n from engine_t');
    expect(rows[0].n).toBe(1);
    await cli.close();
  });

  it('keeps concurrent clients and in-process queries apart', async () => {
    const pool = socketPool(6);
    await pool.query('create table engine_counter (k int primary key, n int not null)');
    await pool.query('insert into engine_counter values (1, 0)');
    const errors: string[] = [];
    let wrong = 0;
    let increments = 0;
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      const job =
        i % 4 === 0
          ? pool.query('select $1::int as v, $2::text as w', [i, `w${i}`]).then((r) => {
              if (r.rows[0].v !== i || r.rows[0].w !== `w${i}`) wrong++;
            })
          : i % 4 === 1
            ? pool.query('select $1::text as w, 7 as z', [`w${i}`]).then((r) => {
                if (r.rows[0].w !== `w${i}`) wrong++;
              })
            : i % 4 === 2
              ? (async () => {
                  const c = await pool.connect();
                  try {
                    await c.query('begin');
                    const r = await c.query('select n from engine_counter where k = 1');
                    await new Promise((res) => setTimeout(res, 1));
                    await c.query('update engine_counter set n = $1 where k = 1', [r.rows[0].n + 1]);
                    await c.query('commit');
                    increments++;
                  } finally {
                    c.release();
                  }
                })()
              : server.pglite.transaction(async (tx) => {
                  const r = await tx.query<{ n: number }>('select n from engine_counter where k = 1');
                  await new Promise((res) => setTimeout(res, 1));
                  await tx.query('update engine_counter set n = $1 where k = 1', [(r.rows[0]?.n ?? 0) + 1]);
                  increments++;
                });
      jobs.push(job.catch((e: Error) => errors.push(e.message)));
    }
    await Promise.all(jobs);
    expect(errors).toEqual([]);
    expect(wrong).toBe(0);
    const { rows } = await pool.query('select n from engine_counter');
    expect(rows[0].n).toBe(increments);
    expect(increments).toBe(100);
  });

  it('makes in-process queries wait while a socket client holds a transaction', async () => {
    const pool = socketPool(2);
    const c = await pool.connect();
    await c.query('begin');
    await c.query('update engine_counter set n = -1');
    let done = false;
    const inProcess = server.pglite
      .query('insert into engine_t values (2, $1, null)', ['in-process'])
      .then(() => {
        done = true;
      });
    const other = pool.query('select n from engine_counter');
    await new Promise((res) => setTimeout(res, 300));
    expect(done).toBe(false);
    await c.query('rollback');
    c.release();
    await inProcess;
    expect((await other).rows[0].n).toBe(100);
    const { rows } = await server.pglite.query('select label from engine_t where id = 2');
    expect(rows).toEqual([{ label: 'in-process' }]);
  });

  it('rolls back the transaction of a client that disconnects abruptly', async () => {
    const victim = new pg.Client({ host: dataDir, port: 5432, user: 'postgres', database: 'postgres' });
    victim.on('error', () => undefined);
    await victim.connect();
    await victim.query('begin');
    await victim.query('update engine_counter set n = -42');
    (victim as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const { rows } = await server.pglite.query<{ n: number }>('select n from engine_counter');
    expect(rows[0]?.n).toBe(100);
  });

  it('refuses a child process opening as server, naming our PID', async () => {
    const child = runChild([dataDir, 'server', 'hold']);
    children.push(child);
    const event = await child.next();
    expect(event).toMatchObject({ event: 'error', name: 'DataDirectoryLockedError', pid: process.pid });
    expect(String(event.message)).toContain(`process ${process.pid}`);
    expect(await child.exited).toBe(3);
  });

  it('lets a child CLI process write through the socket', async () => {
    const child = runChild([dataDir, 'cli', 'insert', '7']);
    children.push(child);
    await server.pglite.exec('create table engine_child (n int)');
    expect(await child.next()).toMatchObject({ event: 'inserted', kind: 'pg', via: 'socket' });
    expect(await child.exited).toBe(0);
    const { rows } = await server.pglite.query('select n from engine_child');
    expect(rows).toEqual([{ n: 7 }]);
  });

  it('answers connections beyond maxConnections with FATAL 53300 and still stops promptly', async () => {
    const dir = await tempDir();
    const extra = await startPGliteSocketServer({
      pglite: server.pglite,
      path: join(dir, '.s.PGSQL.6000'),
      maxConnections: 1,
    });
    const first = new pg.Client({ host: dir, port: 6000, user: 'postgres', database: 'postgres' });
    await first.connect();
    const second = new pg.Client({ host: dir, port: 6000, user: 'postgres', database: 'postgres' });
    second.on('error', () => undefined);
    const refused = await second.connect().catch((e: { code?: string; message: string }) => e);
    expect(refused).toMatchObject({ code: '53300', message: expect.stringContaining('too many clients') });
    first.on('error', () => undefined);
    const started = Date.now();
    await extra.stop(); // does not wait for `first` to hang up
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(existsSync(join(dir, '.s.PGSQL.6000'))).toBe(false);
    await first.end().catch(() => undefined);
  });

  it('close stops the socket, closes PGlite and releases the lock; idempotent', async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
    await Promise.all([server.close(), server.close()]);
    await server.close();
    expect(existsSync(socketPath)).toBe(false);
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
    expect(await findEmbeddedOwner(dataDir)).toBeNull();
  });

  it('a server in another process: refused here, shared with the CLI, recovered after SIGKILL', async () => {
    const owner = runChild([dataDir, 'server', 'hold']);
    children.push(owner);
    const ready = await owner.next();
    expect(ready).toMatchObject({ event: 'ready', kind: 'pglite' });
    const ownerPid = owner.proc.pid;

    const refused = await openSqlClient({ dataDir, role: 'server' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DataDirectoryLockedError);
    expect((refused as Error).message).toContain(`process ${ownerPid}`);

    const cli = await openSqlClient({ dataDir, role: 'cli' });
    if (cli.kind !== 'pg') throw new Error('expected pg');
    const { rows } = await cli.pool.query('select n from engine_child');
    expect(rows).toEqual([{ n: 7 }]);
    await cli.pool.query('insert into engine_child values (8)');
    await cli.close();

    owner.proc.kill('SIGKILL');
    expect(await owner.exited).toBe('SIGKILL');
    expect(existsSync(socketPath)).toBe(true); // left behind
    expect(await findEmbeddedOwner(dataDir)).toBeNull();

    const again = await openSqlClient({ dataDir, role: 'server' });
    if (again.kind !== 'pglite') throw new Error('expected pglite');
    server = again;
    const viaSocket = socketPool(1);
    const check = await viaSocket.query('select n from engine_child order by n');
    expect(check.rows).toEqual([{ n: 7 }, { n: 8 }]);
    await viaSocket.end();
    pools.splice(0);
    await again.close();
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });
});
