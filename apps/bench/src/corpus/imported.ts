// The data, loaded the way a user loads it: `chancery generate --stories 3000 --seed 7`,
// then `chancery migrate`, `chancery seed` and `chancery import <dir> --status published`, each the
// real CLI in a process of its own, into a database emptied first. Nothing else runs on it: no
// ANALYZE, no VACUUM, no setting (autovacuum may be off, and PGlite never runs it), so the reads
// are measured right after a fresh import, as the issue asks. ~35 s on PostgreSQL.
import { rm } from 'node:fs/promises';
import { chancery, generateStories } from '../import-bench.ts';
import { type CorpusSource, summarize } from './source.ts';

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
