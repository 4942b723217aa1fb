// The change log (migration 0006): pages through it by cursor, follows it as it grows (for
// subscriptions), and prunes it by age. Only rows below the oldest transaction still running in
// this database are read, so a cursor never skips a change that commits later (the migration says why).
import { badInput } from '@chancery/domain/errors';
import { sql } from 'drizzle-orm';
import type { ChangeWatcher } from './changes.ts';
import type { ChanceryDb } from './database.ts';
import { rows } from './repositories/sql.ts';

export const CHANGE_NODE_TYPES = ['Actor', 'Treaty', 'Article', 'Statement'] as const;
export type ChangeNodeType = (typeof CHANGE_NODE_TYPES)[number];
export type ChangeOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export type Change = {
  /** Opaque: where a reader resumes after this change. */
  cursor: string;
  nodeType: ChangeNodeType;
  nodeId: string;
  operation: ChangeOperation;
  /** Readers (no token) could see the node before the change / can see it after. */
  wasVisible: boolean;
  visible: boolean;
  changedAt: string;
  /** The writing transaction's id: the log's order (and what a snapshot says was committed). */
  xid: string;
};

/** A position in the log: after the change of transaction `xid` numbered `id`. */
export type ChangePosition = { xid: string; id: string };
type Position = ChangePosition;

const CURSOR_PREFIX = 'change:';
const DIGITS = /^\d{1,20}$/;

export function encodeChangeCursor(position: Position): string {
  return Buffer.from(`${CURSOR_PREFIX}${position.xid}:${position.id}`).toString('base64url');
}

/** The position a cursor names; a clear BAD_USER_INPUT for anything this API did not hand out. */
export function decodeChangeCursor(cursor: string): Position {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [xid, id] = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length).split(':') : [];
  if (xid === undefined || id === undefined || !DIGITS.test(xid) || !DIGITS.test(id)) {
    throw badInput(
      `Invalid change cursor ${JSON.stringify(cursor.slice(0, 100))}: pass the \`cursor\` of a change (or an event) this API returned, or leave \`after\` out to start from the oldest change kept.`,
    );
  }
  return { xid, id };
}

/**
 * The log's horizon: the oldest transaction still running, leaving out those positively running in
 * another database, which cannot write this one's log (pg_snapshot_xmin alone counts every database
 * on the server, so a long transaction elsewhere would hold this log's changes back). One that ends
 * while this is worked out still counts (its rows may be invisible to this statement's snapshot).
 */
export const CHANGE_LOG_HORIZON = sql`(select coalesce(min(running), max(pg_snapshot_xmax(now.snapshot)))
  from (select pg_current_snapshot() as snapshot) now
  left join lateral pg_snapshot_xip(now.snapshot) as running on not exists (
    select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'transactionid' and l.transactionid = running::xid
      and a.datid <> (select oid from pg_database where datname = current_database())))`;

type ChangeRow = {
  id: string;
  xid: string;
  node_type: ChangeNodeType;
  node_id: string;
  operation: ChangeOperation;
  was_visible: boolean;
  visible: boolean;
  changed_at: string;
};

const toChange = (row: ChangeRow): Change => ({
  cursor: encodeChangeCursor({ xid: row.xid, id: row.id }),
  nodeType: row.node_type,
  nodeId: row.node_id,
  operation: row.operation,
  wasVisible: row.was_visible,
  visible: row.visible,
  changedAt: new Date(row.changed_at).toISOString(),
  xid: row.xid,
});

/** Rows below the horizon after `after`, in log order. */
async function readRows(
  db: ChanceryDb,
  options: {
    after: Position | null;
    first: number;
    types?: readonly ChangeNodeType[];
    readersOnly?: boolean;
  },
): Promise<ChangeRow[]> {
  const after = options.after
    ? sql`and (xid, id) > (${options.after.xid}::xid8, ${options.after.id}::bigint)`
    : sql``;
  const types =
    options.types && options.types.length > 0
      ? sql`and node_type in (${sql.join(
          options.types.map((t) => sql`${t}`),
          sql`, `,
        )})`
      : sql``;
  const readers = options.readersOnly ? sql`and (visible or was_visible)` : sql``;
  return rows<ChangeRow>(
    db,
    sql`select id::text as id, xid::text as xid, node_type, node_id, operation, was_visible, visible,
               changed_at::text as changed_at
        from change_log
        where xid < ${CHANGE_LOG_HORIZON} ${after} ${types} ${readers}
        order by change_log.xid, change_log.id
        limit ${options.first}`,
  );
}

/**
 * A page of changes after `after` (a cursor), oldest first. `readersOnly` leaves out changes that
 * no reader could see (drafts before and after). A cursor whose change has been pruned is refused:
 * resuming from it would silently skip what was pruned.
 */
export async function readChanges(
  db: ChanceryDb,
  options: {
    after?: string | null;
    first: number;
    types?: readonly ChangeNodeType[];
    readersOnly?: boolean;
    retentionDays?: number;
  },
): Promise<{ changes: Change[]; hasNextPage: boolean }> {
  const after = options.after ? decodeChangeCursor(options.after) : null;
  if (after) {
    const [known] = await rows<{ found: boolean; ahead: boolean }>(
      db,
      sql`select exists (select 1 from change_log where xid = ${after.xid}::xid8 and id = ${after.id}::bigint) as found,
                 not exists (select 1 from change_log where (xid, id) > (${after.xid}::xid8, ${after.id}::bigint)) as ahead`,
    );
    // A cursor past the end: a read replica that has not yet replayed the change (or nothing since).
    if (known && !known.found && known.ahead) return { changes: [], hasNextPage: false };
    if (!known?.found) {
      const kept = options.retentionDays ? ` (changes are kept ${options.retentionDays} days)` : '';
      throw badInput(
        `The change cursor ${JSON.stringify(options.after)} names no change kept in the log${kept}: it was pruned, or is not from this database. Start again without \`after\` and reread what you keep.`,
      );
    }
  }
  const found = await readRows(db, { ...options, after, first: options.first + 1 });
  return { changes: found.slice(0, options.first).map(toChange), hasNextPage: found.length > options.first };
}

/**
 * Changes after a stored position (which need not name a change still kept: webhook endpoints keep
 * theirs, webhooks.ts), below the horizon, oldest first.
 */
export async function readChangesAfter(
  db: ChanceryDb,
  position: ChangePosition,
  options: { first: number; readersOnly?: boolean },
): Promise<Change[]> {
  return (await readRows(db, { after: position, ...options })).map(toChange);
}

/**
 * Deletes changes older than `days`; returns how many. The newest change always stays, so a cursor
 * past it is known to be ahead (readChanges), and one before it pruned.
 */
export async function pruneChangeLog(db: ChanceryDb, days: number): Promise<number> {
  const deleted = await rows<{ n: number }>(
    db,
    sql`with newest as (select xid, id from change_log order by xid desc, id desc limit 1),
             gone as (delete from change_log
                      where changed_at < now() - make_interval(days => ${days})
                        and (xid, id) < (select xid, id from newest)
                      returning 1)
        select count(*)::int as n from gone`,
  );
  return deleted[0]?.n ?? 0;
}

const FOLLOW_PAGE = 500;
/** How soon to look again when committed changes wait behind a running transaction. */
const HELD_BACK_RETRY_MS = 200;
/** How soon to look again after a read failed (the database restarting, a dropped connection), doubling. */
const FAILED_READ_RETRY_MS = [250, 1_000, 5_000, 15_000, 30_000];

/**
 * Follows the log from where it ends when started: on every notification that the log grew (the
 * change feed of 0004), reads what is new and hands each change to every listener, in log order.
 * One reader per server process, however many subscribers.
 */
export class ChangeLogFollower implements ChangeWatcher {
  private position: Position | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private retry: NodeJS.Timeout | null = null;
  /** Reads that failed in a row. */
  private failures = 0;
  private stopped = false;
  private readonly listeners = new Set<(changes: readonly Change[]) => void>();
  /** listenFromNow's listeners while their snapshot is taken. */
  private readonly starting = new Set<(changes: readonly Change[]) => void>();
  private fromNow = 0;

  constructor(
    private readonly db: ChanceryDb,
    private readonly onError: (error: unknown) => void = () => undefined,
    /** Changes became readable (the horizon passed them): pages of the log read before are stale. */
    private readonly onReadable: () => void = () => undefined,
  ) {}

  /** Sets the start: everything already below the horizon counts as seen. */
  async start(): Promise<void> {
    const [row] = await rows<{ horizon: string }>(
      this.db,
      sql`select ${CHANGE_LOG_HORIZON}::text as horizon`,
    );
    // Every change to come has an xid at or above the horizon, hence after (horizon, 0).
    this.position = { xid: row?.horizon ?? '0', id: '0' };
  }

  /**
   * Calls `listener` with every change this follower reads from now on, in batches, in log order;
   * returns the unsubscribe. What it reads next may include changes committed before this call
   * (held behind an older transaction, or not yet notified): `listenFromNow` leaves those out.
   */
  listen(listener: (changes: readonly Change[]) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Calls `listener` with the changes committed after this call, and only those, in log order (a
   * subscription's events start when it does); resolves with the unsubscribe once that start is
   * fixed. The start is a snapshot of the database: whatever it saw committed is left out.
   */
  async listenFromNow(listener: (changes: readonly Change[]) => void): Promise<() => void> {
    // Listen before taking the snapshot, so nothing committed after it can be read unheard.
    const early: (readonly Change[])[] = [];
    const hold = (changes: readonly Change[]) => void early.push(changes);
    this.starting.add(hold);
    let since: Snapshot | null;
    try {
      const [row] = await rows<{ snapshot: string }>(
        this.db,
        sql`select pg_current_snapshot()::text as snapshot`,
      );
      since = parseSnapshot(row?.snapshot ?? '');
    } finally {
      this.starting.delete(hold);
    }
    const deliver = (changes: readonly Change[]) => {
      if (since === null) return listener(changes);
      const snapshot = since;
      const after = changes.filter((change) => !committedIn(snapshot, BigInt(change.xid)));
      // Past the snapshot's xmax every transaction began after it: nothing more to leave out.
      if (BigInt((changes.at(-1) as Change).xid) >= snapshot.xmax) since = null;
      // The same array when nothing was left out: subscribers share work per batch (by identity).
      if (after.length === changes.length) listener(changes);
      else if (after.length > 0) listener(after);
    };
    for (const changes of early) deliver(changes);
    const unlisten = this.listen(deliver);
    this.fromNow += 1;
    let listening = true;
    return () => {
      if (listening) this.fromNow -= 1;
      listening = false;
      unlisten();
    };
  }

  /** How many listen from now (one per subscription), counting those whose start is fixed. */
  get listening(): number {
    return this.fromNow;
  }

  changed(table: string): void {
    if (table === 'change_log') this.poll();
  }

  lost(): void {}

  /** Back after a lost feed: whatever was logged meanwhile is read now. */
  live(): void {
    this.poll();
  }

  /** Reads what is new now; a call while reading makes that read go round once more. */
  poll(): Promise<void> {
    if (this.stopped || !this.position) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readNew()
      .then(() => {
        this.failures = 0;
      })
      .catch((error: unknown) => {
        // No notification may come for what is waiting (nothing else is written): look again.
        this.onError(error);
        const wait = FAILED_READ_RETRY_MS[Math.min(this.failures, FAILED_READ_RETRY_MS.length - 1)] as number;
        this.failures += 1;
        this.lookAgainIn(wait);
      })
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          void this.poll();
        }
      });
    return this.reading;
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.listeners.clear();
    this.starting.clear();
    this.fromNow = 0;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const found = await readRows(this.db, { after: this.position, first: FOLLOW_PAGE });
      const last = found.at(-1);
      if (last) {
        this.onReadable();
        this.position = { xid: last.xid, id: last.id };
        const changes = found.map(toChange);
        for (const listener of [...this.starting, ...this.listeners]) listener(changes);
      }
      if (found.length < FOLLOW_PAGE) break;
    }
    // Committed changes above the horizon wait for an older transaction that may never write the
    // log again (so no notification would come): look again shortly.
    const [waiting] = await rows<{ held: boolean }>(
      this.db,
      sql`select exists (select 1 from change_log where xid >= ${CHANGE_LOG_HORIZON}) as held`,
    );
    if (waiting?.held) this.lookAgainIn(HELD_BACK_RETRY_MS);
  }

  private lookAgainIn(ms: number): void {
    if (this.retry || this.stopped) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.poll();
    }, ms);
    this.retry.unref();
  }
}

/** Which transactions had committed when a snapshot was taken (pg_current_snapshot's text). */
type Snapshot = { xmin: bigint; xmax: bigint; running: ReadonlySet<bigint> };

function parseSnapshot(text: string): Snapshot {
  const [xmin, xmax, running] = text.split(':');
  if (!xmin || !xmax) throw new Error(`Not a snapshot: ${JSON.stringify(text)}`);
  return {
    xmin: BigInt(xmin),
    xmax: BigInt(xmax),
    running: new Set((running ?? '').split(',').filter(Boolean).map(BigInt)),
  };
}

/** pg_visible_in_snapshot, for a transaction that has ended. */
const committedIn = (snapshot: Snapshot, xid: bigint) =>
  xid < snapshot.xmin || (xid < snapshot.xmax && !snapshot.running.has(xid));
