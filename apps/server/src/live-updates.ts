// What one server process does for live updates: follows the change log (one reader, whatever the
// number of subscribers; the change feed's NOTIFY says when to read, so a write from any process
// reaches this one's subscribers) and prunes changes older than the retention on a timer.
import { type Change, ChangeLogFollower, pruneChangeLog } from '@chancery/db/change-log';
import type { ChangeWatcher } from '@chancery/db/changes';
import type { Database } from '@chancery/db/database';
import { DomainError } from '@chancery/domain/errors';
import type { Context } from './context.ts';
import type { Logger } from './logging.ts';

export const DEFAULT_CHANGE_LOG_DAYS = 30;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export type LiveUpdates = {
  follower: ChangeLogFollower;
  /** For the change feed: the log grew. */
  watcher: ChangeWatcher;
  stop(): Promise<void>;
};

export async function startLiveUpdates(options: {
  database: Database;
  logger: Logger;
  /** Days a change is kept; 0 keeps them for ever. */
  changeLogDays?: number;
  /**
   * Changes became readable. A change committed behind an older transaction becomes readable when
   * that one ends, which need not write the log (so no notification says so): cached pages of
   * `changes` must go then.
   */
  onReadable?: () => void;
}): Promise<LiveUpdates> {
  const { database, logger } = options;
  const days = options.changeLogDays ?? DEFAULT_CHANGE_LOG_DAYS;
  const follower = new ChangeLogFollower(
    database.db,
    (error) => logger.warn({ err: error }, 'Could not read the change log; reading it again shortly'),
    options.onReadable,
  );
  await follower.start();

  const prune = async () => {
    try {
      const pruned = await pruneChangeLog(database.db, days);
      if (pruned > 0) logger.info({ pruned, days }, `Pruned ${pruned} change(s) older than ${days} days.`);
    } catch (error) {
      logger.warn({ err: error }, 'Could not prune the change log');
    }
  };
  // Several processes may prune the same rows: deleting them twice is harmless.
  let pruning: Promise<void> = days > 0 ? prune() : Promise.resolve();
  const timer =
    days > 0
      ? setInterval(() => {
          pruning = prune();
        }, PRUNE_EVERY_MS).unref()
      : null;

  return {
    follower,
    watcher: follower,
    async stop() {
      if (timer) clearInterval(timer);
      follower.stop();
      await pruning;
    },
  };
}

/**
 * The context of a subscription: a request's, plus this process's follower of the log, and what
 * decides its events' results (the viewer's role and the operation with its variables): equal keys
 * get the same result for the same event, computed once (subscriptions.ts).
 */
export type LiveContext = Context & { live?: LiveUpdates; shareKey?: string };

const batchResults = new WeakMap<readonly Change[], Map<string, Promise<unknown>>>();

/**
 * `compute` once per batch of changes for all the subscribers asking with the same `key` (the same
 * filter in the same visibility): a thousand anonymous subscribers cost one query, not a thousand.
 */
export function sharedPerBatch<T>(
  changes: readonly Change[],
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  let results = batchResults.get(changes);
  if (!results) {
    results = new Map();
    batchResults.set(changes, results);
  }
  let result = results.get(key) as Promise<T> | undefined;
  if (!result) {
    result = compute();
    results.set(key, result);
  }
  return result;
}

const NOT_OVER_PLAIN_HTTP =
  'Subscriptions are served at /graphql over WebSocket (the graphql-ws protocol) or Server-Sent Events (send `Accept: text/event-stream`), not as a plain HTTP request.';

export function followerOf(ctx: Context): ChangeLogFollower {
  const live = (ctx as LiveContext).live;
  if (!live) throw new DomainError('BAD_USER_INPUT', NOT_OVER_PLAIN_HTTP);
  return live.follower;
}

/**
 * A subscription field's value: the event it was given. A subscription sent as a plain HTTP request
 * is executed as a query, with no event: told where subscriptions go.
 */
export function liveEvent<Event>(event: Event | undefined): Event {
  if (event === undefined || event === null) throw new DomainError('BAD_USER_INPUT', NOT_OVER_PLAIN_HTTP);
  return event;
}

/** Events a subscriber may fall behind by before its subscription ends with an error. */
export const MAX_QUEUED_EVENTS = 1_000;

/**
 * A subscription's events: each batch of changes committed after it started goes through `select`
 * (which keeps what this subscriber may see and asked for, as events), one batch after another, so
 * events arrive in log order. Ending it (the client completes, the socket closes) stops listening at once.
 */
export async function changeEvents<Event>(
  follower: ChangeLogFollower,
  select: (changes: readonly Change[]) => Promise<Event[]>,
): Promise<AsyncIterableIterator<Event>> {
  const queue: Event[] = [];
  let waiting: { resolve: (result: IteratorResult<Event>) => void; reject: (error: unknown) => void } | null =
    null;
  let failure: unknown = null;
  let done = false;
  let chain = Promise.resolve();

  const finish = () => {
    done = true;
    unlisten();
    queue.length = 0;
    waiting?.resolve({ value: undefined, done: true });
    waiting = null;
  };
  const fail = (error: unknown) => {
    if (done) return;
    failure = error;
    unlisten();
    queue.length = 0;
    waiting?.reject(error);
    waiting = null;
  };
  const push = (event: Event) => {
    if (waiting) {
      waiting.resolve({ value: event, done: false });
      waiting = null;
    } else if (queue.length >= MAX_QUEUED_EVENTS) {
      fail(
        new DomainError(
          'BAD_USER_INPUT',
          `This subscriber fell more than ${MAX_QUEUED_EVENTS} events behind; subscribe again and catch up with changes(after:) from the last cursor it received.`,
        ),
      );
    } else queue.push(event);
  };
  const unlisten = await follower.listenFromNow((changes) => {
    chain = chain.then(async () => {
      if (done || failure) return;
      try {
        for (const event of await select(changes)) if (!done && !failure) push(event);
      } catch (error) {
        fail(error);
      }
    });
  });

  const events: AsyncIterableIterator<Event> = {
    [Symbol.asyncIterator]() {
      return events;
    },
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift() as Event, done: false });
      if (failure) return Promise.reject(failure);
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error: unknown) {
      finish();
      return Promise.reject(error);
    },
  };
  return events;
}
