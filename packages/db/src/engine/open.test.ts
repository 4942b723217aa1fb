import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir, writeLock } from './__fixtures__/helpers.ts';
import { DataDirectoryLockedError } from './lock.ts';
import { InvalidDatabaseUrlError, openSqlClient, pgTypes, validateDatabaseUrl } from './open.ts';

afterAll(removeTempDirs);

describe('databaseUrl validation', () => {
  it('accepts postgres:// and postgresql://', () => {
    expect(validateDatabaseUrl(' postgres://u:p@localhost:5432/db ')).toBe(
      'postgres://u:p@localhost:5432/db',
    );
    expect(validateDatabaseUrl('postgresql://localhost/db')).toBe('postgresql://localhost/db');
  });

  it('rejects other schemes, saying what is allowed, without echoing the password', () => {
    const error = (() => {
      try {
        validateDatabaseUrl('mysql://root:hunter2@localhost/db');
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InvalidDatabaseUrlError);
    expect(error?.message).toContain('postgres://');
    expect(error?.message).toContain('postgresql://');
    expect(error?.message).toContain('"mysql"');
    expect(error?.message).not.toContain('hunter2');
  });

  it('rejects strings that are not URLs', () => {
    expect(() => validateDatabaseUrl('localhost:5432')).toThrow(InvalidDatabaseUrlError);
    expect(() => validateDatabaseUrl('not a url')).toThrow(/not a URL/);
  });

  it('openSqlClient refuses a bad databaseUrl before touching anything', async () => {
    const dataDir = await tempDir();
    await expect(openSqlClient({ databaseUrl: 'file:./data', dataDir, role: 'server' })).rejects.toThrow(
      InvalidDatabaseUrlError,
    );
  });

  it('a valid databaseUrl gives a lazy pg pool via the server', async () => {
    const client = await openSqlClient({
      databaseUrl: 'postgres://nobody@127.0.0.1:1/none',
      dataDir: '/nonexistent',
      role: 'cli',
    });
    expect(client.kind).toBe('pg');
    if (client.kind !== 'pg') return;
    expect(client.via).toBe('server');
    expect(client.pool.options.max).toBe(10);
    await client.close();
    await client.close(); // idempotent
  });
});

describe('embedded engine choice with a live owner (simulated by a lock naming this process)', () => {
  it('role server and test are refused with the PID; the message says what to do', async () => {
    const dataDir = await tempDir();
    await writeLock(dataDir, process.pid, join(dataDir, '.s.PGSQL.5432'));
    for (const role of ['server', 'test'] as const) {
      const error = await openSqlClient({ dataDir, role }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirectoryLockedError);
      expect((error as Error).message).toContain(`Stop process ${process.pid}`);
      expect((error as Error).message).toContain('DATABASE_URL');
    }
  });

  it('role cli is refused when the owner serves no socket', async () => {
    const dataDir = await tempDir();
    await writeLock(dataDir, process.pid, null);
    await expect(openSqlClient({ dataDir, role: 'cli' })).rejects.toThrow(/does not serve a socket/);
  });

  it('role cli waits for a starting owner socket, then gives up with a clear error', async () => {
    const dataDir = await tempDir();
    await writeLock(dataDir, process.pid, join(dataDir, '.s.PGSQL.5432'));
    const started = Date.now();
    await expect(openSqlClient({ dataDir, role: 'cli', socketWaitMs: 300 })).rejects.toThrow(
      /did not appear/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});

describe('pg type parsers', () => {
  it('returns date and date[] as plain strings, timestamptz as Date', () => {
    expect((pgTypes.getTypeParser as (oid: number) => (v: string) => unknown)(1082)('2024-03-01')).toBe(
      '2024-03-01',
    );
    expect(
      (pgTypes.getTypeParser as (oid: number) => (v: string) => unknown)(1182)('{2024-03-01,NULL}'),
    ).toEqual(['2024-03-01', null]);
    const ts = pgTypes.getTypeParser(1184, 'text')('2024-03-01 12:00:00+00');
    expect(ts).toBeInstanceOf(Date);
    expect((ts as Date).toISOString()).toBe('2024-03-01T12:00:00.000Z');
  });

  const url = process.env.TEST_DATABASE_URL;
  it.skipIf(!url)('round-trips against a real PostgreSQL server (TEST_DATABASE_URL)', async () => {
    const client = await openSqlClient({ databaseUrl: url, dataDir: '/nonexistent', role: 'test' });
    if (client.kind !== 'pg') throw new Error('expected pg');
    try {
      const { rows } = await client.pool.query(
        `select '2024-03-01'::date as d, array['2024-03-01'::date] as da, '2024-03-01T12:00:00Z'::timestamptz as ts`,
      );
      expect(rows[0]).toEqual({ d: '2024-03-01', da: ['2024-03-01'], ts: new Date('2024-03-01T12:00:00Z') });
    } finally {
      await client.close();
    }
  });
});
