// `npm start`: open the database (embedded PGlite unless DATABASE_URL is set), apply migrations,
// load the seed story, and serve GraphQL until SIGINT/SIGTERM; then stop accepting connections,
// let requests in flight finish (within CHANCERY_SHUTDOWN_GRACE_SECONDS) and close the database.
// Logs are JSON lines on stdout; a bad setting stops the start with one line per variable on stderr.
// `npm start` runs it compiled (scripts/build.ts → dist/main.mjs, plain node); `npm run dev` under tsx.
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@chancery/db/config';
import { openDatabase } from '@chancery/db/database';
import { DataDirectoryLockedError } from '@chancery/db/engine/lock';
import { migrate } from '@chancery/db/migrate';
import { loadSeed } from '@chancery/db/seed';
import { runPrimary, workersToRun } from './cluster.ts';
import { loadConfig, type ServerConfig, WATCH_WORKER_VARIABLE } from './config.ts';
import { createLogger, type Logger } from './logging.ts';
import { createServer } from './server.ts';
import { type ServerWatch, startWatching } from './watch.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  if (cluster.isPrimary) for (const warning of config.warnings) logger.warn(warning);
  // CHANCERY_WORKERS > 1: this process prepares the database, then runs the workers (cluster.ts).
  const workers = cluster.isPrimary ? workersToRun(config.workers, config, logger) : 1;
  if (workers > 1)
    return runPrimary({
      count: workers,
      logger,
      prepare: async () => {
        const database = await open(config, logger);
        await prepareDatabase(database, logger);
        await database.close();
      },
      stopTimeoutMs: config.shutdownGraceMs + 20_000,
      // One worker watches CHANCERY_WATCH's sources: not one poll per process.
      chosenEnv: config.watch ? { [WATCH_WORKER_VARIABLE]: '1' } : undefined,
    });
  // Listen for signals from the start: a process without a listener dies at once on SIGTERM, and a
  // worker is told to stop as soon as its primary sees it listening, before the lines below run.
  // A signal before the server is up is kept, and acted on once it is.
  let stopRequested: string | undefined;
  let requestStop: (signal: string) => void = (signal) => {
    if (stopRequested) process.exit(1);
    stopRequested = signal;
  };
  process.on('SIGINT', () => requestStop('SIGINT'));
  process.on('SIGTERM', () => requestStop('SIGTERM'));
  // A worker whose primary is gone (killed) stops too, rather than linger unreachable.
  if (cluster.isWorker) process.on('disconnect', () => requestStop('Primary gone'));

  const database = await open(config, logger);
  // A worker finds the database its primary prepared.
  if (cluster.isPrimary) await prepareDatabase(database, logger);

  // The reader web app, when it is built (`npm start` builds it first): served at /. The same path
  // from src/main.ts (tsx) and from dist/main.mjs (the build): both sit one level under apps/server.
  const webDist = fileURLToPath(new URL('../../web/dist/', import.meta.url));
  const webRoot = existsSync(`${webDist}index.html`) ? webDist : undefined;
  const server = await createServer({
    database,
    production: config.production,
    trustedDocuments: config.trustedDocuments,
    introspection: config.introspection ?? !config.production,
    maxBodyBytes: config.maxBodyBytes,
    limits: config.limits,
    rateLimit: config.rateLimit,
    trustProxy: config.trustProxy,
    metricsToken: config.metricsToken,
    shutdownGraceMs: config.shutdownGraceMs,
    responseCache: config.responseCache,
    live: config.live,
    webhooks: config.webhooks,
    logger,
    webRoot,
  });
  const url = await server.listen(config.port, config.host);
  const where = database.engine === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL';
  logger.info(
    { url, engine: database.engine, production: config.production, pid: process.pid },
    `Chancery is serving ${url} (database: ${where})`,
  );
  if (!config.production) logger.info(`Open ${url} in a browser for Apollo Sandbox.`);
  if (webRoot) logger.info(`The reader is at ${url.replace(/graphql$/, '')}`);
  const watch: ServerWatch | null =
    config.watch && (cluster.isPrimary || process.env[WATCH_WORKER_VARIABLE] === '1')
      ? startWatching({ database, settings: config.watch, metrics: server.metrics, logger })
      : null;

  let stoppingSince: number | undefined;
  const stop = async (signal: string) => {
    if (stoppingSince !== undefined) {
      // `npm run dev` (tsx watch) passes on the Ctrl-C that the terminal has already sent us: the
      // same press arriving twice, not a second one.
      if (Date.now() - stoppingSince < 500) return;
      logger.warn(`${signal} again: exiting without waiting.`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    const graceSeconds = config.shutdownGraceMs / 1000;
    logger.info(
      { signal, graceSeconds },
      `${signal}: no new connections; finishing requests in flight (at most ${graceSeconds} s), then closing the database.`,
    );
    // Whatever happens below, the process ends: a hung close must not keep a dead server around.
    setTimeout(() => {
      logger.error('Shutdown did not finish in time; exiting.');
      process.exit(1);
    }, config.shutdownGraceMs + 15_000).unref();
    let code = 0;
    // The watcher ends its poll between two sources, while requests in flight finish.
    const watchStopped = watch?.stop();
    try {
      await server.stop();
    } catch (error) {
      code = 1;
      logger.error({ err: error }, 'Stopping the server failed');
    }
    await watchStopped;
    await database.close();
    logger.info('Closed the database; stopped.');
    process.exit(code);
  };
  requestStop = (signal) => void stop(signal);
  if (stopRequested) requestStop(stopRequested);
}

const open = (config: ServerConfig, logger: Logger) =>
  openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    role: 'server',
    readUrls: config.databaseReadUrls,
    onReplicaChange: (replica, up, error) =>
      up
        ? logger.info(
            { replica: replica.where },
            `Read replica ${replica.name} answers again: reads go to it.`,
          )
        : logger.warn(
            { replica: replica.where, err: error },
            `Read replica ${replica.name} failed: its reads go elsewhere until it answers again.`,
          ),
  });

/** Migrations, then the seed story: once, before anything serves. */
async function prepareDatabase(database: Awaited<ReturnType<typeof open>>, logger: Logger): Promise<void> {
  const { applied } = await migrate(database);
  if (applied.length > 0) logger.info({ applied }, `Applied migrations: ${applied.join(', ')}`);
  const seed = await loadSeed(database.db);
  if (seed.created) logger.info('Loaded the seed story.');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirectoryLockedError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
