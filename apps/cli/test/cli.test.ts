import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chancery, run, startServer, stop } from './run.ts';

// The CLI and the server as separate processes on one embedded data directory, as a user runs them.
describe('chancery CLI on the embedded database', () => {
  let dataDir: string;
  const env = () => ({ CHANCERY_DATA_DIR: dataDir });

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'chancery-cli-')), 'pglite');
  });
  afterAll(async () => {
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('has --help on every command', async () => {
    for (const command of [[], ['migrate'], ['seed'], ['db:status']]) {
      const result = await chancery([...command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Usage: chancery/);
    }
  });

  it('migrates, reports status, and seeds idempotently', async () => {
    const before = await chancery(['db:status'], env());
    expect(before.stdout).toMatch(/pending\s+0001_initial/);
    const migrated = await chancery(['migrate'], env());
    expect(migrated.stdout).toMatch(/Applied: 0001_initial/);
    expect((await chancery(['migrate'], env())).stdout).toMatch(/Up to date/);
    expect((await chancery(['seed'], env())).stdout).toMatch(/Loaded the seed story/);
    expect((await chancery(['seed'], env())).stdout).toMatch(/already loaded; nothing changed/);
    const after = await chancery(['db:status'], env());
    expect(after.stdout).toMatch(/applied\s+0001_initial/);
    expect(after.stdout).toMatch(/embedded PGlite, opened directly/);
    expect(existsSync(join(dataDir, 'chancery.lock'))).toBe(false);
  });

  it('works through the running server, and a second server on the same directory exits naming the holder', async () => {
    const server = await startServer({ ...env(), PORT: '0' });
    try {
      const status = await chancery(['db:status'], env());
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/through the running server/);
      expect((await chancery(['seed'], env())).stdout).toMatch(/nothing changed/);

      const lock = JSON.parse(await readFile(join(dataDir, 'chancery.lock'), 'utf8'));
      const second = await run(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
        ...env(),
        PORT: '0',
      });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`in use by process ${lock.pid}`));

      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ treaties { totalCount } }' }),
      });
      expect(await response.json()).toMatchObject({ data: { treaties: { totalCount: 2 } } });
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
    expect(existsSync(join(dataDir, 'chancery.lock'))).toBe(false);
  });

  it.each([
    [['bogus'], {}, /unknown command 'bogus'/],
    [['migrate', '--force'], {}, /unknown option '--force'/],
    [
      ['db:status'],
      { DATABASE_URL: 'mysql://root@localhost/db' },
      /DATABASE_URL must be a PostgreSQL connection URL/,
    ],
    [['db:status'], { CHANCERY_DATA_DIR: '  ' }, /CHANCERY_DATA_DIR.*must be a directory path/],
  ])('answers %j with a clear error and a non-zero exit', async (args, extraEnv, message) => {
    const result = await chancery(args, { ...env(), ...extraEnv });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});

describe('server configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, /PORT="eighty": must be a whole number from 0 to 65535/],
    [{ PORT: '70000' }, /PORT="70000": must be a whole number from 0 to 65535/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV="staging": must be one of development, production, test/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL="loud": must be one of fatal, error/],
    [{ HOST: 'not a host' }, /HOST="not a host": must be a host name or an IP address/],
    [{ DATABASE_URL: 'redis://localhost' }, /DATABASE_URL: .*PostgreSQL connection URL/],
    [
      { CHANCERY_WATCH: 'ftp://example.org/feed.xml' },
      /CHANCERY_WATCH="ftp:\/\/example.org\/feed.xml": .*is neither an http\(s\) URL nor a directory/,
    ],
  ])('%j stops the server with a message naming the variable', async (env, message) => {
    const result = await run(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});
