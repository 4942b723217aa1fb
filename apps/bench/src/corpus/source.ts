// Where the benchmark's content comes from: the issue's `chancery generate` stories imported by the
// real CLI (imported.ts, the default), the same generator's stories stored in process (generated.ts),
// or the bench's own loader (bench-loader.ts: bulk INSERTs, ~20 s where
// importing takes minutes, with a more skewed share of speakers). The scenarios only need the
// summary below. Each source has a database of its own (setup.ts names them by `key`).
import type { Database } from '@chancery/db/database';
import { rows } from '@chancery/db/repositories/sql';
import { sql } from 'drizzle-orm';

export type CorpusSummary = {
  /** Which source made it and with which settings; stored with the results. */
  source: string;
  scale: number;
  counts: {
    actors: number;
    treaties: number;
    provisions: number;
    articles: number;
    paragraphs: number;
    statements: number;
  };
  /** Slug of the speaker with the most visible statements (scenario 3 pages through them). */
  busiestSpeakerSlug: string;
  busiestSpeakerStatements: number;
};

export type CorpusSource = {
  name: string;
  /** `--corpus` value, and part of the bench database's name. */
  key: 'imported' | 'generated' | 'loader';
  /**
   * When present: loads the corpus afresh on every run, before the bench opens the database (the
   * CLI's own processes do it), into an emptied database or data directory.
   */
  load?(target: {
    engine: 'postgres' | 'pglite';
    databaseUrl: string;
    dataDir: string;
    repo: string;
    dataRoot: string;
    scale: number;
    cpu: number | null;
    log: (line: string) => void;
    /** Drops and creates the PostgreSQL database. */
    resetDatabase(): Promise<void>;
  }): Promise<void>;
  /** Loads the corpus into a migrated database unless an identical one is already there. */
  ensure(database: Database, options: { scale: number; log: (line: string) => void }): Promise<CorpusSummary>;
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
