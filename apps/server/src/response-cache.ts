// Whole GraphQL responses, kept for anonymous readers and dropped exactly when the data under them
// changes. An entry remembers the tables its SQL named; the change feed (packages/db/src/changes.ts:
// NOTIFY from a trigger on every table, whichever process wrote) and this server's own mutations
// (before their response goes out, so a client reads its own writes) say which tables changed.
//
// What is cached: anonymous POST queries answered 200 without errors. Token holders always execute
// (editors see drafts and expect them fresh; a token must keep being checked). The key is the
// request body as sent plus the Accept header (it decides the response's media type).
//
// Correctness rests on a logical clock. Every change ticks it and stamps the changed tables. A
// request notes the clock when it starts; its response is stored with that stamp and is served
// only while none of its tables has changed since, so a response computed from data a concurrent
// write replaced is never served. While the feed is down, writes of other processes go unseen: the
// cache empties and stays out of the way until the feed is back.
//
// Memory is bounded: least recently used entries go first once the entries' size passes
// `maxBytes` (counted as two bytes per character, the most a JavaScript string takes).

import type { ChangeWatcher } from '@chancery/db/changes';

export type CachedResponse = {
  status: number;
  headers: [string, string][];
  body: string;
  operationName: string | null;
  cost: number | undefined;
};

type Entry = CachedResponse & { tables: readonly string[]; stamp: number; bytes: number };

export type ResponseCacheStats = {
  entries: number;
  bytes: number;
  maxBytes: number;
  live: boolean;
};

/** Bytes of bookkeeping per entry beyond its strings (Map slot, object, arrays): an estimate. */
const ENTRY_OVERHEAD_BYTES = 300;

export class ResponseCache implements ChangeWatcher {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private clock = 0;
  /** The clock when each table last changed. */
  private readonly changedAt = new Map<string, number>();
  /** Entries stamped before this were made while the feed was down. */
  private validFrom = 0;
  private isLive = false;

  constructor(readonly maxBytes: number) {}

  /** Notes the clock as a request starts; hand it back to `store`. */
  begin(): number {
    return this.clock;
  }

  lookup(key: string): CachedResponse | null {
    if (!this.isLive) return null;
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (!this.fresh(entry.tables, entry.stamp)) {
      this.remove(key, entry);
      return null;
    }
    // Most recently used last: eviction takes from the front.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Keeps a response computed by a request that began at `stamp` from SQL naming `tables`, unless
   * one of them changed meanwhile or it would take more than an eighth of the cache.
   */
  store(key: string, stamp: number, response: CachedResponse, tables: readonly string[]): boolean {
    if (!this.isLive || !this.fresh(tables, stamp)) return false;
    const bytes = 2 * (key.length + response.body.length) + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxBytes / 8) return false;
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    this.entries.set(key, { ...response, tables, stamp, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest, entry);
    }
    return true;
  }

  changed(table: string): void {
    this.clock += 1;
    this.changedAt.set(table, this.clock);
  }

  lost(): void {
    this.isLive = false;
    this.clear();
  }

  live(): void {
    this.clock += 1;
    this.validFrom = this.clock;
    this.isLive = true;
    this.clear();
  }

  stats(): ResponseCacheStats {
    return { entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes, live: this.isLive };
  }

  private fresh(tables: readonly string[], stamp: number): boolean {
    if (stamp < this.validFrom) return false;
    for (const table of tables) if ((this.changedAt.get(table) ?? 0) > stamp) return false;
    return true;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  private clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
