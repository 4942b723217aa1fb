import * as t from '@chancery/db/schema';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { seedStory } from '@chancery/domain/wire/test-corpus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './http.ts';

const { gold } = seedStory();

describe.each(testEngines)('read API on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    api = await startTestServer(database);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  describe('the seed story', () => {
    it('serves the article exactly as the wire story printed it', async () => {
      const story = seedStory().text;
      const [headline, standfirst, ...paragraphs] = story.replace(/\n$/, '').split('\n');
      const { data, errors } = await api.graphql(`{
        article(slug: "tass-2024-10-24-russia-dprk-treaty") {
          headline standfirst status publishedAt language
          dateline { place text }
          publisher { name kind }
          paragraphs { index text }
        }
      }`);
      expect(errors).toBeUndefined();
      const article = data?.article;
      expect(article.headline).toBe(headline);
      expect(article.headline).toBe(gold.article.headline);
      expect(article.standfirst).toBe(gold.article.standfirst);
      expect(article.standfirst).toBe(standfirst);
      expect(article.paragraphs).toHaveLength(gold.article.paragraphCount);
      expect(article.paragraphs.map((p: { text: string }) => p.text)).toEqual(paragraphs);
      expect(article.paragraphs.map((p: { index: number }) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(article.dateline.place).toBe(gold.article.dateline.place);
      expect(paragraphs[0]?.startsWith(article.dateline.text)).toBe(true);
      expect(article.publisher).toEqual({ name: gold.article.source, kind: 'ORGANIZATION' });
      expect(article.status).toBe('PUBLISHED');
      expect(article.publishedAt.slice(0, 10)).toBe(gold.article.publishedOn);
    });

    it('has every actor of the gold file with its kind, aliases and roles', async () => {
      const { data } = await api.graphql(
        `{ actors(first: 100) { totalCount nodes { name kind aliases roles { title } } } }`,
      );
      const byName = new Map(data?.actors.nodes.map((a: { name: string }) => [a.name, a]));
      for (const expected of gold.actors) {
        const actor = byName.get(expected.name) as {
          kind: string;
          aliases: string[];
          roles: { title: string }[];
        };
        expect(actor, expected.name).toBeDefined();
        expect(actor.kind).toBe(expected.kind);
        expect(actor.aliases).toEqual(expect.arrayContaining(expected.aliases));
        expect(actor.roles.map((r) => r.title)).toEqual(expected.roles ?? []);
      }
    });

    it('has the treaties with parties, provisions, status and timeline', async () => {
      const { data, errors } = await api.graphql(`{
        treaties(first: 10) { nodes {
          title status parties { name } provisions { number }
          actions { type date actor { name } body { name } source { paragraph text article { slug } } }
        } }
      }`);
      expect(errors).toBeUndefined();
      const byTitle = new Map(data?.treaties.nodes.map((tr: { title: string }) => [tr.title, tr]));
      for (const expected of gold.treaties) {
        const treaty = byTitle.get(expected.title) as any;
        expect(treaty, expected.title).toBeDefined();
        expect(treaty.parties.map((p: { name: string }) => p.name)).toEqual(expected.parties);
        expect(treaty.provisions.map((p: { number: string }) => p.number)).toEqual(expected.provisions);
      }
      const partnership = byTitle.get(gold.treaties[0]!.title) as any;
      expect(partnership.status).toBe('PENDING_RATIFICATION');
      expect(partnership.actions).toEqual([
        {
          type: 'SUBMISSION_FOR_RATIFICATION',
          date: '2024-10-14',
          actor: { name: 'Vladimir Putin' },
          body: { name: 'State Duma' },
          source: {
            paragraph: 4,
            text: expect.stringContaining(
              'Vladimir Putin introduced a treaty on comprehensive strategic partnership',
            ),
            article: { slug: 'tass-2024-10-24-russia-dprk-treaty' },
          },
        },
      ]);
      expect((byTitle.get('Charter of the United Nations') as any).status).toBe('IN_FORCE');
    });

    it('has exactly the gold statements, in reading order, with speaker and kind', async () => {
      const { data } = await api.graphql(`{
        article(slug: "tass-2024-10-24-russia-dprk-treaty") {
          statements(first: 100) { totalCount nodes { text kind speaker { name } source { paragraph } } }
        }
      }`);
      const statements = data?.article.statements.nodes.map((s: any) => ({
        speaker: s.speaker.name,
        kind: s.kind,
        paragraph: s.source.paragraph,
        text: s.text,
      }));
      expect(statements).toEqual(gold.statements);
      expect(data?.article.statements.totalCount).toBe(gold.statements.length);
    });

    it('loading the seed again changes nothing', async () => {
      const { loadSeed } = await import('@chancery/db/seed');
      const before = await database.db.select().from(t.statements);
      expect(await loadSeed(database.db)).toEqual({ created: false });
      const after = await database.db.select().from(t.statements);
      expect(after).toEqual(before);
      expect(await database.db.$count(t.actors)).toBe(6);
    });
  });

  describe('the questions a new user asks', () => {
    it("which statements did Andrey Rudenko make about the treaty's Article 4, with their source paragraph", async () => {
      const { data: lookup } = await api.graphql(`{
        actor(slug: "andrey-rudenko") { id }
        treaty(slug: "russia-dprk-comprehensive-strategic-partnership-treaty") { provision(number: "4") { id } }
      }`);
      const { data, errors } = await api.graphql(
        `query ($speakerId: ID!, $provisionId: ID!) {
          statements(filter: { speakerId: $speakerId, provisionId: $provisionId }, orderBy: READING_ORDER) {
            totalCount
            nodes { text kind source { paragraph start end text paragraphText } }
          }
        }`,
        { speakerId: lookup?.actor.id, provisionId: lookup?.treaty.provision.id },
      );
      expect(errors).toBeUndefined();
      expect(data?.statements.totalCount).toBe(2);
      const [first, second] = data?.statements.nodes ?? [];
      expect(first.text).toBe(gold.statements[1]!.text);
      expect(first.source.paragraph).toBe(1);
      expect(first.source.paragraphText.slice(first.source.start, first.source.end)).toBe(first.text);
      expect(second.source.paragraph).toBe(2);
    });

    it('which treaties is North Korea a party to, and their status', async () => {
      const { data } = await api.graphql(
        `{ actor(slug: "north-korea") { treaties { totalCount nodes { shortTitle status } } } }`,
      );
      expect(data?.actor.treaties).toEqual({
        totalCount: 1,
        nodes: [
          {
            shortTitle: 'Russia–DPRK Comprehensive Strategic Partnership Treaty',
            status: 'PENDING_RATIFICATION',
          },
        ],
      });
      const { data: byFilter } = await api.graphql(
        `query ($party: ID!) { treaties(filter: { partyId: $party, status: PENDING_RATIFICATION }) { totalCount } }`,
        { party: (await api.graphql(`{ actor(slug: "north-korea") { id } }`)).data?.actor.id },
      );
      expect(byFilter?.treaties.totalCount).toBe(1);
    });

    it('what Article 4 refers to, and what refers to Article 51', async () => {
      const { data } = await api.graphql(`{
        treaty(slug: "russia-dprk-comprehensive-strategic-partnership-treaty") {
          provision(number: "4") { number summary refersTo { number treaty { title } } }
        }
        charter: treaty(slug: "charter-of-the-united-nations") {
          provision(number: "51") { referencedBy { number treaty { slug } } }
        }
      }`);
      expect(data?.treaty.provision.refersTo).toEqual([
        { number: '51', treaty: { title: 'Charter of the United Nations' } },
      ]);
      expect(data?.charter.provision.referencedBy).toEqual([
        { number: '4', treaty: { slug: 'russia-dprk-comprehensive-strategic-partnership-treaty' } },
      ]);
    });
  });

  describe('provenance', () => {
    it('every statement and treaty action source satisfies paragraphs[paragraph].slice(start, end) === text', async () => {
      let after: string | null = null;
      let checked = 0;
      do {
        const { data }: { data?: any } = await api.graphql(
          `query ($after: String) { statements(first: 100, after: $after) {
            pageInfo { hasNextPage endCursor }
            nodes { text source { paragraph start end text article { paragraphs { index text } } } }
          } }`,
          { after },
        );
        for (const statement of data?.statements.nodes ?? []) {
          const { paragraph, start, end, text } = statement.source;
          expect(text).toBe(statement.text);
          expect(statement.source.article.paragraphs[paragraph].text.slice(start, end)).toBe(text);
          checked++;
        }
        after = data?.statements.pageInfo.hasNextPage ? data.statements.pageInfo.endCursor : null;
      } while (after);
      expect(checked).toBe(await database.db.$count(t.statements));
      const { data } = await api.graphql(
        `{ treaties { nodes { actions { source { paragraph start end text article { paragraphs { text } } } } } } }`,
      );
      for (const treaty of data?.treaties.nodes ?? []) {
        for (const { source } of treaty.actions) {
          if (source)
            expect(source.article.paragraphs[source.paragraph].text.slice(source.start, source.end)).toBe(
              source.text,
            );
        }
      }
    });
  });

  describe('nodes and IDs', () => {
    it('node(id) and nodes(ids) resolve every type', async () => {
      const { data } = await api.graphql(`{
        actors(first: 1) { nodes { id } }
        articles(first: 1) { nodes { id } }
        statements(first: 1) { nodes { id } }
        treaty(slug: "russia-dprk-comprehensive-strategic-partnership-treaty") { id provisions { id } actions { id } }
      }`);
      const ids: [string, string][] = [
        ['Actor', data?.actors.nodes[0].id],
        ['Article', data?.articles.nodes[0].id],
        ['Statement', data?.statements.nodes[0].id],
        ['Treaty', data?.treaty.id],
        ['TreatyProvision', data?.treaty.provisions[0].id],
        ['TreatyAction', data?.treaty.actions[0].id],
      ];
      for (const [typename, id] of ids) {
        const { data: node, errors } = await api.graphql(
          `query ($id: ID!) { node(id: $id) { __typename id } }`,
          { id },
        );
        expect(errors).toBeUndefined();
        expect(node?.node).toEqual({ __typename: typename, id });
      }
      const { data: many } = await api.graphql(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename } }`, {
        ids: ids.map(([, id]) => id),
      });
      expect(many?.nodes.map((n: { __typename: string }) => n.__typename)).toEqual(
        ids.map(([typename]) => typename),
      );
    });

    it('an unknown but well-formed ID is null, not an error', async () => {
      const unknown = Buffer.from('Treaty:00000000-0000-4000-8000-000000000000').toString('base64url');
      const { data, errors } = await api.graphql(
        `query ($id: ID!) { node(id: $id) { id } treaty(id: $id) { id } }`,
        { id: unknown },
      );
      expect(errors).toBeUndefined();
      expect(data).toEqual({ node: null, treaty: null });
    });

    it.each([
      ['a malformed global ID', `{ node(id: "not-an-id!") { id } }`, /Invalid ID/],
      [
        'a base64 ID without a type',
        `{ node(id: "${Buffer.from('hello').toString('base64url')}") { id } }`,
        /Invalid ID/,
      ],
      [
        'an ID of the wrong type',
        `{ treaty(id: "${Buffer.from('Actor:00000000-0000-4000-8000-000000000000').toString('base64url')}") { id } }`,
        /belongs to a Actor, not a Treaty/,
      ],
      ['both id and slug', `{ actor(id: "x", slug: "y") { id } }`, /exactly one of `id` or `slug`/],
      ['first: 0', `{ statements(first: 0) { totalCount } }`, /from 1 to 100; got 0/],
      ['first: 101', `{ treaties(first: 101) { nodes { id } } }`, /from 1 to 100; got 101/],
      ['first: -1', `{ actors(first: -1) { nodes { id } } }`, /from 1 to 100; got -1/],
      [
        'last: 500 on a nested connection',
        `{ actor(slug: "andrey-rudenko") { statements(last: 500) { nodes { id } } } }`,
        /from 1 to 100; got 500/,
      ],
      [
        'an unknown orderBy',
        `{ actors(orderBy: SHOE_SIZE) { nodes { id } } }`,
        /"SHOE_SIZE" is not a ActorOrder; allowed: CREATED_AT_ASC, CREATED_AT_DESC, NAME_ASC, NAME_DESC/,
      ],
      [
        'an invalid date',
        `{ statements(filter: { saidFrom: "2024-02-30" }) { totalCount } }`,
        /real calendar date as YYYY-MM-DD/,
      ],
      ['a bad country code', `{ actors(filter: { countryCode: "Russia" }) { totalCount } }`, /two letters/],
      [
        'a reversed date range',
        `{ statements(filter: { saidFrom: "2025-01-01", saidTo: "2024-01-01" }) { totalCount } }`,
        /saidFrom must be on or before/,
      ],
    ])('%s is BAD_USER_INPUT with a message that says what is allowed', async (_name, query, message) => {
      const response = await api.graphql(query);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toMatch(message);
    });

    it('checks page sizes given as variables on every request of the same document', async () => {
      // The checks are planned once per document; the values must still be read per request.
      const query = `query ($n: Int) { actor(slug: "andrey-rudenko") { statements(first: $n) { totalCount } } }`;
      expect((await api.graphql(query, { n: 5 })).errors).toBeUndefined();
      const tooMany = await api.graphql(query, { n: 500 });
      expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(tooMany.errors?.[0]?.message).toMatch(/statements: .*from 1 to 100; got 500/);
      expect((await api.graphql(query, { n: 100 })).errors).toBeUndefined();
      expect((await api.graphql(query, { n: 0 })).errors?.[0]?.message).toMatch(/got 0/);
    });

    it('an unknown orderBy passed as a variable is BAD_USER_INPUT too', async () => {
      const response = await api.graphql(`query ($o: TreatyOrder) { treaties(orderBy: $o) { totalCount } }`, {
        o: 'NOPE',
      });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toMatch(
        /allowed: CREATED_AT_ASC, CREATED_AT_DESC, TITLE_ASC, TITLE_DESC/,
      );
    });
  });

  describe('filters, orderings and pagination', () => {
    it('filters actors by kind, country and part of a name or alias', async () => {
      const names = async (filter: string) =>
        (await api.graphql(`{ actors(filter: ${filter}) { nodes { name } } }`)).data?.actors.nodes.map(
          (a: { name: string }) => a.name,
        );
      expect(await names(`{ kind: STATE }`)).toEqual(['North Korea', 'Russia']);
      expect(await names(`{ countryCode: "kp" }`)).toEqual(['North Korea']);
      expect(await names(`{ name: "pyongyang" }`)).toEqual(['North Korea']);
      expect(await names(`{ name: "rud" }`)).toEqual(['Andrey Rudenko']);
      expect(await names(`{ name: "%" }`)).toEqual([]);
    });

    it('pages forwards and backwards with cursors, and counts the whole result', async () => {
      const page1 = await api.graphql(
        `{ actors(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { name } } }`,
      );
      expect(page1.data?.actors.totalCount).toBe(6);
      expect(page1.data?.actors.nodes.map((a: { name: string }) => a.name)).toEqual([
        'Andrey Rudenko',
        'North Korea',
      ]);
      const page2 = await api.graphql(
        `query ($after: String) { actors(first: 2, after: $after) { pageInfo { hasPreviousPage startCursor } nodes { name } } }`,
        {
          after: page1.data?.actors.pageInfo.endCursor,
        },
      );
      expect(page2.data?.actors.nodes.map((a: { name: string }) => a.name)).toEqual(['Russia', 'State Duma']);
      const back = await api.graphql(
        `query ($before: String) { actors(last: 2, before: $before) { nodes { name } } }`,
        {
          before: page2.data?.actors.pageInfo.startCursor,
        },
      );
      expect(back.data?.actors.nodes.map((a: { name: string }) => a.name)).toEqual([
        'Andrey Rudenko',
        'North Korea',
      ]);
      const desc = await api.graphql(`{ actors(first: 1, orderBy: NAME_DESC) { nodes { name } } }`);
      expect(desc.data?.actors.nodes[0].name).toBe('Vladimir Putin');
    });

    it('filters articles and statements by what they are about', async () => {
      const { data: ids } = await api.graphql(
        `{ actor(slug: "state-duma") { id } treaty(slug: "charter-of-the-united-nations") { id } }`,
      );
      const articles = await api.graphql(
        `query ($actor: ID!, $treaty: ID!) {
          byActor: articles(filter: { mentionsActorId: $actor }) { totalCount }
          byTreaty: articles(filter: { treatyId: $treaty, publishedFrom: "2024-10-01T00:00:00Z", publishedTo: "2024-10-31T00:00:00Z" }) { totalCount }
          none: articles(filter: { publishedTo: "2000-01-01T00:00:00Z" }) { totalCount }
        }`,
        { actor: ids?.actor.id, treaty: ids?.treaty.id },
      );
      expect(articles.data).toEqual({
        byActor: { totalCount: 1 },
        byTreaty: { totalCount: 1 },
        none: { totalCount: 0 },
      });
      const statements = await api.graphql(`{
        direct: statements(filter: { kind: DIRECT }) { totalCount }
        october: statements(filter: { saidFrom: "2024-10-24", saidTo: "2024-10-24" }) { totalCount }
      }`);
      expect(statements.data).toEqual({ direct: { totalCount: 2 }, october: { totalCount: 4 } });
    });
  });

  describe('drafts are invisible to anonymous readers', () => {
    beforeAll(async () => {
      const { stableId } = await import('@chancery/domain/stable-id');
      const articleId = stableId('test:draft-article');
      const rudenko = (await database.db.query.actors.findFirst({ where: { slug: 'andrey-rudenko' } }))?.id;
      await database.db.insert(t.articles).values({
        id: articleId,
        slug: 'draft-story',
        headline: 'Embargoed',
        publishedAt: '2025-01-01T00:00:00Z',
        status: 'DRAFT',
      });
      await database.db
        .insert(t.articleParagraphs)
        .values({ articleId, index: 0, text: '"Secret words," Rudenko said.' });
      await database.db.insert(t.articleActors).values({ articleId, actorId: rudenko as string });
      await database.db.insert(t.statements).values({
        id: stableId('test:draft-statement'),
        text: 'Secret words',
        kind: 'DIRECT',
        speakerId: rudenko,
        saidOn: '2025-01-01',
        articleId,
        paragraph: 0,
        start: 1,
        end: 13,
        attributionMethod: 'MANUAL',
      });
    });

    it('through root lists, counts, lookups, nested fields and node(id)', async () => {
      const { data } = await api.graphql(`{
        articles { totalCount }
        statements { totalCount nodes { text } }
        article(slug: "draft-story") { id }
        actor(slug: "andrey-rudenko") { statements { totalCount } mentionedIn { totalCount } }
      }`);
      expect(data).toEqual({
        articles: { totalCount: 1 },
        statements: { totalCount: 4, nodes: expect.not.arrayContaining([{ text: 'Secret words' }]) },
        article: null,
        actor: { statements: { totalCount: 4 }, mentionedIn: { totalCount: 1 } },
      });
      const { stableId } = await import('@chancery/domain/stable-id');
      const draftIds = [
        Buffer.from(`Article:${stableId('test:draft-article')}`).toString('base64url'),
        Buffer.from(`Statement:${stableId('test:draft-statement')}`).toString('base64url'),
      ];
      const { data: nodes } = await api.graphql(
        `query ($ids: [ID!]!, $id: ID!) { nodes(ids: $ids) { id } node(id: $id) { id } statement(id: $id) { id } }`,
        {
          ids: draftIds,
          id: draftIds[1],
        },
      );
      expect(nodes).toEqual({ nodes: [null, null], node: null, statement: null });
    });
  });

  describe('HTTP', () => {
    it('GET /healthz reports the database reachable', async () => {
      const response = await fetch(new URL('/healthz', api.url));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
    });

    it('GET /graphql from a browser shows the Apollo Sandbox outside production', async () => {
      const response = await fetch(api.url, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/embeddable-sandbox/);
    });

    it('an unknown path is a 404 that points at /graphql', async () => {
      const response = await fetch(new URL('/nope', api.url));
      expect(response.status).toBe(404);
      expect(await response.text()).toMatch(/\/graphql/);
    });
  });
});
