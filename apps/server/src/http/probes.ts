import type { ServerResponse } from 'node:http';
import type { Database } from '@chancery/db/database';
import { migrationStatus } from '@chancery/db/migrate';
import { sql } from 'drizzle-orm';
import type { RateLimitStore } from '../rate-limit.ts';
import { sendJson } from './respond.ts';

// GET /healthz: the process is alive and serving (a load balancer restarts it otherwise); it also
// says whether the database answers, but never fails for that: restarting us would not fix it.
// GET /readyz: send traffic here: every migration applied, the database answering, not stopping.
// Its details also say where rate limits are counted: 'redis' (shared by every process), 'memory'
// (this process; no REDIS_URL) or 'fallback' (REDIS_URL set but unreachable: this process counts
// alone). A fallback is degraded, not down: the server still serves, so it stays 200.

export type Probes = {
  healthz(res: ServerResponse): Promise<void>;
  readyz(res: ServerResponse): Promise<void>;
};

const PING_TIMEOUT_MS = 2_000;

export function createProbes(options: {
  database: Database;
  isDraining: () => boolean;
  /** Where rate limits are counted now; undefined without rate limits. */
  rateLimits?: () => RateLimitStore | undefined;
  /** The read replicas and whether each is in use (a failed one is skipped: degraded, not down). */
  replicas?: () => { name: string; up: boolean }[];
}): Probes {
  const { database } = options;
  let migrationsApplied = false;
  let ping: Promise<boolean> | null = null;

  // Probes arrive from every load balancer at once: they share one query in flight.
  const databaseAnswers = (): Promise<boolean> => {
    ping ??= withTimeout(
      database.db.execute(sql`select 1`).then(() => true),
      PING_TIMEOUT_MS,
    )
      .catch(() => false)
      .finally(() => {
        ping = null;
      });
    return ping;
  };

  const pendingMigrations = async (): Promise<string[]> => {
    if (migrationsApplied) return [];
    const pending = (await migrationStatus(database)).filter((m) => m.appliedAt === null).map((m) => m.name);
    // Migrations are applied before the server starts and never undone: once seen, it stays so.
    migrationsApplied = pending.length === 0;
    return pending;
  };

  return {
    async healthz(res) {
      const database = (await databaseAnswers()) ? 'ok' : 'unreachable';
      sendJson(res, 200, { status: 'ok', database });
    },
    async readyz(res) {
      if (options.isDraining()) return sendJson(res, 503, { status: 'stopping' });
      if (!(await databaseAnswers()))
        return sendJson(res, 503, { status: 'unready', database: 'unreachable' });
      let pending: string[];
      try {
        pending = await withTimeout(pendingMigrations(), PING_TIMEOUT_MS);
      } catch {
        return sendJson(res, 503, { status: 'unready', database: 'unreachable' });
      }
      if (pending.length > 0)
        return sendJson(res, 503, { status: 'unready', database: 'ok', migrations: { pending } });
      const rateLimits = options.rateLimits?.();
      const replicas = options.replicas?.() ?? [];
      const degraded = rateLimits === 'fallback' || replicas.some((r) => !r.up);
      sendJson(res, 200, {
        status: degraded ? 'degraded' : 'ready',
        database: 'ok',
        migrations: 'applied',
        ...(rateLimits ? { rateLimits } : {}),
        ...(replicas.length > 0
          ? { replicas: Object.fromEntries(replicas.map((r) => [r.name, r.up ? 'ok' : 'unreachable'])) }
          : {}),
      });
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
