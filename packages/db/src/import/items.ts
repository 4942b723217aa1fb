// Importing the items of feeds, agency formats and web pages: each item a story, stored whole or not
// at all, recorded under its own identity (guid, uri, URL) so that when it comes again, even with
// other words or another headline, it becomes the next version of the same article.
import type { ArticleStatus } from '@chancery/domain/model';
import { sql } from 'drizzle-orm';
import type { ChanceryDb } from '../database.ts';
import { rows } from '../repositories/sql.ts';
import type { PublishedOption } from './dates.ts';
import { databaseMessage, describeImportError, ImportError } from './errors.ts';
import type { SourceFormat, SourceItem } from './formats/item.ts';
import { readStoryParts } from './formats/parts.ts';
import { contentHash } from './plan.ts';
import type { StoryImporter, StoryImportResult } from './story.ts';

export type ItemOutcome =
  | { source: string; itemId: string | null; kind: 'story'; result: StoryImportResult }
  /** Seen before with the same words: not read again (`chancery watch`). */
  | { source: string; itemId: string | null; kind: 'seen' }
  | { source: string; itemId: string | null; kind: 'error'; error: string };

export type ItemImportOptions = {
  /** How to name the source in messages: a path or URL; items are `source#n` when there are several. */
  source: string;
  format: SourceFormat;
  published?: PublishedOption | null;
  publisher?: { name: string } | null;
  status?: ArticleStatus;
  /** Skip items whose identity and words are already stored, without a line for each. */
  skipSeen?: boolean;
};

type StoredItem = { content_hash: string; slug: string };

/** Imports each item; one bad item is reported and the others go on. */
export async function importItems(
  db: ChanceryDb,
  importer: StoryImporter,
  items: readonly SourceItem[],
  options: ItemImportOptions,
): Promise<ItemOutcome[]> {
  const outcomes: ItemOutcome[] = [];
  for (const [index, item] of items.entries()) {
    const source = items.length > 1 ? `${options.source}#${index + 1}` : options.source;
    const itemId = item.id;
    try {
      const story = readStoryParts(item);
      const hash = contentHash(story);
      const [stored] = itemId
        ? await rows<StoredItem>(
            db,
            sql`select s.content_hash, a.slug from source_items s join articles a on a.id = s.article_id where s.item_id = ${itemId}`,
          )
        : [];
      if (options.skipSeen && stored?.content_hash === hash) {
        outcomes.push({ source, itemId, kind: 'seen' });
        continue;
      }
      // A dateline in the text says when and where; without one the item's own fields do (the
      // place through `place`, which the planner takes when the dateline names none).
      // A year given for datelines (--published 2024) says nothing about an item without one.
      const own = !story.dateline && item.published ? { instant: item.published } : null;
      const given = options.published ?? null;
      const published = given && !('year' in given && own) ? given : (own ?? given);
      const result = await importer.importStory({
        source,
        text: '',
        parts: story,
        slug: stored?.slug ?? null,
        published,
        publisher: options.publisher ?? null,
        status: options.status ?? 'DRAFT',
        place: item.place,
        afterStore: itemId
          ? async (tx, plan) => {
              await tx.execute(sql`
                insert into source_items (item_id, article_id, format, source, content_hash, place, published_at)
                values (${itemId}, ${plan.article.id}, ${options.format}, ${options.source}, ${hash}, ${item.place}, ${item.published})
                on conflict (item_id) do update set article_id = excluded.article_id, format = excluded.format,
                  source = excluded.source, content_hash = excluded.content_hash, place = excluded.place,
                  published_at = excluded.published_at, last_seen_at = now()`);
            }
          : null,
      });
      outcomes.push({ source, itemId, kind: 'story', result });
    } catch (error) {
      const message =
        error instanceof ImportError
          ? describeImportError(source, error)
          : `${source}: ${databaseMessage(error)}`;
      outcomes.push({ source, itemId, kind: 'error', error: message });
    }
  }
  return outcomes;
}
