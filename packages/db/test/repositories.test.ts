// The write path below any transport: one transaction per mutation, optimistic concurrency,
// revisions and the states they let a point-in-time read restore.

import { encodeGlobalId } from '@chancery/domain/global-id';
import { createActorCommand, mergeActorsCommand, updateActorCommand } from '@chancery/domain/inputs/actor';
import { createArticleCommand } from '@chancery/domain/inputs/article';
import { parseCommand } from '@chancery/domain/inputs/common';
import { ConflictError, ValidationError } from '@chancery/domain/write-errors';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, mergeActors, updateActor } from '../src/repositories/actors.ts';
import { createArticle } from '../src/repositories/articles.ts';
import { readingSnapshot, stateAsOf } from '../src/repositories/as-of.ts';
import { loadSnapshot } from '../src/repositories/nodes.ts';
import type { Writer } from '../src/repositories/transaction.ts';
import { type TestDatabase, testEngines } from '../src/testing.ts';

describe.each(testEngines)('repositories on $name', (engine) => {
  let database: TestDatabase;
  let writer: Writer;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    writer = { db: database.db, tokenName: 'test' };
  });
  afterAll(() => database?.close());

  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const newActor = async (name: string, kind = 'PERSON') =>
    (await createActor(writer, parseCommand(createActorCommand, { input: { name, kind } }))).id;

  it('a database failure in the middle of writing an article leaves no row behind', async () => {
    // A trigger that fails on the second statement, after the article, its paragraphs, its
    // mentions and the first statement were written in the same transaction.
    await database.withRawTransaction((raw) =>
      raw.exec(`
        CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.text = 'boom' THEN RAISE EXCEPTION 'simulated failure'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER statements_refuse_boom BEFORE INSERT ON statements
          FOR EACH ROW EXECUTE FUNCTION refuse_boom();`),
    );
    const count = () =>
      rows<Record<string, number>>(sql`select
        (select count(*)::int from articles) as a, (select count(*)::int from article_paragraphs) as p,
        (select count(*)::int from article_mentions) as m, (select count(*)::int from statements) as s,
        (select count(*)::int from revisions) as r`);
    const before = await count();
    const russia = (await rows<{ id: string }>(sql`select id from actors where slug = 'russia'`))[0]
      ?.id as string;
    const command = parseCommand(createArticleCommand, {
      input: {
        headline: 'Doomed',
        paragraphs: ['Russia said: fine.', 'Then: boom.'],
        mentions: [{ span: { paragraph: 0, text: 'Russia' }, actorId: encodeGlobalId('Actor', russia) }],
        statements: [
          { source: { paragraph: 0, text: 'fine' }, kind: 'INDIRECT' },
          { source: { paragraph: 1, text: 'boom' }, kind: 'INDIRECT' },
        ],
      },
    });
    const failure = await createArticle(writer, command).then(
      () => null,
      (error: unknown) => error,
    );
    const messages: string[] = [];
    for (let e = failure as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
      messages.push(String(e.message));
    }
    expect(messages.join(' / ')).toMatch(/simulated failure/);
    expect(await count()).toEqual(before);
    await database.withRawTransaction((raw) =>
      raw.exec('DROP TRIGGER statements_refuse_boom ON statements; DROP FUNCTION refuse_boom();'),
    );
  });

  it('concurrent updates from the same version: one commits, the others get ConflictError and write nothing', async () => {
    const id = await newActor('Racer');
    const attempts = await Promise.allSettled(
      [1, 2, 3, 4].map((n) =>
        updateActor(
          writer,
          parseCommand(updateActorCommand, {
            id: encodeGlobalId('Actor', id),
            expectedVersion: 1,
            input: { name: `Racer ${n}` },
          }),
        ),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(refused).toHaveLength(3);
    for (const { reason } of refused) {
      expect(reason).toBeInstanceOf(ConflictError);
      expect((reason as ConflictError).currentVersion).toBe(2);
    }
    expect(await rows(sql`select version from revisions where node_id = ${id} order by version`)).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
  });

  it('snapshots hold the row and what it owns, without derived columns, and restore them as of a time', async () => {
    const id = await newActor('Snapshot');
    const [{ at }] = (await rows<{ at: string }>(
      sql`select updated_at::text as at from actors where id = ${id}`,
    )) as [{ at: string }];
    const snapshot = await loadSnapshot(database.db, 'Actor', id);
    expect(Object.keys(snapshot)).not.toContain('search_vector');
    expect(Object.keys(snapshot)).not.toContain('name_key');
    expect(snapshot).toMatchObject({ id, name: 'Snapshot', roles: [], version: 1 });
    await updateActor(
      writer,
      parseCommand(updateActorCommand, {
        id: encodeGlobalId('Actor', id),
        expectedVersion: 1,
        input: { name: 'Renamed', roles: [{ title: 'Envoy' }] },
      }),
    );
    const state = await stateAsOf(database.db, 'Actor', id, new Date(at).toISOString());
    expect(state).toMatchObject({ kind: 'snapshot', snapshot: { name: 'Snapshot', version: 1 } });
    if (state?.kind !== 'snapshot') throw new Error('expected a snapshot');
    const query = database.db.query.actors.findFirst({ where: { id }, with: { roles: true } });
    const then = await readingSnapshot(query, 'Actor', id, state.snapshot);
    expect(then).toMatchObject({ name: 'Snapshot', version: 1, roles: [] });
    const now = await database.db.query.actors.findFirst({ where: { id }, with: { roles: true } });
    expect(now).toMatchObject({ name: 'Renamed', version: 2, roles: [{ title: 'Envoy' }] });
    expect(await stateAsOf(database.db, 'Actor', id, '2000-01-01T00:00:00Z')).toBeNull();
  });

  it('merges are flattened: an actor merged into one that is merged later points at the last survivor', async () => {
    const [a, b, c] = [await newActor('Merge A'), await newActor('Merge B'), await newActor('Merge C')];
    const merge = async (source: string, target: string) =>
      mergeActors(
        writer,
        parseCommand(mergeActorsCommand, {
          sourceId: encodeGlobalId('Actor', source),
          targetId: encodeGlobalId('Actor', target),
        }),
      );
    await merge(a, b);
    await merge(b, c);
    expect(
      await rows(
        sql`select name, merged_into_id = ${c} as "intoC" from actors where id in (${a}, ${b}) order by name`,
      ),
    ).toEqual([
      { name: 'Merge A', intoC: true },
      { name: 'Merge B', intoC: true },
    ]);
    const [survivor] = await rows<{ aliases: string[] }>(sql`select aliases from actors where id = ${c}`);
    expect(survivor?.aliases).toEqual(['Merge B', 'Merge A']);
    await expect(merge(a, c)).rejects.toThrow(/is deleted; restore it first/);
    await expect(merge(c, c)).rejects.toBeInstanceOf(ValidationError);
  });
});
