import { actors, articles, statements, treaties, treatyActions, treatyProvisions } from '@chancery/db/schema';
import { and, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Context } from './context.ts';
import { live, visibleArticle, visibleStatement } from './visibility.ts';

// `node(id)` and `nodes(ids)` load rows by primary key and bypass the root fields' filters, so
// they ask here first which of the requested IDs the viewer may see.
const NODE_TABLES = {
  Actor: { table: actors, visible: () => live },
  Treaty: { table: treaties, visible: () => live },
  TreatyProvision: { table: treatyProvisions, visible: () => live },
  TreatyAction: { table: treatyActions, visible: () => live },
  Article: { table: articles, visible: visibleArticle },
  Statement: { table: statements, visible: visibleStatement },
} as const;

type NodeRef = { typename: string; id: string };

/** Returns the subset of `refs` the viewer may read, as "Typename:id" keys. One query per type. */
export async function visibleNodeKeys(ctx: Context, refs: readonly NodeRef[]): Promise<Set<string>> {
  const byType = new Map<string, NodeRef[]>();
  for (const ref of refs) byType.set(ref.typename, [...(byType.get(ref.typename) ?? []), ref]);
  const visible = new Set<string>();
  await Promise.all(
    [...byType].map(async ([typename, group]) => {
      const entry = NODE_TABLES[typename as keyof typeof NODE_TABLES];
      if (!entry) return;
      const table = entry.table as typeof actors;
      const condition = (entry.visible as (ctx: Context) => (t: typeof actors) => SQL)(ctx)(table);
      const rows = await ctx.db
        .select({ id: table.id })
        .from(table)
        .where(
          and(
            inArray(
              table.id,
              group.map((ref) => ref.id),
            ),
            condition,
          ),
        );
      for (const row of rows) visible.add(`${typename}:${row.id}`);
    }),
  );
  return visible;
}

/**
 * The live actors that the given (merged) actors were merged into, by merged ID. A merged actor's
 * ID keeps resolving to the survivor, for every viewer, wherever an actor is looked up by ID.
 */
export async function mergedActorSurvivors(
  ctx: Context,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const survivor = alias(actors, 'survivor');
  const rows = await ctx.db
    .select({ id: actors.id, survivorId: survivor.id })
    .from(actors)
    .innerJoin(survivor, eq(survivor.id, actors.mergedIntoId))
    .where(and(inArray(actors.id, [...ids]), isNull(survivor.deletedAt)));
  return new Map(rows.map((row) => [row.id, row.survivorId]));
}
