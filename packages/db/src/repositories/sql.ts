// Small helpers for the SQL the write path writes by hand.
import { type SQL, sql } from 'drizzle-orm';
import type { ChanceryDb } from '../database.ts';

/** A database handle: the database itself or a transaction on it. */
export type Queryable = Pick<ChanceryDb, 'execute'>;

/** Runs a statement and returns its rows, on either engine. */
export async function rows<Row>(db: Queryable, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

/** `(a, b, c)` for `x in ${list(ids)}`; never empty (an empty list matches nothing). */
export function list(values: readonly unknown[]): SQL {
  if (values.length === 0) return sql`(null)`;
  return sql`(${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )})`;
}

/** The PostgreSQL error under a driver's wrapping, if any: code, constraint. */
export function postgresError(error: unknown): { code: string; constraint?: string } | null {
  for (
    let current = error;
    current && typeof current === 'object';
    current = (current as { cause?: unknown }).cause
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, constraint: (current as { constraint?: string }).constraint };
    }
  }
  return null;
}
