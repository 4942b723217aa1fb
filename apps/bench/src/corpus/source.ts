// Where the benchmark's content comes from. Today: the bench's own loader (bulk INSERTs through
// Drizzle). When `chancery generate` and the importer land, a second CorpusSource runs them
// instead; the scenarios only need the summary below, so nothing else changes.
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
  /** Loads the corpus into a migrated database unless an identical one is already there. */
  ensure(database: Database, options: { scale: number; log: (line: string) => void }): Promise<CorpusSummary>;
};
