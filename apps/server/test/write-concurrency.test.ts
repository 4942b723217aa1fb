// Optimistic concurrency under real concurrency: updates with the same expectedVersion fired at the
// same time through the listening server; exactly one wins, every other gets a ConflictError and
// writes nothing.
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, builders, createTokens, ERROR_FIELDS, result, type Tokens } from './editorial.ts';
import { startTestServer, type TestServer } from './http.ts';

describe.each(testEngines)('concurrent writes on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;
  let editor: ReturnType<typeof as>;
  let build: ReturnType<typeof builders>;

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

  const update = (id: string, name: string) =>
    editor(
      `mutation ($id: ID!, $name: String!) { updateActor(id: $id, expectedVersion: 1, input: { name: $name }) {
        ${ERROR_FIELDS} ... on ActorPayload { actor { name version } } } }`,
      { id, name },
    ).then((response) => result(response, 'updateActor'));

  const revisionsOf = async (globalId: string) => {
    const id = Buffer.from(globalId, 'base64url').toString().split(':')[1] as string;
    const found = (await database.db.execute(
      sql`select version, operation from revisions where node_id = ${id} order by version`,
    )) as unknown as { rows: unknown[] };
    return found.rows;
  };

  it('eight updates with the same expectedVersion at once: exactly one wins', async () => {
    const actor = await build.actor();
    const names = Array.from({ length: 8 }, (_, i) => `Contender ${i}`);
    const results = await Promise.all(names.map((name) => update(actor.id, name)));
    const winners = results.filter((r) => r.__typename === 'ActorPayload');
    const losers = results.filter((r) => r.__typename === 'ConflictError');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(7);
    expect(losers.every((r) => r.currentVersion === 2)).toBe(true);
    const { data } = await editor(`{ node(id: "${actor.id}") { ... on Actor { name version } } }`);
    expect(data?.node).toEqual(winners[0].actor);
    expect(data?.node.version).toBe(2);
    expect(await revisionsOf(actor.id)).toEqual([
      { version: 1, operation: 'CREATE' },
      { version: 2, operation: 'UPDATE' },
    ]);
  });

  it('two creates with the same slug at once: one is stored, the other is told the slug is taken', async () => {
    const results = await Promise.all(
      [1, 2].map((n) =>
        editor(
          `mutation { createActor(input: { name: "Twin ${n}", kind: PERSON, slug: "twin" }) { ${ERROR_FIELDS} } }`,
        ).then((response) => result(response, 'createActor')),
      ),
    );
    expect(results.map((r) => r.__typename).sort()).toEqual(['ActorPayload', 'ValidationError']);
    const refused = results.find((r) => r.__typename === 'ValidationError');
    expect(refused.fieldErrors).toEqual([
      { path: ['input', 'slug'], message: expect.stringMatching(/already the slug of/) },
    ]);
  });

  // On PostgreSQL, prove the two requests really overlap: hold the row locked from another
  // connection until both are waiting on it, then let them go.
  it.runIf(engine.name === 'postgres')('two updates both waiting on the row: exactly one wins', async () => {
    const actor = await build.actor();
    const id = Buffer.from(actor.id, 'base64url').toString().split(':')[1] as string;
    const waitingOnLocks = async () =>
      (
        (await database.db.execute(
          sql`select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'
                and query like '%from actors where id = % for update%'`,
        )) as unknown as { rows: { n: number }[] }
      ).rows[0]?.n ?? 0;
    let racing: Promise<any[]> | undefined;
    await database.withRawTransaction(async (blocker) => {
      await blocker.query('select id from actors where id = $1 for update', [id]);
      racing = Promise.all([update(actor.id, 'First'), update(actor.id, 'Second')]);
      while ((await waitingOnLocks()) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    });
    const results = (await racing) as any[];
    expect(results.map((r) => r.__typename).sort()).toEqual(['ActorPayload', 'ConflictError']);
    expect(results.find((r) => r.__typename === 'ConflictError').currentVersion).toBe(2);
    expect(await revisionsOf(actor.id)).toHaveLength(2);
  });
});
