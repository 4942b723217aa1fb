import type { RevisedNodeType } from '@chancery/domain/revisions';
import { slugify } from '@chancery/domain/slug';
import { invalid } from '@chancery/domain/write-errors';
import { sql } from 'drizzle-orm';
import { globalId, NODES } from './nodes.ts';
import { type Queryable, rows } from './sql.ts';

const MAX_SLUG_LENGTH = 80;

/**
 * The slug to store: the one asked for, if no other node of the type has it (deleted ones
 * included: their slugs keep resolving until purged), else one made from `title`, numbered
 * when taken (`andrey-rudenko-2`).
 */
export async function chooseSlug(
  db: Queryable,
  typename: Extract<RevisedNodeType, 'Actor' | 'Treaty' | 'Article'>,
  options: { requested: string | null | undefined; title: string; self?: string },
): Promise<string> {
  const table = sql.raw(NODES[typename].name);
  if (options.requested) {
    const [holder] = await rows<{ id: string }>(
      db,
      sql`select id from ${table} where slug = ${options.requested} and id is distinct from ${options.self ?? null}`,
    );
    if (holder) {
      throw invalid(
        ['input', 'slug'],
        `is already the slug of ${typename} ${globalId(typename, holder.id)}; choose another`,
      );
    }
    return options.requested;
  }
  const base = slugify(options.title)
    .slice(0, MAX_SLUG_LENGTH - 4)
    .replace(/-+$/, '');
  const taken = new Set(
    (
      await rows<{ slug: string }>(
        db,
        sql`select slug from ${table} where slug = ${base} or slug like ${`${base}-%`}`,
      )
    ).map((row) => row.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Unique constraints a concurrent writer can still trip after the checks passed. */
export const slugTaken = (typename: string) => ({
  path: ['input', 'slug'],
  message: `is already the slug of another ${typename}; choose another`,
});
