// Invalid writes come back as a ValidationError listing each problem at the exact path of the
// value to fix, and write nothing.
import { seedIds } from '@chancery/db/seed';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, builders, createTokens, ERROR_FIELDS, gid, result, type Tokens } from './editorial.ts';
import { startTestServer, type TestServer } from './http.ts';

const RUSSIA_DPRK = 'russia-dprk-comprehensive-strategic-partnership-treaty';

describe.each(testEngines)('validation on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;
  let editor: ReturnType<typeof as>;
  let build: ReturnType<typeof builders>;
  const seed = {
    rudenko: gid('Actor', seedIds.actor('andrey-rudenko')),
    russia: gid('Actor', seedIds.actor('russia')),
    treaty: gid('Treaty', seedIds.treaty(RUSSIA_DPRK)),
    article4: gid('TreatyProvision', seedIds.provision(RUSSIA_DPRK, '4')),
    article: gid('Article', seedIds.article()),
    statement: (key: string) => gid('Statement', seedIds.statement(key)),
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

  const revisionCount = async () =>
    Number(
      (
        (await database.db.execute(sql`select count(*)::int as n from revisions`)) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0]?.n,
    );

  /** Runs a mutation that must fail validation; returns its field errors (and checks nothing was written). */
  async function fieldErrors(mutation: string, args: string) {
    const before = await revisionCount();
    const value = result(await editor(`mutation { ${mutation}${args} { ${ERROR_FIELDS} } }`), mutation);
    expect(value.__typename, JSON.stringify(value)).toBe('ValidationError');
    expect(await revisionCount()).toBe(before);
    return value.fieldErrors as { path: string[]; message: string }[];
  }
  const paths = (errors: { path: string[] }[]) => errors.map((e) => e.path.join('.'));

  describe('actors', () => {
    it.each([
      ['an empty name', '{ name: "  ", kind: PERSON }', 'input.name', /must not be empty/],
      [
        'a bad slug',
        '{ name: "A", kind: PERSON, slug: "Not A Slug" }',
        'input.slug',
        /lowercase letters and digits/,
      ],
      [
        'a country name for a code',
        '{ name: "A", kind: PERSON, countryCode: "Russia" }',
        'input.countryCode',
        /two letters/,
      ],
      [
        'a Wikidata ID without Q',
        '{ name: "A", kind: PERSON, wikidataId: "7747" }',
        'input.wikidataId',
        /Q and digits/,
      ],
      [
        'an alias twice',
        '{ name: "A", kind: PERSON, aliases: ["Lavrov", "lavrov"] }',
        'input.aliases.1',
        /listed twice/,
      ],
      [
        'a role ending before it starts',
        '{ name: "A", kind: PERSON, roles: [{ title: "x" }, { title: "y", startDate: "2020-01-01", endDate: "2019-01-01" }] }',
        'input.roles.1.endDate',
        /on or after startDate/,
      ],
      [
        'a role in something that is not an ID',
        '{ name: "A", kind: PERSON, roles: [{ title: "x", organizationId: "nope!" }] }',
        'input.roles.0.organizationId',
        /not an ID returned by this API/,
      ],
    ])('createActor refuses %s at %s', async (_name, input, path, message) => {
      const errors = await fieldErrors('createActor', `(input: ${input})`);
      expect(paths(errors)).toEqual([path]);
      expect(errors[0]?.message).toMatch(message);
    });

    it('createActor refuses a role in a person, and a slug already taken, all at once', async () => {
      const errors = await fieldErrors(
        'createActor',
        `(input: { name: "A", kind: PERSON, slug: "russia", roles: [{ title: "x", organizationId: "${seed.rudenko}" }] })`,
      );
      expect(paths(errors)).toEqual(['input.roles.0.organizationId']);
      expect(errors[0]?.message).toMatch(/is a PERSON; a role's organization must be STATE or ORGANIZATION/);
      const slug = await fieldErrors('createActor', '(input: { name: "A", kind: PERSON, slug: "russia" })');
      expect(slug).toEqual([
        { path: ['input', 'slug'], message: expect.stringMatching(/already the slug of Actor/) },
      ]);
    });

    it('updateActor refuses null for a required field, an ID of another type, and version 0', async () => {
      const actor = await build.actor();
      expect(
        paths(
          await fieldErrors('updateActor', `(id: "${actor.id}", expectedVersion: 1, input: { name: null })`),
        ),
      ).toEqual(['input.name']);
      const wrongType = await fieldErrors(
        'updateActor',
        `(id: "${seed.treaty}", expectedVersion: 1, input: {})`,
      );
      expect(wrongType).toEqual([
        { path: ['id'], message: 'is the ID of a Treaty; expected the ID of a Actor' },
      ]);
      expect(
        paths(
          await fieldErrors('updateActor', `(id: "${actor.id}", expectedVersion: 0, input: { name: "B" })`),
        ),
      ).toEqual(['expectedVersion']);
    });

    it('updateActor refuses a role in the actor itself, and turning a treaty party into a person', async () => {
      const actor = await build.actor();
      const self = await fieldErrors(
        'updateActor',
        `(id: "${actor.id}", expectedVersion: 1, input: { roles: [{ title: "x", organizationId: "${actor.id}" }] })`,
      );
      expect(paths(self)).toEqual(['input.roles.0.organizationId']);
      const party = await fieldErrors(
        'updateActor',
        `(id: "${seed.russia}", expectedVersion: 1, input: { kind: PERSON })`,
      );
      expect(party).toEqual([{ path: ['input', 'kind'], message: expect.stringMatching(/a treaty party/) }]);
    });

    it('mergeActors refuses an actor into itself, and actors of different kinds', async () => {
      expect(
        await fieldErrors('mergeActors', `(sourceId: "${seed.rudenko}", targetId: "${seed.rudenko}")`),
      ).toEqual([{ path: ['targetId'], message: 'must be a different actor from sourceId' }]);
      const errors = await fieldErrors(
        'mergeActors',
        `(sourceId: "${seed.rudenko}", targetId: "${seed.russia}")`,
      );
      expect(errors).toEqual([
        { path: ['targetId'], message: expect.stringMatching(/different kinds \(PERSON and STATE\)/) },
      ]);
    });

    it('deleteActor refuses while statements and treaties refer to the actor, saying which', async () => {
      const errors = await fieldErrors('deleteActor', `(id: "${seed.rudenko}", expectedVersion: 1)`);
      expect(errors).toEqual([
        {
          path: ['id'],
          message: expect.stringMatching(
            /is still referenced by 4 statements \(as their speaker\), 2 article mentions; .*mergeActors/,
          ),
        },
      ]);
    });
  });

  describe('treaties, provisions and actions', () => {
    it('createTreaty refuses an empty title, a person as a party, a party twice and entry into force before signature', async () => {
      const errors = await fieldErrors(
        'createTreaty',
        `(input: { title: "", partyIds: ["${seed.rudenko}", "${seed.russia}", "${seed.russia}"], signedOn: "2024-06-19", entryIntoForceOn: "2024-01-01" })`,
      );
      expect(paths(errors)).toEqual(['input.title', 'input.partyIds.2', 'input.entryIntoForceOn']);
      const person = await fieldErrors(
        'createTreaty',
        `(input: { title: "T", partyIds: ["${seed.rudenko}"] })`,
      );
      expect(person).toEqual([
        {
          path: ['input', 'partyIds', '0'],
          message: expect.stringMatching(/is a PERSON; a treaty party must be STATE or ORGANIZATION/),
        },
      ]);
    });

    it('createTreatyProvision refuses a number the treaty has, an unknown treaty and a reference that is not a provision', async () => {
      expect(
        await fieldErrors('createTreatyProvision', `(input: { treatyId: "${seed.treaty}", number: "4" })`),
      ).toEqual([
        { path: ['input', 'number'], message: expect.stringMatching(/already the number of provision/) },
      ]);
      const unknown = gid('Treaty', '00000000-0000-4000-8000-000000000000');
      expect(
        await fieldErrors('createTreatyProvision', `(input: { treatyId: "${unknown}", number: "1" })`),
      ).toEqual([{ path: ['input', 'treatyId'], message: `no Treaty has the ID ${unknown}` }]);
      expect(
        paths(
          await fieldErrors(
            'createTreatyProvision',
            `(input: { treatyId: "${seed.treaty}", number: "9", refersToIds: ["${seed.treaty}"] })`,
          ),
        ),
      ).toEqual(['input.refersToIds.0']);
    });

    it('updateTreatyProvision refuses a provision that refers to itself', async () => {
      expect(
        await fieldErrors(
          'updateTreatyProvision',
          `(id: "${seed.article4}", expectedVersion: 1, input: { refersToIds: ["${seed.article4}"] })`,
        ),
      ).toEqual([{ path: ['input', 'refersToIds', '0'], message: 'is this provision itself' }]);
    });

    it.each([
      [
        'words that are not in the paragraph there',
        '{ paragraph: 4, start: 0, end: 6, text: "Moscow" }',
        'input.source.text',
        /characters 0\.\.6 of paragraph 4 read "On Oct", not "Moscow"/,
      ],
      [
        'a paragraph the story does not have',
        '{ paragraph: 40, text: "x" }',
        'input.source.paragraph',
        /paragraphs 0 to 6/,
      ],
      [
        'a start without an end',
        '{ paragraph: 4, start: 3, text: "x" }',
        'input.source.end',
        /both start and end/,
      ],
      [
        'text the paragraph does not hold',
        '{ paragraph: 4, text: "Lavrov" }',
        'input.source.text',
        /does not occur in paragraph 4/,
      ],
    ])('createTreatyAction refuses a source with %s', async (_name, span, path, message) => {
      const errors = await fieldErrors(
        'createTreatyAction',
        `(input: { treatyId: "${seed.treaty}", type: RATIFICATION, source: { articleId: "${seed.article}", ...SPAN } })`.replace(
          '...SPAN }',
          `${span.slice(1, -1)} }`,
        ),
      );
      expect(paths(errors)).toEqual([path]);
      expect(errors[0]?.message).toMatch(message);
    });

    it('createTreatyAction refuses a person as the body where it happened', async () => {
      expect(
        await fieldErrors(
          'createTreatyAction',
          `(input: { treatyId: "${seed.treaty}", type: RATIFICATION, bodyId: "${seed.rudenko}" })`,
        ),
      ).toEqual([{ path: ['input', 'bodyId'], message: expect.stringMatching(/is a PERSON/) }]);
    });
  });

  describe('articles and statements', () => {
    it.each([
      ['no paragraphs', '{ headline: "H", paragraphs: [] }', ['input.paragraphs']],
      ['a blank paragraph', '{ headline: "H", paragraphs: ["One.", "   "] }', ['input.paragraphs.1']],
      [
        'a non-http URL and a made-up language',
        '{ headline: "H", paragraphs: ["One."], url: "ftp://x", language: "english!" }',
        ['input.language', 'input.url'],
      ],
      [
        'a dateline that is not how the story begins',
        '{ headline: "H", paragraphs: ["One."], dateline: { text: "MOSCOW, " } }',
        ['input.dateline.text'],
      ],
      [
        'a mention naming two things',
        `{ headline: "H", paragraphs: ["Russia and North Korea."], mentions: [{ span: { paragraph: 0, text: "Russia" }, actorId: "${gid('Actor', seedIds.actor('russia'))}", treatyId: "${gid('Treaty', seedIds.treaty(RUSSIA_DPRK))}" }] }`,
        ['input.mentions.0'],
      ],
      [
        'a mention of words the story does not have',
        `{ headline: "H", paragraphs: ["Russia and North Korea."], mentions: [{ span: { paragraph: 0, text: "Moscow" }, actorId: "${gid('Actor', seedIds.actor('russia'))}" }] }`,
        ['input.mentions.0.span.text'],
      ],
    ])('createArticle refuses %s', async (_name, input, expected) => {
      expect(paths(await fieldErrors('createArticle', `(input: ${input})`)).sort()).toEqual(expected);
    });

    it('createArticle refuses a statement whose span does not match, and reports every problem at once', async () => {
      const errors = await fieldErrors(
        'createArticle',
        `(input: {
          headline: "Two quotes",
          paragraphs: ["\\"We will sign,\\" the minister said.", "\\"Soon,\\" he added."],
          statements: [
            { source: { paragraph: 0, text: "We will sign" }, kind: DIRECT },
            { source: { paragraph: 1, start: 1, end: 5, text: "Later" }, kind: DIRECT },
            { source: { paragraph: 1, text: "Soon" }, kind: DIRECT, attribution: { method: RULES } }
          ]
        })`,
      );
      expect(errors).toEqual([
        {
          path: ['input', 'statements', '2', 'attribution', 'confidence'],
          message: expect.stringMatching(/required for a RULES/),
        },
      ]);
      const spans = await fieldErrors(
        'createArticle',
        `(input: {
          headline: "Two quotes",
          paragraphs: ["\\"We will sign,\\" the minister said.", "\\"Soon,\\" he added."],
          statements: [
            { source: { paragraph: 0, text: "We will sign" }, kind: DIRECT },
            { source: { paragraph: 1, start: 1, end: 5, text: "Later" }, kind: DIRECT },
            { source: { paragraph: 0, text: "the" }, kind: INDIRECT, speakerId: "${seed.treaty}" }
          ]
        })`,
      );
      expect(paths(spans)).toEqual(['input.statements.2.speakerId']);
      const mismatch = await fieldErrors(
        'createArticle',
        `(input: {
          headline: "Two quotes",
          paragraphs: ["\\"We will sign,\\" the minister said.", "\\"Soon,\\" he added."],
          statements: [
            { source: { paragraph: 0, text: "We will sign" }, kind: DIRECT },
            { source: { paragraph: 1, start: 1, end: 5, text: "Later" }, kind: DIRECT }
          ]
        })`,
      );
      expect(mismatch).toEqual([
        {
          path: ['input', 'statements', '1', 'source', 'text'],
          message: 'characters 1..5 of paragraph 1 read "Soon", not "Later"',
        },
      ]);
    });

    it('createStatement refuses words that occur twice without saying which', async () => {
      const article = await build.article({ paragraphs: ['"Yes," he said. "Yes," she said.'] });
      const errors = await fieldErrors(
        'createStatement',
        `(input: { source: { articleId: "${article.id}", paragraph: 0, text: "Yes" }, kind: DIRECT })`,
      );
      expect(errors).toEqual([
        {
          path: ['input', 'source', 'start'],
          message: '"Yes" occurs 2 times in paragraph 0 (at 1, 17); give start and end to say which',
        },
      ]);
    });

    it('updateArticle refuses new paragraphs that would break statement spans, naming the statements', async () => {
      const { data } = await editor(
        `{ article(slug: "tass-2024-10-24-russia-dprk-treaty") { version paragraphs { text } } }`,
      );
      const paragraphs = data?.article.paragraphs.map((p: { text: string }) => p.text) as string[];
      const edited = [...paragraphs];
      edited[1] = (edited[1] as string).replace('Article 4 of the document', 'Article Four of the document');
      edited[2] = `${edited[2]} (Corrected.)`;
      const errors = await fieldErrors(
        'updateArticle',
        `(id: "${seed.article}", expectedVersion: ${data?.article.version}, input: { paragraphs: ${JSON.stringify(edited)} })`,
      );
      // Paragraph 2 only grew at its end: its statement's span still reads the same words.
      expect(new Set(paths(errors))).toEqual(new Set(['input.paragraphs.1']));
      expect(errors[0]?.message).toBe(
        `would break the span of statement ${seed.statement('article-4')}: it cites "Article 4 of the document is of particular importance, which provides for mutua…" at 1..331, and the new paragraph 1 has "Article Four of the document is of particular importance, which provides for mu…" there`,
      );
      expect(errors.some((e) => /the mention "Article 4"/.test(e.message))).toBe(true);

      const shorter = await fieldErrors(
        'updateArticle',
        `(id: "${seed.article}", expectedVersion: ${data?.article.version}, input: { paragraphs: ${JSON.stringify(paragraphs.slice(0, 3))} })`,
      );
      expect(shorter.map((e) => e.path.join('.'))).toContain('input.paragraphs');
      expect(shorter.find((e) => e.message.includes(seed.statement('no-other-alliances')))?.message).toMatch(
        /would remove paragraph 3/,
      );
    });

    it('publishArticle refuses an article already published; restore and purge refuse a live record', async () => {
      const { data } = await editor(`{ article(slug: "tass-2024-10-24-russia-dprk-treaty") { version } }`);
      expect(
        await fieldErrors(
          'publishArticle',
          `(id: "${seed.article}", expectedVersion: ${data?.article.version})`,
        ),
      ).toEqual([
        {
          path: ['id'],
          message: 'the article is PUBLISHED; only a DRAFT or WITHDRAWN article can be published',
        },
      ]);
      expect(await fieldErrors('restore', `(id: "${seed.russia}")`)).toEqual([
        { path: ['id'], message: 'is not deleted; there is nothing to restore' },
      ]);
      const admin = as(api, tokens.admin);
      const purge = result(
        await admin(`mutation { purge(id: "${seed.russia}") { ${ERROR_FIELDS} } }`),
        'purge',
      );
      expect(purge.fieldErrors).toEqual([
        { path: ['id'], message: 'is not deleted; only a deleted record can be purged (delete it first)' },
      ]);
    });
  });
});
