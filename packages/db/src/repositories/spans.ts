import { type FieldPath, invalid } from '@chancery/domain/write-errors';
import { sql } from 'drizzle-orm';
import { globalId } from './nodes.ts';
import { type Queryable, rows } from './sql.ts';

/**
 * The paragraphs of an article a span points into, with the article locked against changes to
 * its paragraphs (FOR SHARE) until this write commits, so the span cannot go stale in between.
 */
export async function paragraphsForSpan(
  db: Queryable,
  articleId: string,
  path: FieldPath,
): Promise<string[]> {
  const [article] = await rows<{ deleted: boolean; paragraphs: string[] }>(
    db,
    sql`select deleted_at is not null as deleted,
      coalesce((select json_agg(p.text order by p.index) from article_paragraphs p where p.article_id = a.id), '[]') as paragraphs
      from articles a where a.id = ${articleId} for share of a`,
  );
  const shown = globalId('Article', articleId);
  if (!article) throw invalid(path, `no Article has the ID ${shown}`);
  if (article.deleted) throw invalid(path, `${shown} is a deleted Article; restore it first`);
  return article.paragraphs;
}
