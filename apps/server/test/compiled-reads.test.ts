// Compiled reads answer exactly as the resolvers do. Two servers on one database, one with compiled
// reads and one without, are asked the same documents over HTTP and must send the same bytes (the
// compiled one sends the database's JSON text as it comes): every field of the read model (the
// selections are made from it, so a field added there is checked here), aliases, fragments,
// variables and their defaults, drafts and deleted rows that a reader must not see, and the
// documents that must run as usual (editors, other fields and arguments, directives, lookups that
// find nothing, bad arguments), which say so by not being counted as compiled.
import { StoryImporter } from '@chancery/db/import/story';
import { createTokens, type TestDatabase, testEngines } from '@chancery/db/testing';
import { generateStories } from '@chancery/domain/generate/stories';
import { PAGE_SIZE } from '@chancery/domain/pagination';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModel } from '../src/compiled-reads/read-model.ts';
import { createRequestContext } from '../src/context.ts';
import { type ChanceryServer, createServer } from '../src/server.ts';

const PAGE = 'fragment Page on PageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }';

/** A selection of every field of a read-model type, nested `depth` relations deep. */
function everyField(typename: string, depth: number): string {
  const model = readModel[typename];
  if (!model) throw new Error(`No read model for ${typename}`);
  const fields: string[] = [];
  for (const [name, field] of Object.entries(model.fields)) {
    if (
      field.kind === 'column' ||
      field.kind === 'instant' ||
      field.kind === 'id' ||
      field.kind === 'computed'
    )
      fields.push(name);
    else if (field.kind === 'embedded') fields.push(`${name} { ${everyField(field.type, depth)} }`);
    else if (depth === 0) continue;
    else if (field.kind === 'one' || field.kind === 'many')
      fields.push(`${name} { ${everyField(field.type, depth - 1)} }`);
    else if (field.kind === 'connection')
      fields.push(
        `${name}(first: 2) { totalCount nodes { ${everyField(field.type, depth - 1)} } pageInfo { ...Page } edges { cursor node { id } } }`,
      );
  }
  return fields.join(' ');
}

describe.each(testEngines)('compiled reads on $name', (engine) => {
  let database: TestDatabase;
  let compiled: ChanceryServer;
  let usual: ChanceryServer;
  let compiledCount = 0;
  let replayedCount = 0;
  let editorToken: string;
  let busiest: string;
  const ids: Record<string, string> = {};
  const slugs: Record<string, string> = {};

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    const importer = new StoryImporter(database.db, { tokenName: null });
    let n = 0;
    for (const story of generateStories({ stories: 40, seed: 'compiled' })) {
      await importer.importStory({
        source: story.fileName,
        text: story.text,
        published: { year: 2024 },
        // Drafts, so that the reader's rule filters real rows.
        status: ++n % 5 === 0 ? 'DRAFT' : 'PUBLISHED',
      });
    }
    // Deleted rows a reader must not see either.
    await database.db.execute(
      sql`update statements set deleted_at = now() where id in (select id from statements where published order by said_on desc, id desc limit 2)`,
    );
    await database.db.execute(
      sql`update treaty_provisions set deleted_at = now() where id = (select id from treaty_provisions order by id limit 1)`,
    );
    // The newest article has no dateline (the field is null, not an object of nulls).
    await database.db.execute(
      sql`update articles set dateline_text = null, dateline_place = null where id = (select id from articles where published order by published_at desc, id desc limit 1)`,
    );
    const [row] = (
      (await database.db.execute(
        sql`select a.slug from actors a join statements s on s.speaker_id = a.id where s.published group by a.slug order by count(*) desc limit 1`,
      )) as unknown as { rows: { slug: string }[] }
    ).rows;
    busiest = row?.slug as string;
    const slugOf = async (query: ReturnType<typeof sql>) =>
      ((await database.db.execute(query)) as unknown as { rows: { slug: string }[] }).rows[0]?.slug as string;
    // The article with the most statements a reader sees, with its mentions and a dateline.
    slugs.article = await slugOf(
      sql`select a.slug from articles a join statements s on s.article_id = a.id
          where a.published and s.published and a.dateline_text is not null
          group by a.slug order by count(*) desc, 1 limit 1`,
    );
    // The treaty with the most actions, one of them sourced from a story.
    slugs.treaty = await slugOf(
      sql`select t.slug from treaties t join treaty_actions a on a.treaty_id = t.id
          group by t.slug order by count(a.source_article_id) desc, count(*) desc, 1 limit 1`,
    );
    // The actors a page of treaties and of mentions takes most pages for.
    slugs.party = await slugOf(
      sql`select a.slug from actors a join treaty_parties p on p.actor_id = a.id group by a.slug order by count(*) desc, 1 limit 1`,
    );
    slugs.mentioned = await slugOf(
      sql`select a.slug from actors a join article_actors m on m.actor_id = a.id join articles r on r.id = m.article_id
          where r.published group by a.slug order by count(*) desc, 1 limit 1`,
    );
    const idOf = async (typename: string, query: ReturnType<typeof sql>) => {
      const [found] = ((await database.db.execute(query)) as unknown as { rows: { id: string }[] }).rows;
      return Buffer.from(`${typename}:${found?.id}`).toString('base64url');
    };
    ids.speaker = await idOf(
      'Actor',
      sql`select speaker_id as id from statements where published group by speaker_id order by count(*) desc limit 1`,
    );
    ids.article = await idOf('Article', sql`select article_id as id from statements where published limit 1`);
    // A publisher and a treaty its articles mention most.
    const [pair] = (
      (await database.db.execute(
        sql`select a.publisher_id, t.treaty_id from articles a join article_treaties t on t.article_id = a.id
            where a.published and a.publisher_id is not null
            group by a.publisher_id, t.treaty_id order by count(*) desc, 1, 2 limit 1`,
      )) as unknown as { rows: { publisher_id: string; treaty_id: string }[] }
    ).rows;
    ids.publisher = Buffer.from(`Actor:${pair?.publisher_id}`).toString('base64url');
    ids.mentionedTreaty = Buffer.from(`Treaty:${pair?.treaty_id}`).toString('base64url');
    ids.treaty = await idOf(
      'Treaty',
      sql`select treaty_id as id from statement_treaties group by treaty_id order by count(*) desc limit 1`,
    );
    ids.provision = await idOf(
      'TreatyProvision',
      sql`select provision_id as id from statement_provisions group by provision_id order by count(*) desc limit 1`,
    );
    editorToken = (await createTokens(database)).editor;
    const limits = { maxCost: 1_000_000, maxDepth: 20 };
    compiled = await createServer({
      database,
      statistics: false,
      webhooks: false,
      limits,
      compiledReads: {
        onCompiled: (_http, _answer, replayed) => {
          compiledCount++;
          if (replayed) replayedCount++;
        },
      },
    });
    usual = await createServer({
      database,
      statistics: false,
      webhooks: false,
      limits,
      compiledReads: false,
    });
  }, 180_000);
  afterAll(async () => {
    await compiled?.stop();
    await usual?.stop();
    await database?.close();
  });

  let urls: Map<ChanceryServer, string>;
  beforeAll(async () => {
    urls = new Map([
      [compiled, await compiled.listen(0, '127.0.0.1')],
      [usual, await usual.listen(0, '127.0.0.1')],
    ]);
  });

  /** A server's answer over HTTP: the bytes sent, and what they say. */
  async function ask(
    server: ChanceryServer,
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
    accept?: string,
  ) {
    const response = await fetch(urls.get(server) as string, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(accept ? { accept } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { data?: unknown; errors?: { message: string }[] };
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      sqlStatements: response.headers.get('x-chancery-sql-statements'),
      text,
      data: body.data,
      errors: body.errors?.map((e) => e.message),
    };
  }

  /**
   * Both servers' answers, and whether the compiled one was answered by its compiled statement.
   * The compiled server is asked twice: the second time it replays what Apollo decided the first
   * (replays.ts), and must send the same again.
   */
  async function both(query: string, variables?: Record<string, unknown>, token?: string, accept?: string) {
    const before = compiledCount;
    const replayedBefore = replayedCount;
    const fast = await ask(compiled, query, variables, token, accept);
    const wasCompiled = compiledCount > before;
    const again = await ask(compiled, query, variables, token, accept);
    expect(compiledCount - before).toBe(wasCompiled ? 2 : 0);
    // Asked again, it is replayed (the first time too, when an earlier test asked the same).
    if (wasCompiled) expect(replayedCount - replayedBefore).toBeGreaterThanOrEqual(1);
    const slow = await ask(usual, query, variables, token, accept);
    // The same bytes: the same values, keys in the same order, the same spacing.
    for (const answer of [fast, again]) {
      expect(answer.status).toBe(slow.status);
      expect(answer.contentType).toBe(slow.contentType);
      expect(answer.text).toBe(slow.text);
    }
    return { ...fast, wasCompiled };
  }

  const compiledDocuments = () => ({
    'every field of statements': `{ statements(first: 12) { totalCount nodes { ${everyField('Statement', 2)} } pageInfo { ...Page } edges { cursor node { id } } } } ${PAGE}`,
    'every field of treaties': `{ treaties(first: 4) { totalCount nodes { ${everyField('Treaty', 2)} } pageInfo { ...Page } } } ${PAGE}`,
    'every field of an actor': `query ($slug: String!) { actor(slug: $slug) { ${everyField('Actor', 2)} } } ${PAGE}`,
    'every field of a treaty': `query ($treatySlug: String!) { treaty(slug: $treatySlug) { ${everyField('Treaty', 2)} } } ${PAGE}`,
    'every field of an article': `query ($articleSlug: String!) { article(slug: $articleSlug) { ${everyField('Article', 2)} } } ${PAGE}`,
    'every field of articles': `{ articles(first: 12) { totalCount nodes { ${everyField('Article', 2)} } pageInfo { ...Page } edges { cursor node { id } } } } ${PAGE}`,
    'every field of actors': `{ actors(first: 12) { totalCount nodes { ${everyField('Actor', 1)} } pageInfo { ...Page } edges { cursor node { id } } } } ${PAGE}`,
    'a page past the end': `{ treaties(first: 100) { pageInfo { ...Page } edges { cursor } } } ${PAGE}`,
    'the bench latest':
      '{ statements(first: 20) { nodes { id text saidOn speaker { name } source { article { headline } } } } }',
    'the bench treaties':
      '{ treaties(first: 10) { nodes { title parties { name } provisions { number statements(first: 3) { nodes { text speaker { name } } } } } } }',
    'a field selected twice, its selections merged': `{ treaties(first: 3) { nodes { title provisions { number } }
      nodes { provisions { heading number } id } } }`,
    'aliases, __typename and fragments': `query Named { __typename
      a: statements(first: 3) { nodes { __typename ...S ... on Statement { who: speaker { name } } } }
      b: statements(first: 1) { count: totalCount }
      ${'k'.repeat(63)}: treaties(first: 1) { nodes { title } } }
      fragment S on Statement { key: id text }`,
  });

  it('answers every read-model field exactly as the resolvers do, in one statement', async () => {
    for (const [what, query] of Object.entries(compiledDocuments())) {
      const answer = await both(query, {
        slug: busiest,
        articleSlug: slugs.article,
        treatySlug: slugs.treaty,
      });
      expect(answer.errors, what).toBeUndefined();
      expect(answer.wasCompiled, what).toBe(true);
    }
  });

  it('takes `first` from variables, with their defaults, and pages as the resolvers do', async () => {
    const query = `query ($slug: String!, $n: Int = 4) { actor(slug: $slug) { name statements(first: $n) { totalCount nodes { id saidOn } } } }`;
    for (const variables of [
      { slug: busiest },
      { slug: busiest, n: 1 },
      { slug: busiest, n: 7 },
      { slug: busiest, n: null },
    ]) {
      const answer = await both(query, variables);
      expect(answer.wasCompiled, JSON.stringify(variables)).toBe(true);
      const { totalCount, nodes } = (
        answer.data as { actor: { statements: { totalCount: number; nodes: unknown[] } } }
      ).actor.statements;
      const asked = variables.n === undefined ? 4 : (variables.n ?? PAGE_SIZE.default);
      expect(nodes.length).toBe(Math.min(asked, totalCount));
    }
  });

  it('filters statements by speaker, article, treaty and provision, in the default order', async () => {
    const query = `query ($filter: StatementFilter, $order: StatementOrder) {
      statements(first: 4, filter: $filter, orderBy: $order) { totalCount nodes { id saidOn } pageInfo { ...Page } } } ${PAGE}`;
    const filters = [
      { speakerId: ids.speaker },
      { articleId: ids.article },
      { treatyId: ids.treaty },
      { provisionId: ids.provision },
      { speakerId: ids.speaker, articleId: ids.article },
      { speakerId: ids.speaker, treatyId: ids.treaty, provisionId: null },
      { speakerId: null, kind: null },
    ];
    for (const filter of filters) {
      const answer = await both(query, { filter, order: 'SAID_ON_DESC' });
      expect(answer.wasCompiled, JSON.stringify(filter)).toBe(true);
      expect(answer.errors).toBeUndefined();
    }
    const written = await both(
      `{ statements(first: 3, filter: { speakerId: "${ids.speaker}" }, orderBy: SAID_ON_DESC) { totalCount nodes { id } } }`,
    );
    expect(written.wasCompiled).toBe(true);
    expect((written.data as { statements: { totalCount: number } }).statements.totalCount).toBeGreaterThan(0);
  });

  it('filters articles by publisher, mentioned actor and treaty, in the default order', async () => {
    const query = `query ($filter: ArticleFilter, $order: ArticleOrder) {
      articles(first: 4, filter: $filter, orderBy: $order) { totalCount nodes { id publishedAt } pageInfo { ...Page } } } ${PAGE}`;
    const filters = [
      { publisherId: ids.publisher },
      { mentionsActorId: ids.speaker },
      { treatyId: ids.mentionedTreaty },
      { publisherId: ids.publisher, treatyId: ids.mentionedTreaty, status: null },
    ];
    for (const filter of filters) {
      const answer = await both(query, { filter, order: 'PUBLISHED_AT_DESC' });
      expect(answer.wasCompiled, JSON.stringify(filter)).toBe(true);
      expect(answer.errors).toBeUndefined();
      expect(
        (answer.data as { articles: { totalCount: number } }).articles.totalCount,
        JSON.stringify(filter),
      ).toBeGreaterThan(0);
    }
  });

  it('pages after a cursor to the end, root lists and nested ones alike', async () => {
    const lists: [string, string, (data: any) => any][] = [
      [
        'statements',
        `query ($after: String, $f: StatementFilter) { statements(first: 7, after: $after, filter: $f) { totalCount pageInfo { ...Page } edges { cursor node { id saidOn } } } } ${PAGE}`,
        (data) => data.statements,
      ],
      [
        'treaties',
        `query ($after: String) { treaties(first: 2, after: $after) { totalCount pageInfo { ...Page } nodes { title } } } ${PAGE}`,
        (data) => data.treaties,
      ],
      [
        'articles',
        `query ($after: String) { articles(first: 9, after: $after) { totalCount pageInfo { ...Page } edges { cursor node { id publishedAt } } } } ${PAGE}`,
        (data) => data.articles,
      ],
      [
        'actors',
        `query ($after: String) { actors(first: 10, after: $after) { totalCount pageInfo { ...Page } nodes { name } } } ${PAGE}`,
        (data) => data.actors,
      ],
      [
        "an actor's treaties",
        `query ($after: String) { actor(slug: "${slugs.party}") { treaties(first: 1, after: $after) { totalCount pageInfo { ...Page } nodes { title } } } } ${PAGE}`,
        (data) => data.actor.treaties,
      ],
      [
        'articles mentioning an actor',
        `query ($after: String) { actor(slug: "${slugs.mentioned}") { mentionedIn(first: 4, after: $after) { totalCount pageInfo { ...Page } edges { cursor node { headline } } } } } ${PAGE}`,
        (data) => data.actor.mentionedIn,
      ],
      [
        "an article's statements, in reading order",
        `query ($after: String) { article(slug: "${slugs.article}") { statements(first: 3, after: $after) { totalCount pageInfo { ...Page } edges { cursor node { id } } } } } ${PAGE}`,
        (data) => data.article.statements,
      ],
      [
        "an actor's statements",
        `query ($after: String, $slug: String!) { actor(slug: $slug) { statements(first: 5, after: $after) { pageInfo { ...Page } nodes { id } } } } ${PAGE}`,
        (data) => data.actor.statements,
      ],
    ];
    for (const [what, query, connection] of lists) {
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const answer = await both(query, { after, slug: busiest, f: { provisionId: null } });
        expect(answer.wasCompiled, `${what}, page ${pages + 1}`).toBe(true);
        const { pageInfo } = connection(answer.data);
        expect(pageInfo.hasPreviousPage).toBe(after !== null);
        pages += 1;
        if (!pageInfo.hasNextPage) break;
        after = pageInfo.endCursor;
      }
      expect(pages, what).toBeGreaterThan(1);
    }
  });

  it("hides a timeline entry's story from a reader while the story is a draft, as the resolvers do", async () => {
    const [draft] = (
      (await database.db.execute(
        sql`select a.id, p.text from articles a join article_paragraphs p on p.article_id = a.id and p.index = 0
            where a.status = 'DRAFT' order by a.id limit 1`,
      )) as unknown as { rows: { id: string; text: string }[] }
    ).rows;
    const [treaty] = (
      (await database.db.execute(sql`select id from treaties where slug = ${slugs.treaty}`)) as unknown as {
        rows: { id: string }[];
      }
    ).rows;
    const gid = (typename: string, id?: string) => Buffer.from(`${typename}:${id}`).toString('base64url');
    const created = await ask(
      usual,
      `mutation ($input: CreateTreatyActionInput!) { createTreatyAction(input: $input) { __typename } }`,
      {
        input: {
          treatyId: gid('Treaty', treaty?.id),
          type: 'RATIFICATION',
          date: '2024-11-09',
          source: { articleId: gid('Article', draft?.id), paragraph: 0, text: draft?.text.slice(0, 12) },
        },
      },
      editorToken,
    );
    expect(created.errors).toBeUndefined();
    const query = `query ($slug: String!) { treaty(slug: $slug) { actions { type date source { text paragraphText article { headline } } } } }`;
    const answer = await both(query, { slug: slugs.treaty });
    expect(answer.wasCompiled).toBe(true);
    const sources = (answer.data as { treaty: { actions: { source: unknown }[] } }).treaty.actions.map(
      (action) => action.source,
    );
    // The seed's signature keeps its story; the ratification's draft story stays hidden.
    expect(sources.filter((source) => source === null).length).toBeGreaterThan(0);
    expect(sources.filter((source) => source !== null).length).toBeGreaterThan(0);
  });

  it('never shows a reader a draft or a deleted row', async () => {
    const { data } = await both('{ statements(first: 100) { totalCount nodes { id } } }');
    const [visible] = (
      (await database.db.execute(
        sql`select count(*)::int as n from statements where published and deleted_at is null`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    expect((data as { statements: { totalCount: number } }).statements.totalCount).toBe(visible?.n);
    const articles = await both('{ articles(first: 100) { totalCount nodes { id } } }');
    const [published] = (
      (await database.db.execute(
        sql`select count(*)::int as n from articles where status = 'PUBLISHED' and deleted_at is null`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    expect(articles.wasCompiled).toBe(true);
    expect((articles.data as { articles: { totalCount: number } }).articles.totalCount).toBe(published?.n);
  });

  it('answers with one SQL statement, counts compiled reads in /metrics, and gives executeOperation objects', async () => {
    const query = 'query Latest { statements(first: 5) { nodes { id text speaker { name } } } }';
    const url = urls.get(compiled) as string;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-chancery-sql-statements')).toBe('1');
    const metrics = await (await fetch(new URL('/metrics', url))).text();
    expect(metrics).toMatch(/chancery_graphql_compiled_reads_total\{operation="Latest"\} 1\b/);
    // Called in-process, with no HTTP response to write, the data is objects.
    const before = compiledCount;
    const contextValue = await createRequestContext({ db: database.db, headers: { get: () => undefined } });
    const result = await compiled.apollo.executeOperation({ query }, { contextValue });
    expect(compiledCount).toBe(before + 1);
    const data = result.body.kind === 'single' ? result.body.singleResult.data : undefined;
    expect(data).toEqual(((await response.json()) as { data: unknown }).data);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  it('runs everything else through the resolvers, with the same answers and errors', async () => {
    const usualDocuments: [string, string, Record<string, unknown>?, string?][] = [
      ['an editor', '{ statements(first: 3) { nodes { id text } } }', undefined, editorToken],
      ['a field outside the read model', '{ statements(first: 3) { nodes { id attribution { method } } } }'],
      [
        'an argument outside the read model',
        '{ statements(first: 3, orderBy: SAID_ON_ASC) { nodes { id } } }',
      ],
      // Cursors not as the connections write them: the resolvers say what is wrong, or read them their way.
      [
        'a cursor naming part of the order',
        '{ statements(first: 3, after: "REM6VDpbIlM6MjAyNC0wMS0wMSJd") { nodes { id } } }',
      ],
      ['a cursor that is not one', '{ statements(first: 3, after: "nonsense") { nodes { id } } }'],
      ['an empty cursor', '{ statements(first: 3, after: "") { nodes { id } } }'],
      [
        'a cursor with a date that is not one',
        `query ($after: String) { statements(first: 3, after: $after) { nodes { id } } }`,
        {
          after: Buffer.from('DC:T:["S:2024-13-45","S:00000000-0000-4000-8000-000000000000"]').toString(
            'base64',
          ),
        },
      ],
      [
        'a cursor in base64url',
        `query ($after: String) { statements(first: 3, after: $after) { nodes { id } } }`,
        {
          after: Buffer.from('DC:T:["S:2024-10-24","S:ffffffff-ffff-4fff-bfff-ffffffffffff"]').toString(
            'base64url',
          ),
        },
      ],
      [
        'a filter that is not an object',
        'query ($f: StatementFilter) { statements(first: 3, filter: $f) { nodes { id } } }',
        { f: 'speakerId' },
      ],
      ['a page from the end', '{ statements(last: 3) { nodes { id } pageInfo { hasPreviousPage } } }'],
      ['a connection type name', '{ statements(first: 3) { __typename } }'],
      ['a directive', '{ statements(first: 3) { nodes { id text @include(if: true) } } }'],
      // PostgreSQL cuts a column name after 63 bytes, and a key is one.
      ['a key longer than a column name', `{ ${'k'.repeat(64)}: statements(first: 1) { nodes { id } } }`],
      ['an actor not found', '{ actor(slug: "no-such-actor") { name } }'],
      [
        'an actor by id',
        `{ actor(id: "${Buffer.from('Actor:00000000-0000-0000-0000-000000000000').toString('base64url')}") { name } }`,
      ],
      ['an empty page', 'query ($n: Int) { statements(first: $n) { nodes { id } } }', { n: 0 }],
      ['a negative page', 'query ($n: Int) { statements(first: $n) { nodes { id } } }', { n: -1 }],
      ['a page over the limit', 'query ($n: Int) { statements(first: $n) { nodes { id } } }', { n: 100_000 }],
      [
        'a filter the read model has no meaning for',
        'query ($f: StatementFilter) { statements(first: 3, filter: $f) { nodes { id } } }',
        { f: { kind: 'DIRECT' } },
      ],
      [
        'an ID of the wrong type in a filter',
        'query ($f: StatementFilter) { statements(first: 3, filter: $f) { nodes { id } } }',
        {
          f: { speakerId: Buffer.from('Treaty:00000000-0000-0000-0000-000000000000').toString('base64url') },
        },
      ],
      [
        'an ID that is not one',
        'query ($f: StatementFilter) { statements(first: 3, filter: $f) { nodes { id } } }',
        { f: { articleId: 'nonsense' } },
      ],
      [
        'another order',
        'query ($o: StatementOrder) { statements(first: 3, orderBy: $o) { nodes { id } } }',
        { o: 'SAID_ON_ASC' },
      ],
      [
        'an articles cursor whose time PostgreSQL cannot read',
        'query ($after: String) { articles(first: 3, after: $after) { nodes { id } } }',
        {
          after: Buffer.from(
            'DC:T:["S:2024-13-45 99:00:00+00","S:ffffffff-ffff-4fff-bfff-ffffffffffff"]',
          ).toString('base64'),
        },
      ],
      [
        "an article's statements after a cursor whose paragraph is not a number",
        `query ($after: String) { article(slug: "${slugs.article}") { statements(first: 3, after: $after) { nodes { id } } } }`,
        {
          after: Buffer.from('DC:T:["N:one","N:0","S:ffffffff-ffff-4fff-bfff-ffffffffffff"]').toString(
            'base64',
          ),
        },
      ],
      [
        'articles oldest first',
        'query ($o: ArticleOrder) { articles(first: 3, orderBy: $o) { nodes { id } } }',
        { o: 'PUBLISHED_AT_ASC' },
      ],
      [
        'articles published since a date',
        'query ($f: ArticleFilter) { articles(first: 3, filter: $f) { nodes { id } } }',
        { f: { publishedFrom: '2024-01-01T00:00:00Z' } },
      ],
      [
        'actors by name, best match first',
        'query ($f: ActorFilter) { actors(first: 3, filter: $f) { nodes { name } } }',
        { f: { name: 'rudenko' } },
      ],
      [
        'a slug PostgreSQL cannot store',
        'query ($slug: String!) { actor(slug: $slug) { name } }',
        { slug: 'a\u0000b' },
      ],
      ['a slug of the wrong type', 'query ($slug: String!) { actor(slug: $slug) { name } }', { slug: 7 }],
      ['a mutation', 'mutation { deleteStatement(input: { id: "nonsense" }) { __typename } }'],
    ];
    for (const [what, query, variables, token] of usualDocuments) {
      const answer = await both(query, variables, token);
      expect(answer.wasCompiled, what).toBe(false);
    }
  });

  it('replays a request with its own content type, and only while its statement finds what it looks up', async () => {
    const query =
      'query ($slug: String!) { actor(slug: $slug) { name statements(first: 2) { nodes { id } } } }';
    const types = new Set<string | null>();
    for (const accept of ['application/graphql-response+json', 'application/json', '*/*']) {
      const answer = await both(query, { slug: busiest }, undefined, accept);
      expect(answer.wasCompiled, accept).toBe(true);
      types.add(answer.contentType);
    }
    expect(types.size).toBe(2);
    // The actor is deleted after its page was replayed: the statement finds nothing, and the
    // request runs through the resolvers, which answer as they do for any actor not found. The
    // replay is forgotten: the next request does not try it first.
    await database.db.execute(sql`update actors set deleted_at = now() where slug = ${busiest}`);
    try {
      const before = replayedCount;
      const tried = await ask(compiled, query, { slug: busiest });
      const forgotten = await ask(compiled, query, { slug: busiest });
      expect(Number(forgotten.sqlStatements)).toBe(Number(tried.sqlStatements) - 1);
      const gone = await both(query, { slug: busiest });
      expect(gone.wasCompiled).toBe(false);
      expect(replayedCount).toBe(before);
      expect(gone.data).toEqual({ actor: null });
    } finally {
      await database.db.execute(sql`update actors set deleted_at = null where slug = ${busiest}`);
    }
    expect((await both(query, { slug: busiest })).wasCompiled).toBe(true);
  });
});
