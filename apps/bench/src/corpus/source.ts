// Where the benchmark's content comes from: the issue's `chancery generate` stories imported by the
// real CLI (imported.ts, the default), the same generator's stories stored in process (generated.ts),
// or the bench's own loader (bench-loader.ts: bulk INSERTs, ~20 s where
// importing takes minutes, with a more skewed share of speakers). The scenarios only need the
// summary below. Each source has a database of its own (setup.ts names them by `key`).
import type { Database } from '@chancery/db/database';

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
