// The seed is data like any other: loaded into an empty database, after an import that names its
// records, or after the seed story itself came in as a plain story, it ends with the seed's gold
// facts stored exactly once, and loading it again changes nothing.
import { readFileSync } from 'node:fs';
import { encodeGlobalId } from '@chancery/domain/global-id';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { exportBundle } from '../src/import/bundle.ts';
import { StoryImporter } from '../src/import/story.ts';
import { deleteNode, purgeNode } from '../src/repositories/lifecycle.ts';
import { rows } from '../src/repositories/sql.ts';
import { loadSeed, readSeedStory, seedIds } from '../src/seed.ts';
import { readBundleText, seedFactProblems } from '../src/seed-facts.ts';
import { type TestDatabase, testEngines } from '../src/testing.ts';

/** A TASS story of the same day naming Russia, North Korea, Putin, the Duma, the treaty and Article 51. */
const DUMA_STORY = readFileSync(
  new URL('fixtures/duma-ratifies-russia-dprk-treaty.txt', import.meta.url),
  'utf8',
);

async function exported(database: TestDatabase): Promise<string> {
  const lines: string[] = [];
  await exportBundle(database.db, (line) => {
    lines.push(line);
  });
  return lines.join('');
}

async function importStory(database: TestDatabase, text: string, source: string) {
  const importer = new StoryImporter(database.db, { tokenName: null });
  return importer.importStory({ source, text, published: { date: '2024-10-24' }, status: 'PUBLISHED' });
}

describe.each(testEngines)('the seed on $name', (engine) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('loads into an empty database under its stable IDs; loading again changes nothing', async () => {
    database = await engine.open();
    expect(await loadSeed(database.db)).toEqual({ created: true });
    const bundle = await exported(database);
    expect(seedFactProblems(readBundleText(bundle))).toEqual([]);
    const [russia] = await rows<{ slug: string }>(
      database.db,
      sql`select slug from actors where id = ${seedIds.actor('russia')}`,
    );
    expect(russia).toEqual({ slug: 'russia' });
    // Loaded, not written: no revisions, as before.
    expect(readBundleText(bundle).get('Revision')).toBeUndefined();

    expect(await loadSeed(database.db)).toEqual({ created: false });
    expect(await exported(database)).toBe(bundle);
  });

  it('merges with a story that named its records first: stored records keep their IDs and gain what they lack', async () => {
    database = await engine.open();
    const imported = await importStory(database, DUMA_STORY, 'duma');
    const importedId = (name: string) => imported.actors.find((a) => a.name === name)?.id;
    expect(importedId('Russia')).toBeTruthy();

    expect(await loadSeed(database.db)).toEqual({ created: true });
    const bundle = readBundleText(await exported(database));
    expect(seedFactProblems(bundle)).toEqual([]);

    // The imported North Korea is the seed's: same ID, the seed's aliases added, with a revision.
    const [northKorea] = await rows<{ id: string; aliases: string[]; version: number; revisions: number }>(
      database.db,
      sql`select id, aliases, version, (select count(*)::int from revisions r where r.node_id = a.id) as revisions
          from actors a where name = 'North Korea'`,
    );
    expect(northKorea).toMatchObject({
      aliases: ['DPRK', 'Pyongyang', "Democratic People's Republic of Korea"],
      version: 2,
      revisions: 2,
    });
    const [{ statements }] = (await rows<{ statements: number }>(
      database.db,
      sql`select count(*)::int as statements from statements where speaker_id = (select id from actors where name = 'Andrey Rudenko')`,
    )) as [{ statements: number }];
    expect(statements).toBe(4);
    // The imported story's own records are still there, unchanged.
    expect(bundle.get('Article')).toHaveLength(2);
    expect(bundle.get('Actor')?.map((a) => a.name)).toContain('Vyacheslav Volodin');

    const before = await exported(database);
    expect(await loadSeed(database.db)).toEqual({ created: false });
    expect(await exported(database)).toBe(before);
  });

  it('does not duplicate the seed story imported as a plain story: its statements take the curated attribution', async () => {
    database = await engine.open();
    const imported = await importStory(database, readSeedStory(), 'seed story');
    expect(imported.outcome).toBe('created');

    expect(await loadSeed(database.db)).toEqual({ created: true });
    const bundle = readBundleText(await exported(database));
    expect(seedFactProblems(bundle)).toEqual([]);
    expect(bundle.get('Article')).toHaveLength(1);
    const statements = bundle.get('Statement') ?? [];
    // The rules' statements of the gold words were taken over (same IDs, curated), none added twice.
    expect(statements.filter((s) => s.attribution_method === 'MANUAL')).toHaveLength(4);
    expect(new Set(statements.map((s) => encodeGlobalId('Statement', String(s.id))))).toEqual(
      new Set(imported.statements.map((s) => s.id)),
    );

    // Nothing is left to merge: a second load changes nothing, even though it looks again.
    const before = await exported(database);
    expect(await loadSeed(database.db)).toEqual({ created: false });
    expect(await exported(database)).toBe(before);

    // What it added and an editor then purged stays purged.
    const submissions = sql`select id, version from treaty_actions where type = 'SUBMISSION_FOR_RATIFICATION'`;
    const [action] = await rows<{ id: string; version: number }>(database.db, submissions);
    const editor = { db: database.db, tokenName: 'editor' };
    await deleteNode(editor, 'TreatyAction', { id: action?.id as string, expectedVersion: 1 });
    await purgeNode(editor, {
      id: { typename: 'TreatyAction', id: action?.id as string },
      expectedVersion: 2,
    });
    expect(await loadSeed(database.db)).toEqual({ created: false });
    expect(await rows(database.db, submissions)).toEqual([]);
  });
});
