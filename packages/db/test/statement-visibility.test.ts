// Each statement carries its visibility, its article's state included (migration 0005), which every
// read's rule uses instead of probing articles. The database keeps it, whoever writes: these writes go in as
// plain SQL, the way psql or a bundle would, and the state must follow.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_ARTICLE_SLUG } from '../src/seed.ts';
import { type TestDatabase, testEngines } from '../src/testing.ts';

describe.each(testEngines)('statement visibility state on $name', (engine) => {
  let database: TestDatabase;
  let article: string;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    const found = (await database.db.execute(
      sql`select id from articles where slug = ${SEED_ARTICLE_SLUG}`,
    )) as unknown as { rows: { id: string }[] };
    article = found.rows[0]?.id as string;
  });
  afterAll(() => database?.close());

  const run = (query: ReturnType<typeof sql>) => database.db.execute(query);
  /** How many of the article's statements are in each state. */
  async function states(): Promise<Record<string, number>> {
    const result = (await run(
      sql`select live::text || '/' || published::text as state, count(*)::int as n
            from statements where article_id = ${article} group by 1`,
    )) as unknown as { rows: { state: string; n: number }[] };
    return Object.fromEntries(result.rows.map((r) => [r.state, r.n]));
  }

  it('follows the article through withdrawal, deletion, restore and publication', async () => {
    const all = Object.values(await states())[0];
    expect(all).toBeGreaterThan(0);
    expect(await states()).toEqual({ 'true/true': all });

    await run(sql`update articles set status = 'WITHDRAWN' where id = ${article}`);
    expect(await states()).toEqual({ 'true/false': all });
    await run(sql`update articles set status = 'PUBLISHED', deleted_at = now() where id = ${article}`);
    expect(await states()).toEqual({ 'false/false': all });
    await run(sql`update articles set deleted_at = null where id = ${article}`);
    expect(await states()).toEqual({ 'true/true': all });
  });

  it("follows the statement's own deletion and restore", async () => {
    const all = Object.values(await states())[0] as number;
    const one = sql`(select id from statements where article_id = ${article} order by id limit 1)`;
    await run(sql`update statements set deleted_at = now() where id = ${one}`);
    expect(await states()).toEqual({ 'true/true': all - 1, 'false/false': 1 });
    await run(sql`update statements set deleted_at = null where id = ${one}`);
    expect(await states()).toEqual({ 'true/true': all });
  });

  it('cannot be set by hand, on insert or on update', async () => {
    await run(sql`update articles set status = 'DRAFT' where id = ${article}`);
    try {
      await run(sql`update statements set published = true where article_id = ${article}`);
      const all = Object.values(await states())[0];
      expect(await states()).toEqual({ 'true/false': all });

      const copy = (await run(
        sql`insert into statements (text, kind, said_on, article_id, paragraph, start, "end", attribution_method, live, published)
            select text, kind, said_on, article_id, paragraph, start, "end", attribution_method, false, true
              from statements where article_id = ${article} limit 1
            returning live, published`,
      )) as unknown as { rows: { live: boolean; published: boolean }[] };
      expect(copy.rows).toEqual([{ live: true, published: false }]);
    } finally {
      await run(sql`update articles set status = 'PUBLISHED' where id = ${article}`);
    }
  });

  it('leaves a statement of a missing article to the foreign key, which names it', async () => {
    const error = await run(
      sql`insert into statements (text, kind, said_on, article_id, paragraph, start, "end", attribution_method)
          values ('x', 'DIRECT', '2024-10-24', '00000000-0000-4000-8000-000000000000', 0, 0, 1, 'MANUAL')`,
    ).catch((e: Error) => e);
    expect((error as Error & { cause?: Error }).cause?.message).toMatch(/violates foreign key constraint/);
  });
});
