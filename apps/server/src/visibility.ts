// What a viewer may read, as SQL conditions on a table. Every read path (root lists, node
// lookups, nested relations, counts) takes its condition from here, so drafts cannot leak
// through a path that forgot the rule.
import type { articles, statements } from '@chancery/db/schema';
import { canSeeUnpublished } from '@chancery/domain/viewer';
import { isNull, type SQL, sql } from 'drizzle-orm';
import type { Context } from './context.ts';

type SoftDeletable = { deletedAt: Parameters<typeof isNull>[0] };

/** Soft-deleted records are gone for every ordinary read; only point-in-time reads see them. */
export const live = (table: SoftDeletable): SQL => isNull(table.deletedAt);

/**
 * Readers see what is published, editors everything not deleted. Articles and statements carry
 * both rules as columns (migration 0005: a statement's include its article's state), so a
 * condition reads no other table and a reader's matches the partial indexes on `published`.
 */
function visibleBy(ctx: Context) {
  const editorial = canSeeUnpublished(ctx.viewer);
  return (table: Pick<typeof articles | typeof statements, 'live' | 'published'>): SQL =>
    editorial ? sql`${table.live}` : sql`${table.published}`;
}

export const visibleArticle: (ctx: Context) => (table: typeof articles) => SQL = visibleBy;

/** A statement is exactly as visible as the article it was taken from. */
export const visibleStatement: (ctx: Context) => (table: typeof statements) => SQL = visibleBy;
