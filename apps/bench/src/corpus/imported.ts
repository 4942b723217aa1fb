// The data, loaded the way a user loads it: `chancery generate --stories 3000 --seed 7`,
// then `chancery migrate`, `chancery seed` and `chancery import <dir> --status published`, each the
// real CLI in a process of its own, into a database emptied first. Nothing else runs on it: no
// ANALYZE, no VACUUM, no setting (autovacuum may be off, and PGlite never runs it), so the reads
// are measured right after a fresh import, as the issue asks. ~35 s on PostgreSQL.
import { rm } from 'node:fs/promises';
import { rows } from '@chancery/db/repositories/sql';
import { sql } from 'drizzle-orm';
import { chancery, generateStories } from '../import-bench.ts';
import type { CorpusSource, CorpusSummary } from './source.ts';

export const IMPORTED_STORIES = 3000;
export const IMPORTED_SEED = '7';

export const importedCorpus: CorpusSource = {
  name: 'chancery import',
  key: 'imported',
  async load({ engine, databaseUrl, dataDir, repo, dataRoot, scale, cpu, log, resetDatabase }) {
    const stories = Math.round(IMPORTED_STORIES * scale);
    const dir = await generateStories({ repo, dataRoot, stories, seed: IMPORTED_SEED, log });
    if (engine === 'postgres') await resetDatabase();
    else await rm(dataDir, { recursive: true, force: true });
    const env: Record<string, string> =
      engine === 'postgres'
        ? { DATABASE_URL: databaseUrl }
        : { CHANCERY_DATA_DIR: dataDir, DATABASE_URL: '' };
    const started = performance.now();
    for (const args of [['migrate'], ['seed']]) await chancery({ repo, args, env, cpu });
    const result = await chancery({
      repo,
      args: ['import', dir, '--status', 'published', '--json', '--no-progress'],
      env,
      cpu,
    });
    const summary = (JSON.parse(result.stdout) as { summary: { failed: number; statements: number } })
      .summary;
    if (summary.failed > 0) throw new Error(`chancery import: ${summary.failed} stories failed.`);
    log(
      `corpus: chancery import --status published of ${stories} stories (seed ${IMPORTED_SEED}): ${summary.statements} statements in ${((performance.now() - started) / 1000).toFixed(0)} s (migrate, seed and import)`,
    );
  },
  async ensure(database, { scale }) {
    const stories = Math.round(IMPORTED_STORIES * scale);
    return summarize(
      database,
      `chancery generate --stories ${stories} --seed ${IMPORTED_SEED} | chancery import --status published`,
      scale,
    );
  },
};

/** Counts and the busiest speaker (most statements an anonymous reader sees). */
export async function summarize(
  database: Parameters<CorpusSource['ensure']>[0],
  source: string,
  scale: number,
): Promise<CorpusSummary> {
  const [counts] = await rows<CorpusSummary['counts']>(
    database.db,
    sql`select (select count(*)::int from actors) as actors,
               (select count(*)::int from treaties) as treaties,
               (select count(*)::int from treaty_provisions) as provisions,
               (select count(*)::int from articles) as articles,
               (select count(*)::int from article_paragraphs) as paragraphs,
               (select count(*)::int from statements) as statements`,
  );
  const [busiest] = await rows<{ slug: string; n: number }>(
    database.db,
    sql`select a.slug, count(*)::int as n
        from statements s
        join actors a on a.id = s.speaker_id
        join articles ar on ar.id = s.article_id
        where s.deleted_at is null and ar.deleted_at is null and ar.status = 'PUBLISHED'
        group by a.slug order by n desc, a.slug limit 1`,
  );
  if (!counts || !busiest) throw new Error('corpus: no statement has a speaker');
  return { source, scale, counts, busiestSpeakerSlug: busiest.slug, busiestSpeakerStatements: busiest.n };
}
