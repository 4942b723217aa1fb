// Nothing is lost: every change appends a revision, `asOf` reads earlier states back, deletes are
// soft and restorable, merges keep old IDs working, and a treaty's status follows its actions.
import { seedIds } from '@chancery/db/seed';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, builders, createTokens, ERROR_FIELDS, gid, result, type Tokens } from './editorial.ts';
import { startTestServer, type TestServer } from './http.ts';

describe.each(testEngines)('history on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;
  let editor: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let anonymous: ReturnType<typeof as>;
  let reader: ReturnType<typeof as>;
  let build: ReturnType<typeof builders>;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    api = await startTestServer(database);
    tokens = await createTokens(database);
    editor = as(api, tokens.editor);
    admin = as(api, tokens.admin);
    reader = as(api, tokens.reader);
    anonymous = as(api, null);
    build = builders(editor);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  const mutate = async (
    client: typeof editor,
    field: string,
    query: string,
    variables?: Record<string, unknown>,
  ) => {
    const value = result(await client(query, variables), field);
    if (!value.__typename.endsWith('Payload')) throw new Error(`${field}: ${JSON.stringify(value)}`);
    return value;
  };

  describe('revisions', () => {
    it('record every change: version, operation, token name, time, and the record before and after', async () => {
      const actor = await build.actor({ name: 'Sergey Lavrov', roles: [{ title: 'Foreign Minister' }] });
      await mutate(
        admin,
        'updateActor',
        `mutation ($id: ID!) { updateActor(id: $id, expectedVersion: 1, input: { aliases: ["Lavrov"], roles: [] }) { ${ERROR_FIELDS} ... on ActorPayload { changed } } }`,
        { id: actor.id },
      );
      await build.remove('Actor', { id: actor.id, version: 2 });
      await mutate(
        editor,
        'restore',
        `mutation ($id: ID!) { restore(id: $id) { ${ERROR_FIELDS} ... on RestorePayload { node { id } } } }`,
        {
          id: actor.id,
        },
      );
      const { data } = await editor(
        `query ($id: ID!) { node(id: $id) { ... on Actor { version revisions(first: 10) { totalCount nodes {
          version operation tokenName createdAt changedFields node before after
        } } } } }`,
        { id: actor.id },
      );
      const { revisions, version } = data?.node ?? {};
      expect(version).toBe(4);
      expect(revisions.totalCount).toBe(4);
      expect(revisions.nodes.map((r: any) => [r.version, r.operation, r.tokenName, r.changedFields])).toEqual(
        [
          [4, 'RESTORE', 'editor', ['deletedAt']],
          [3, 'DELETE', 'editor', ['deletedAt']],
          [2, 'UPDATE', 'admin', ['aliases', 'roles']],
          [1, 'CREATE', 'editor', expect.arrayContaining(['name', 'kind', 'roles', 'slug'])],
        ],
      );
      const [, , update, create] = revisions.nodes;
      expect(create.before).toBeNull();
      expect(create.after).toMatchObject({
        id: actor.id,
        name: 'Sergey Lavrov',
        kind: 'PERSON',
        version: 1,
        roles: [{ title: 'Foreign Minister', organizationId: null, position: 0 }],
      });
      expect(update.before.roles).toHaveLength(1);
      expect(update.after).toMatchObject({ aliases: ['Lavrov'], roles: [], version: 2 });
      expect(update.node).toBe(actor.id);
      expect(new Date(update.createdAt).getTime()).toBeGreaterThanOrEqual(
        new Date(create.createdAt).getTime(),
      );
    });

    it('are editorial material: empty (and counted 0) for anonymous and reader requests', async () => {
      const query = `{ actor(slug: "russia") { revisions { totalCount nodes { version } } } }`;
      const russia = seedIds.actor('russia');
      await mutate(
        editor,
        'updateActor',
        `mutation ($id: ID!) { updateActor(id: $id, expectedVersion: 1, input: { description: "The Russian Federation, a state." }) { ${ERROR_FIELDS} } }`,
        { id: gid('Actor', russia) },
      );
      for (const client of [anonymous, reader]) {
        expect((await client(query)).data?.actor.revisions).toEqual({ totalCount: 0, nodes: [] });
      }
      expect((await editor(query)).data?.actor.revisions).toEqual({ totalCount: 1, nodes: [{ version: 2 }] });
    });

    it('nested in any list, are planned into the same single SQL statement as the rest', async () => {
      const response = await editor(`{
        treaties(first: 20) { nodes {
          revisions(first: 5) { totalCount nodes { version operation changedFields } }
          provisions { revisions { totalCount } }
          actions { revisions { nodes { after } } }
          parties { revisions { totalCount } }
        } }
      }`);
      expect(response.errors).toBeUndefined();
      // One statement checks the token; one answers the whole selection.
      expect(response.sqlStatements).toBe(2);
    });

    it('an update that changes nothing makes no version and no revision', async () => {
      const actor = await build.actor({ name: 'Unchanging' });
      const value = await mutate(
        editor,
        'updateActor',
        `mutation ($id: ID!) { updateActor(id: $id, expectedVersion: 1, input: { name: "Unchanging" }) { ${ERROR_FIELDS} ... on ActorPayload { changed actor { version revisions { totalCount } } } } }`,
        { id: actor.id },
      );
      expect(value).toMatchObject({ changed: false, actor: { version: 1, revisions: { totalCount: 1 } } });
    });
  });

  describe('asOf', () => {
    it('reads an actor back as it was at each version, by ID, slug and node(id)', async () => {
      const v1 = result(
        await editor(
          `mutation { createActor(input: { name: "Choe Son Hui", kind: PERSON, slug: "choe-son-hui", roles: [{ title: "First Vice Minister" }] }) {
            ... on ActorPayload { actor { id updatedAt } } } }`,
        ),
        'createActor',
      ).actor;
      const v2 = (
        await mutate(
          editor,
          'updateActor',
          `mutation ($id: ID!) { updateActor(id: $id, expectedVersion: 1, input: { slug: "choe-son-hui-dprk", aliases: ["Choe"], roles: [{ title: "Foreign Minister" }] }) {
            ${ERROR_FIELDS} ... on ActorPayload { actor { updatedAt } } } }`,
          { id: v1.id },
        )
      ).actor;
      await build.remove('Actor', { id: v1.id, version: 2 });

      const read = (client: typeof editor, at: string, by = `id: "${v1.id}"`) =>
        client(
          `{ actor(${by}, asOf: "${at}") { id slug version aliases roles { title } } node(id: "${v1.id}", asOf: "${at}") { ... on Actor { version } } }`,
        );

      const first = await read(editor, v1.updatedAt);
      expect(first.errors).toBeUndefined();
      expect(first.data).toEqual({
        actor: {
          id: v1.id,
          slug: 'choe-son-hui',
          version: 1,
          aliases: [],
          roles: [{ title: 'First Vice Minister' }],
        },
        node: { version: 1 },
      });
      const second = await read(editor, v2.updatedAt);
      expect(second.data?.actor).toMatchObject({
        version: 2,
        aliases: ['Choe'],
        roles: [{ title: 'Foreign Minister' }],
      });
      // The old slug finds the actor as it was when it had that slug; not after.
      expect((await read(editor, v1.updatedAt, 'slug: "choe-son-hui"')).data?.actor.version).toBe(1);
      expect((await read(editor, v2.updatedAt, 'slug: "choe-son-hui"')).data?.actor).toBeNull();
      expect((await read(editor, v2.updatedAt, 'slug: "choe-son-hui-dprk"')).data?.actor.version).toBe(2);
      // Before it existed there was nothing.
      expect((await read(editor, '2000-01-01T00:00:00Z')).data).toEqual({ actor: null, node: null });
      // Deleted now: its past is editorial material; editors still read it, deleted state included.
      expect((await read(anonymous, v2.updatedAt)).data).toEqual({ actor: null, node: null });
      expect((await read(reader, v2.updatedAt)).data).toEqual({ actor: null, node: null });
      const now = new Date(Date.now() + 60_000).toISOString();
      expect((await read(editor, now)).data?.actor).toMatchObject({
        version: 3,
        roles: [{ title: 'Foreign Minister' }],
      });
    });

    it('reads an article with its paragraphs and mentions as they were, and a treaty with its parties', async () => {
      const russia = gid('Actor', seedIds.actor('russia'));
      const northKorea = gid('Actor', seedIds.actor('north-korea'));
      const created = result(
        await editor(
          `mutation ($russia: ID!) { createArticle(input: {
            headline: "Moscow speaks", paragraphs: ["Russia spoke.", "Nothing else."],
            mentions: [{ span: { paragraph: 0, text: "Russia" }, actorId: $russia }]
          }) { ... on ArticlePayload { article { id version updatedAt } } } }`,
          { russia },
        ),
        'createArticle',
      ).article;
      const edited = (
        await mutate(
          editor,
          'updateArticle',
          `mutation ($id: ID!, $nk: ID!) { updateArticle(id: $id, expectedVersion: 1, input: {
            headline: "Pyongyang speaks", paragraphs: ["North Korea spoke."],
            mentions: [{ span: { paragraph: 0, text: "North Korea" }, actorId: $nk }]
          }) { ${ERROR_FIELDS} ... on ArticlePayload { article { updatedAt paragraphs { text } } } } }`,
          { id: created.id, nk: northKorea },
        )
      ).article;
      expect(edited.paragraphs).toEqual([{ text: 'North Korea spoke.' }]);
      const { data, errors, sqlStatements } = await editor(
        `query ($id: ID!, $at: DateTime!) { article(id: $id, asOf: $at) {
          headline version paragraphs { index text } mentions { span { text } actor { name } }
        } }`,
        { id: created.id, at: created.updatedAt },
      );
      expect(errors).toBeUndefined();
      expect(data?.article).toEqual({
        headline: 'Moscow speaks',
        version: 1,
        paragraphs: [
          { index: 0, text: 'Russia spoke.' },
          { index: 1, text: 'Nothing else.' },
        ],
        mentions: [{ span: { text: 'Russia' }, actor: { name: 'Russia' } }],
      });
      // The token, the state at that time, and one planned statement for the whole selection.
      expect(sqlStatements).toBeLessThanOrEqual(3);

      const treaty = result(
        await editor(
          `mutation ($ru: ID!) { createTreaty(input: { title: "Border Treaty", partyIds: [$ru] }) { ... on TreatyPayload { treaty { id updatedAt } } } }`,
          { ru: russia },
        ),
        'createTreaty',
      ).treaty;
      await mutate(
        editor,
        'updateTreaty',
        `mutation ($id: ID!, $ru: ID!, $nk: ID!) { updateTreaty(id: $id, expectedVersion: 1, input: { partyIds: [$nk, $ru] }) { ${ERROR_FIELDS} } }`,
        { id: treaty.id, ru: russia, nk: northKorea },
      );
      const then = await anonymous(
        `{ treaty(id: "${treaty.id}", asOf: "${treaty.updatedAt}") { version parties { name } } }`,
      );
      expect(then.data?.treaty).toEqual({ version: 1, parties: [{ name: 'Russia' }] });
      const now = await anonymous(`{ treaty(id: "${treaty.id}") { version parties { name } } }`);
      expect(now.data?.treaty).toEqual({
        version: 2,
        parties: [{ name: 'North Korea' }, { name: 'Russia' }],
      });
    });

    it('reads a statement as it was, and a record never changed through the API as it is', async () => {
      const article = await build.article({ paragraphs: ['"We will sign soon," the minister said.'] });
      const statement = result(
        await editor(
          `mutation ($a: ID!) { createStatement(input: { source: { articleId: $a, paragraph: 0, text: "We will sign" }, kind: DIRECT, cue: "said" }) {
            ... on StatementPayload { statement { id updatedAt } } } }`,
          { a: article.id },
        ),
        'createStatement',
      ).statement;
      await mutate(
        editor,
        'updateStatement',
        `mutation ($id: ID!, $a: ID!) { updateStatement(id: $id, expectedVersion: 1, input: { source: { articleId: $a, paragraph: 0, text: "We will sign soon" } }) { ${ERROR_FIELDS} } }`,
        { id: statement.id, a: article.id },
      );
      const old = await editor(
        `{ statement(id: "${statement.id}", asOf: "${statement.updatedAt}") { text version source { start end text } } }`,
      );
      expect(old.data?.statement).toEqual({
        text: 'We will sign',
        version: 1,
        source: { start: 1, end: 13, text: 'We will sign' },
      });
      // The seed was loaded, not written through the API: it has no revisions, and reads as it is.
      const seeded = await anonymous(
        `{ actor(slug: "vladimir-putin", asOf: "${new Date().toISOString()}") { name version roles { title } } early: actor(slug: "vladimir-putin", asOf: "2000-01-01T00:00:00Z") { name } }`,
      );
      expect(seeded.data).toEqual({
        actor: { name: 'Vladimir Putin', version: 1, roles: [{ title: 'President of Russia' }] },
        early: null,
      });
    });
  });

  describe('treaty status', () => {
    it('follows the actions: ratification by every party, then entry into force, is IN_FORCE', async () => {
      const [a, b] = [await build.state(), await build.state()];
      const treaty = await build.treaty({ partyIds: [a.id, b.id] });
      const act = async (type: string, date: string, actorId?: string) =>
        (
          await mutate(
            editor,
            'createTreatyAction',
            `mutation ($t: ID!, $type: TreatyActionType!, $date: Date!, $actor: ID) {
              createTreatyAction(input: { treatyId: $t, type: $type, date: $date, actorId: $actor }) {
                ${ERROR_FIELDS} ... on TreatyActionPayload { action { id version treaty { status version } } } } }`,
            { t: treaty.id, type, date, actor: actorId },
          )
        ).action;
      expect((await act('SIGNATURE', '2024-06-19')).treaty.status).toBe('SIGNED');
      expect((await act('RATIFICATION', '2024-11-09', a.id)).treaty.status).toBe('PENDING_RATIFICATION');
      expect((await act('RATIFICATION', '2024-11-11', b.id)).treaty.status).toBe('PENDING_RATIFICATION');
      const inForce = await act('ENTRY_INTO_FORCE', '2024-12-04');
      expect(inForce.treaty).toEqual({ status: 'IN_FORCE', version: 4 });
      const { data } = await editor(
        `{ node(id: "${treaty.id}") { ... on Treaty { revisions { nodes { operation changedFields after } } } } }`,
      );
      expect(data?.node.revisions.nodes[0]).toMatchObject({
        operation: 'UPDATE',
        changedFields: ['status'],
        after: { status: 'IN_FORCE' },
      });

      await build.remove('TreatyAction', inForce);
      expect((await anonymous(`{ treaty(id: "${treaty.id}") { status } }`)).data?.treaty.status).toBe(
        'PENDING_RATIFICATION',
      );
      await mutate(editor, 'restore', `mutation ($id: ID!) { restore(id: $id) { ${ERROR_FIELDS} } }`, {
        id: inForce.id,
      });
      expect(
        (await anonymous(`{ treaty(id: "${treaty.id}") { status actions { type } } }`)).data?.treaty,
      ).toEqual({
        status: 'IN_FORCE',
        actions: [
          { type: 'SIGNATURE' },
          { type: 'RATIFICATION' },
          { type: 'RATIFICATION' },
          { type: 'ENTRY_INTO_FORCE' },
        ],
      });
    });
  });

  describe('mergeActors', () => {
    it('moves every reference to the survivor and leaves the old ID and slug resolving to it', async () => {
      const northKorea = gid('Actor', seedIds.actor('north-korea'));
      const duplicate = await build.state({
        name: 'DPR Korea',
        slug: 'dpr-korea',
        aliases: ['DPRK', 'Chosun'],
        wikidataId: 'Q423',
      });
      const other = await build.state();
      const treaty = await build.treaty({ partyIds: [duplicate.id, other.id] });
      const withBoth = await build.treaty({ partyIds: [northKorea, duplicate.id] });
      await build.action(treaty.id, { type: 'SIGNATURE', date: '2024-01-01', actorId: duplicate.id });
      const article = await build.publish(
        await build.article({
          paragraphs: ['DPR Korea said it was ready.'],
          mentions: [{ span: { paragraph: 0, text: 'DPR Korea' }, actorId: duplicate.id }],
          statements: [
            { source: { paragraph: 0, text: 'it was ready' }, kind: 'INDIRECT', speakerId: duplicate.id },
          ],
        }),
      );

      const merged = await mutate(
        editor,
        'mergeActors',
        `mutation ($s: ID!, $t: ID!) { mergeActors(sourceId: $s, targetId: $t) { ${ERROR_FIELDS}
          ... on MergeActorsPayload { mergedId actor { id name aliases version } } } }`,
        { s: duplicate.id, t: northKorea },
      );
      expect(merged.mergedId).toBe(duplicate.id);
      expect(merged.actor).toMatchObject({ id: northKorea, name: 'North Korea', version: 2 });
      expect(merged.actor.aliases).toEqual(
        expect.arrayContaining(['DPRK', 'Pyongyang', 'DPR Korea', 'Chosun']),
      );

      const { data, errors } = await anonymous(
        `query ($old: ID!, $t: ID!, $both: ID!, $a: ID!) {
          node(id: $old) { id }
          nodes(ids: [$old]) { id }
          byId: actor(id: $old) { id }
          bySlug: actor(slug: "dpr-korea") { id }
          treaty: node(id: $t) { ... on Treaty { parties { id } actions { actor { id } } } }
          both: node(id: $both) { ... on Treaty { parties { id } } }
          article: node(id: $a) { ... on Article { mentions { actor { id } } statements { nodes { speaker { id } } } } }
          actors(filter: { name: "DPR Korea" }) { nodes { id } }
        }`,
        { old: duplicate.id, t: treaty.id, both: withBoth.id, a: article.id },
      );
      expect(errors).toBeUndefined();
      expect(data).toMatchObject({
        node: { id: northKorea },
        nodes: [{ id: northKorea }],
        byId: { id: northKorea },
        bySlug: { id: northKorea },
        treaty: { parties: [{ id: northKorea }, { id: other.id }], actions: [{ actor: { id: northKorea } }] },
        both: { parties: [{ id: northKorea }] },
        article: {
          mentions: [{ actor: { id: northKorea } }],
          statements: { nodes: [{ speaker: { id: northKorea } }] },
        },
      });
      expect(data?.actors.nodes).toEqual([{ id: northKorea }]);

      // Every record that changed has a MERGE revision; the merged actor cannot be restored.
      const operations = (
        (await database.db.execute(
          sql`select node_type, operation from revisions where operation = 'MERGE' order by node_type`,
        )) as unknown as { rows: { node_type: string }[] }
      ).rows.map((r) => r.node_type);
      expect(operations).toEqual([
        'Actor',
        'Actor',
        'Article',
        'Statement',
        'Treaty',
        'Treaty',
        'TreatyAction',
      ]);
      const restore = result(
        await editor(`mutation { restore(id: "${duplicate.id}") { ${ERROR_FIELDS} } }`),
        'restore',
      );
      expect(restore.fieldErrors[0].message).toMatch(/was merged into .* and cannot be restored/);
    });
  });

  describe('delete, restore, purge', () => {
    it('a deleted treaty takes its provisions and actions along, and restore brings them back', async () => {
      const treaty = await build.treaty();
      const provision = await build.provision(treaty.id, { number: '1' });
      const alreadyGone = await build.remove(
        'TreatyProvision',
        await build.provision(treaty.id, { number: '2' }),
      );
      await build.action(treaty.id);
      await build.remove('Treaty', { id: treaty.id, version: 2 });
      const gone = await editor(
        `{ treaty(id: "${treaty.id}") { id } provision: node(id: "${provision.id}") { id } }`,
      );
      expect(gone.data).toEqual({ treaty: null, provision: null });
      await mutate(editor, 'restore', `mutation ($id: ID!) { restore(id: $id) { ${ERROR_FIELDS} } }`, {
        id: treaty.id,
      });
      const back = await anonymous(
        `{ treaty(id: "${treaty.id}") { status provisions { number } actions { type } } }`,
      );
      // Provision 2 was deleted on its own before: it stays deleted.
      expect(back.data?.treaty).toEqual({
        status: 'SIGNED',
        provisions: [{ number: '1' }],
        actions: [{ type: 'SIGNATURE' }],
      });
      expect((await anonymous(`{ node(id: "${alreadyGone.id}") { id } }`)).data?.node).toBeNull();
    });

    it('purge removes a deleted article with its statements and history, leaving a PURGE revision', async () => {
      const article = await build.article();
      const statement = await build.statement(article.id);
      await build.remove('Article', article);
      const editorTry = await editor(`mutation { purge(id: "${article.id}") { ${ERROR_FIELDS} } }`);
      expect(editorTry.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const purged = await mutate(
        admin,
        'purge',
        `mutation ($id: ID!) { purge(id: $id) { ${ERROR_FIELDS} ... on PurgePayload { purgedId } } }`,
        {
          id: article.id,
        },
      );
      expect(purged.purgedId).toBe(article.id);
      const left = (
        (await database.db.execute(
          sql`select node_type, operation, token_name, before is null and after is null as empty from revisions
            where node_id in (${Buffer.from(article.id, 'base64url').toString().split(':')[1]}, ${Buffer.from(statement.id, 'base64url').toString().split(':')[1]})
            order by node_type`,
        )) as unknown as { rows: unknown[] }
      ).rows;
      expect(left).toEqual([
        { node_type: 'Article', operation: 'PURGE', token_name: 'admin', empty: true },
        { node_type: 'Statement', operation: 'PURGE', token_name: 'admin', empty: true },
      ]);
      expect(
        (await editor(`{ node(id: "${statement.id}", asOf: "${new Date().toISOString()}") { id } }`)).data
          ?.node,
      ).toBeNull();
    });

    it('purge refuses a record others still refer to', async () => {
      const state = await build.state();
      await build.treaty({ partyIds: [state.id] });
      const deleted = result(
        await editor(`mutation { deleteActor(id: "${state.id}", expectedVersion: 1) { ${ERROR_FIELDS} } }`),
        'deleteActor',
      );
      expect(deleted.fieldErrors[0].message).toMatch(/still referenced by 1 treaty \(as a party\)/);
    });
  });
});
