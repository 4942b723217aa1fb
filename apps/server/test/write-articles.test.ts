// Articles are written whole or not at all, and readers never see one before it is published: not
// through a list, a count, a lookup, node(id), a nested field, its history or a point-in-time read.
import { seedIds } from '@chancery/db/seed';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, builders, createTokens, ERROR_FIELDS, gid, result, type Tokens } from './editorial.ts';
import { startTestServer, type TestServer } from './http.ts';

const RUSSIA_DPRK = 'russia-dprk-comprehensive-strategic-partnership-treaty';

describe.each(testEngines)('articles on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;
  let editor: ReturnType<typeof as>;
  let build: ReturnType<typeof builders>;
  const seed = {
    lavrov: '',
    rudenko: gid('Actor', seedIds.actor('andrey-rudenko')),
    treaty: gid('Treaty', seedIds.treaty(RUSSIA_DPRK)),
    article4: gid('TreatyProvision', seedIds.provision(RUSSIA_DPRK, '4')),
  };

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    api = await startTestServer(database);
    tokens = await createTokens(database);
    editor = as(api, tokens.editor);
    build = builders(editor);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const counts = async () =>
    (
      await rows<Record<string, number>>(sql`select
        (select count(*)::int from articles) as articles, (select count(*)::int from article_paragraphs) as paragraphs,
        (select count(*)::int from article_mentions) as mentions, (select count(*)::int from article_actors) as "articleActors",
        (select count(*)::int from statements) as statements, (select count(*)::int from statement_treaties) as "statementTreaties",
        (select count(*)::int from revisions) as revisions`)
    )[0];

  const story = {
    headline: 'Rudenko on the treaty, again',
    slug: 'rudenko-again',
    dateline: { place: 'MOSCOW', text: 'MOSCOW, November 1. /TASS/. ' },
    paragraphs: [
      'MOSCOW, November 1. /TASS/. Andrey Rudenko said Article 4 of the treaty remains defensive.',
      '"Nothing has changed," Rudenko told reporters.',
    ],
    mentions: [
      { span: { paragraph: 0, text: 'Andrey Rudenko' }, actorId: seed.rudenko },
      { span: { paragraph: 0, text: 'Article 4' }, provisionId: seed.article4 },
    ],
  };
  const statements = [
    {
      source: { paragraph: 0, text: 'Article 4 of the treaty remains defensive' },
      kind: 'INDIRECT',
      speakerId: seed.rudenko,
      provisionIds: [seed.article4],
    },
    {
      source: { paragraph: 1, text: 'Nothing has changed' },
      kind: 'DIRECT',
      speakerId: seed.rudenko,
      cue: 'told',
    },
  ];

  it('creates an article whole: paragraphs, mentions, statements, what they are about, and revisions', async () => {
    const before = await counts();
    const value = result(
      await editor(
        `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { ${ERROR_FIELDS}
          ... on ArticlePayload { article { id status version treaties { slug }
            statements { totalCount nodes { text saidOn about { slug } provisions { number } source { start end } } } } } } }`,
        { input: { ...story, publishedAt: '2024-11-01T09:00:00Z', statements } },
      ),
      'createArticle',
    );
    expect(value.article).toMatchObject({
      status: 'DRAFT',
      version: 1,
      treaties: [{ slug: RUSSIA_DPRK }],
      statements: {
        totalCount: 2,
        nodes: [
          {
            text: 'Article 4 of the treaty remains defensive',
            saidOn: '2024-11-01',
            // The treaty of every provision a statement is about is one of its treaties.
            about: [{ slug: RUSSIA_DPRK }],
            provisions: [{ number: '4' }],
            source: { start: 48, end: 89 },
          },
          { text: 'Nothing has changed', about: [], provisions: [] },
        ],
      },
    });
    const after = await counts();
    expect(after).toEqual({
      articles: (before?.articles ?? 0) + 1,
      paragraphs: (before?.paragraphs ?? 0) + 2,
      mentions: (before?.mentions ?? 0) + 2,
      articleActors: (before?.articleActors ?? 0) + 1,
      statements: (before?.statements ?? 0) + 2,
      statementTreaties: (before?.statementTreaties ?? 0) + 1,
      revisions: (before?.revisions ?? 0) + 3,
    });
  });

  it('writes nothing at all when a statement in the middle fails, though the rows before it were written', async () => {
    const before = await counts();
    const value = result(
      await editor(
        `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { ${ERROR_FIELDS} } }`,
        {
          input: {
            ...story,
            slug: 'never-stored',
            statements: [
              statements[0],
              { ...statements[1], source: { paragraph: 1, start: 1, end: 8, text: 'Nothing has changed' } },
            ],
          },
        },
      ),
      'createArticle',
    );
    expect(value.__typename).toBe('ValidationError');
    expect(value.fieldErrors).toEqual([
      {
        path: ['input', 'statements', '1', 'source', 'text'],
        message: expect.stringMatching(/read "Nothing", not "Nothing has changed"/),
      },
    ]);
    expect(await counts()).toEqual(before);
    expect(await rows(sql`select id from articles where slug = 'never-stored'`)).toEqual([]);
  });

  describe('a draft', () => {
    let article: { id: string; version: number };
    let statementId: string;

    beforeAll(async () => {
      const created = result(
        await editor(
          `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { ${ERROR_FIELDS}
            ... on ArticlePayload { article { id version statements { nodes { id } } } } } }`,
          { input: { ...story, headline: 'Embargoed', slug: 'embargoed', statements } },
        ),
        'createArticle',
      ).article;
      article = { id: created.id, version: created.version };
      statementId = created.statements.nodes[0].id;
    });

    const everyPath = () => `query ($article: ID!, $statement: ID!, $now: DateTime!) {
      articles(first: 100) { totalCount nodes { slug } }
      statements(first: 100) { totalCount nodes { id } }
      byArticle: statements(filter: { articleId: $article }) { totalCount }
      bySlug: article(slug: "embargoed") { id }
      byId: article(id: $article) { id }
      asOf: article(id: $article, asOf: $now) { id }
      statementAsOf: statement(id: $statement, asOf: $now) { id }
      node(id: $article) { id }
      statementNode: node(id: $statement) { id }
      nodes(ids: [$article, $statement]) { id }
      statement(id: $statement) { id }
      rudenko: actor(slug: "andrey-rudenko") {
        statements(first: 100) { totalCount nodes { id } }
        mentionedIn { totalCount nodes { slug } }
        revisions { totalCount }
      }
      treaty(slug: "${RUSSIA_DPRK}") {
        statements(first: 100) { totalCount }
        articles { totalCount }
        provision(number: "4") { statements(first: 100) { totalCount } }
      }
      mentioning: articles(filter: { mentionsActorId: "${seed.rudenko}" }) { totalCount }
    }`;
    const variables = () => ({
      article: article.id,
      statement: statementId,
      now: new Date(Date.now() + 60_000).toISOString(),
    });

    const hidden = {
      articles: { totalCount: 1 },
      statements: { totalCount: 4 },
      byArticle: { totalCount: 0 },
      bySlug: null,
      byId: null,
      asOf: null,
      statementAsOf: null,
      node: null,
      statementNode: null,
      nodes: [null, null],
      statement: null,
      rudenko: {
        statements: { totalCount: 4 },
        mentionedIn: { totalCount: 1 },
        revisions: { totalCount: 0 },
      },
      treaty: {
        statements: { totalCount: 4 },
        articles: { totalCount: 1 },
        provision: { statements: { totalCount: 2 } },
      },
      mentioning: { totalCount: 1 },
    };

    it.each(['anonymous', 'reader'] as const)(
      'is invisible to %s requests through every read path',
      async (role) => {
        // Only the seed story is published: the article created above is a draft too.
        const { data, errors } = await as(api, role === 'anonymous' ? null : tokens.reader)(
          everyPath(),
          variables(),
        );
        expect(errors).toBeUndefined();
        expect(data).toMatchObject(hidden);
        expect(data?.articles.nodes.map((a: { slug: string }) => a.slug)).not.toContain('embargoed');
        expect(data?.statements.nodes.map((s: { id: string }) => s.id)).not.toContain(statementId);
        expect(data?.rudenko.mentionedIn.nodes.map((a: { slug: string }) => a.slug)).not.toContain(
          'embargoed',
        );
      },
    );

    it('is visible to editors through every read path', async () => {
      const { data, errors } = await editor(everyPath(), variables());
      expect(errors).toBeUndefined();
      expect(data).toMatchObject({
        statements: { totalCount: 8 },
        byArticle: { totalCount: 2 },
        bySlug: { id: article.id },
        byId: { id: article.id },
        asOf: { id: article.id },
        statementAsOf: { id: statementId },
        node: { id: article.id },
        statementNode: { id: statementId },
        nodes: [{ id: article.id }, { id: statementId }],
        statement: { id: statementId },
        rudenko: { statements: { totalCount: 8 }, mentionedIn: { totalCount: 3 } },
        treaty: {
          statements: { totalCount: 6 },
          articles: { totalCount: 3 },
          provision: { statements: { totalCount: 4 } },
        },
        mentioning: { totalCount: 3 },
      });
    });

    it('appears to readers when published, and disappears again when withdrawn or unpublished', async () => {
      const slugs = async () =>
        (
          (await as(api, tokens.reader)(`{ articles(first: 100) { nodes { slug } } }`)).data?.articles
            .nodes ?? []
        ).map((a: { slug: string }) => a.slug);
      const published = await build.publish(article);
      expect(await slugs()).toContain('embargoed');
      expect((await api.graphql(`{ statement(id: "${statementId}") { text } }`)).data?.statement).toEqual({
        text: 'Article 4 of the treaty remains defensive',
      });
      const withdrawn = result(
        await editor(`mutation { withdrawArticle(id: "${published.id}", expectedVersion: ${published.version}) {
          ${ERROR_FIELDS} ... on ArticlePayload { article { status version } } } }`),
        'withdrawArticle',
      );
      expect(withdrawn.article.status).toBe('WITHDRAWN');
      expect(await slugs()).not.toContain('embargoed');
      const republished = await build.publish({ id: article.id, version: withdrawn.article.version });
      const draft = result(
        await editor(`mutation { unpublishArticle(id: "${article.id}", expectedVersion: ${republished.version}) {
          ${ERROR_FIELDS} ... on ArticlePayload { article { status revisions { nodes { operation } } } } } }`),
        'unpublishArticle',
      );
      expect(draft.article.status).toBe('DRAFT');
      expect(draft.article.revisions.nodes.map((r: { operation: string }) => r.operation)).toEqual([
        'UNPUBLISH',
        'PUBLISH',
        'WITHDRAW',
        'PUBLISH',
        'CREATE',
      ]);
      expect(await slugs()).not.toContain('embargoed');
    });
  });

  it('keeps mentions, mentioned actors and treaties in step with an edit, and spans valid across it', async () => {
    const russia = gid('Actor', seedIds.actor('russia'));
    const created = await build.article({
      paragraphs: ['Russia and the treaty.'],
      mentions: [{ span: { paragraph: 0, text: 'Russia' }, actorId: russia }],
      statements: [{ source: { paragraph: 0, text: 'the treaty' }, kind: 'INDIRECT' }],
    });
    const value = result(
      await editor(
        `mutation ($id: ID!, $m: [MentionInput!]) { updateArticle(id: $id, expectedVersion: 1, input: {
          paragraphs: ["Russia and the treaty.", "Article 4 matters."], mentions: $m }) {
          ${ERROR_FIELDS} ... on ArticlePayload { article { version paragraphs { text } mentions { provision { number } actor { name } } treaties { slug } } } } }`,
        { id: created.id, m: [{ span: { paragraph: 1, text: 'Article 4' }, provisionId: seed.article4 }] },
      ),
      'updateArticle',
    );
    expect(value.article).toEqual({
      version: 2,
      paragraphs: [{ text: 'Russia and the treaty.' }, { text: 'Article 4 matters.' }],
      mentions: [{ provision: { number: '4' }, actor: null }],
      treaties: [{ slug: RUSSIA_DPRK }],
    });
    const id = Buffer.from(created.id, 'base64url').toString().split(':')[1];
    expect(await rows(sql`select actor_id from article_actors where article_id = ${id}`)).toEqual([]);
  });

  it('quotes with characters outside the Basic Multilingual Plane keep their spans', async () => {
    const article = await build.article({
      paragraphs: ['"Peace 🕊️ now," the envoy said.'],
      statements: [{ source: { paragraph: 0, text: 'Peace 🕊️ now' }, kind: 'DIRECT' }],
    });
    const { data } = await editor(
      `{ node(id: "${article.id}") { ... on Article { statements { nodes { text source { start end } } } } } }`,
    );
    expect(data?.node.statements.nodes).toEqual([{ text: 'Peace 🕊️ now', source: { start: 1, end: 14 } }]);
  });
});
