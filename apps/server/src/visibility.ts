// What a viewer may read, as SQL conditions on a table. Every read path (root lists, node
// lookups, nested relations, counts) takes its condition from here, so drafts cannot leak
// through a path that forgot the rule.
import { articles } from '@chancery/db/schema';
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

/** A statement is exactly as visible as the article it was taken from. */
export function visibleStatement(ctx: Context) {
  const editorial = canSeeUnpublished(ctx.viewer);
  return (table: SoftDeletable & { articleId: Parameters<typeof eq>[0] }): SQL => {
    const article = editorial
      ? sql`${articles.deletedAt} is null`
      : sql`${articles.deletedAt} is null and ${articles.status} = 'PUBLISHED'`;
    return sql`${live(table)} and exists (select 1 from ${articles} where ${articles.id} = ${table.articleId} and ${article})`;
  };
}
