// Every setting is checked at start; a bad one stops the server with a line naming the variable,
// what is wrong with its value, and what is allowed.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@chancery/db/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { DEFAULT_QUERY_LIMITS } from '../src/limits/limits.ts';

const problem = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
};

describe('server configuration', () => {
  it('has safe defaults for every limit', () => {
    const config = loadConfig({});
    expect(config.limits).toEqual(DEFAULT_QUERY_LIMITS);
    expect(config).toMatchObject({
      introspection: undefined,
      maxBodyBytes: 262_144,
      rateLimit: { perIp: 600, perToken: 1_200 },
      trustProxy: 0,
      shutdownGraceMs: 10_000,
      responseCache: { maxBytes: 32 * 1024 * 1024 },
      metricsToken: undefined,
      warnings: [],
    });
  });

  it('reads every hardening variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      CHANCERY_INTROSPECTION: '1',
      CHANCERY_MAX_BODY_BYTES: '65536',
      CHANCERY_MAX_DEPTH: '12',
      CHANCERY_MAX_ALIASES: '5',
      CHANCERY_MAX_DIRECTIVES: '0',
      CHANCERY_MAX_TOKENS: '5000',
      CHANCERY_MAX_FIELD_REPEATS: '3',
      CHANCERY_MAX_COST: '5000',
      CHANCERY_RATE_LIMIT_PER_IP: '0',
      CHANCERY_RATE_LIMIT_PER_TOKEN: '30',
      CHANCERY_TRUST_PROXY: '1',
      CHANCERY_SHUTDOWN_GRACE_SECONDS: '25',
      CHANCERY_RESPONSE_CACHE_MB: '8',
      CHANCERY_METRICS_TOKEN: 'a-long-enough-metrics-token',
    });
    expect(config).toMatchObject({
      production: true,
      introspection: true,
      maxBodyBytes: 65_536,
      limits: {
        maxDepth: 12,
        maxAliases: 5,
        maxDirectives: 0,
        maxTokens: 5_000,
        maxFieldRepeats: 3,
        maxCost: 5_000,
      },
      rateLimit: { perIp: 0, perToken: 30 },
      trustProxy: 1,
      shutdownGraceMs: 25_000,
      responseCache: { maxBytes: 8 * 1024 * 1024 },
      metricsToken: 'a-long-enough-metrics-token',
    });
    expect(loadConfig({ CHANCERY_INTROSPECTION: '0' }).introspection).toBe(false);
    expect(loadConfig({ CHANCERY_RESPONSE_CACHE_MB: '0' }).responseCache).toBeUndefined();
  });

  it.each([
    [
      { CHANCERY_MAX_DEPTH: 'ten' },
      'CHANCERY_MAX_DEPTH="ten": not a whole number; must be a whole number from 1 to 100; default 10',
    ],
    [
      { CHANCERY_MAX_DEPTH: '0' },
      'CHANCERY_MAX_DEPTH="0": below 1; must be a whole number from 1 to 100; default 10',
    ],
    [
      { CHANCERY_MAX_ALIASES: '1e3' },
      'CHANCERY_MAX_ALIASES="1e3": not a whole number; must be a whole number from 0 to 1000; default 30',
    ],
    [
      { CHANCERY_MAX_DIRECTIVES: '-1' },
      'CHANCERY_MAX_DIRECTIVES="-1": not a whole number; must be a whole number from 0 to 1000; default 10',
    ],
    [
      { CHANCERY_MAX_TOKENS: '50' },
      'CHANCERY_MAX_TOKENS="50": below 100; must be a whole number from 100 to 100000; default 2000',
    ],
    [
      { CHANCERY_MAX_FIELD_REPEATS: '2.5' },
      'CHANCERY_MAX_FIELD_REPEATS="2.5": not a whole number; must be a whole number from 1 to 1000; default 10',
    ],
    [
      { CHANCERY_MAX_COST: '999999999' },
      'CHANCERY_MAX_COST="999999999": above 100000000; must be a whole number from 1 to 100000000; default 100000',
    ],
    [
      { CHANCERY_MAX_BODY_BYTES: '256kb' },
      'CHANCERY_MAX_BODY_BYTES="256kb": not a whole number; must be a whole number from 1024 to 104857600 (bytes); default 262144',
    ],
    [
      { CHANCERY_RATE_LIMIT_PER_IP: 'lots' },
      'CHANCERY_RATE_LIMIT_PER_IP="lots": not a whole number; must be a whole number from 0 to 1000000 (requests per minute from one address; 0 turns it off); default 600',
    ],
    [
      { CHANCERY_RATE_LIMIT_PER_TOKEN: '10000000' },
      'CHANCERY_RATE_LIMIT_PER_TOKEN="10000000": above 1000000; must be a whole number from 0 to 1000000 (requests per minute with one API token; 0 turns it off); default 1200',
    ],
    [
      { CHANCERY_TRUST_PROXY: 'true' },
      'CHANCERY_TRUST_PROXY="true": not a whole number; must be a whole number from 0 to 10 (proxies in front of the server whose X-Forwarded-For to trust); default 0',
    ],
    [
      { CHANCERY_SHUTDOWN_GRACE_SECONDS: '3600' },
      'CHANCERY_SHUTDOWN_GRACE_SECONDS="3600": above 600; must be a whole number from 0 to 600; default 10',
    ],
    [
      { CHANCERY_RESPONSE_CACHE_MB: '32MB' },
      'CHANCERY_RESPONSE_CACHE_MB="32MB": not a whole number; must be a whole number from 0 to 4096 (MiB of anonymous query responses kept; 0 turns the cache off); default 32',
    ],
    [
      { REDIS_URL: 'http://:hunter2@cache:6379' },
      'REDIS_URL: a "http" URL; must be a Redis URL, redis://[:password@]host:6379[/db] or rediss://… (TLS)',
    ],
    [
      { CHANCERY_REDIS_KEY_PREFIX: 'my prefix' },
      'CHANCERY_REDIS_KEY_PREFIX="my prefix": must be 1 to 100 letters, digits or : _ . -; default chancery',
    ],
    [
      { CHANCERY_WORKERS: 'many' },
      'CHANCERY_WORKERS="many": must be a whole number from 1 to 256 (server processes sharing the port; PostgreSQL only) or auto (one per core,',
    ],
    [
      {
        DATABASE_URL: 'postgres://db/chancery',
        DATABASE_READ_URL: 'postgres://replica1/chancery, mysql://replica2/x',
      },
      'DATABASE_READ_URL: URL 2 of 2 is a "mysql" URL; must be one or more PostgreSQL URLs, comma-separated',
    ],
    [
      { DATABASE_READ_URL: 'postgres://replica1/chancery' },
      'DATABASE_READ_URL: set, but DATABASE_URL is not; read replicas stand beside a PostgreSQL primary',
    ],
    [{ CHANCERY_WORKERS: '0' }, 'CHANCERY_WORKERS="0": must be a whole number from 1 to 256'],
    [
      { CHANCERY_WATCH: 'https://example.org/feed.xml, ftp://example.org/feed.xml /nonexistent/drop' },
      'CHANCERY_WATCH="https://example.org/feed.xml, ftp://example.org/feed.xml /nonexistent/drop": ftp://example.org/feed.xml: is neither an http(s) URL nor a directory (a drop folder); watch takes those; /nonexistent/drop: is neither an http(s) URL nor a directory (a drop folder); watch takes those; must be http(s) URLs of feeds, items or pages and directories (drop folders), separated by commas or spaces',
    ],
    [
      { CHANCERY_WATCH: 'https://example.org/feed.xml', CHANCERY_WATCH_INTERVAL: '10 minutes' },
      'CHANCERY_WATCH_INTERVAL="10 minutes": must be a duration from 100ms to 24h, e.g. 30s, 5m or 1h (time between polls of CHANCERY_WATCH); default 5m',
    ],
    [
      { CHANCERY_WATCH: 'https://example.org/feed.xml', CHANCERY_WATCH_STATUS: 'live' },
      'CHANCERY_WATCH_STATUS="live": must be draft or published (the status of articles the watcher creates); default draft',
    ],
    [
      { CHANCERY_WATCH_INTERVAL: '5m' },
      'CHANCERY_WATCH_INTERVAL: set, but CHANCERY_WATCH is not; it says how to watch the sources CHANCERY_WATCH lists',
    ],
    [
      { CHANCERY_INTROSPECTION: 'yes' },
      'CHANCERY_INTROSPECTION="yes": neither 1 nor 0; must be 1 (introspection on, also in production) or 0',
    ],
  ])('%j is refused with a message naming the variable, the problem and what is allowed', (env, message) => {
    expect(problem(env)).toContain(`  ${message}`);
  });

  it('counts rate limits in Redis when REDIS_URL is set, never echoing its password', () => {
    expect(loadConfig({}).rateLimit.redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://:pw@cache:6379/2' }).rateLimit.redis).toEqual({
      url: 'redis://:pw@cache:6379/2',
      keyPrefix: 'chancery',
    });
    expect(problem({ REDIS_URL: 'redis-host:6379:x:hunter2' })).not.toContain('hunter2');
  });

  it('runs one process unless CHANCERY_WORKERS says more; auto is one per core', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ CHANCERY_WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ CHANCERY_WORKERS: 'auto' }).workers).toBe(availableParallelism());
  });

  it('watches the sources CHANCERY_WATCH lists, separated by commas or spaces', () => {
    expect(loadConfig({}).watch).toBeUndefined();
    expect(
      loadConfig({
        CHANCERY_WATCH: ' https://example.org/a.xml,http://example.org/b.xml\n/tmp ',
        CHANCERY_WATCH_INTERVAL: '90s',
      }).watch,
    ).toEqual({
      sources: ['https://example.org/a.xml', 'http://example.org/b.xml', '/tmp'],
      intervalMs: 90_000,
      status: 'DRAFT',
    });
    expect(
      loadConfig({ CHANCERY_WATCH: 'https://example.org/a.xml', CHANCERY_WATCH_STATUS: 'published' }).watch,
    ).toMatchObject({ intervalMs: 300_000, status: 'PUBLISHED' });
  });

  it('reads from replicas listed in DATABASE_READ_URL', () => {
    expect(loadConfig({}).databaseReadUrls).toEqual([]);
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://db/c',
        DATABASE_READ_URL: ' postgres://r1/c , postgresql://r2/c ',
      }).databaseReadUrls,
    ).toEqual(['postgres://r1/c', 'postgresql://r2/c']);
  });

  it('lists every bad variable at once', () => {
    const message = problem({ CHANCERY_MAX_DEPTH: 'x', PORT: 'y', CHANCERY_METRICS_TOKEN: 'short' });
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}PORT="y": /),
      expect.stringMatching(/^ {2}CHANCERY_MAX_DEPTH="x": /),
      expect.stringMatching(/^ {2}CHANCERY_METRICS_TOKEN: too short/),
    ]);
  });

  it('never prints the metrics token, even a bad one', () => {
    const message = problem({ CHANCERY_METRICS_TOKEN: 'sekrit pass phrase!' });
    expect(message).toBe(
      'Invalid configuration:\n  CHANCERY_METRICS_TOKEN: has spaces or non-ASCII characters; must be at least 16 visible ASCII characters (GET /metrics then needs `Authorization: Bearer <it>`), or unset',
    );
    expect(problem({ CHANCERY_METRICS_TOKEN: 'tiny' })).not.toContain('tiny');
  });

  it('warns about CHANCERY_ variables no setting has (a misspelt limit would silently do nothing)', () => {
    expect(loadConfig({ CHANCERY_MAX_DETPH: '5' }).warnings).toEqual([
      'CHANCERY_MAX_DETPH is set but no Chancery server setting has that name; it is ignored.',
    ]);
  });
});

describe('the server process with a bad setting', () => {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

  it.each([
    [
      { NODE_ENV: 'production', CHANCERY_MAX_COST: 'cheap' },
      /CHANCERY_MAX_COST="cheap": not a whole number; must be/,
    ],
    [
      { CHANCERY_RATE_LIMIT_PER_IP: '-5', CHANCERY_INTROSPECTION: 'on' },
      /CHANCERY_INTROSPECTION="on"[\s\S]*CHANCERY_RATE_LIMIT_PER_IP="-5"/,
    ],
  ])('%j exits 1 before opening the database', async (env, message) => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', main], {
        env: {
          ...process.env,
          DATABASE_URL: undefined,
          CHANCERY_DATA_DIR: '/nonexistent/never-opened',
          ...env,
        },
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Invalid configuration:/);
    expect(result.stderr).toMatch(message);
  });
});
