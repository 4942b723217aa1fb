// One news item as any format gives it, before it is a story: the importer's input for feeds, agency
// formats and web pages alike.

export type SourceFormat = 'rss' | 'atom' | 'ninjs' | 'newsml' | 'html';

export type SourceItem = {
  /** The item's own identity: an RSS guid, an Atom id, a ninjs uri, a NewsML-G2 guid, a page URL. */
  id: string | null;
  headline: string;
  standfirst: string;
  paragraphs: string[];
  /** When the item says it was published (or last versioned): an ISO 8601 instant, or null. */
  published: string | null;
  /** Where the item says it was written (ninjs `located`, NewsML-G2 `located`). */
  place: string | null;
  byline: string | null;
};

/** At most this many items are read from one feed: more is not a feed but a dump. */
export const MAX_FEED_ITEMS = 1000;

/** An instant from a feed's date (RFC 822 in RSS, ISO 8601 elsewhere), or null when it is none. */
export function instantOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** A standfirst that merely repeats the first paragraph is no standfirst. */
export function withoutRepeatedStandfirst(item: SourceItem): SourceItem {
  const first = item.paragraphs[0] ?? '';
  if (
    item.standfirst &&
    (first === item.standfirst || first.startsWith(item.standfirst.replace(/…$|\.\.\.$/, '')))
  ) {
    return { ...item, standfirst: '' };
  }
  return item;
}
