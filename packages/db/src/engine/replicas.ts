// Read replicas (DATABASE_READ_URL): a pool per replica, taken in turn by requests that only read.
// A replica that fails (cannot connect, connection lost, shutting down) is skipped until it answers
// `select 1` again, checked every couple of seconds; the query that met the failure runs again on
// the primary, so the request it belongs to never sees it. Replication lag is the replica's: a
// replica may answer with data a moment older than the primary's.
import pg from 'pg';
import { POOL_MAX_SERVER, pgTypes, redactUrl } from './open.ts';
import { PreparingClient } from './prepared.ts';

export type Replica = {
  /** replica1, replica2, … in the order DATABASE_READ_URL lists them. */
  name: string;
  /** Its URL without the password, for logs. */
  where: string;
  pool: pg.Pool;
  up: boolean;
};

export type ReplicaSetOptions = {
  /** Where a query that met a failing replica runs again. */
  primary: pg.Pool;
  /** Told when a replica starts or stops being used. */
  onChange?: (replica: Replica, up: boolean, error?: Error) => void;
  onPoolError?: (error: Error) => void;
  /** How often a replica that failed is asked again; default 2 s. */
  checkIntervalMs?: number;
};

export class ReplicaSet {
  readonly replicas: Replica[];
  private turn = 0;
  private readonly timer: NodeJS.Timeout;
  private checking = false;

  constructor(
    urls: string[],
    private readonly options: ReplicaSetOptions,
  ) {
    this.replicas = urls.map((url, index) => {
      const pool = new pg.Pool({
        connectionString: url,
        max: POOL_MAX_SERVER,
        // A replica that does not answer is soon given up for the primary, not waited on.
        connectionTimeoutMillis: 2_000,
        types: pgTypes,
        Client: PreparingClient,
      });
      pool.on('error', options.onPoolError ?? (() => {}));
      const replica: Replica = { name: `replica${index + 1}`, where: redactUrl(url), pool, up: true };
      this.failOverToPrimary(replica);
      return replica;
    });
    this.timer = setInterval(() => void this.checkDown(), options.checkIntervalMs ?? 2_000);
    this.timer.unref();
  }

  /** The next replica in turn that is up, or null (then the primary serves). */
  pick(): Replica | null {
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[(this.turn + i) % this.replicas.length] as Replica;
      if (replica.up) {
        this.turn = (this.turn + i + 1) % this.replicas.length;
        return replica;
      }
    }
    return null;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => {})));
  }

  /** Queries meeting a failure of the replica mark it down and run on the primary instead. */
  private failOverToPrimary(replica: Replica): void {
    const query = replica.pool.query.bind(replica.pool) as (...args: unknown[]) => Promise<unknown>;
    const primary = this.options.primary;
    replica.pool.query = ((...args: unknown[]) => {
      // The callback form is not used by drizzle; pass it through untouched.
      if (typeof args[args.length - 1] === 'function') return query(...args);
      return query(...args).catch((error: Error) => {
        if (!isReplicaFailure(error)) throw error;
        this.mark(replica, false, error);
        return (primary.query as (...a: unknown[]) => Promise<unknown>)(...args);
      });
    }) as typeof replica.pool.query;
  }

  private async checkDown(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const replica of this.replicas.filter((r) => !r.up)) {
        try {
          await replica.pool.query('select 1');
          this.mark(replica, true);
        } catch {
          // Still down: asked again at the next check.
        }
      }
    } finally {
      this.checking = false;
    }
  }

  private mark(replica: Replica, up: boolean, error?: Error): void {
    if (replica.up === up) return;
    replica.up = up;
    this.options.onChange?.(replica, up, error);
  }
}

/**
 * Whether an error says the replica cannot serve (rather than that the query was wrong): no
 * connection, the connection lost or refused at login (FATAL), the server shutting down or
 * recovering (57P…), out of connections (53…), or a connection exception (08…).
 */
export function isReplicaFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { severity, code } = error as { severity?: string; code?: string };
  if (severity === undefined) return true;
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  return (
    typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P') || code.startsWith('53'))
  );
}
