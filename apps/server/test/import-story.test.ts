// importStory through a real server: editors import a story and get the records back; a dry run
// says what would be created and writes nothing; bad stories and bad arguments come back as a
// ValidationError at the argument to fix; readers may not import.
import { seedIds } from '@chancery/db/seed';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { corpusStory } from '@chancery/domain/wire/test-corpus';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTokens, ERROR_FIELDS, gid, result, type Tokens } from './editorial.ts';
import { startTestServer, type TestServer } from './http.ts';

const STORY = corpusStory('04-meridia-gas-transit-accord').text;

const IMPORT = `mutation ($text: String!, $publishedAt: String, $publisherId: ID, $dryRun: Boolean) {
  importStory(text: $text, publishedAt: $publishedAt, publisherId: $publisherId, dryRun: $dryRun) {
    ${ERROR_FIELDS}
    ... on ImportStoryPayload {
      outcome dryRun warnings mentionCount removedStatementCount
      preview { id slug headline version status publishedAt publisher paragraphCount }
      article { id headline status version statements(first: 50) { totalCount nodes { text kind speaker { name } attribution { method confidence } } } }
      actors { id created name kind aliases roles }
      treaties { id created title parties }
      provisions { id created treaty number }
      statements { id change kind text speaker speakerRole cue saidOn paragraph start end attributionMethod confidence }
    }
  }
}`;

describe.each(testEngines)('importStory on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    api = await startTestServer(database);
    tokens = await createTokens(database);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  const count = async (table: string) =>
    (
      (await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]?.n;

  it('shows in a dry run what would be created, and writes nothing', async () => {
    const before = [
      await count('articles'),
      await count('statements'),
      await count('actors'),
      await count('revisions'),
    ];
    const payload = result(
      await as(api, tokens.editor)(IMPORT, { text: STORY, publishedAt: '2024', dryRun: true }),
      'importStory',
    );
    expect(payload).toMatchObject({
      __typename: 'ImportStoryPayload',
      outcome: 'CREATED',
      dryRun: true,
      article: null,
      preview: {
        id: null,
        status: 'DRAFT',
        version: 1,
        publisher: 'Meridian Press Service',
        paragraphCount: 10,
      },
    });
    expect(payload.statements.length).toBe(9);
    expect(payload.statements.every((s: { id: string | null }) => s.id === null)).toBe(true);
    expect(payload.actors.find((a: { name: string }) => a.name === 'Isabeau Corra')).toMatchObject({
      id: null,
      created: true,
      kind: 'PERSON',
      roles: ['Prime Minister of Meridia'],
    });
    expect([
      await count('articles'),
      await count('statements'),
      await count('actors'),
      await count('revisions'),
    ]).toEqual(before);
  });

  it('imports a story as a draft with its statements, recording the editor on every revision', async () => {
    const payload = result(
      await as(api, tokens.editor)(IMPORT, { text: STORY, publishedAt: '2024-06-09' }),
      'importStory',
    );
    expect(payload).toMatchObject({ outcome: 'CREATED', dryRun: false, warnings: [] });
    expect(payload.article).toMatchObject({ status: 'DRAFT', version: 1, headline: STORY.split('\n')[0] });
    expect(payload.article.id).toBe(payload.preview.id);
    expect(payload.article.statements.totalCount).toBe(9);
    const corra = payload.article.statements.nodes.find(
      (s: { speaker: { name: string } | null }) => s.speaker?.name === 'Isabeau Corra',
    );
    expect(corra.attribution.method).toBe('RULES');
    expect(corra.attribution.confidence).toBeGreaterThan(0);
    expect(corra.attribution.confidence).toBeLessThanOrEqual(1);
    for (const s of payload.statements) {
      expect(s).toMatchObject({ change: 'CREATE', saidOn: '2024-06-09', attributionMethod: 'RULES' });
      expect(s.id).toEqual(expect.any(String));
    }
    expect(payload.provisions.map((p: { number: string }) => p.number).sort()).toEqual(['12', '3']);
    const [revisions] = (
      (await database.db.execute(
        sql`select count(*)::int as n, count(*) filter (where token_name = 'editor')::int as by_editor from revisions where operation = 'CREATE'`,
      )) as unknown as { rows: { n: number; by_editor: number }[] }
    ).rows;
    expect(revisions?.by_editor).toBe(revisions?.n);
    // The draft is the editor's to publish: readers do not see it.
    const reader = await as(api, null)(`{ article(slug: "${payload.preview.slug}") { id } }`);
    expect(reader.data?.article).toBeNull();

    const again = result(
      await as(api, tokens.editor)(IMPORT, { text: STORY, publishedAt: '2024-06-09' }),
      'importStory',
    );
    expect(again).toMatchObject({ outcome: 'UNCHANGED', statements: [], actors: [] });
  });

  it('resolves stored actors and takes the publisher given', async () => {
    const text = [
      'Rudenko restates treaty position',
      'The diplomat spoke in Moscow.',
      'MOSCOW, November 5. /TASS/. Russian Deputy Foreign Minister Andrey Rudenko said on Tuesday that the treaty with North Korea was defensive.',
    ].join('\n');
    const payload = result(
      await as(api, tokens.admin)(IMPORT, {
        text,
        publishedAt: '2024',
        publisherId: gid('Actor', seedIds.actor('tass')),
      }),
      'importStory',
    );
    expect(payload.preview.publisher).toBe('TASS');
    expect(payload.actors.find((a: { name: string }) => a.name === 'Andrey Rudenko')).toMatchObject({
      id: gid('Actor', seedIds.actor('andrey-rudenko')),
      created: false,
    });
    expect(payload.statements).toMatchObject([
      { speaker: 'Andrey Rudenko', kind: 'INDIRECT', saidOn: '2024-11-05' },
    ]);
  });

  it('answers a bad story or bad arguments with a ValidationError at the argument', async () => {
    const editor = as(api, tokens.editor);
    const cases: [Record<string, unknown>, string[], RegExp][] = [
      [
        { text: 'Headline\nStandfirst\nGENEVA, March 3 (ARNA) — "Open quote.\nEnd.' },
        ['text'],
        /^line 3: unbalanced quotes/,
      ],
      [{ text: '   ' }, ['text'], /must not be empty/],
      [{ text: 'GENEVA, March 3 (ARNA) — A.\nB.\nC.' }, ['text'], /^line 1: the story has no headline/],
      [
        { text: STORY, publishedAt: '2024-13-40' },
        ['publishedAt'],
        /not a real calendar date; expected a date as YYYY-MM-DD/,
      ],
      [{ text: STORY, publisherId: 'nonsense' }, ['publisherId'], /is not an ID returned by this API/],
      [
        { text: STORY, publisherId: gid('Actor', '00000000-0000-4000-8000-000000000000') },
        ['publisherId'],
        /not the ID of a stored, live actor/,
      ],
    ];
    for (const [variables, path, message] of cases) {
      const payload = result(await editor(IMPORT, variables), 'importStory');
      expect(payload.__typename, JSON.stringify(variables).slice(0, 80)).toBe('ValidationError');
      expect(payload.fieldErrors).toEqual([{ path, message: expect.stringMatching(message) }]);
    }
  });

  it('is for editors: readers and anonymous clients are refused', async () => {
    const before = await count('articles');
    const reader = await as(api, tokens.reader)(IMPORT, { text: STORY, dryRun: true });
    expect(reader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await as(api, null)(IMPORT, { text: STORY });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await count('articles')).toBe(before);
  });
});
