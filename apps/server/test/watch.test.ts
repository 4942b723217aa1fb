// CHANCERY_WATCH: the server process polls a feed (one of the CLI's fixtures, served by a local
// HTTP server) as `chancery watch` does; its stories are readable through GraphQL, /metrics shows
// the source's status, and SIGTERM stops it cleanly. With PostgreSQL and two workers, only one of
// them watches. (Bad values: config.test.ts, and apps/cli/test/cli.test.ts for the process.)
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@chancery/db/database';
import { openSchemaDatabase } from '@chancery/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fresh, type ServerProcess, schemaUrl, startServerProcess } from './processes.ts';

const FEED = new URL('../../cli/test/fixtures/feeds/feed.rss.xml', import.meta.url);
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim();
const HEADLINES = [
  'Arvand and Meridia agree to resume work on Kessel Valley border treaty',
  'Arvand and Ostrava sign Gulf of Tarn fisheries pact after decade of talks',
];

let feedServer: Server;
let feedUrl: string;
let asked = 0;

beforeAll(async () => {
  const feed = await readFile(FEED);
  feedServer = createServer((request, response) => {
    if (request.url !== '/feed.xml') return void response.writeHead(404).end();
    asked++;
    response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed);
  });
  feedServer.listen(0, '127.0.0.1');
  await once(feedServer, 'listening');
  feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.xml`;
});
afterAll(() => new Promise<void>((resolve) => feedServer.close(() => resolve())));

/** The value of one sample of /metrics, e.g. `chancery_watch_errors_total{source="…"}`. */
function sample(metrics: string, name: string, source: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{source=${JSON.stringify(source)}}`));
  if (!line) throw new Error(`no ${name} for ${source} in:\n${metrics}`);
  return Number(line.split(' ').at(-1));
}

describe('CHANCERY_WATCH on the embedded database', () => {
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chancery-watch-'));
    server = await startServerProcess({
      DATABASE_URL: '',
      CHANCERY_DATA_DIR: dataDir,
      CHANCERY_WATCH: `${feedUrl}, ${feedUrl.replace('feed.xml', 'missing.xml')}`,
      CHANCERY_WATCH_INTERVAL: '1h',
      CHANCERY_WATCH_STATUS: 'published',
    });
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('imports the feed, serves its stories and shows the source in /metrics; SIGTERM stops it', async () => {
    await server.waitFor(/Watch poll 1: 2 sources \(1 read, 0 unchanged, 0 backing off, 1 failed\)/);
    const response = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ articles(first: 20) { nodes { headline status statements(first: 1) { totalCount } } } }',
      }),
    });
    const { data } = (await response.json()) as {
      data: { articles: { nodes: { headline: string; statements: { totalCount: number } }[] } };
    };
    const watched = data.articles.nodes.filter((a) => HEADLINES.includes(a.headline));
    expect(watched.map((a) => a.headline).sort()).toEqual(HEADLINES);
    for (const article of watched) expect(article.statements.totalCount).toBeGreaterThan(0);

    const metrics = await (await fetch(`${server.origin}/metrics`)).text();
    expect(sample(metrics, 'chancery_watch_items_imported_total', feedUrl)).toBe(2);
    expect(sample(metrics, 'chancery_watch_errors_total', feedUrl)).toBe(0);
    expect(sample(metrics, 'chancery_watch_consecutive_failures', feedUrl)).toBe(0);
    expect(sample(metrics, 'chancery_watch_backoff_until_timestamp_seconds', feedUrl)).toBe(0);
    const lastPoll = sample(metrics, 'chancery_watch_last_poll_timestamp_seconds', feedUrl);
    expect(lastPoll).toBeGreaterThan(0);
    expect(sample(metrics, 'chancery_watch_last_success_timestamp_seconds', feedUrl)).toBe(lastPoll);
    // The other source fails: counted, and backed off (twice the interval, at most an hour).
    const missing = feedUrl.replace('feed.xml', 'missing.xml');
    expect(server.output()).toContain(`${missing}: HTTP 404 Not Found (next try `);
    expect(sample(metrics, 'chancery_watch_errors_total', missing)).toBe(1);
    expect(sample(metrics, 'chancery_watch_consecutive_failures', missing)).toBe(1);
    expect(sample(metrics, 'chancery_watch_last_success_timestamp_seconds', missing)).toBe(0);
    expect(sample(metrics, 'chancery_watch_last_poll_timestamp_seconds', missing)).toBeGreaterThan(0);
    expect(sample(metrics, 'chancery_watch_backoff_until_timestamp_seconds', missing)).toBeCloseTo(
      sample(metrics, 'chancery_watch_last_poll_timestamp_seconds', missing) + 3600,
      -2,
    );

    expect(await server.stop()).toBe(0);
    expect(server.output()).toMatch(/Closed the database; stopped/);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('CHANCERY_WATCH with two workers on PostgreSQL', () => {
  const schema = `test_watch_${randomBytes(4).toString('hex')}`;
  let database: Database;
  let server: ServerProcess;

  beforeAll(async () => {
    ({ database } = await openSchemaDatabase(TEST_DATABASE_URL as string, { schema, max: 1 }));
    asked = 0;
    server = await startServerProcess(
      {
        DATABASE_URL: schemaUrl(TEST_DATABASE_URL as string, schema),
        CHANCERY_WORKERS: '2',
        CHANCERY_WATCH: feedUrl,
        CHANCERY_WATCH_INTERVAL: '1h',
      },
      { servingLines: 2 },
    );
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    await database?.close();
  });

  it('is polled by one worker only', async () => {
    await server.waitFor(/Watch poll 1:/);
    const watching = server.lines().filter((l) => /^Watching /.test(l.msg));
    expect(watching).toHaveLength(1);
    expect(asked).toBe(1);
    // Whichever worker a scrape lands on, /metrics shows the watching worker's figures.
    for (let scrape = 0; scrape < 2; scrape++) {
      const { status, text } = await fresh(server.port, 'GET', '/metrics');
      expect(status).toBe(200);
      expect(sample(text, 'chancery_watch_items_imported_total', feedUrl)).toBe(2);
      expect(sample(text, 'chancery_watch_last_poll_timestamp_seconds', feedUrl)).toBeGreaterThan(0);
    }
    expect(await server.stop()).toBe(0);
  });
});
