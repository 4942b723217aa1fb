// Feeds, agency formats and pages read into stories, and fetching them over HTTP, without a
// database: each fixture gives exactly the corpus story it was written from, and every kind of bad
// input ends in one ImportError that says what is wrong.
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ImportError } from '@chancery/db/import/errors';
import { fetchSource } from '@chancery/db/import/fetch';
import { readSource } from '@chancery/db/import/formats/detect';
import { CORPUS_DEV_DIR } from '@chancery/domain/wire/test-corpus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURES = new URL('./fixtures/feeds/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));
const corpus = readdirSync(CORPUS_DEV_DIR)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(`${CORPUS_DEV_DIR}/${f}`, 'utf8').trim().split('\n'));

/** The problem reading `bytes` gives, as the one line the CLI prints after the source's name. */
function problem(bytes: Uint8Array | string, contentType: string | null = null): string {
  try {
    readSource(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, contentType, null);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return (error as Error).message;
  }
  throw new Error('read without a problem');
}

describe('news formats', () => {
  it.each([
    ['feed.rss.xml', 'rss', 2],
    ['feed.atom.xml', 'atom', 2],
    ['item.ninjs.json', 'ninjs', 1],
    ['item.newsml.xml', 'newsml', 1],
    ['article.html', 'html', 1],
  ])('%s is read as %s: each item the corpus story it was written from', (name, format, count) => {
    const read = readSource(fixture(name), null, null);
    expect(read.format).toBe(format);
    if (!('items' in read)) throw new Error('no items');
    expect(read.items).toHaveLength(count);
    for (const item of read.items) {
      const story = corpus.find((lines) => lines[0] === item.headline);
      expect(story, item.headline).toBeDefined();
      expect([item.headline, item.standfirst, ...item.paragraphs]).toEqual(story);
      expect(item.id).toBeTruthy();
      expect(item.published).toMatch(/^2026-/);
    }
  });

  it('reads the item’s own place and identity, and the page’s canonical URL', () => {
    const ninjs = readSource(fixture('item.ninjs.json'), null, null);
    const page = readSource(fixture('article.html'), null, null);
    expect('items' in ninjs && ninjs.items[0]).toMatchObject({
      id: 'urn:example:kta:2026:grain-quotas',
      place: 'Bresk',
      published: '2026-05-14T07:00:00.000Z',
    });
    expect('items' in page && page.items[0]?.id).toBe('https://news.example.test/lna/border-guards');
  });

  it('detects the format from the content, whatever the name or extension', () => {
    // A feed without its XML declaration and with leading white space is still a feed.
    const rss = fixture('feed.rss.xml')
      .toString()
      .replace(/^<\?xml[^>]*>\s*/, '\n  ');
    expect(readSource(Buffer.from(rss), 'text/plain', null).format).toBe('rss');
    expect(readSource(Buffer.from('Headline\nStandfirst\nBody.'), null, null).format).toBe('text');
    expect(readSource(Buffer.from('{"kind":"Actor"}\n{"kind":"Actor"}\n'), null, null).format).toBe('bundle');
  });

  it('refuses hostile and broken input with one line that says what is wrong', () => {
    expect(problem('<rss><channel><item><title>x</item></channel></rss>')).toMatch(
      /^the XML is malformed: .*closing tag/,
    );
    expect(problem('{"uri": "x", "headline": ')).toMatch(/^the JSON is malformed: /);
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>';
    expect(problem(xxe)).toMatch(/declares entities .* never expanded or fetched/);
    const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item><title>&b;</title></item></channel></rss>`;
    expect(problem(laughs)).toMatch(/declares entities/);
    const item = '<item><title>T</title><description>D</description><guid>g</guid></item>';
    expect(problem(`<rss><channel>${item.repeat(10_000)}</channel></rss>`)).toBe(
      'the feed has 10,000 items; at most 1,000 are read from one feed (split it)',
    );
    expect(
      problem(
        '<!doctype html><html><head><title>Menu</title></head><body><nav><a href="/">Home</a></nav></body></html>',
      ),
    ).toMatch(/^the page has no article text/);
    expect(problem('<?xml version="1.0"?><catalog><book/></catalog>')).toMatch(
      /none of the formats read \(its root element is <catalog>\)/,
    );
    // Declared UTF-8, written in Latin-1; declared Latin-1, written in UTF-8.
    const latin1 = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><rss><channel><item><title>Caf\xe9</title></item></channel></rss>',
      'latin1',
    );
    expect(problem(latin1)).toMatch(/declares UTF-8, but byte 0xE9 at offset \d+ is not UTF-8/);
    const utf8 = Buffer.from(
      '<rss><channel><item><title>Café</title><description>x</description></item></channel></rss>',
      'utf8',
    );
    expect(problem(utf8, 'application/rss+xml; charset=ISO-8859-1')).toMatch(
      /content type declares the charset ISO-8859-1, but the bytes are UTF-8/,
    );
    expect(problem('')).toBe('the source is empty');
  });

  it('reads a Latin-1 feed that says so', () => {
    const latin1 = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item><title>Caf\xe9 talks</title><description>Talks in the caf\xe9 went on.</description><guid>c</guid></item></channel></rss>',
      'latin1',
    );
    const read = readSource(latin1, null, null);
    expect('items' in read && read.items[0]?.headline).toBe('Café talks');
  });
});

describe('fetching a source', () => {
  let server: Server;
  let base: string;
  const feed = fixture('feed.rss.xml');
  const hanging = new Set<import('node:http').ServerResponse>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = request.url ?? '/';
      if (path === '/feed') {
        const etag = '"v1"';
        if (request.headers['if-none-match'] === etag) return response.writeHead(304).end();
        return response.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(feed);
      }
      if (path === '/gzip') {
        return response
          .writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' })
          .end(gzipSync(feed));
      }
      if (path === '/bomb') {
        // 40 KB on the wire, 40 MB once inflated.
        return response
          .writeHead(200, { 'content-encoding': 'gzip' })
          .end(gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20)));
      }
      if (path === '/huge') {
        // Announces 50 MB and sends a little: refused before the body is read.
        response.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
        response.write('<rss>');
        hanging.add(response);
        return;
      }
      if (path === '/hang') {
        hanging.add(response);
        return;
      }
      if (path === '/loop') return response.writeHead(302, { location: '/loop2' }).end();
      if (path === '/loop2') return response.writeHead(302, { location: '/loop' }).end();
      const hop = /^\/hop(\d+)$/.exec(path);
      if (hop) {
        const n = Number(hop[1]);
        return response.writeHead(301, { location: n > 0 ? `/hop${n - 1}` : '/feed' }).end();
      }
      response.writeHead(404).end('not here');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    server.close();
  });

  const limits = { timeoutMs: 1000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5 };
  const failure = async (path: string) => {
    try {
      await fetchSource(`${base}${path}`, undefined, limits);
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError);
      return (error as Error).message;
    }
    throw new Error(`${path} was fetched`);
  };

  it('fetches, follows a few redirects, inflates gzip and asks again conditionally', async () => {
    const first = await fetchSource(`${base}/hop3`, undefined, limits);
    expect(first).toMatchObject({ status: 'ok', url: `${base}/feed`, etag: '"v1"' });
    expect(first.status === 'ok' && Buffer.from(first.bytes).equals(feed)).toBe(true);
    const again = await fetchSource(`${base}/feed`, { etag: '"v1"', lastModified: null }, limits);
    expect(again.status).toBe('not-modified');
    const gzip = await fetchSource(`${base}/gzip`, undefined, limits);
    expect(gzip.status === 'ok' && Buffer.from(gzip.bytes).equals(feed)).toBe(true);
  });

  it('stops at the limits: time, size, gzip bombs, redirects, errors', async () => {
    expect(await failure('/hang')).toBe('no complete answer within 1 s (the server is slow or hanging)');
    expect(await failure('/huge')).toBe(
      'the body is 50.0 MB; the limit is 10.0 MB (refused before reading it)',
    );
    expect(await failure('/bomb')).toBe(
      'the body is larger than 10.0 MB once decompressed (gzip); the limit is 10.0 MB',
    );
    expect(await failure('/loop')).toMatch(/^redirect loop: .*\/loop redirects back to itself$/);
    expect(await failure('/hop9')).toMatch(/^more than 5 redirects/);
    expect(await failure('/missing')).toBe('HTTP 404 Not Found');
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await expect(fetchSource(`http://127.0.0.1:${port}/`, undefined, limits)).rejects.toThrow(
      /could not fetch: ECONNREFUSED/,
    );
  });
});
