// What a viewer may read, as SQL conditions on a table. Every read path (root lists, node
// lookups, nested relations, counts) takes its condition from here, so drafts cannot leak
// through a path that forgot the rule.
import type { articles, statements } from '@chancery/db/schema';
import { canSeeUnpublished } from '@chancery/domain/viewer';
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Context } from './context.ts';

type SoftDeletable = { deletedAt: Parameters<typeof isNull>[0] };

/** Soft-deleted records are gone for every ordinary read; only point-in-time reads see them. */
export const live = (table: SoftDeletable): SQL => isNull(table.deletedAt);

export function visibleArticle(ctx: Context) {
  const editorial = canSeeUnpublished(ctx.viewer);
  return (table: typeof articles): SQL =>
    editorial ? live(table) : (and(live(table), eq(table.status, 'PUBLISHED')) as SQL);
}

/**
 * A statement is exactly as visible as the article it was taken from. The database keeps the
 * article's state on each statement (migration 0005), so this reads no other table, and the
 * reader's form matches the partial indexes `statements_public_*`.
 */
export function visibleStatement(ctx: Context) {
  const editorial = canSeeUnpublished(ctx.viewer);
  return (table: Pick<typeof statements, 'deletedAt' | 'articleLive' | 'articlePublished'>): SQL =>
    editorial
      ? sql`${live(table)} and ${table.articleLive}`
      : sql`${live(table)} and ${table.articlePublished}`;
}
