// A loaded corpus leaves its summary as a comment on the statements table, so the next run reuses
// the data instead of loading it again.
import type { Database } from '@chancery/db/database';
import { rows } from '@chancery/db/repositories/sql';
import * as t from '@chancery/db/schema';
import { sql } from 'drizzle-orm';
import type { CorpusSummary } from './source.ts';

const MARKER_PREFIX = 'chancery-bench corpus ';

/** Reads the summary a previous load left on the statements table, if any. */
export async function readMarker(database: Database): Promise<CorpusSummary | null> {
  const [row] = await rows<{ comment: string | null }>(
    database.db,
    sql`select obj_description('statements'::regclass, 'pg_class') as comment`,
  );
  const comment = row?.comment;
  if (!comment?.startsWith(MARKER_PREFIX)) return null;
  return JSON.parse(comment.slice(MARKER_PREFIX.length)) as CorpusSummary;
}

export async function writeMarker(database: Database, summary: CorpusSummary): Promise<void> {
  const text = `${MARKER_PREFIX}${JSON.stringify(summary)}`.replaceAll("'", "''");
  await database.db.execute(sql.raw(`comment on table statements is '${text}'`));
}

/**
 * The summary of `source` at `scale` if the database already holds it; throws if it holds another
 * corpus or statements no corpus source loaded; null if it is empty and ready for a load.
 */
export async function existingCorpus(
  database: Database,
  source: string,
  scale: number,
  log: (line: string) => void,
): Promise<CorpusSummary | null> {
  const existing = await readMarker(database);
  if (existing && existing.source === source && existing.scale === scale) {
    log(`corpus: reusing ${existing.counts.statements} statements (${source}, scale ${scale})`);
    return existing;
  }
  if (existing)
    throw new Error(
      `This database holds another bench corpus (${existing.source}, scale ${existing.scale}); use a fresh one (--fresh).`,
    );
  const [{ n } = { n: 0 }] = await database.db.select({ n: sql<number>`count(*)::int` }).from(t.statements);
  if (n > 10)
    throw new Error(
      `This database already holds ${n} statements that the bench did not load; use a database of its own.`,
    );
  return null;
}
