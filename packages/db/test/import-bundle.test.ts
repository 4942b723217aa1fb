// Bundles on a real database, per engine: export → import into an empty database → export gives
// the same bytes (seed, imported stories, their history); importing twice changes nothing; a bad
// line is reported with its number and leaves nothing behind.
import { corpusStories, SEED } from '@chancery/domain/wire/test-corpus';
import { sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_TABLES, exportBundle, importBundle, NOT_IN_BUNDLES } from '../src/import/bundle.ts';
import { ImportError } from '../src/import/errors.ts';
import { type NumberedLine, readLines } from '../src/import/lines.ts';
import { StoryImporter } from '../src/import/story.ts';
import * as schema from '../src/schema.ts';
import { seedIds } from '../src/seed.ts';
import { type TestDatabase, testEngines } from '../src/testing.ts';
import { tableCounts } from './import-helpers.ts';

async function* numbered(text: string): AsyncGenerator<NumberedLine> {
  let line = 0;
  for (const piece of text.split('\n')) {
    line++;
    if (piece.trim()) yield { line, text: piece };
  }
}

async function exportText(database: TestDatabase): Promise<string> {
  let out = '';
  await exportBundle(database.db, (line) => {
    out += line;
  });
  return out;
}

/** A database with the seed, the dev corpus, a second version of one story and a merged actor. */
async function populate(database: TestDatabase): Promise<void> {
  const importer = new StoryImporter(database.db, { tokenName: 'bundle-test' });
  const stories = corpusStories().filter((s) => s.name !== SEED);
  for (const story of stories)
    await importer.importStory({ source: story.name, text: story.text, published: { year: 2024 } });
  const first = stories[0] as { text: string };
  await importer.importStory({
    source: 'v2',
    text: first.text.replace('arguing about maps', 'arguing about old maps'),
    published: { year: 2024 },
  });
  // A merged actor points at its survivor: the bundle must order them so that it can be read back.
  await database.db.execute(sql`insert into actors (id, slug, name, kind, deleted_at, merged_into_id)
    values ('00000000-0000-4000-8000-000000000001', 'a-rudenko', 'A. Rudenko', 'PERSON', now(), ${seedIds.actor('andrey-rudenko')})`);
}

describe('bundle tables', () => {
  it('cover every table of the schema but API tokens', () => {
    const tables = Object.values(schema)
      .filter((value) => typeof value === 'object' && value && Symbol.for('drizzle:IsDrizzleTable') in value)
      .map((table) => getTableConfig(table as PgTable).name)
      .filter((name) => !(NOT_IN_BUNDLES as readonly string[]).includes(name));
    expect(BUNDLE_TABLES.map((b) => b.table).sort()).toEqual(tables.sort());
  });
});

describe.each(testEngines)('bundles on $name', (engine) => {
  let bundle: string;

  beforeAll(async () => {
    const source = await engine.open({ seed: true });
    try {
      await populate(source);
      bundle = await exportText(source);
    } finally {
      await source.close();
    }
  });

  describe('read into an empty database', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await engine.open();
    });
    afterAll(() => database?.close());

    it('gives back the same bytes on export', async () => {
      const result = await importBundle(database.db, numbered(bundle));
      expect(result.warnings).toEqual([]);
      expect(result.created.Revision).toBeGreaterThan(100);
      expect(result.created.Article).toBe(9);
      expect(await exportText(database)).toBe(bundle);
    });

    it('changes nothing when imported again', async () => {
      const before = await tableCounts(database.db);
      const result = await importBundle(database.db, numbered(bundle));
      expect(result.created).toEqual({});
      expect(Object.values(result.existing).reduce((a, b) => a + b, 0)).toBe(
        bundle.trim().split('\n').length - 1,
      );
      expect(await tableCounts(database.db)).toEqual(before);
      expect(await exportText(database)).toBe(bundle);
    });
  });

  it('is written in a stable order, typed, one record a line', () => {
    const lines = bundle.trim().split('\n');
    expect(JSON.parse(lines[0] as string)).toEqual({
      type: 'Bundle',
      data: { format: 1, migrations: expect.arrayContaining(['0001_initial']) },
    });
    const order = BUNDLE_TABLES.map((b) => b.type as string);
    let last = -1;
    for (const line of lines.slice(1)) {
      const { type, data } = JSON.parse(line) as { type: string; data: Record<string, unknown> };
      expect(order).toContain(type);
      expect(order.indexOf(type)).toBeGreaterThanOrEqual(last);
      last = order.indexOf(type);
      expect(data).not.toHaveProperty('search_vector');
      expect(data).not.toHaveProperty('name_key');
    }
    expect(bundle).not.toMatch(/token_hash/);
  });

  describe('with bad lines', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await engine.open();
    });
    afterAll(() => database?.close());

    const lines = () => bundle.trim().split('\n');
    const failure = async (text: string) => {
      const before = await tableCounts(database.db);
      const error = await importBundle(database.db, numbered(text)).catch((e: unknown) => e);
      expect(await tableCounts(database.db)).toEqual(before);
      expect(error).toBeInstanceOf(ImportError);
      return error as ImportError;
    };

    it('names a line that is not JSON, and stores none of the lines before it', async () => {
      const text = [...lines().slice(0, 40), '{"type": "Actor", "data": {', ...lines().slice(40)].join('\n');
      const error = await failure(text);
      expect(error.line).toBe(41);
      expect(error.message).toMatch(/not JSON/);
    });

    it('names a line that refers to a record neither in the bundle nor stored', async () => {
      const all = lines();
      const at = all.findIndex((l) => l.startsWith('{"type":"Statement"'));
      const statement = JSON.parse(all[at] as string);
      statement.data.speaker_id = '00000000-0000-4000-8000-00000000dead';
      all[at] = JSON.stringify(statement);
      const error = await failure(all.join('\n'));
      expect(error.line).toBe(at + 1);
      expect(error.message).toMatch(
        /refers to the Actor with id "00000000-0000-4000-8000-00000000dead" \(its speaker_id\), which is neither earlier in the bundle nor in the database/,
      );
    });

    it('names a line whose span does not read its text (the provenance invariant)', async () => {
      const all = lines();
      const parsed = all.map((l) => JSON.parse(l));
      // Statements are in id order, which differs per run: take one whose span, moved a character
      // on, still lies within its paragraph, so the span reads other words rather than none.
      const paragraphLength = (articleId: string, index: number) =>
        parsed.find(
          (p) => p.type === 'ArticleParagraph' && p.data.article_id === articleId && p.data.index === index,
        )?.data.text.length ?? 0;
      const at = parsed.findIndex(
        (p) =>
          p.type === 'Statement' && p.data.end + 1 < paragraphLength(p.data.article_id, p.data.paragraph),
      );
      const statement = parsed[at];
      statement.data.start += 1;
      statement.data.end += 1;
      all[at] = JSON.stringify(statement);
      const error = await failure(all.join('\n'));
      expect(error.line).toBe(at + 1);
      expect(error.message).toMatch(
        /the Statement's span does not match its article: span \d+\.\.\d+ of paragraph \d+ reads/,
      );
    });

    it('names unknown types, unknown fields and values of the wrong type', async () => {
      const header = lines()[0] as string;
      expect((await failure(`${header}\n{"type":"Planet","data":{}}`)).message).toMatch(
        /"Planet" is not a record type/,
      );
      expect(
        (
          await failure(
            `${header}\n{"type":"Actor","data":{"id":"00000000-0000-4000-8000-000000000002","colour":"red"}}`,
          )
        ).message,
      ).toMatch(/Actor has no field "colour"/);
      const wrong = await failure(
        `${header}\n\n{"type":"Actor","data":{"id":"00000000-0000-4000-8000-000000000002","slug":"x","name":"X","kind":"PERSON","aliases":"X"}}`,
      );
      expect(wrong).toMatchObject({ line: 3 });
      expect(wrong.message).toMatch(/Actor.aliases must be a list of strings/);
      const refused = await failure(
        `${header}\n{"type":"Actor","data":{"id":"00000000-0000-4000-8000-000000000002","slug":"x","name":"X","kind":"ROBOT"}}`,
      );
      expect(refused).toMatchObject({ line: 2 });
      expect(refused.message).toMatch(/the database refused the Actor: .*check constraint/);
    });

    it('refuses a record stored with different content', async () => {
      await importBundle(database.db, numbered(lines().slice(0, 2).join('\n')));
      const changed = JSON.parse(lines()[1] as string);
      changed.data.name = `${changed.data.name} (edited)`;
      const error = await failure([lines()[0], JSON.stringify(changed)].join('\n'));
      expect(error).toMatchObject({ line: 2 });
      expect(error.message).toMatch(/already stored, with different content/);
    });

    it('writes nothing in a dry run', async () => {
      const before = await tableCounts(database.db);
      const result = await importBundle(database.db, numbered(bundle), { dryRun: true });
      expect(result.created.Statement).toBeGreaterThan(50);
      expect(await tableCounts(database.db)).toEqual(before);
    });
  });

  if (engine.name === 'pglite' && testEngines.length > 1) {
    it('moves between engines: PGlite → PostgreSQL gives back the same bytes', async () => {
      const postgres = await (testEngines[1] as (typeof testEngines)[number]).open();
      try {
        await importBundle(postgres.db, numbered(bundle));
        expect(await exportText(postgres)).toBe(bundle);
      } finally {
        await postgres.close();
      }
    });
  }
});

describe('bundle lines', () => {
  const bytes = async function* (...chunks: (string | Uint8Array)[]) {
    for (const chunk of chunks) yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
  };
  const collect = async (input: AsyncIterable<Uint8Array>, maxLineBytes?: number) => {
    const out: NumberedLine[] = [];
    for await (const line of readLines(input, { maxLineBytes })) out.push(line);
    return out;
  };

  it('numbers lines across chunks, skips blank ones and accepts CRLF', async () => {
    expect(await collect(bytes('{"a":', '1}\r\n\n{"b"', ':2}\n{"c":3}'))).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 3, text: '{"b":2}' },
      { line: 4, text: '{"c":3}' },
    ]);
  });

  it('refuses a line over the limit as soon as it passes it, and bytes that are not UTF-8', async () => {
    await expect(collect(bytes('{}\n', 'x'.repeat(600), 'x'.repeat(600), '\n'), 1000)).rejects.toMatchObject({
      line: 2,
      message: expect.stringMatching(/longer than/),
    });
    await expect(collect(bytes('{}\n{}\n', new Uint8Array([0x7b, 0xff, 0x7d, 0x0a])))).rejects.toMatchObject({
      line: 3,
      message: expect.stringMatching(/not valid UTF-8/),
    });
  });
});
