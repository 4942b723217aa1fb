// `chancery import` of feeds, agency items and pages served over HTTP, as a user runs it: each
// becomes the same article, with the same statements, speakers and spans, as the same story in the
// text format; an item seen again with other words becomes its article's next version; hostile
// sources each end in one line and change nothing.
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CORPUS_DEV_DIR } from '@chancery/domain/wire/test-corpus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chancery } from './run.ts';

const FIXTURES = new URL('./fixtures/feeds/', import.meta.url);
const FORMATS = ['feed.rss.xml', 'feed.atom.xml', 'item.ninjs.json', 'item.newsml.xml', 'article.html'];

type Statement = {
  kind: string;
  text: string;
  speaker: string | null;
  paragraph: number;
  start: number;
  end: number;
};
type StoryReport = {
  kind: 'story';
  source: string;
  outcome: string;
  article: { slug: string; headline: string; status: string; version: number };
  statements: Statement[];
};

const statementsOf = (story: StoryReport) =>
  story.statements
    .map(({ kind, text, speaker, paragraph, start, end }) => ({ kind, text, speaker, paragraph, start, end }))
    .sort((a, b) => a.paragraph - b.paragraph || a.start - b.start);

describe('chancery import of feeds, agency items and pages', () => {
  let root: string;
  let server: Server;
  let base: string;
  const files = new Map<string, { body: Buffer; type: string; encoding?: string }>();
  const hanging = new Set<ServerResponse>();
  const feeds = () => ({ CHANCERY_DATA_DIR: join(root, 'feeds') });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'chancery-news-'));
    for (const name of FORMATS) {
      const type = name.endsWith('.json')
        ? 'application/json'
        : name.endsWith('.html')
          ? 'text/html'
          : 'application/xml';
      files.set(`/${name}`, { body: await readFile(new URL(name, FIXTURES)), type });
    }
    const rss = String(files.get('/feed.rss.xml')?.body);
    // The first item again, with another headline and a changed sentence: the same guid.
    files.set('/changed.rss.xml', {
      body: Buffer.from(
        rss
          .replace('Arvand and Meridia agree to resume work', 'Arvand and Meridia agree to restart work')
          .replace('met for four hours', 'met for five hours')
          .replace('The Arvandi minister added that', 'The Arvandi minister also said that'),
      ),
      type: 'application/rss+xml',
    });
    files.set('/gzipped.xml', {
      body: gzipSync(files.get('/feed.atom.xml')?.body as Buffer),
      type: 'application/atom+xml',
      encoding: 'gzip',
    });
    files.set('/malformed.xml', {
      body: Buffer.from(rss.replace('</channel>', '')),
      type: 'application/rss+xml',
    });
    files.set('/xxe.xml', {
      body: Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>',
      ),
      type: 'application/rss+xml',
    });
    files.set('/empty-page.html', {
      body: Buffer.from('<!doctype html><title>Home</title><nav><a href="/">Home</a></nav>'),
      type: 'text/html',
    });
    files.set('/latin1.xml', {
      body: Buffer.from(rss.replace('Varga told', 'Varga told caf\xe9 reporters'), 'latin1'),
      type: 'application/rss+xml; charset=utf-8',
    });
    files.set('/bomb.xml', {
      body: gzipSync(Buffer.alloc(30 * 1024 * 1024, 0x20)),
      type: 'application/xml',
      encoding: 'gzip',
    });
    files.set('/many.xml', {
      body: Buffer.from(
        `<rss><channel>${'<item><title>T</title><description>D.</description></item>'.repeat(10_000)}</channel></rss>`,
      ),
      type: 'application/rss+xml',
    });
    server = createServer((request, response) => {
      const path = request.url ?? '/';
      if (path === '/hang') return void hanging.add(response);
      if (path === '/loop') return void response.writeHead(302, { location: '/loop' }).end();
      const file = files.get(path);
      if (!file) return void response.writeHead(404).end();
      response
        .writeHead(200, {
          'content-type': file.type,
          ...(file.encoding ? { 'content-encoding': file.encoding } : {}),
        })
        .end(file.body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('stores each format as the same published article the text story gives', async () => {
    const urls = FORMATS.map((name) => `${base}/${name}`);
    const names = (await readdir(CORPUS_DEV_DIR)).filter((n) => /^0[1-7].*\.txt$/.test(n));
    // Two databases, one per side, imported side by side.
    const [fromFeeds, fromText] = await Promise.all([
      chancery(['import', ...urls, '--status', 'published', '--json'], feeds()),
      chancery(['import', ...names.map((n) => join(CORPUS_DEV_DIR, n)), '--status', 'published', '--json'], {
        CHANCERY_DATA_DIR: join(root, 'text'),
      }),
    ]);
    expect(fromFeeds.stderr).toBe('');
    expect(fromFeeds.code).toBe(0);
    expect(fromText.code).toBe(0);
    // Five files, seven stories: a feed of two items is one file.
    expect(JSON.parse(fromFeeds.stdout).summary).toMatchObject({
      files: 5,
      failed: 0,
      stories: { created: 7 },
    });
    const feedStories = JSON.parse(fromFeeds.stdout).files as StoryReport[];
    expect(feedStories.map((s) => [s.outcome, s.article.status])).toEqual(
      Array(7).fill(['created', 'PUBLISHED']),
    );
    const textStories = JSON.parse(fromText.stdout).files as StoryReport[];
    expect(textStories).toHaveLength(7);
    for (const story of feedStories) {
      const same = textStories.find((t) => t.article.slug === story.article.slug);
      expect(same, story.article.slug).toBeDefined();
      expect(statementsOf(story), story.source).toEqual(statementsOf(same as StoryReport));
      expect(story.statements.length).toBeGreaterThan(3);
    }
  });

  it('reports each hostile source in one line and goes on; items seen before change nothing', async () => {
    const bad = [
      '/malformed.xml',
      '/xxe.xml',
      '/empty-page.html',
      '/latin1.xml',
      '/bomb.xml',
      '/many.xml',
      '/hang',
      '/loop',
      '/missing',
    ];
    const good = ['/feed.rss.xml', '/gzipped.xml'];
    const result = await chancery(
      ['import', ...[...bad, ...good].map((p) => `${base}${p}`), '--timeout', '1'],
      feeds(),
    );
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(bad.length);
    const line = (path: string) =>
      lines.find((l) => l.startsWith(`chancery: ${base}${path}`)) ?? `(no line for ${path})`;
    expect(line('/malformed.xml')).toMatch(/:\d+: the XML is malformed: /);
    expect(line('/xxe.xml')).toMatch(/the XML declares entities/);
    expect(line('/empty-page.html')).toMatch(/: the page has no article text/);
    expect(line('/latin1.xml')).toMatch(
      /: the content type declares UTF-8, but byte 0xE9 at offset \d+ is not UTF-8/,
    );
    expect(line('/bomb.xml')).toMatch(/: the body is larger than 10.0 MB once decompressed \(gzip\)/);
    expect(line('/many.xml')).toMatch(/: the feed has 10,000 items; at most 1,000/);
    expect(line('/hang')).toMatch(/: no complete answer within 1 s/);
    expect(line('/loop')).toMatch(/: redirect loop/);
    expect(line('/missing')).toMatch(/: HTTP 404 Not Found$/);
    // The good feeds' items (one gzipped) are all stored already: nothing new, nothing half-stored.
    expect(result.stdout).toMatch(
      /4 stories \(0 created, 0 updated, 4 unchanged\); 0 new statements, 0 new actors/,
    );
    expect(result.stdout).toMatch(/9 files failed/);
  });

  it('makes an item seen again with other words and another headline the next version of its article', async () => {
    const changed = await chancery(['import', `${base}/changed.rss.xml`, '--json'], feeds());
    expect(changed.code).toBe(0);
    const [first, second] = JSON.parse(changed.stdout).files as StoryReport[];
    expect(first).toMatchObject({
      outcome: 'updated',
      // The headline changed, the slug did not: the same item, so the same article.
      article: {
        slug: 'arvand-and-meridia-agree-to-resume-work-on-kessel-valley-border-treaty',
        headline: 'Arvand and Meridia agree to restart work on Kessel Valley border treaty',
        version: 2,
        status: 'PUBLISHED',
      },
    });
    expect(second?.outcome).toBe('unchanged');
  });
});
