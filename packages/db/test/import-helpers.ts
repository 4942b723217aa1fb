// Shared by the import suites: row counts of every content table, to show that something wrote
// nothing.
import { sql } from 'drizzle-orm';
import { type Queryable, rows } from '../src/repositories/sql.ts';

const TABLES = [
  'actors',
  'actor_roles',
  'treaties',
  'treaty_parties',
  'treaty_provisions',
  'provision_references',
  'treaty_actions',
  'articles',
  'article_paragraphs',
  'article_mentions',
  'article_actors',
  'article_treaties',
  'statements',
  'statement_treaties',
  'statement_provisions',
  'revisions',
];

/** Row counts of every content table. */
export async function tableCounts(db: Queryable): Promise<Record<string, number>> {
  const [row] = await rows<Record<string, number>>(
    db,
    sql.raw(`select ${TABLES.map((t) => `(select count(*)::int from ${t}) as ${t}`).join(', ')}`),
  );
  return row as Record<string, number>;
}
