// Watching sources: feeds and pages at http(s) URLs, and drop folders that other tools write files
// into. Each poll imports only what is new or changed: a URL is asked conditionally (ETag,
// Last-Modified) and a body seen before is not read again; a file is read again only when its bytes
// change; an item whose identity and words are stored already is skipped. What a poll learned is
// kept in the database (source_states, source_items), so a restarted watcher picks up where the
// last one stopped. A failing URL is asked again less and less often (back-off).
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { ArticleStatus } from '@chancery/domain/model';
import { sql } from 'drizzle-orm';
import type { ChanceryDb } from '../database.ts';
import { rows } from '../repositories/sql.ts';
import { databaseMessage, describeImportError, ImportError } from './errors.ts';
import { DEFAULT_FETCH_LIMITS, type FetchLimits, FetchStopped, fetchSource, isUrl } from './fetch.ts';
import { readSource } from './formats/detect.ts';
import { type ItemOutcome, importItems } from './items.ts';
import { StoryImporter } from './story.ts';
import { storyTextFromBytes } from './story-text.ts';

/** File extensions a drop folder is read for; anything else (a file still being written, say `.part`) waits. */
const DROP_EXTENSIONS = new Set(['.txt', '.xml', '.rss', '.atom', '.json', '.html', '.htm']);
/** A failing source is asked again after the interval doubled per failure, at most this long. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;

export type WatchOptions = {
  intervalMs: number;
  limits?: FetchLimits;
  status?: ArticleStatus;
  publisher?: { name: string } | null;
  now?: () => Date;
};

export type SourcePoll = {
  source: string;
  /** The watched source this belongs to: the URL itself, or the drop folder a file is in. */
  watched: string;
  /** fetched: read and imported; not-modified / unchanged: nothing new; waiting: backing off; failed. */
  state: 'fetched' | 'not-modified' | 'unchanged' | 'waiting' | 'failed';
  items: ItemOutcome[];
  error?: string;
  retryAt?: string;
  /** Failures in a row so far (a URL that fails or backs off). */
  failures?: number;
};

export type PollReport = { poll: number; sources: SourcePoll[] };

/** What one poll did, counted. */
export type PollSummary = {
  poll: number;
  sources: number;
  read: number;
  unchanged: number;
  waiting: number;
  failedSources: number;
  created: number;
  updated: number;
  seen: number;
  failedItems: number;
};

export function summarizePoll(report: PollReport): PollSummary {
  const count = (state: SourcePoll['state']) => report.sources.filter((s) => s.state === state).length;
  const items = report.sources.flatMap((s) => s.items);
  const outcome = (o: string) => items.filter((i) => i.kind === 'story' && i.result.outcome === o).length;
  return {
    poll: report.poll,
    sources: report.sources.length,
    read: count('fetched'),
    unchanged: count('not-modified') + count('unchanged'),
    waiting: count('waiting'),
    failedSources: count('failed'),
    created: outcome('created'),
    updated: outcome('updated'),
    seen: items.filter((i) => i.kind === 'seen').length + outcome('unchanged'),
    failedItems: items.filter((i) => i.kind === 'error').length,
  };
}

/** `poll 3: 2 sources (1 read, 1 unchanged, 0 backing off, 0 failed); items: 1 created, …`. */
export function describePoll(s: PollSummary): string {
  return (
    `poll ${s.poll}: ${s.sources} source${s.sources === 1 ? '' : 's'} (${s.read} read, ${s.unchanged} unchanged, ${s.waiting} backing off, ${s.failedSources} failed); ` +
    `items: ${s.created} created, ${s.updated} updated, ${s.seen} seen before, ${s.failedItems} failed`
  );
}

/** What `--interval` and CHANCERY_WATCH_INTERVAL allow. */
export const INTERVAL_RULE = 'a duration from 100ms to 24h, e.g. 30s, 5m or 1h';

/** `90` (seconds), `30s`, `5m`, `1h`, `500ms` as milliseconds; null when not a duration from 100 ms to 24 h. */
export function parseInterval(value: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match?.[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = match ? Number(match[1]) * unit : Number.NaN;
  return Number.isFinite(ms) && ms >= 100 && ms <= 24 * 3_600_000 ? ms : null;
}

/** `5m`, `30s`, `1h`, `1500ms`: an interval as people write it. */
export function formatInterval(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Why `source` cannot be watched (neither an http(s) URL nor an existing directory), or null. */
export function watchSourceProblem(source: string): string | null {
  if (isUrl(source)) return null;
  let directory = false;
  try {
    directory = statSync(source).isDirectory();
  } catch {}
  return directory
    ? null
    : `${source}: is neither an http(s) URL nor a directory (a drop folder); watch takes those`;
}

type StoredState = {
  source: string;
  etag: string | null;
  last_modified: string | null;
  body_hash: string | null;
  failures: number;
  next_check_at: Date | string | null;
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export class Watcher {
  private polls = 0;
  private readonly importer: StoryImporter;
  private readonly limits: FetchLimits;

  constructor(
    private readonly db: ChanceryDb,
    /** URLs and directories. */
    private readonly sources: readonly string[],
    private readonly options: WatchOptions,
  ) {
    this.importer = new StoryImporter(db, { tokenName: null });
    this.limits = options.limits ?? DEFAULT_FETCH_LIMITS;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * One poll of every source; `stopping` is asked between sources, and `stop` cuts a fetch under
   * way (that source is left as it was, and out of the report), so a stop never waits long.
   */
  async poll(stopping: () => boolean = () => false, stop?: AbortSignal): Promise<PollReport> {
    this.polls++;
    const states = new Map(
      (
        await rows<StoredState>(
          this.db,
          sql`select source, etag, last_modified, body_hash, failures, next_check_at from source_states`,
        )
      ).map((s) => [s.source, s]),
    );
    const report: PollReport = { poll: this.polls, sources: [] };
    for (const source of this.sources) {
      if (stopping()) break;
      if (isUrl(source)) {
        const polled = await this.pollUrl(source, states.get(source), stop);
        if (polled) report.sources.push({ ...polled, watched: source });
      } else {
        for (const path of await this.dropFiles(source, report)) {
          if (stopping()) break;
          report.sources.push({ ...(await this.pollFile(path, states.get(path))), watched: source });
        }
      }
    }
    return report;
  }

  private async dropFiles(dir: string, report: PollReport): Promise<string[]> {
    const found: string[] = [];
    const walk = async (folder: string) => {
      for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
        a.name < b.name ? -1 : 1,
      )) {
        if (entry.name.startsWith('.')) continue;
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile() && DROP_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
      }
    };
    try {
      await walk(resolve(dir));
    } catch (error) {
      const message =
        (error as { code?: string }).code === 'ENOENT' ? 'no such directory' : databaseMessage(error);
      report.sources.push({
        source: dir,
        watched: dir,
        state: 'failed',
        items: [],
        error: `${dir}: ${message}`,
      });
    }
    return found;
  }

  /** Null when `stop` cut the fetch short. */
  private async pollUrl(
    url: string,
    stored: StoredState | undefined,
    stop?: AbortSignal,
  ): Promise<Omit<SourcePoll, 'watched'> | null> {
    const now = this.now();
    if (stored && stored.failures > 0 && stored.next_check_at && new Date(stored.next_check_at) > now) {
      return {
        source: url,
        state: 'waiting',
        items: [],
        retryAt: new Date(stored.next_check_at).toISOString(),
        failures: stored.failures,
      };
    }
    try {
      const fetched = await fetchSource(
        url,
        { etag: stored?.etag ?? null, lastModified: stored?.last_modified ?? null },
        this.limits,
        stop,
      );
      if (fetched.status === 'not-modified') {
        await this.save(url, {
          etag: fetched.etag,
          lastModified: fetched.lastModified,
          bodyHash: stored?.body_hash ?? null,
        });
        return { source: url, state: 'not-modified', items: [] };
      }
      const hash = sha256(fetched.bytes);
      const validators = { etag: fetched.etag, lastModified: fetched.lastModified, bodyHash: hash };
      if (stored?.body_hash === hash) {
        await this.save(url, validators);
        return { source: url, state: 'unchanged', items: [] };
      }
      const items = await this.importBytes(url, fetched.bytes, fetched.contentType, fetched.url);
      await this.save(url, validators);
      return { source: url, state: 'fetched', items };
    } catch (error) {
      if (error instanceof FetchStopped) return null;
      const message =
        error instanceof ImportError ? describeImportError(url, error) : `${url}: ${databaseMessage(error)}`;
      const failures = (stored?.failures ?? 0) + 1;
      const wait = Math.min(
        this.options.intervalMs * 2 ** failures,
        Math.max(MAX_BACKOFF_MS, this.options.intervalMs),
      );
      const retryAt = new Date(now.getTime() + wait);
      await this.save(url, {
        etag: stored?.etag ?? null,
        lastModified: stored?.last_modified ?? null,
        bodyHash: stored?.body_hash ?? null,
        failure: { failures, error: message, retryAt },
      });
      return {
        source: url,
        state: 'failed',
        items: [],
        error: message,
        retryAt: retryAt.toISOString(),
        failures,
      };
    }
  }

  /** A file of a drop folder: read again only when its bytes changed, whether it failed or not. */
  private async pollFile(
    path: string,
    stored: StoredState | undefined,
  ): Promise<Omit<SourcePoll, 'watched'>> {
    try {
      const { size } = await stat(path);
      if (size > this.limits.maxBytes) {
        throw new ImportError(
          `the file is ${(size / (1024 * 1024)).toFixed(1)} MB; the limit is ${(this.limits.maxBytes / (1024 * 1024)).toFixed(1)} MB`,
        );
      }
      const bytes = await readFile(path);
      const hash = sha256(bytes);
      if (stored?.body_hash === hash) return { source: path, state: 'unchanged', items: [] };
      let items: ItemOutcome[];
      try {
        items = await this.importBytes(path, bytes, null, null);
      } catch (error) {
        const message =
          error instanceof ImportError
            ? describeImportError(path, error)
            : `${path}: ${databaseMessage(error)}`;
        // Remembered with its hash: the same bad bytes are not reported again at every poll.
        await this.save(path, {
          etag: null,
          lastModified: null,
          bodyHash: hash,
          failure: { failures: (stored?.failures ?? 0) + 1, error: message, retryAt: null },
        });
        return { source: path, state: 'failed', items: [], error: message };
      }
      await this.save(path, { etag: null, lastModified: null, bodyHash: hash });
      return { source: path, state: 'fetched', items };
    } catch (error) {
      const message =
        error instanceof ImportError
          ? describeImportError(path, error)
          : `${path}: ${databaseMessage(error)}`;
      return { source: path, state: 'failed', items: [], error: message };
    }
  }

  private async importBytes(
    source: string,
    bytes: Uint8Array,
    contentType: string | null,
    url: string | null,
  ): Promise<ItemOutcome[]> {
    const read = readSource(bytes, contentType, url);
    if ('items' in read) {
      return importItems(this.db, this.importer, read.items, {
        source,
        format: read.format,
        status: this.options.status ?? 'DRAFT',
        publisher: this.options.publisher ?? null,
        skipSeen: true,
      });
    }
    if (read.format === 'bundle') {
      throw new ImportError(
        'is a bundle (.ndjson); bundles are imported with `chancery import`, not watched',
      );
    }
    try {
      const result = await this.importer.importStory({
        source,
        text: storyTextFromBytes(bytes),
        status: this.options.status ?? 'DRAFT',
        publisher: this.options.publisher ?? null,
      });
      return [{ source, itemId: null, kind: 'story', result }];
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      return [{ source, itemId: null, kind: 'error', error: describeImportError(source, error) }];
    }
  }

  private async save(
    source: string,
    state: {
      etag: string | null;
      lastModified: string | null;
      bodyHash: string | null;
      failure?: { failures: number; error: string; retryAt: Date | null };
    },
  ): Promise<void> {
    const now = this.now().toISOString();
    await this.db.execute(sql`
      insert into source_states (source, etag, last_modified, body_hash, failures, last_error, checked_at, next_check_at)
      values (${source}, ${state.etag}, ${state.lastModified}, ${state.bodyHash}, ${state.failure?.failures ?? 0},
              ${state.failure?.error ?? null}, ${now}, ${state.failure?.retryAt?.toISOString() ?? null})
      on conflict (source) do update set etag = excluded.etag, last_modified = excluded.last_modified,
        body_hash = excluded.body_hash, failures = excluded.failures, last_error = excluded.last_error,
        checked_at = excluded.checked_at, next_check_at = excluded.next_check_at`);
  }
}

/**
 * Polls a Watcher every `intervalMs` until stopped (or after `polls` polls): what `chancery watch`
 * and the server's CHANCERY_WATCH both run. `stop()` asks the poll under way to end between sources
 * (a slow fetch is cut) and resolves once it has, so the database can be closed after it.
 */
export class WatchLoop {
  private stopping = false;
  private readonly stopSignal = new AbortController();
  private wake: () => void = () => {};
  private running: Promise<void> | null = null;

  constructor(
    private readonly watcher: Watcher,
    private readonly options: {
      intervalMs: number;
      /** Stop after this many polls; default: never. */
      polls?: number;
      /** After each poll, with how long it took. */
      onPoll?: (report: PollReport, seconds: number) => void;
      /** A poll that threw (the database gone, say); the loop goes on at the next interval. */
      onError?: (error: unknown) => void;
    },
  ) {}

  get stopped(): boolean {
    return this.stopping;
  }

  /** Starts polling (once); resolves when the loop ends. */
  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  private async loop(): Promise<void> {
    for (let poll = 1; !this.stopping; poll++) {
      const started = performance.now();
      try {
        const report = await this.watcher.poll(() => this.stopping, this.stopSignal.signal);
        this.options.onPoll?.(report, (performance.now() - started) / 1000);
      } catch (error) {
        if (this.stopping) break;
        if (!this.options.onError) throw error;
        this.options.onError(error);
      }
      if (this.options.polls !== undefined && poll >= this.options.polls) break;
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.intervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /**
   * Ends the loop between sources, cutting a fetch under way; resolves once the poll under way (if
   * any) has ended. A story being stored is stored whole first.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    this.wake();
    await this.running?.catch(() => {});
  }
}
