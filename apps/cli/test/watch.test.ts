// `chancery watch` as a user runs it, against a local HTTP server and a drop folder: the first poll
// imports, the next imports nothing (a conditional GET answered 304, files unchanged), a restart
// imports nothing either, a changed item becomes a new version, a failing source backs off, and
// SIGTERM stops it cleanly.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chancery, REPO_ROOT } from './run.ts';

const FIXTURES = new URL('./fixtures/feeds/', import.meta.url);
const CHANCERY = fileURLToPath(new URL('../bin/chancery.js', import.meta.url));

describe('chancery watch', () => {
  let root: string;
  let server: Server;
  let base: string;
  let feed: string;
  const requests: { path: string; status: number }[] = [];
  const env = () => ({ CHANCERY_DATA_DIR: join(root, 'db') });
  const drop = () => join(root, 'drop');

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'chancery-watch-'));
    await mkdir(drop());
    await copyFile(new URL('item.ninjs.json', FIXTURES), join(drop(), 'item.ninjs.json'));
    feed = await readFile(new URL('feed.rss.xml', FIXTURES), 'utf8');
    server = createServer((request, response) => {
      const path = request.url ?? '/';
      const answer = (status: number, headers: Record<string, string> = {}, body?: string) => {
        requests.push({ path, status });
        response.writeHead(status, headers).end(body);
      };
      if (path !== '/feed.xml') return answer(500);
      const etag = `"${createHash('sha256').update(feed).digest('hex').slice(0, 16)}"`;
      if (request.headers['if-none-match'] === etag) return answer(304, { etag });
      answer(200, { 'content-type': 'application/rss+xml', etag }, feed);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('imports on the first poll, nothing on the second, and backs off a failing source', async () => {
    const result = await chancery(
      [
        'watch',
        `${base}/feed.xml`,
        drop(),
        `${base}/broken`,
        '--interval',
        '2s',
        '--polls',
        '2',
        '--status',
        'published',
      ],
      env(),
    );
    expect(result.code).toBe(1);
    const polls = result.stdout.split('\n').filter((l) => l.startsWith('poll '));
    expect(polls).toHaveLength(2);
    expect(polls[0]).toMatch(
      /^poll 1: 3 sources \(2 read, 0 unchanged, 0 backing off, 1 failed\); items: 3 created, 0 updated, 0 seen before, 0 failed; /,
    );
    expect(polls[1]).toMatch(
      /^poll 2: 3 sources \(0 read, 2 unchanged, 1 backing off, 0 failed\); items: 0 created, 0 updated, /,
    );
    expect(result.stdout).toMatch(/^created: .*\/feed\.xml#1 → arvand-and-meridia-agree-to-resume-work/m);
    expect(result.stdout).toMatch(/^created: .*item\.ninjs\.json → kelmar-extends-grain-export-quotas/m);
    expect(result.stderr.trim()).toMatch(
      /^chancery: http:\/\/127\.0\.0\.1:\d+\/broken: HTTP 500 Internal Server Error \(next try \d{4}-\d\d-\d\dT[\d:.]+Z\)$/,
    );
    // The second poll asked conditionally and got 304; the failing source was not asked again.
    expect(requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/feed.xml 200',
      '/broken 500',
      '/feed.xml 304',
    ]);
  });

  it('imports nothing after a restart; a changed item and a new file are imported; SIGTERM stops it', async () => {
    feed = feed.replace('met for four hours', 'met for five hours');
    await copyFile(new URL('article.html', FIXTURES), join(drop(), 'article.html'));
    const child = spawn(
      process.execPath,
      [CHANCERY, 'watch', `${base}/feed.xml`, drop(), '--interval', '1h'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: '', NODE_ENV: 'test', ...env() },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (/^poll 1: .*$/m.test(stdout)) resolve();
      });
      child.on('exit', () => resolve());
    });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^updated to version 2: .*\/feed\.xml#1 → arvand-and-meridia-agree-to-resume-work/m,
    );
    expect(stdout).toMatch(/^created: .*article\.html → lisenne-says-kelmar-and-ostrava/m);
    expect(stdout).toMatch(
      /^poll 1: 3 sources \(2 read, 1 unchanged, 0 backing off, 0 failed\); items: 1 created, 1 updated, 1 seen before, 0 failed; /m,
    );
    expect(stdout.trim().split('\n').at(-1)).toBe('stopped');
  });
});
