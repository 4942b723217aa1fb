// Planner statistics that are never stale. PGlite has no autovacuum at all, and where PostgreSQL
// runs one it lags a bulk load by minutes (on some servers it is off): a table that was never
// analysed is planned as if it were tiny. So Chancery analyses what changed itself, with
// autovacuum's own rule, after imports (`chancery import`), at server start and after writes the
// server hears of (StatisticsKeeper, fed by the change feed). A user never has to know.
import type { ChangeWatcher } from './changes.ts';
import type { Database } from './database.ts';

// Any constant works; it only has to be the same for every Chancery process sharing a database.
const ANALYZE_LOCK_KEY = 7_203_413;

/**
 * Analyses the tables of the current schema whose statistics are stale: never analysed but not
 * empty, or changed in more rows than autovacuum's default threshold (50 + 10% of the table) since
 * the last analysis. Returns the tables it analysed.
 */
export async function refreshStatistics(database: Database): Promise<string[]> {
  // This connection's own recent writes reach the counters only once they are flushed, which
  // happens after a statement ends: ask for it in a statement of its own. (Other connections
  // flush theirs within seconds; StatisticsKeeper looks again later for those.)
  await database.withRawTransaction((raw) => raw.query('SELECT pg_stat_force_next_flush()'));
  return database.withRawTransaction(async (raw) => {
    // One process analyses a schema at a time; the next finds nothing stale when its turn comes.
    await raw.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [ANALYZE_LOCK_KEY]);
    const stale = await raw.query<{ name: string }>(
      `SELECT c.relname AS name
         FROM pg_class c
         LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relkind = 'r'
          AND ((c.reltuples < 0 AND pg_relation_size(c.oid) > 0)
               OR coalesce(s.n_mod_since_analyze, 0) > 50 + 0.1 * greatest(c.reltuples, 0))
        ORDER BY c.relname`,
    );
    const names = stale.map((row) => row.name);
    if (names.length > 0) await raw.exec(`ANALYZE ${names.map((name) => `"${name}"`).join(', ')}`);
    return names;
  });
}

export type StatisticsKeeperOptions = {
  /** How long after a change to look (writes come in bursts). Default 2 s. */
  delayMs?: number;
  /**
   * When to look once more after a burst, for the counters of connections that flushed them late
   * (PostgreSQL may hold them for up to 10 s). Default 15 s.
   */
  recheckMs?: number;
  onRefreshed?: (tables: string[]) => void;
  onError?: (error: unknown) => void;
};

/**
 * Keeps a database's statistics current while a server runs: looks at start, and shortly after
 * committed writes (whoever made them, through the change feed), analysing only what is stale.
 * At most one refresh runs at a time; timers never keep the process alive.
 */
export class StatisticsKeeper implements ChangeWatcher {
  private timer: NodeJS.Timeout | null = null;
  private dueAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  private recheckDue = false;
  private stopped = false;
  private readonly delayMs: number;
  private readonly recheckMs: number;

  constructor(
    private readonly database: Database,
    private readonly options: StatisticsKeeperOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 2_000;
    this.recheckMs = options.recheckMs ?? 15_000;
    this.schedule(0);
  }

  changed(): void {
    this.recheckDue = true;
    this.schedule(this.delayMs);
  }

  live(): void {
    // Anything may have changed while the feed was down.
    this.changed();
  }

  lost(): void {}

  /** Stops looking; waits for a refresh in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    if (at >= this.dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(() => this.run(), delayMs);
    this.timer.unref();
  }

  private run(): void {
    this.timer = null;
    this.dueAt = Number.POSITIVE_INFINITY;
    if (this.running) {
      // Look again once this refresh is done.
      this.schedule(this.delayMs);
      return;
    }
    const recheck = this.recheckDue;
    this.recheckDue = false;
    this.running = refreshStatistics(this.database)
      .then((tables) => {
        if (tables.length > 0) this.options.onRefreshed?.(tables);
      })
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.running = null;
        if (recheck) this.schedule(this.recheckMs);
      });
  }
}
