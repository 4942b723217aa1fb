import type { ChanceryDb } from '@chancery/db/database';
import type { SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { builder } from '../builder.ts';

type Direction = 'asc' | 'desc';

/**
 * A GraphQL enum of named orderings, each a Drizzle `orderBy`. Connections page over these
 * keysets; the plugin appends the primary key where an ordering is not unique.
 */
export function orderingEnum<const Orders extends Record<string, Record<string, Direction>>>(
  name: string,
  orders: Orders,
  options: { default: keyof Orders & string; description: string },
) {
  const values = Object.keys(orders) as (keyof Orders & string)[];
  const ref = builder.enumType(name, {
    values,
    description: `${options.description} Default: ${options.default}.`,
  });
  const orderBy = (value: (keyof Orders & string) | null | undefined) =>
    orders[value ?? options.default] as Orders[keyof Orders];
  return { ref, orderBy };
}

/** `%`, `_` and `\` are wildcards in LIKE patterns; a user's text must match literally. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * `totalCount` of a root connection. Drizzle's `$count` is a lazy thenable that runs its query
 * again each time it is awaited; wrapping it in a promise makes it run once.
 */
export async function countRows(db: ChanceryDb, table: PgTable, where: SQL): Promise<number> {
  return await db.$count(table, where);
}
