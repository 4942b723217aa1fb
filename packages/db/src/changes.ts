// The change feed (migration 0004): the names of the tables that committed writes touched, from
// whichever process wrote them, for caches that must drop what a write made stale. Plus which
// tables a piece of SQL reads or writes, so a cache knows what each entry depends on.
import type { PGlite } from '@electric-sql/pglite';
import { getTableName, isTable } from 'drizzle-orm';
import pg from 'pg';
import type { NotificationListener } from './engine/socket-server.ts';
import * as schema from './schema.ts';

export const CHANGE_CHANNEL = 'chancery_changes';

export interface ChangeWatcher {
  /** A committed write touched `table`. */
  changed(table: string): void;
  /** The feed stopped: writes from now on go unseen until `live()`. */
  lost(error: Error): void;
  /** The feed delivers changes (again); anything may have changed while it was lost. */
  live(): void;
}

/** One watcher that tells each of `watchers` everything. */
export function everyWatcher(watchers: readonly ChangeWatcher[]): ChangeWatcher {
  return {
    changed: (table) => {
      for (const watcher of watchers) watcher.changed(table);
    },
    lost: (error) => {
      for (const watcher of watchers) watcher.lost(error);
    },
    live: () => {
      for (const watcher of watchers) watcher.live();
    },
  };
}

export interface ChangeFeed {
  stop(): Promise<void>;
}

/**
 * The application_name of the feed watching `schema` on a PostgreSQL server: pg_stat_activity
 * tells apart the feeds of the databases (schemas) that share one server.
 */
export const changeFeedName = (schema: string) => `chancery-change-feed ${schema}`;

/** Every table of the schema, by its SQL name. */
export const TABLE_NAMES: ReadonlySet<string> = new Set(
  Object.values(schema)
    .filter(isTable)
    .map((table) => getTableName(table)),
);

// Drizzle quotes every table it names ("statements"); hand-written SQL may not (update statements).
// Over-matching (a column that shares a table's name) only costs a cache entry, never a stale one.
const NAMED = /"([a-z_][a-z0-9_]*)"|\b(?:from|join|into|update)\s+([a-z_][a-z0-9_]*)/gi;
const WRITTEN = /\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+"?([a-z_][a-z0-9_]*)"?/gi;

/**
 * The tables some SQL names, i.e. every table it can read. SQL functions that read a table
 * (chancery_actors_matching_name) are only ever called in queries that name that table too.
 */
export function tablesNamed(statements: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of statements)
    for (const match of text.matchAll(NAMED)) {
      const name = (match[1] ?? match[2] ?? '').toLowerCase();
      if (TABLE_NAMES.has(name)) found.add(name);
    }
  return [...found];
}

/** The tables some SQL inserts into, updates, deletes from or truncates. */
export function tablesWritten(statements: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of statements)
    for (const match of text.matchAll(WRITTEN)) {
      const name = (match[1] ?? '').toLowerCase();
      if (TABLE_NAMES.has(name)) found.add(name);
    }
  return [...found];
}

/** The schema our tables live in (the first of the search_path that exists: usually public). */
async function currentSchema(query: (text: string) => Promise<{ rows: unknown[] }>): Promise<string> {
  const { rows } = await query('SELECT current_schema() AS schema');
  const schema = (rows[0] as { schema: string | null } | undefined)?.schema;
  if (!schema) throw new Error('The change feed found no current schema: check the search_path.');
  return schema;
}

/** Notifications carry `<schema>.<table>`: another schema's tables are another database's. */
function changedIn(schema: string, payload: string | undefined, watcher: ChangeWatcher): void {
  const dot = payload?.indexOf('.') ?? -1;
  if (payload && dot > 0 && payload.slice(0, dot) === schema) watcher.changed(payload.slice(dot + 1));
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

/**
 * LISTENs on a connection of its own to a PostgreSQL server, reconnecting with backoff; reports
 * `lost` when the connection fails and `live` once LISTEN is in place again.
 */
export async function watchServerChanges(
  config: pg.ClientConfig,
  watcher: ChangeWatcher,
): Promise<ChangeFeed> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let delay = RECONNECT_MIN_MS;

  const fail = (error: Error) => {
    if (stopped || !client) return;
    void discard(client);
    client = null;
    watcher.lost(error);
    retry = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
  };

  async function connect(): Promise<void> {
    retry = null;
    const next = new pg.Client({ ...config, keepAlive: true });
    client = next;
    let schema: string | null = null;
    next.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL && schema) changedIn(schema, message.payload, watcher);
    });
    next.on('error', fail);
    next.on('end', () => fail(new Error('The change-feed connection closed.')));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGE_CHANNEL}`);
      schema = await currentSchema((text) => next.query(text));
      await next.query("SELECT set_config('application_name', $1, false)", [changeFeedName(schema)]);
    } catch (error) {
      if (client === next) fail(error as Error);
      return;
    }
    if (stopped || client !== next) return;
    delay = RECONNECT_MIN_MS;
    watcher.live();
  }

  await connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      if (client) await discard(client);
      client = null;
    },
  };
}

/** Closes a connection whose events no longer matter. */
async function discard(client: pg.Client): Promise<void> {
  client.removeAllListeners();
  client.on('error', () => undefined);
  await client.end().catch(() => undefined);
}

/**
 * Watches an embedded PGlite: its own `listen()` sees the commits of in-process queries, the socket
 * server's notification hook those of socket clients (the CLI). In-process, it is never lost.
 */
export async function watchEmbeddedChanges(
  pglite: PGlite,
  onSocketNotification: (listener: NotificationListener) => () => void,
  watcher: ChangeWatcher,
): Promise<ChangeFeed> {
  const schema = await currentSchema((text) => pglite.query(text));
  const unlisten = await pglite.listen(CHANGE_CHANNEL, (payload) => changedIn(schema, payload, watcher));
  const unsubscribe = onSocketNotification((channel, payload) => {
    if (channel === CHANGE_CHANNEL) changedIn(schema, payload, watcher);
  });
  watcher.live();
  return {
    async stop() {
      unsubscribe();
      if (!pglite.closed) await unlisten();
    },
  };
}
