// The editorial mutations and search through the SDK, against a real server and database: a write
// comes back as a typed member of its result union (payload, ValidationError, NotFoundError or
// ConflictError), narrowed on `__typename`; a missing token or role is a thrown ChanceryError.
import { readSeedStory } from '@chancery/db/seed';
import { createTokens, type TestDatabase, testEngines } from '@chancery/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChanceryClient, createChanceryClient } from '../src/client.ts';
import { ChanceryError } from '../src/errors.ts';
import { member, SEED, type SeedIds, seedIds } from './samples.ts';
import { type RunningServer, startServer } from './server.ts';

const rejection = (promise: Promise<unknown>): Promise<ChanceryError> =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ChanceryError);
      return error as ChanceryError;
    },
  );

describe.each(testEngines)('editorial mutations and search through the SDK on $name', (engine) => {
  let database: TestDatabase;
  let running: RunningServer;
  /** No token: a reader of published records. */
  let reader: ChanceryClient;
  let editor: ChanceryClient;
  let admin: ChanceryClient;
  let readerToken: string;
  let ids: SeedIds;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    running = await startServer(database);
    const tokens = await createTokens(database);
    readerToken = tokens.reader;
    reader = createChanceryClient({ url: running.url });
    editor = createChanceryClient({ url: running.url, token: tokens.editor });
    admin = createChanceryClient({ url: running.url, token: tokens.admin });
    ids = await seedIds(reader);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.close();
  });

  // First, while the seed story is all there is.
  describe('search', () => {
    it("finds 'Article 4' in the seed story, with highlights at the matched words and facets", async () => {
      const { search } = await reader.search({ query: 'Article 4' });
      expect(search.totalCount).toBe(search.edges.length);
      expect(search.edges.map((hit) => hit.node.__typename)).toEqual(['Statement', 'Article']);
      const [best] = search.edges;
      if (best?.node.__typename !== 'Statement') throw new Error('expected a statement first');
      const statement = best.node;
      expect(statement).toMatchObject({
        statementKind: 'DIRECT',
        speaker: { slug: SEED.rudenko, name: 'Andrey Rudenko' },
        source: { paragraph: 1, article: { slug: SEED.article } },
      });
      const [text] = best.highlights;
      expect(text!.field).toBe('TEXT');
      expect(text!.offsets.map(({ start, end }) => statement.text.slice(start, end))).toEqual([
        'Article',
        '4',
        'Article',
      ]);
      expect(text!.snippet).toMatch(/^<mark>Article<\/mark> <mark>4<\/mark> of the document/);
      expect(best.score).toBeGreaterThan(search.edges[1]!.score);

      expect(search.facets.types).toEqual([
        { type: 'ARTICLE', count: 1 },
        { type: 'STATEMENT', count: 1 },
        { type: 'ACTOR', count: 0 },
        { type: 'TREATY', count: 0 },
      ]);
      expect(search.facets.speakers).toEqual([
        { count: 1, speaker: expect.objectContaining({ slug: SEED.rudenko }) },
      ]);
      // The statement is about the partnership treaty; the article mentions it and the UN Charter.
      expect(search.facets.treaties.map((t) => [t.treaty.slug, t.count])).toEqual([
        [SEED.partnership, 2],
        [SEED.charter, 1],
      ]);
      expect(search.facets.years).toEqual([{ year: 2024, count: 2 }]);
    });

    it('pages forwards and backwards, and narrows by type and filter', async () => {
      const first = await reader.search({ query: 'Article 4', first: 1 });
      const second = await reader.search({
        query: 'Article 4',
        first: 1,
        after: first.search.pageInfo.endCursor,
      });
      expect(second.search.edges.map((hit) => hit.node.__typename)).toEqual(['Article']);
      const back = await reader.search({
        query: 'Article 4',
        last: 1,
        before: second.search.pageInfo.startCursor,
      });
      expect(back.search.edges.map((hit) => hit.cursor)).toEqual(first.search.edges.map((hit) => hit.cursor));
      expect(back.search.pageInfo.hasPreviousPage).toBe(false);

      const actors = await reader.search({ query: 'Rudenko', types: ['ACTOR'] });
      expect(actors.search.edges).toHaveLength(1);
      const [hit] = actors.search.edges;
      if (hit?.node.__typename !== 'Actor') throw new Error('expected an actor');
      expect(hit.node).toMatchObject({ name: 'Andrey Rudenko', aliases: ['Rudenko'] });
      expect(hit.highlights.map((h) => h.field)).toContain('NAME');

      const bySpeaker = await reader.search({ query: 'treaty', filter: { speakerId: ids.actorId } });
      expect(bySpeaker.search.totalCount).toBeGreaterThan(0);
      for (const { node } of bySpeaker.search.edges) {
        expect(node.__typename === 'Statement' && node.speaker?.slug).toBe(SEED.rudenko);
      }
    });

    it('a search with nothing to look for is a BAD_USER_INPUT ChanceryError', async () => {
      const error = await rejection(reader.search({ query: 'the of' }));
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', operationName: 'Search' });
    });

    it("suggestActors('rud') finds Andrey Rudenko, as does a typo", async () => {
      const { suggestActors } = await reader.suggestActors({ prefix: 'rud' });
      expect(suggestActors).toEqual([
        {
          id: ids.actorId,
          name: 'Andrey Rudenko',
          slug: SEED.rudenko,
          kind: 'PERSON',
          countryCode: 'RU',
          aliases: ['Rudenko'],
          description: expect.stringContaining('Russian diplomat'),
          roles: [{ title: 'Deputy Foreign Minister of Russia' }],
        },
      ]);
      const typo = await reader.suggestActors({ prefix: 'Rudenco', limit: 1 });
      expect(typo.suggestActors.map((actor) => actor.slug)).toEqual([SEED.rudenko]);
    });
  });

  describe('mutations', () => {
    it('create → update → a stale expectedVersion is a typed ConflictError → delete → restore', async () => {
      const words = 'the sides vow to constantly maintain and develop their relations';
      const created = await editor.createStatement({
        input: {
          source: { articleId: ids.articleId, paragraph: 5, text: words },
          kind: 'INDIRECT',
          treatyIds: [ids.treatyId],
        },
      });
      const { statement } = member(created.createStatement, 'StatementPayload');
      expect(statement).toMatchObject({
        version: 1,
        text: words,
        kind: 'INDIRECT',
        speaker: null,
        saidOn: '2024-10-24', // the article's day
        attribution: { method: 'MANUAL', confidence: 1 },
        source: { paragraph: 5, article: { slug: SEED.article } },
        about: [expect.objectContaining({ slug: SEED.partnership })],
      });
      expect(statement.source.paragraphText.slice(statement.source.start, statement.source.end)).toBe(words);

      const edit = { occasion: 'The treaty, as published in the Duma database' };
      const updated = await editor.updateStatement({ id: statement.id, expectedVersion: 1, input: edit });
      expect(updated.updateStatement).toMatchObject({
        __typename: 'StatementPayload',
        changed: true,
        statement: { version: 2, occasion: edit.occasion },
      });
      const again = await editor.updateStatement({ id: statement.id, expectedVersion: 2, input: edit });
      expect(again.updateStatement).toMatchObject({ changed: false, statement: { version: 2 } });

      // Someone else's edit went in first: the stale write is a result, not a thrown error.
      const stale = await editor.updateStatement({
        id: statement.id,
        expectedVersion: 1,
        input: { occasion: 'An older idea' },
      });
      switch (stale.updateStatement.__typename) {
        case 'ConflictError':
          expect(stale.updateStatement.currentVersion).toBe(2);
          expect(stale.updateStatement.message).toMatch(/at version 2, not 1/);
          break;
        default:
          throw new Error(`expected a ConflictError, got ${stale.updateStatement.__typename}`);
      }
      expect((await reader.statement({ id: statement.id })).statement).toMatchObject({
        version: 2,
        occasion: edit.occasion,
      });

      const deleted = await editor.deleteStatement({ id: statement.id, expectedVersion: 2 });
      expect(member(deleted.deleteStatement, 'StatementPayload').statement.version).toBe(3);
      expect(await reader.statement({ id: statement.id })).toEqual({ statement: null });
      const gone = await editor.deleteStatement({ id: statement.id, expectedVersion: 3 });
      expect(gone.deleteStatement).toMatchObject({ __typename: 'NotFoundError', id: statement.id });

      const restored = member((await editor.restore({ id: statement.id })).restore, 'RestorePayload');
      expect(restored.node).toMatchObject({ __typename: 'Statement', id: statement.id, version: 4 });
      expect((await reader.statement({ id: statement.id })).statement).toMatchObject({
        version: 4,
        occasion: edit.occasion,
      });
    });

    it('a ValidationError lists every problem at the path of the value to fix, and writes nothing', async () => {
      const { createActor } = await editor.createActor({
        input: { name: ' ', kind: 'PERSON', countryCode: 'Russia', roles: [{ title: '' }] },
      });
      if (createActor.__typename !== 'ValidationError') throw new Error(`got ${createActor.__typename}`);
      expect(createActor.message).toBe('input.name: must not be empty (and 2 more problems)');
      expect(createActor.fieldErrors).toEqual([
        { path: ['input', 'name'], message: 'must not be empty' },
        { path: ['input', 'countryCode'], message: 'must be two letters (ISO 3166-1 alpha-2), e.g. RU' },
        { path: ['input', 'roles', '0', 'title'], message: 'must not be empty' },
      ]);
      const people = await reader.actors({ filter: { kind: 'PERSON' } });
      expect(people.actors.totalCount).toBe(2);
    });

    it('an unknown ID is a NotFoundError naming it', async () => {
      const missing = Buffer.from('Actor:00000000-0000-4000-8000-000000000000').toString('base64url');
      const { updateActor } = await editor.updateActor({
        id: missing,
        expectedVersion: 1,
        input: { description: 'Nobody' },
      });
      expect(updateActor).toEqual({
        __typename: 'NotFoundError',
        id: missing,
        message: `No Actor has the ID ${missing}, or it was deleted.`,
      });
    });

    it('without a writer token a mutation throws a ChanceryError with the server code, and writes nothing', async () => {
      const input = { name: 'Nobody Inparticular', kind: 'PERSON' } as const;
      const anonymous = await rejection(reader.createActor({ input }));
      expect(anonymous).toMatchObject({ code: 'UNAUTHENTICATED', operationName: 'CreateActor' });
      expect(anonymous.message).toMatch(/needs an editor or admin token/);

      const withReaderToken = createChanceryClient({ url: running.url, token: readerToken });
      const forbidden = await rejection(withReaderToken.createActor({ input }));
      expect(forbidden).toMatchObject({ code: 'FORBIDDEN', operationName: 'CreateActor' });
      expect(forbidden.message).toMatch(/The token "reader" has the reader role/);
      expect((await reader.actors({ filter: { name: input.name } })).actors.totalCount).toBe(0);

      const purge = await rejection(editor.purge({ id: ids.actorId }));
      expect(purge).toMatchObject({ code: 'FORBIDDEN', operationName: 'Purge' });
      expect(purge.message).toMatch(/needs an admin token/);
    });

    it("an editor's search finds drafts, with their status; a reader's does not", async () => {
      const created = await editor.createArticle({
        input: {
          headline: 'Quillfeather talks adjourned',
          paragraphs: ['The Quillfeather talks were adjourned.'],
        },
      });
      const { article } = member(created.createArticle, 'ArticlePayload');
      expect(article).toMatchObject({ status: 'DRAFT', version: 1, publisher: null });

      const draft = await editor.search({ query: 'quillfeather', types: ['ARTICLE'] });
      expect(draft.search.edges.map((hit) => hit.node)).toEqual([
        expect.objectContaining({ __typename: 'Article', id: article.id, articleStatus: 'DRAFT' }),
      ]);
      expect((await reader.search({ query: 'quillfeather' })).search.totalCount).toBe(0);

      const published = await editor.publishArticle({ id: article.id, expectedVersion: 1 });
      expect(member(published.publishArticle, 'ArticlePayload').article).toMatchObject({
        status: 'PUBLISHED',
        version: 2,
      });
      expect((await reader.search({ query: 'quillfeather' })).search.totalCount).toBe(1);
    });

    it('merges a duplicate actor, whose ID then resolves to the survivor; an admin purges the duplicate', async () => {
      const duplicate = member(
        (await editor.createActor({ input: { name: 'A. Rudenko', kind: 'PERSON', countryCode: 'RU' } }))
          .createActor,
        'ActorPayload',
      ).actor;
      const merged = await editor.mergeActors({ sourceId: duplicate.id, targetId: ids.actorId });
      const payload = member(merged.mergeActors, 'MergeActorsPayload');
      expect(payload.mergedId).toBe(duplicate.id);
      expect(payload.actor).toMatchObject({ id: ids.actorId, name: 'Andrey Rudenko' });
      expect(payload.actor.aliases).toContain('A. Rudenko');
      expect((await reader.actor({ id: duplicate.id, listSize: 1 })).actor?.id).toBe(ids.actorId);

      const purged = await admin.purge({ id: duplicate.id });
      expect(purged.purge).toEqual({ __typename: 'PurgePayload', purgedId: duplicate.id });
    });

    it('importStory: the seed story again changes nothing', async () => {
      const { importStory } = await editor.importStory({ text: readSeedStory(), publishedAt: '2024' });
      const result = member(importStory, 'ImportStoryPayload');
      expect(result).toMatchObject({
        outcome: 'UNCHANGED',
        dryRun: false,
        article: { id: ids.articleId, slug: SEED.article, status: 'PUBLISHED' },
      });
    });
  });
});
