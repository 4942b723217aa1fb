// CHANCERY_WORKERS: several server processes sharing one port (node:cluster), one per core at most
// useful. The primary prepares the database once (migrations, seed), then starts the workers and
// keeps their number: a worker that dies is replaced, after a wait that grows while workers keep
// dying young, so a crash loop does not spin. On SIGTERM/SIGINT it passes SIGTERM to every worker,
// each of which stops gracefully as a single server does (main.ts), and exits once all have.
// `chosenEnv` goes to one worker only (the one that runs CHANCERY_WATCH), and to its replacement.
// A worker's GET /metrics asks the primary, which sums every serving worker's metrics (metrics.ts).
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logging.ts';
import { answerMetricsAsks } from './metrics.ts';

/** A worker that dies sooner than this after starting counts as a crash loop: the next wait doubles. */
const YOUNG_MS = 10_000;
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * How many processes to run: `requested` (CHANCERY_WORKERS), except on the embedded database,
 * which belongs to one process: there it is 1, and the log says why.
 */
export function workersToRun(
  requested: number,
  engine: { databaseUrl: string | undefined },
  logger: Logger,
): number {
  if (requested > 1 && !engine.databaseUrl) {
    logger.warn(
      `CHANCERY_WORKERS=${requested} ignored: the embedded PGlite database belongs to one process, so one serves. Set DATABASE_URL (PostgreSQL) to run several.`,
    );
    return 1;
  }
  return requested;
}

/** Runs the primary: `prepare` once, then `count` workers (this same script) until told to stop. */
export async function runPrimary(options: {
  count: number;
  logger: Logger;
  /** Migrations and seed, before any worker starts. */
  prepare: () => Promise<void>;
  /** How long a worker may take to stop before it is killed (its grace period plus a margin). */
  stopTimeoutMs: number;
  /** Environment for one worker alone (and whichever replaces it): a task only one process should run. */
  chosenEnv?: Record<string, string>;
}): Promise<void> {
  const { count, logger } = options;
  await options.prepare();

  const startedAt = new Map<number, number>();
  const restarts = new Set<NodeJS.Timeout>();
  let restartDelayMs = 0;
  let stopping = false;
  let failed = false;
  let listening = 0;
  const serving = new Set<Worker>();
  let chosen: number | null = null;

  const start = (): Worker => {
    const choose = options.chosenEnv !== undefined && chosen === null;
    const worker = cluster.fork(choose ? options.chosenEnv : undefined);
    if (choose) chosen = worker.id;
    startedAt.set(worker.id, Date.now());
    worker.once('listening', () => {
      serving.add(worker);
      listening += 1;
      if (listening === count) logger.info({ workers: count }, `All ${count} workers are serving.`);
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? Date.now());
    startedAt.delete(worker.id);
    serving.delete(worker);
    if (worker.id === chosen) chosen = null;
    const how = signal ? `on ${signal}` : `with code ${code}`;
    if (stopping) {
      if (code !== 0) failed = true;
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('Every worker has stopped.');
        process.exit(failed ? 1 : 0);
      }
      return;
    }
    restartDelayMs =
      lived < YOUNG_MS
        ? Math.min(Math.max(restartDelayMs * 2, FIRST_RESTART_DELAY_MS), MAX_RESTART_DELAY_MS)
        : 0;
    logger.error(
      { pid: worker.process.pid, code, signal, livedMs: lived, restartInMs: restartDelayMs },
      `Worker ${worker.process.pid} exited ${how}; starting another in ${restartDelayMs} ms.`,
    );
    listening = Math.max(0, listening - 1);
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping) start();
    }, restartDelayMs);
    restarts.add(timer);
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    for (const timer of restarts) clearTimeout(timer);
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    logger.info({ signal, workers: workers.length }, `${signal}: stopping ${workers.length} worker(s).`);
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error('Workers did not stop in time; killing them.');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }, options.stopTimeoutMs).unref();
  };
  answerMetricsAsks({
    workers: () => [...serving],
    onFailure: (reason) => logger.warn(`GET /metrics failed: ${reason}.`),
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < count; i++) start();
}
