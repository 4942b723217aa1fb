// Story import on a real database, per engine: the labelled corpus lands with its gold statements
// and actors, re-imports change nothing, a changed story becomes a new version, stored actors and
// treaties are reused, every span keeps the provenance invariant, and a failing file leaves nothing.
import { sourceSpanProblem } from '@chancery/domain/provenance';
import { normaliseStatementText } from '@chancery/domain/wire/score';
import { corpusStories, corpusStory, SEED } from '@chancery/domain/wire/test-corpus';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseMessage, ImportError } from '../src/import/errors.ts';
import { StoryImporter } from '../src/import/story.ts';
import { type Queryable, rows } from '../src/repositories/sql.ts';
import { seedIds } from '../src/seed.ts';
import { type TestDatabase, testEngines } from '../src/testing.ts';
import { tableCounts } from './import-helpers.ts';

/** Every statement and mention whose span does not read exactly its text. */
async function provenanceProblems(db: Queryable): Promise<string[]> {
  const spans = await rows<{
    what: string;
    paragraphs: string[];
    paragraph: number;
    start: number;
    end: number;
    text: string;
  }>(
    db,
    sql`select 'statement ' || s.id as what, s.paragraph, s.start, s."end", s.text,
          (select json_agg(p.text order by p.index) from article_paragraphs p where p.article_id = s.article_id) as paragraphs
        from statements s
        union all
        select 'mention ' || m.id, m.paragraph, m.start, m."end", m.text,
          (select json_agg(p.text order by p.index) from article_paragraphs p where p.article_id = m.article_id)
        from article_mentions m`,
  );
  return spans.flatMap((s) => {
    const problem = sourceSpanProblem(s.paragraphs, s);
    return problem ? [`${s.what}: ${problem}`] : [];
  });
}

const FIXED_TODAY = () => new Date('2026-06-30T12:00:00Z');

describe.each(testEngines)('story import on $name', (engine) => {
  let database: TestDatabase;
  let importer: StoryImporter;
  const stories = corpusStories().filter((s) => s.name !== SEED);

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    importer = new StoryImporter(database.db, { tokenName: 'test-import', today: FIXED_TODAY });
  });
  afterAll(() => database?.close());

  it('imports the dev corpus with each story’s gold statements and actors', async () => {
    expect(stories.length).toBeGreaterThanOrEqual(8);
    for (const story of stories) {
      const result = await importer.importStory({
        source: story.name,
        text: story.text,
        published: { year: 2024 },
      });
      expect(result.outcome, story.name).toBe('created');
      const articleId = result.article.id as string;
      const stored = await rows<{
        kind: string;
        text: string;
        speaker: string | null;
        paragraph: number;
        method: string;
      }>(
        database.db,
        sql`select s.kind, s.text, a.name as speaker, s.paragraph, s.attribution_method as method
            from statements s join articles ar on ar.id = s.article_id left join actors a on a.id = s.speaker_id
            where ar.slug = ${result.article.slug} order by s.paragraph, s.start`,
      );
      const key = (s: { kind: string; text: string; speaker: string | null; paragraph: number }) =>
        `${s.paragraph} ${s.kind} ${s.speaker ?? '-'} | ${normaliseStatementText(s.text)}`;
      expect(stored.map(key).sort(), story.name).toEqual(story.gold.statements.map(key).sort());
      expect(new Set(stored.map((s) => s.method))).toEqual(new Set(['RULES']));
      const actors = await rows<{ name: string; kind: string }>(
        database.db,
        sql`select a.name, a.kind from article_actors x join actors a on a.id = x.actor_id join articles ar on ar.id = x.article_id
            where ar.slug = ${result.article.slug}`,
      );
      expect(actors.map((a) => `${a.kind} ${a.name}`).sort(), story.name).toEqual(
        story.gold.actors.map((a) => `${a.kind} ${a.name}`).sort(),
      );
      const treaties = await rows<{ title: string; numbers: string[] }>(
        database.db,
        sql`select t.title, coalesce((select json_agg(p.number order by p.number) from treaty_provisions p where p.treaty_id = t.id), '[]') as numbers
            from article_treaties x join treaties t on t.id = x.treaty_id join articles ar on ar.id = x.article_id
            where ar.slug = ${result.article.slug}`,
      );
      for (const gold of story.gold.treaties) {
        const found = treaties.find((t) => t.title.toLowerCase() === gold.title.toLowerCase());
        expect(found, `${story.name}: ${gold.title}`).toBeDefined();
        for (const number of gold.provisions)
          expect(found?.numbers, `${story.name}: ${gold.title}`).toContain(number);
      }
      expect(articleId).toBeTruthy();
    }
  });

  it('stores new actors with their kind, aliases and roles, and the dateline agency as publisher', async () => {
    const [varga] = await rows<{
      kind: string;
      aliases: string[];
      roles: { title: string; organization: string | null }[];
    }>(
      database.db,
      sql`select a.kind, a.aliases,
            (select json_agg(json_build_object('title', r.title, 'organization', o.name) order by r.position)
             from actor_roles r left join actors o on o.id = r.organization_id where r.actor_id = a.id) as roles
          from actors a where a.name = 'Lena Varga'`,
    );
    expect(varga).toEqual({
      kind: 'PERSON',
      aliases: ['Varga'],
      roles: [{ title: 'Foreign Minister of Arvand', organization: 'Republic of Arvand' }],
    });
    const [article] = await rows<{
      publisher: string;
      kind: string;
      status: string;
      published_at: string;
      dateline: string;
    }>(
      database.db,
      sql`select p.name as publisher, p.kind, a.status, to_char(a.published_at at time zone 'UTC', 'YYYY-MM-DD') as published_at, a.dateline_text as dateline
          from articles a join actors p on p.id = a.publisher_id where a.slug = 'arvand-and-meridia-agree-to-resume-work-on-kessel-valley-border-treaty'`,
    );
    expect(article).toEqual({
      publisher: 'ARNA',
      kind: 'ORGANIZATION',
      status: 'DRAFT',
      published_at: '2024-03-03',
      dateline: 'GENEVA, March 3 (ARNA) — ',
    });
    const saidOn = await rows<{ said_on: string }>(
      database.db,
      sql`select distinct s.said_on::text as said_on from statements s join articles a on a.id = s.article_id
          where a.slug = 'arvand-and-meridia-agree-to-resume-work-on-kessel-valley-border-treaty'`,
    );
    expect(saidOn).toEqual([{ said_on: '2024-03-03' }]);
  });

  it('keeps the provenance invariant on every stored statement and mention', async () => {
    expect(await provenanceProblems(database.db)).toEqual([]);
  });

  it('keeps article_actors, article_treaties and statement_treaties in step with the mentions', async () => {
    const drift = await rows<{ problem: string }>(
      database.db,
      sql`select 'article_actors ' || a.id as problem from articles a
          where array(select distinct actor_id from article_mentions m where m.article_id = a.id and actor_id is not null order by 1)
             <> array(select actor_id from article_actors x where x.article_id = a.id order by 1)
          union all
          select 'article_treaties ' || a.id from articles a
          where array(select distinct coalesce(m.treaty_id, p.treaty_id) from article_mentions m left join treaty_provisions p on p.id = m.provision_id
                      where m.article_id = a.id and (m.treaty_id is not null or m.provision_id is not null) order by 1)
             <> array(select treaty_id from article_treaties x where x.article_id = a.id order by 1)
          union all
          select 'statement_treaties ' || s.id from statements s
          where exists (select 1 from statement_provisions sp join treaty_provisions p on p.id = sp.provision_id
                        where sp.statement_id = s.id
                          and not exists (select 1 from statement_treaties st where st.statement_id = s.id and st.treaty_id = p.treaty_id))`,
    );
    expect(drift).toEqual([]);
  });

  it('appends a CREATE revision for every record an import created, with the token name', async () => {
    const missing = await rows<{ what: string }>(
      database.db,
      sql`select 'Actor ' || id as what from actors where created_at > (select created_at from articles where id = ${seedIds.article()})
            and not exists (select 1 from revisions r where r.node_id = actors.id and r.operation = 'CREATE' and r.version = 1)
          union all select 'Article ' || id from articles where id <> ${seedIds.article()}
            and not exists (select 1 from revisions r where r.node_id = articles.id and r.operation = 'CREATE' and r.token_name = 'test-import')
          union all select 'Statement ' || id from statements where attribution_method = 'RULES'
            and not exists (select 1 from revisions r where r.node_id = statements.id and r.operation = 'CREATE' and r.after is not null)`,
    );
    expect(missing).toEqual([]);
  });

  it('changes nothing when the same story is imported again, even with other line endings', async () => {
    const before = await tableCounts(database.db);
    for (const story of stories.slice(0, 3)) {
      const again = await importer.importStory({
        source: story.name,
        text: story.text.replace(/\n/g, '\r\n'),
        published: { year: 2024 },
      });
      expect(again.outcome).toBe('unchanged');
    }
    // The seed was loaded without a content hash; its words still identify it.
    const seed = corpusStories().find((s) => s.name === SEED) as { text: string };
    const seedAgain = await importer.importStory({
      source: 'seed',
      text: seed.text,
      published: { year: 2024 },
    });
    expect(seedAgain.outcome).toBe('unchanged');
    // What it reports is the stored article, not what this import was given.
    expect(seedAgain.article).toMatchObject({ publisher: 'TASS', publishedAt: '2024-10-24T00:00:00.000Z' });
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('stores a changed story (same headline) as a new version of its article', async () => {
    const story = stories[0] as { name: string; text: string };
    const lines = story.text.split('\n');
    // One quote reworded, one paragraph dropped, one added.
    lines[3] = (lines[3] as string).replace('arguing about maps', 'arguing about old maps');
    lines.splice(9, 1);
    lines.splice(lines.length - 1, 0, '"We will be back in April," Santane told reporters.');
    const result = await importer.importStory({
      source: 'changed',
      text: lines.join('\n'),
      published: { year: 2024 },
    });
    expect(result.outcome).toBe('updated');
    expect(result.article.version).toBe(2);
    expect(result.removedStatements).toBeGreaterThanOrEqual(1);
    const [article] = await rows<{ id: string; version: number; paragraphs: number }>(
      database.db,
      sql`select id, version, (select count(*)::int from article_paragraphs p where p.article_id = a.id) as paragraphs
          from articles a where slug = ${result.article.slug}`,
    );
    expect(article?.version).toBe(2);
    expect(article?.paragraphs).toBe(lines.filter((l) => l.trim()).length - 2);
    const texts = await rows<{ text: string; version: number }>(
      database.db,
      sql`select text, version from statements where article_id = ${article?.id} order by paragraph, start`,
    );
    expect(texts.map((t) => t.text)).toContain(
      'We have spent eleven years arguing about old maps. Today we agreed to start arguing about solutions instead',
    );
    expect(texts.map((t) => t.text)).toContain('We will be back in April');
    expect(texts.map((t) => t.text)).not.toContain(
      'We have spent eleven years arguing about maps. Today we agreed to start arguing about solutions instead',
    );
    const revisions = await rows<{ version: number; operation: string }>(
      database.db,
      sql`select version, operation from revisions where node_id = ${article?.id} order by version`,
    );
    expect(revisions).toEqual([
      { version: 1, operation: 'CREATE' },
      { version: 2, operation: 'UPDATE' },
    ]);
    // A statement found again keeps its identity; one that moved paragraph is a new version of it.
    const moved = await rows<{ version: number; operation: string }>(
      database.db,
      sql`select r.version, r.operation from revisions r join statements s on s.id = r.node_id
          where s.article_id = ${article?.id} and s.text = 'If we solve the water, the border will follow' order by r.version`,
    );
    expect(moved).toEqual([
      { version: 1, operation: 'CREATE' },
      { version: 2, operation: 'UPDATE' },
    ]);
    expect(await provenanceProblems(database.db)).toEqual([]);
    // And importing that version again changes nothing.
    const counts = await tableCounts(database.db);
    expect(
      (await importer.importStory({ source: 'changed', text: lines.join('\n'), published: { year: 2024 } }))
        .outcome,
    ).toBe('unchanged');
    expect(await tableCounts(database.db)).toEqual(counts);
  });

  it('resolves names to stored actors (case and accents aside) and links stored treaties and provisions', async () => {
    const text = [
      'Rudenko says Moscow stands by treaty with Pyongyang',
      'The deputy minister spoke after a meeting with Kolarova.',
      'MOSCOW, November 2. /TASS/. RUSSIAN Deputy Foreign Minister ANDREY RUDENKO said on Saturday that the partnership with North Korea rested on Article 51 of the UN Charter and on Article 2 of the UN Charter.',
      '"We are not threatening anyone," Rudenko told reporters after talks with Jana Kolarova of Ostrava.',
    ].join('\n');
    const before = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from actors where name ilike '%rudenko%'`,
    );
    const result = await importer.importStory({ source: 'rudenko', text, published: { date: '2024-11-02' } });
    expect(result.outcome).toBe('created');
    const rudenko = result.actors.find((a) => a.name === 'Andrey Rudenko');
    expect(rudenko).toMatchObject({ created: false, slug: 'andrey-rudenko' });
    expect(result.actors.find((a) => a.name.includes('Kol'))).toMatchObject({
      name: 'Jana Kolářová',
      created: false,
    });
    expect(result.article.publisher).toBe('TASS');
    const after = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from actors where name ilike '%rudenko%'`,
    );
    expect(after).toEqual(before);
    const speakers = await rows<{ speaker_id: string }>(
      database.db,
      sql`select distinct speaker_id from statements s join articles a on a.id = s.article_id where a.slug = ${result.article.slug}`,
    );
    expect(speakers).toEqual([{ speaker_id: seedIds.actor('andrey-rudenko') }]);
    // Article 51 of the UN Charter is the seed's; Article 2 is new, under the same treaty.
    const charter = seedIds.treaty('charter-of-the-united-nations');
    expect(result.treaties.map((t) => ({ title: t.title, created: t.created }))).toContainEqual({
      title: 'Charter of the United Nations',
      created: false,
    });
    const provisions = await rows<{ number: string; id: string }>(
      database.db,
      sql`select number, id from treaty_provisions where treaty_id = ${charter} order by position`,
    );
    expect(provisions.map((p) => p.number)).toEqual(expect.arrayContaining(['51', '2']));
    expect(provisions.find((p) => p.number === '51')?.id).toBe(
      seedIds.provision('charter-of-the-united-nations', '51'),
    );
  });

  it('keeps an editor’s statements and treaty-action sources through a new version, moving them with their words', async () => {
    const story = stories.find((s) => s.name.startsWith('03-')) as { text: string };
    const first = await importer.importStory({ source: '03', text: story.text, published: { year: 2024 } });
    expect(first.outcome).toBe('unchanged');
    const [article] = await rows<{ id: string }>(
      database.db,
      sql`select id from articles where slug = ${first.article.slug}`,
    );
    const articleId = article?.id as string;
    // An editor attributes one statement by hand, and a treaty action cites the story.
    const [manual] = await rows<{ id: string; paragraph: number; text: string }>(
      database.db,
      sql`update statements set attribution_method = 'MANUAL', attribution_confidence = 1, speaker_role = 'edited by hand'
          where id = (select id from statements where article_id = ${articleId} and paragraph = 2 order by start limit 1)
          returning id, paragraph, text`,
    );
    const cited = 'Since February, most Kelmar grain has moved by barge down the Sallon canal';
    const [action] = await rows<{ id: string }>(
      database.db,
      sql`insert into treaty_actions (treaty_id, type, description, source_article_id, source_paragraph, source_start, source_end, source_text)
          values (${seedIds.treaty('charter-of-the-united-nations')}, 'ACCESSION', 'test', ${articleId}, 3, 0, ${cited.length}, ${cited})
          returning id`,
    );
    // The new version has a paragraph more at the top of the body: everything moves down one.
    const lines = story.text.split('\n');
    lines.splice(3, 0, 'The decision was announced at a news conference in Bresk.');
    const updated = await importer.importStory({
      source: '03 v2',
      text: lines.join('\n'),
      published: { year: 2024 },
    });
    expect(updated).toMatchObject({ outcome: 'updated', removedStatements: 0 });
    const [kept] = await rows<{ paragraph: number; method: string; role: string; version: number }>(
      database.db,
      sql`select paragraph, attribution_method as method, speaker_role as role, version from statements where id = ${manual?.id}`,
    );
    expect(kept).toEqual({ paragraph: 3, method: 'MANUAL', role: 'edited by hand', version: 2 });
    const [moved] = await rows<{ paragraph: number; version: number }>(
      database.db,
      sql`select source_paragraph as paragraph, version from treaty_actions where id = ${action?.id}`,
    );
    expect(moved).toEqual({ paragraph: 4, version: 2 });
    expect(await provenanceProblems(database.db)).toEqual([]);

    // A version without the editor's words is refused, and changes nothing.
    const before = await tableCounts(database.db);
    const without = lines.filter((line) => !line.includes(String(manual?.text).slice(0, 30))).join('\n');
    const error = await importer
      .importStory({ source: '03 v3', text: without, published: { year: 2024 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toMatch(
      /no longer contains the words of a statement an editor attributed/,
    );
    expect(await tableCounts(database.db)).toEqual(before);
    await database.db.execute(sql`delete from treaty_actions where id = ${action?.id}`);
  });

  it('plans a dry run like an import, and writes nothing', async () => {
    const before = await tableCounts(database.db);
    const dry = new StoryImporter(database.db, { tokenName: null, dryRun: true, today: FIXED_TODAY });
    const text = corpusStory('02-ostrava-air-defence-drills').text.replace(
      'Ostrava to hold',
      'Ostrava plans',
    );
    const result = await dry.importStory({ source: 'dry', text, published: { year: 2025 } });
    expect(result).toMatchObject({
      outcome: 'created',
      dryRun: true,
      article: { id: null, status: 'DRAFT' },
    });
    expect(result.statements.length).toBeGreaterThan(5);
    expect(result.statements.every((s) => s.id === null)).toBe(true);
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('refuses bad stories with the line at fault', async () => {
    const cases: [string, RegExp, number | null][] = [
      ['', /empty/, null],
      ['MOSCOW, October 24. /TASS/. A paragraph.\nAnother.\nAnd another.', /no headline/, 1],
      [
        'Headline\nStandfirst\nGENEVA, March 3 (ARNA) — "We agree," Varga said.\n"Still open, she added.\nEnd.',
        /unbalanced quotes/,
        4,
      ],
      ['Headline only', /non-blank line/, null],
    ];
    const before = await tableCounts(database.db);
    for (const [text, message, line] of cases) {
      const error = await importer
        .importStory({ source: 'bad', text, published: { year: 2024 } })
        .catch((e: unknown) => e);
      expect(error, text).toBeInstanceOf(ImportError);
      expect((error as ImportError).message).toMatch(message);
      expect((error as ImportError).line).toBe(line);
    }
    expect(await tableCounts(database.db)).toEqual(before);
  });

  it('stores a story whole or not at all', async () => {
    // A statement the database refuses, after the actors and the article are already written.
    await database.db.execute(sql`create function refuse_statement() returns trigger language plpgsql as $$
      begin if new.text like '%refuse me%' then raise exception 'refused by the test'; end if; return new; end $$`);
    await database.db.execute(
      sql`create trigger refuse_statement before insert on statements for each row execute function refuse_statement()`,
    );
    try {
      const before = await tableCounts(database.db);
      const text = [
        'Velmora and Tarnia fail to agree on grain quotas',
        'A minister of a new state speaks.',
        'VELGRAD, May 5 (VNA) — The Republic of Velmora and the Kingdom of Tarnia failed on Monday to agree on grain quotas, Trade Minister Oskar Lindqvist said.',
        '"Please refuse me," Lindqvist told reporters.',
      ].join('\n');
      const error = await importer
        .importStory({ source: 'atomic', text, published: { year: 2024 } })
        .catch((e: unknown) => e);
      expect(databaseMessage(error)).toMatch(/refused by the test/);
      expect(await tableCounts(database.db)).toEqual(before);
      // The catalog did not learn the actors of the failed story either.
      await database.db.execute(sql`drop trigger refuse_statement on statements`);
      const result = await importer.importStory({ source: 'atomic', text, published: { year: 2024 } });
      expect(result.actors.filter((a) => a.name === 'Oskar Lindqvist')).toMatchObject([{ created: true }]);
    } finally {
      await database.db.execute(sql`drop trigger if exists refuse_statement on statements`);
      await database.db.execute(sql`drop function if exists refuse_statement()`);
    }
  });
});
