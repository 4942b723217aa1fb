// Feed items on a real database, per engine: an item is stored with its identity and recognised
// when it comes again (unchanged: skipped; changed, even its headline: the next version of its
// article); an item without a dateline takes its own date and place; and the watcher's state:
// a failing URL backs off on the clock it is given, a drop folder's files are read again only when
// their bytes change, and a stop cuts a fetch that hangs without remembering anything of it.
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusStory } from '@chancery/domain/wire/test-corpus';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS } from '../src/import/fetch.ts';
import { readSource } from '../src/import/formats/detect.ts';
import { importItems } from '../src/import/items.ts';
import { StoryImporter } from '../src/import/story.ts';
import { type PollReport, Watcher, WatchLoop } from '../src/import/watch.ts';
import { rows } from '../src/repositories/sql.ts';
import { type TestDatabase, testEngines } from '../src/testing.ts';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS feed of one item: a corpus story, its guid, its paragraphs as HTML. */
function rssOf(lines: string[], guid: string): string {
  const [headline = '', standfirst = '', ...paragraphs] = lines;
  const body = paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('');
  return `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
    <item><title>${escapeXml(headline)}</title><guid>${guid}</guid><description>${escapeXml(standfirst)}</description>
    <content:encoded><![CDATA[${body}]]></content:encoded></item></channel></rss>`;
}

describe.each(testEngines)('feed items on $name', (engine) => {
  let database: TestDatabase;
  const story = corpusStory('08-kelmar-ostrava-rail-protocol').text.trim().split('\n');

  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  const importFeed = (feed: string, skipSeen = false) => {
    const read = readSource(Buffer.from(feed), null, null);
    if (!('items' in read)) throw new Error('not a feed');
    return importItems(database.db, new StoryImporter(database.db, { tokenName: null }), read.items, {
      source: 'feed.xml',
      format: read.format,
      skipSeen,
    });
  };

  it('recognises an item by its identity: skipped when unchanged, the next version when changed', async () => {
    const [first] = await importFeed(rssOf(story, 'urn:test:rail'));
    expect(first).toMatchObject({ kind: 'story', itemId: 'urn:test:rail', result: { outcome: 'created' } });
    const slug = first?.kind === 'story' ? first.result.article.slug : '';
    expect(await importFeed(rssOf(story, 'urn:test:rail'), true)).toEqual([
      { source: 'feed.xml', itemId: 'urn:test:rail', kind: 'seen' },
    ]);
    const changed = [
      `${story[0]} (updated)`,
      ...story.slice(1, -1),
      `${story.at(-1)} More talks are planned.`,
    ];
    const [second] = await importFeed(rssOf(changed, 'urn:test:rail'), true);
    expect(second).toMatchObject({
      kind: 'story',
      result: { outcome: 'updated', article: { slug, version: 2, headline: `${story[0]} (updated)` } },
    });
    const stored = await rows<{ item_id: string; format: string; slug: string }>(
      database.db,
      sql`select s.item_id, s.format, a.slug from source_items s join articles a on a.id = s.article_id`,
    );
    expect(stored).toEqual([{ item_id: 'urn:test:rail', format: 'rss', slug }]);
  });

  it('dates and places an item without a dateline by its own fields', async () => {
    const ninjs = JSON.stringify({
      uri: 'urn:test:no-dateline',
      headline: 'Kelmar and Ostrava open a rail border crossing',
      subheadline: 'The crossing at Vell opens to freight first.',
      body_text: 'The first freight train crossed at Vell on Monday.\nPassenger trains follow in spring.',
      firstcreated: '2025-03-02T10:30:00Z',
      located: 'Vell',
    });
    const read = readSource(Buffer.from(ninjs), null, null);
    if (!('items' in read)) throw new Error('not ninjs');
    const [outcome] = await importItems(
      database.db,
      new StoryImporter(database.db, { tokenName: null }),
      read.items,
      {
        source: 'item.json',
        format: read.format,
      },
    );
    expect(outcome).toMatchObject({
      kind: 'story',
      result: { outcome: 'created', article: { publishedAt: '2025-03-02T10:30:00.000Z', paragraphs: 2 } },
    });
    const [item] = await rows<{ place: string }>(
      database.db,
      sql`select place from source_items where item_id = 'urn:test:no-dateline'`,
    );
    expect(item?.place).toBe('Vell');
    const [article] = await rows<{ dateline_place: string | null; dateline_text: string | null }>(
      database.db,
      sql`select a.dateline_place, a.dateline_text from articles a join source_items s on s.article_id = a.id
          where s.item_id = 'urn:test:no-dateline'`,
    );
    expect(article).toEqual({ dateline_place: 'Vell', dateline_text: null });
  });

  describe('the watcher', () => {
    let server: Server;
    let base: string;
    let failing = true;
    let asked = 0;
    let folder: string;

    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'chancery-drop-'));
      server = createServer((_request, response) => {
        asked++;
        if (failing) return void response.writeHead(503).end();
        response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssOf(story, 'urn:test:rail'));
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.close();
      await rm(folder, { recursive: true, force: true });
    });

    it('backs off a failing URL on its clock, and asks again once the wait is over', async () => {
      let now = new Date('2026-01-01T00:00:00Z');
      const watcher = new Watcher(database.db, [`${base}/feed.xml`], { intervalMs: 60_000, now: () => now });
      const [failed] = (await watcher.poll()).sources;
      expect(failed).toMatchObject({
        state: 'failed',
        error: `${base}/feed.xml: HTTP 503 Service Unavailable`,
        retryAt: '2026-01-01T00:02:00.000Z',
      });
      now = new Date('2026-01-01T00:01:00Z');
      expect((await watcher.poll()).sources[0]?.state).toBe('waiting');
      expect(asked).toBe(1);
      failing = false;
      now = new Date('2026-01-01T00:02:00Z');
      // Asked again: its item, back to the words of its first version, is that article's next version.
      expect((await watcher.poll()).sources[0]).toMatchObject({
        state: 'fetched',
        items: [{ kind: 'story', result: { outcome: 'updated', article: { version: 3 } } }],
      });
      expect((await watcher.poll()).sources[0]?.state).toBe('unchanged');
      const [state] = await rows<{ failures: number; last_error: string | null }>(
        database.db,
        sql`select failures, last_error from source_states where source = ${`${base}/feed.xml`}`,
      );
      expect(state).toEqual({ failures: 0, last_error: null });
    });

    it('stops at once while a fetch hangs, and remembers nothing of that source', async () => {
      const hanging = createServer(() => {}); // never answers
      hanging.listen(0, '127.0.0.1');
      await once(hanging, 'listening');
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/slow.xml`;
      try {
        const watcher = new Watcher(database.db, [url], {
          intervalMs: 60_000,
          limits: { ...DEFAULT_FETCH_LIMITS, timeoutMs: 3_600_000 },
        });
        const reports: PollReport[] = [];
        const loop = new WatchLoop(watcher, { intervalMs: 60_000, onPoll: (r) => reports.push(r) });
        const running = loop.run();
        await once(hanging, 'request');
        await loop.stop();
        await running;
        expect(reports).toEqual([{ poll: 1, sources: [] }]);
        expect(await rows(database.db, sql`select source from source_states where source = ${url}`)).toEqual(
          [],
        );
      } finally {
        hanging.closeAllConnections();
        hanging.close();
      }
    });

    it('reads a drop folder’s files again only when their bytes change', async () => {
      await writeFile(join(folder, 'bad.xml'), '<rss><channel>');
      await writeFile(join(folder, 'still-writing.xml.part'), '<rss>');
      const watcher = new Watcher(database.db, [folder], { intervalMs: 60_000 });
      const first = (await watcher.poll()).sources;
      expect(first).toEqual([
        {
          source: join(folder, 'bad.xml'),
          watched: folder,
          state: 'failed',
          items: [],
          error: expect.stringMatching(/bad\.xml:1: the XML is malformed/),
        },
      ]);
      expect((await watcher.poll()).sources.map((s) => s.state)).toEqual(['unchanged']);
      await writeFile(join(folder, 'bad.xml'), rssOf(story, 'urn:test:rail'));
      expect((await watcher.poll()).sources).toMatchObject([{ state: 'fetched', items: [{ kind: 'seen' }] }]);
    });
  });
});
