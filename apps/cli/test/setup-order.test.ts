// Setup works in any order: the commands a user runs (`migrate`, `import` of stories and bundles,
// `seed`, `token create`, `export`, the server's first start) in the orders that used to break, each
// ending with the seed's gold facts stored and served exactly once beside everything else. Real CLI
// processes and a real server, on the embedded database and (with TEST_DATABASE_URL) on PostgreSQL
// in a schema of its own. The merge itself is tested in-process in packages/db/test/seed.test.ts.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@chancery/db/database';
import { readBundleText, seedFactProblems } from '@chancery/db/seed-facts';
import { seedStory } from '@chancery/domain/wire/test-corpus';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chancery, type Run, startServer, stop } from './run.ts';

const FIXTURES = new URL('../../../packages/db/test/fixtures/', import.meta.url);
const DUMA_STORY = fileURLToPath(new URL('duma-ratifies-russia-dprk-treaty.txt', FIXTURES));
/** A database as the build with migrations 0001-0004 left it (packages/db/test/upgrade.test.ts). */
const OLDER_DATABASE = fileURLToPath(new URL('upgrade-from-0004_change_feed.sql', FIXTURES));

type Target = {
  name: string;
  /** The environment of a new, migrated, empty database. */
  fresh(): Promise<Record<string, string>>;
  /** The environment of a new database holding a dump, as an older build left it (not migrated further). */
  older(dump: string): Promise<Record<string, string>>;
  close(): Promise<void>;
};

/** Embedded: one data directory made by `chancery migrate`, copied for each order (creating one takes seconds). */
function embedded(root: () => string): Target {
  let template: string | null = null;
  let count = 0;
  return {
    name: 'pglite',
    async fresh() {
      if (!template) {
        template = join(root(), 'template');
        const migrated = await chancery(['migrate'], { CHANCERY_DATA_DIR: template });
        expect(migrated.stdout).toMatch(/Applied: 0001_initial/);
      }
      const dataDir = join(root(), `db-${++count}`);
      await cp(template, dataDir, { recursive: true });
      return { CHANCERY_DATA_DIR: dataDir };
    },
    async older(dump) {
      // A copy of an initialised directory, emptied and filled with the dump (the dump re-creates
      // the extensions it needs in public).
      const env = await this.fresh();
      const database = await openDatabase({ dataDir: env.CHANCERY_DATA_DIR as string, role: 'test' });
      try {
        await database.withRawTransaction((raw) =>
          raw.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'),
        );
        await database.withRawTransaction((raw) => raw.exec(dump));
      } finally {
        await database.close();
      }
      return env;
    },
    async close() {},
  };
}

/** PostgreSQL: a schema of its own for each order, reached through DATABASE_URL's search_path. */
function postgres(url: string): Target {
  const schemas: string[] = [];
  const empty = async (dump = '') => {
    const schema = `setup_order_${Date.now().toString(36)}_${schemas.length}`;
    schemas.push(schema);
    const withSchema = new URL(url);
    withSchema.searchParams.set('options', `-c search_path=${schema},public`);
    const client = new pg.Client({ connectionString: withSchema.href });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    if (dump) await client.query(dump);
    await client.end();
    return { DATABASE_URL: withSchema.href };
  };
  return {
    name: 'postgres',
    async fresh() {
      const env = await empty();
      expect((await chancery(['migrate'], env)).stdout).toMatch(/Applied: 0001_initial/);
      return env;
    },
    older: (dump) => empty(dump),
    async close() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim();

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'chancery-setup-order-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs a command and expects it to succeed. */
async function ok(args: string[], env: Record<string, string>): Promise<Run> {
  const result = await chancery(args, env);
  expect(result.stderr, `chancery ${args.join(' ')}`).not.toMatch(/error/i);
  expect(result.code, `chancery ${args.join(' ')}:\n${result.stderr}`).toBe(0);
  return result;
}

async function graphql(url: string, query: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data as Record<string, unknown>;
}

type ServedStatement = {
  text: string;
  kind: string;
  speaker: { name: string } | null;
  source: {
    paragraph: number;
    start: number;
    end: number;
    paragraphText: string;
    article: { headline: string };
  };
};

/** The seed's gold facts as the running server answers them, to anyone. */
async function expectSeedServed(url: string): Promise<void> {
  const { gold } = seedStory();
  const { statements } = (await graphql(
    url,
    `{ statements(first: 50, orderBy: READING_ORDER) { nodes {
        text kind speaker { name }
        source { paragraph start end paragraphText article { headline } } } } }`,
  )) as { statements: { nodes: ServedStatement[] } };
  const seedStatements = statements.nodes.filter((s) => s.source.article.headline === gold.article.headline);
  expect(
    seedStatements.map((s) => ({
      speaker: s.speaker?.name ?? null,
      kind: s.kind,
      paragraph: s.source.paragraph,
      text: s.text,
      spanReads: s.source.paragraphText.slice(s.source.start, s.source.end) === s.text,
    })),
  ).toEqual(gold.statements.map((s) => ({ ...s, spanReads: true })));

  const { treaties } = (await graphql(url, '{ treaties(first: 20) { nodes { slug title } } }')) as {
    treaties: { nodes: { slug: string; title: string }[] };
  };
  const [partnership, charter] = gold.treaties.map((expected) => {
    const found = treaties.nodes.filter((t) => t.title === expected.title);
    expect(found, expected.title).toHaveLength(1);
    return found[0] as { slug: string; title: string };
  });
  const { treaty } = (await graphql(
    url,
    `{ treaty(slug: "${partnership?.slug}") { provision(number: "4") {
        refersTo { number treaty { title } }
        statements(first: 10) { nodes { text speaker { name } source { paragraph } } } } } }`,
  )) as {
    treaty: {
      provision: {
        refersTo: { number: string; treaty: { title: string } }[];
        statements: { nodes: { text: string; speaker: { name: string }; source: { paragraph: number } }[] };
      };
    };
  };
  expect(treaty.provision.refersTo).toEqual([{ number: '51', treaty: { title: charter?.title } }]);
  // Both said the same day: their order in the default (newest first) is not fixed.
  const onArticle4 = treaty.provision.statements.nodes.map((s) => [s.speaker.name, s.source.paragraph]);
  expect(onArticle4.sort()).toEqual([
    ['Andrey Rudenko', 1],
    ['Andrey Rudenko', 2],
  ]);

  const { actor } = (await graphql(
    url,
    '{ actor(slug: "north-korea") { treaties { nodes { title actions { type date actor { name } body { name } } } } } }',
  )) as { actor: { treaties: { nodes: { title: string; actions: unknown[] }[] } } };
  expect(actor.treaties.nodes).toEqual([
    {
      title: partnership?.title,
      actions: [
        {
          type: 'SUBMISSION_FOR_RATIFICATION',
          date: '2024-10-14',
          actor: { name: 'Vladimir Putin' },
          body: { name: 'State Duma' },
        },
      ],
    },
  ]);
}

const targets = (root: () => string): Target[] => [
  embedded(root),
  ...(testDatabaseUrl ? [postgres(testDatabaseUrl)] : []),
];

describe.each(targets(() => root))('setup in any order on $name', (target) => {
  const path = (name: string) => join(root, `${target.name}-${name}`);
  afterAll(() => target.close());

  it('import first, then the first start: the server loads the seed beside the story and serves its facts', async () => {
    const env = await target.fresh();
    await ok(['import', DUMA_STORY, '--published', '2024-10-24', '--status', 'published'], env);
    // The story alone, for the next order: a bundle that names the seed's records, without the seed.
    await ok(['export', '--out', path('story-only.ndjson')], env);

    const server = await startServer({ ...env, PORT: '0' });
    try {
      expect(server.output()).toMatch(/Loaded the seed story/);
      await expectSeedServed(server.url);
      // Everything, through the running server.
      await ok(['export', '--out', path('everything.ndjson')], env);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
    const everything = readBundleText(await readFile(path('everything.ndjson'), 'utf8'));
    expect(seedFactProblems(everything)).toEqual([]);
    expect(everything.get('Actor')?.map((a) => a.name)).toContain('Vyacheslav Volodin');
  });

  it('a token, then a bundle naming the seed’s records, then the seed twice', async () => {
    const env = await target.fresh();
    await ok(['token', 'create', '--name', 'setup', '--role', 'editor'], env);
    await ok(['import', path('story-only.ndjson')], env);
    expect((await ok(['seed'], env)).stdout).toMatch(/Loaded the seed story/);
    expect((await ok(['seed'], env)).stdout).toMatch(/already loaded; nothing changed/);
    await ok(['export', '--out', path('after-bundle.ndjson')], env);

    const after = readBundleText(await readFile(path('after-bundle.ndjson'), 'utf8'));
    expect(seedFactProblems(after)).toEqual([]);
    // Nothing of the bundle is lost: every record it held is still there, under its ID.
    const before = readBundleText(await readFile(path('story-only.ndjson'), 'utf8'));
    for (const type of ['Actor', 'Treaty', 'TreatyProvision', 'Article', 'Statement']) {
      const ids = new Set(after.get(type)?.map((r) => r.id));
      expect(before.get(type)?.filter((r) => !ids.has(r.id)) ?? [], type).toEqual([]);
    }
  });

  it('export, import into an empty database, seed: the same records, byte for byte', async () => {
    const env = await target.fresh();
    await ok(['import', path('everything.ndjson')], env);
    expect((await ok(['seed'], env)).stdout).toMatch(/already loaded; nothing changed/);
    await ok(['export', '--out', path('restored.ndjson')], env);
    expect(await readFile(path('restored.ndjson'), 'utf8')).toBe(
      await readFile(path('everything.ndjson'), 'utf8'),
    );
  });

  it('a database an older build made: the first start of this one upgrades it and serves everything', async () => {
    const env = await target.older(await readFile(OLDER_DATABASE, 'utf8'));
    const server = await startServer({ ...env, PORT: '0' });
    try {
      expect(server.output()).toMatch(/Applied migrations: 0005/);
      expect(server.output()).not.toMatch(/Loaded the seed story/);
      await expectSeedServed(server.url);
      // The story the older build imported is served too.
      const { statements } = (await graphql(
        server.url,
        '{ statements(first: 50) { nodes { text speaker { name } } } }',
      )) as { statements: { nodes: { text: string; speaker: { name: string } | null }[] } };
      expect(statements.nodes).toContainEqual({
        text: 'The treaty fully complies with Article 51 of the UN Charter and threatens no one',
        speaker: { name: 'Vyacheslav Volodin' },
      });
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  });
});
