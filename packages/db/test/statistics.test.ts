// Planner statistics are kept current without anyone running ANALYZE: stale tables (never analysed,
// or changed by more than autovacuum's threshold) are analysed, fresh ones left alone.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshStatistics, StatisticsKeeper } from '../src/statistics.ts';
import { type TestDatabase, testEngines } from '../src/testing.ts';

describe.each(testEngines)('planner statistics on $name', (engine) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
  });
  afterAll(() => database?.close());

  const addActors = (count: number, prefix: string) =>
    database.db.execute(
      sql`insert into actors (slug, name, kind)
          select ${prefix} || '-' || g, ${prefix} || ' ' || g, 'PERSON' from generate_series(1, ${count}) g`,
    );

  /** Other connections' counters reach PostgreSQL's statistics within seconds: ask until they have. */
  async function refreshUntil(table: string): Promise<string[]> {
    for (let attempt = 0; attempt < 40; attempt++) {
      const analysed = await refreshStatistics(database);
      if (analysed.includes(table)) return analysed;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`${table} was never found stale`);
  }

  it('analyses the tables that were never analysed, then nothing while they stay fresh', async () => {
    const first = await refreshStatistics(database);
    expect(first).toEqual(expect.arrayContaining(['actors', 'articles', 'statements']));
    // Empty tables have nothing to analyse.
    expect(first).not.toContain('api_tokens');
    expect(await refreshStatistics(database)).toEqual([]);
  });

  it('analyses a table changed beyond the threshold, and only that one', async () => {
    await addActors(500, 'bulk');
    // The change log (migration 0006) records each new actor in the same transaction.
    expect(await refreshUntil('actors')).toEqual(['actors', 'change_log']);
    expect(await refreshStatistics(database)).toEqual([]);
  });

  it('a keeper analyses after committed writes it hears of, with no call from the writer', async () => {
    const analysed: string[][] = [];
    const keeper = new StatisticsKeeper(database, {
      delayMs: 50,
      // Past PostgreSQL's 10 s: a backend that wrote just after its last flush reports when idle that long.
      recheckMs: 11_000,
      onRefreshed: (tables) => analysed.push(tables),
      onError: (error) => analysed.push([`error: ${String(error)}`]),
    });
    const feed = await database.watchChanges(keeper);
    try {
      await addActors(2000, 'keeper');
      for (let wait = 0; wait < 60 && !analysed.flat().includes('actors'); wait++)
        await new Promise((resolve) => setTimeout(resolve, 500));
      expect(analysed.flat()).toContain('actors');
    } finally {
      await feed.stop();
      await keeper.stop();
    }
  });
});
