import cluster, { type Worker } from 'node:cluster';
import type { Database } from '@chancery/db/database';
import type { PollReport } from '@chancery/db/import/watch';
import { deliveryCounts } from '@chancery/db/webhooks';
import {
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from 'prom-client';
import { elapsedMs, type RequestRecord } from './http/request-record.ts';
import type { ResponseCache } from './response-cache.ts';

// Prometheus metrics, served as text at GET /metrics: requests and their latency by operation,
// errors by code, query cost, SQL statements per request, rate-limit refusals, the response
// cache, the database pool, the feed watcher's sources (CHANCERY_WATCH),
// and Node's own (event-loop lag, heap, GC, CPU) from prom-client's default collectors.
// With CHANCERY_WORKERS, the worker a scrape lands on asks the primary, which collects every serving
// worker's registry over IPC and sums them (prom-client's AggregatorRegistry.aggregate): counters and
// histograms add up; each gauge says how it combines (`aggregator`). A worker that does not answer in
// time fails the scrape with its name, rather than hang it or report sums that seem to go backwards.

export type Metrics = {
  /** This process's own metrics. */
  registry: Registry;
  /** What GET /metrics serves: this process's metrics, or with workers the whole server's (summed). */
  text(): Promise<string>;
  /** Records a finished request. */
  observe(record: RequestRecord): void;
  rateLimited(limit: 'ip' | 'token'): void;
  inFlight: Gauge;
  /** The feed watcher's sources (CHANCERY_WATCH), each shown from the start. */
  watching(sources: readonly string[]): void;
  /** Records what one poll of the feed watcher did, finished at `at`. */
  watchPolled(report: PollReport, at: Date): void;
};

// Operation names come from clients: past this many distinct names, the rest share one label so
// a client inventing names cannot grow the metrics without bound.
const MAX_OPERATION_LABELS = 200;

export function createMetrics(options: {
  database: Database;
  responseCache?: ResponseCache | null;
}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  new Gauge({
    name: 'chancery_workers',
    help: 'Server processes these figures add up (CHANCERY_WORKERS; 1 without it).',
    registers: [registry],
  }).set(1);

  const httpRequests = new Counter({
    name: 'chancery_http_requests_total',
    help: 'HTTP requests by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const graphqlRequests = new Counter({
    name: 'chancery_graphql_requests_total',
    help: 'GraphQL requests by operation name, operation type and HTTP status code.',
    labelNames: ['operation', 'type', 'status'] as const,
    registers: [registry],
  });
  const graphqlDuration = new Histogram({
    name: 'chancery_graphql_request_duration_seconds',
    help: 'Time from the request arriving to its response finishing, by operation.',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const graphqlErrors = new Counter({
    name: 'chancery_graphql_errors_total',
    help: 'Errors in GraphQL responses by code (extensions.code).',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const cost = new Histogram({
    name: 'chancery_graphql_query_cost',
    help: 'Cost of accepted operations (the most fields their response can hold).',
    buckets: [10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000],
    registers: [registry],
  });
  const sqlStatements = new Histogram({
    name: 'chancery_graphql_sql_statements',
    help: 'SQL statements one GraphQL request issued.',
    buckets: [0, 1, 2, 3, 5, 10, 20, 50],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'chancery_rate_limited_total',
    help: 'Requests refused with 429, by the limit they hit (ip or token).',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'chancery_http_requests_in_flight',
    help: 'Requests being served (over every worker).',
    registers: [registry],
  });
  const pool = poolOf(options.database);
  new Gauge({
    name: 'chancery_db_pool_connections',
    help: 'Database connections: total open, idle, and requests waiting for one (PostgreSQL pools, summed over workers; the embedded database has one connection).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      if (pool) {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      } else {
        this.set({ state: 'total' }, 1);
      }
    },
  });
  new Gauge({
    name: 'chancery_db_info',
    help: 'The database engine in use (value 1).',
    labelNames: ['engine', 'via'] as const,
    registers: [registry],
    aggregator: 'first',
    collect() {
      this.set({ engine: options.database.engine, via: options.database.via }, 1);
    },
  });

  new Gauge({
    name: 'chancery_webhook_deliveries',
    help: 'Webhook deliveries over every endpoint: pending (to be sent or retried) and failed (given up on; redeliver them).',
    labelNames: ['status'] as const,
    registers: [registry],
    // Every worker reads the same table.
    aggregator: 'max',
    async collect() {
      try {
        const counts = await deliveryCounts(options.database.db);
        this.set({ status: 'pending' }, counts.pending);
        this.set({ status: 'failed' }, counts.failed);
      } catch {
        // A database that does not answer leaves the last figures; /readyz says what is wrong.
      }
    },
  });

  const compiledReads = new Counter({
    name: 'chancery_graphql_compiled_reads_total',
    help: 'GraphQL requests answered by their compiled statement (compiled-reads/), by operation name; the rest of chancery_graphql_requests_total ran through the resolvers.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: 'chancery_response_cache_lookups_total',
    help: 'Response cache lookups by result (hit or miss); requests it does not serve (token holders, GET) are not counted.',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const { responseCache } = options;
  if (responseCache)
    new Gauge({
      name: 'chancery_response_cache',
      help: "The response cache: entries, bytes (estimated), max_bytes, and live (1 while the change feed delivers, 0 while it is down and the cache stands aside); each worker has its own, and these are summed over workers (live: how many workers' caches are live).",
      labelNames: ['measure'] as const,
      registers: [registry],
      collect() {
        const stats = responseCache.stats();
        this.set({ measure: 'entries' }, stats.entries);
        this.set({ measure: 'bytes' }, stats.bytes);
        this.set({ measure: 'max_bytes' }, stats.maxBytes);
        this.set({ measure: 'live' }, stats.live ? 1 : 0);
      },
    });

  const watch = {
    polls: new Counter({
      name: 'chancery_watch_polls_total',
      help: 'Polls of the feed watcher (CHANCERY_WATCH) this process made.',
      registers: [registry],
    }),
    lastPoll: new Gauge({
      name: 'chancery_watch_last_poll_timestamp_seconds',
      help: 'When each watched source was last read or asked (Unix time; 0: not yet).',
      labelNames: ['source'] as const,
      registers: [registry],
      aggregator: 'max',
    }),
    lastSuccess: new Gauge({
      name: 'chancery_watch_last_success_timestamp_seconds',
      help: 'When each watched source was last read without failing (Unix time; 0: not yet).',
      labelNames: ['source'] as const,
      registers: [registry],
      aggregator: 'max',
    }),
    items: new Counter({
      name: 'chancery_watch_items_imported_total',
      help: 'Stories each watched source created or updated.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'chancery_watch_errors_total',
      help: 'Failures of each watched source: the source itself (fetch, parse, a drop folder file) or one of its items.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    failures: new Gauge({
      name: 'chancery_watch_consecutive_failures',
      help: 'Polls in a row in which each watched source failed (0: the last one did not).',
      labelNames: ['source'] as const,
      registers: [registry],
      aggregator: 'max',
    }),
    retryAt: new Gauge({
      name: 'chancery_watch_backoff_until_timestamp_seconds',
      help: 'Until when a failing source is left alone (Unix time; 0: not backing off).',
      labelNames: ['source'] as const,
      registers: [registry],
      aggregator: 'max',
    }),
  };
  const consecutive = new Map<string, number>();
  const seconds = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : 0);

  const operationLabels = new Set<string>();
  const operationLabel = (record: RequestRecord): string => {
    if (record.operationType === undefined) return '(none)';
    const name = record.operationName;
    if (!name) return '(anonymous)';
    if (operationLabels.has(name)) return name;
    if (operationLabels.size >= MAX_OPERATION_LABELS) return '(other)';
    operationLabels.add(name);
    return name;
  };

  if (cluster.isWorker) answerCollections(registry);
  return {
    registry,
    text: () => (cluster.isWorker ? askPrimary() : registry.metrics()),
    inFlight,
    observe(record) {
      const status = String(record.status ?? 0);
      httpRequests.inc({ route: record.route, method: record.method, status });
      if (record.route !== 'graphql') return;
      const operation = operationLabel(record);
      const type = record.operationType ?? 'none';
      graphqlRequests.inc({ operation, type, status });
      graphqlDuration.observe({ operation, type }, elapsedMs(record) / 1000);
      for (const code of record.errorCodes) graphqlErrors.inc({ code });
      if (record.cost !== undefined) cost.observe(record.cost);
      if (record.sqlStatements !== undefined) sqlStatements.observe(record.sqlStatements);
      if (record.cache) cacheLookups.inc({ result: record.cache });
      if (record.compiled) compiledReads.inc({ operation });
    },
    rateLimited(limit) {
      rateLimited.inc({ limit });
    },
    watching(sources) {
      for (const source of sources) {
        for (const metric of [watch.lastPoll, watch.lastSuccess, watch.failures, watch.retryAt])
          metric.set({ source }, 0);
        watch.items.inc({ source }, 0);
        watch.errors.inc({ source }, 0);
      }
    },
    watchPolled(report, at) {
      watch.polls.inc();
      const bySource = new Map<string, PollReport['sources']>();
      for (const entry of report.sources)
        bySource.set(entry.watched, [...(bySource.get(entry.watched) ?? []), entry]);
      for (const [source, entries] of bySource) {
        const failed = entries.filter((e) => e.state === 'failed');
        const waiting = entries.find((e) => e.state === 'waiting');
        const items = entries.flatMap((e) => e.items);
        watch.items.inc(
          { source },
          items.filter((i) => i.kind === 'story' && i.result.outcome !== 'unchanged').length,
        );
        watch.errors.inc({ source }, failed.length + items.filter((i) => i.kind === 'error').length);
        if (entries.some((e) => e.state !== 'waiting')) watch.lastPoll.set({ source }, at.getTime() / 1000);
        let inARow = consecutive.get(source) ?? 0;
        if (failed.length > 0) inARow = Math.max(...failed.map((e) => e.failures ?? 0), inARow + 1);
        else if (waiting) inARow = waiting.failures ?? inARow;
        else {
          inARow = 0;
          watch.lastSuccess.set({ source }, at.getTime() / 1000);
        }
        consecutive.set(source, inARow);
        watch.failures.set({ source }, inARow);
        watch.retryAt.set({ source }, seconds((failed[0] ?? waiting)?.retryAt));
      }
    },
  };
}

type PoolStats = { totalCount: number; idleCount: number; waitingCount: number };

/** The pg Pool behind a PostgreSQL database (Drizzle exposes its client as `$client`). */
function poolOf(database: Database): PoolStats | null {
  const client = (database.db as unknown as { $client?: Partial<PoolStats> }).$client;
  return client && typeof client.totalCount === 'number' && typeof client.idleCount === 'number'
    ? (client as PoolStats)
    : null;
}

// Metrics over workers (CHANCERY_WORKERS), by IPC messages between the primary and its workers:
// a worker asked for /metrics sends ASK to the primary; the primary sends COLLECT to every serving
// worker (the asking one too), sums their COLLECTED registries, and answers with ANSWER.
const ASK = 'chancery:metrics:ask';
const COLLECT = 'chancery:metrics:collect';
const COLLECTED = 'chancery:metrics:collected';
const ANSWER = 'chancery:metrics:answer';

/** How long the primary waits for each worker's metrics; Prometheus' own scrape timeout is 10 s. */
export const WORKER_METRICS_TIMEOUT_MS = 3_000;

type RegistryJson = MetricObjectWithValues<MetricValue<string>>[];
type Message = { type?: unknown; id?: unknown; metrics?: RegistryJson; text?: string; error?: string };

/** Worker: sends its registry to the primary when asked. */
function answerCollections(registry: Registry): void {
  process.on('message', (message: Message) => {
    if (message?.type !== COLLECT) return;
    registry.getMetricsAsJSON().then(
      (metrics) => send({ type: COLLECTED, id: message.id, metrics }),
      (error: unknown) => send({ type: COLLECTED, id: message.id, error: String(error) }),
    );
  });
}

const send = (message: Message) => {
  try {
    process.send?.(message);
  } catch {
    // The primary is gone; this worker is stopping (main.ts).
  }
};

let asked = 0;
const asking = new Map<number, (answer: Message) => void>();

/** Worker: the whole server's metrics, summed by the primary. */
function askPrimary(): Promise<string> {
  if (asking.size === 0) process.on('message', onAnswer);
  const id = ++asked;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        settle({ error: `the primary process did not answer within ${WORKER_METRICS_TIMEOUT_MS * 2} ms` }),
      WORKER_METRICS_TIMEOUT_MS * 2,
    );
    const settle = (answer: Message) => {
      clearTimeout(timer);
      asking.delete(id);
      if (asking.size === 0) process.off('message', onAnswer);
      if (typeof answer.text === 'string') resolve(answer.text);
      else reject(new WorkerMetricsError(answer.error ?? 'no answer'));
    };
    asking.set(id, settle);
    if (!process.connected) return settle({ error: 'the primary process is gone' });
    send({ type: ASK, id });
  });
}

function onAnswer(message: Message): void {
  if (message?.type === ANSWER && typeof message.id === 'number') asking.get(message.id)?.(message);
}

/** Metrics over workers could not be gathered: the message says which worker or process failed. */
export class WorkerMetricsError extends Error {
  constructor(reason: string) {
    super(
      `Metrics over every worker could not be gathered: ${reason}. The scrape fails rather than report partial sums.`,
    );
    this.name = 'WorkerMetricsError';
  }
}

/**
 * Primary: answers workers' ASKs with every serving worker's metrics, summed. `workers()`: the
 * workers serving now (one still starting has served nothing and may not listen for IPC yet).
 */
export function answerMetricsAsks(options: {
  workers: () => Worker[];
  /** A collection failed: `reason` names the worker(s). */
  onFailure: (reason: string) => void;
  timeoutMs?: number;
}): void {
  const timeoutMs = options.timeoutMs ?? WORKER_METRICS_TIMEOUT_MS;
  let collections = 0;
  const waiting = new Map<string, (message: Message) => void>();
  cluster.on('message', (worker, message: Message) => {
    if (message?.type === COLLECTED) {
      waiting.get(`${worker.id}:${String(message.id)}`)?.(message);
      return;
    }
    if (message?.type !== ASK) return;
    const id = ++collections;
    const collectFrom = (target: Worker) =>
      new Promise<RegistryJson>((resolve, reject) => {
        const key = `${target.id}:${id}`;
        const name = `worker ${target.id} (pid ${target.process.pid})`;
        const settle = (error: string | null, metrics?: RegistryJson) => {
          clearTimeout(timer);
          target.off('exit', exited);
          waiting.delete(key);
          if (error === null && metrics) resolve(metrics);
          else reject(new Error(`${name} ${error ?? 'sent nothing'}`));
        };
        const timer = setTimeout(() => settle(`did not answer within ${timeoutMs} ms`), timeoutMs);
        const exited = () => settle('exited before answering');
        target.once('exit', exited);
        waiting.set(key, (reply) => settle(reply.error ? `failed: ${reply.error}` : null, reply.metrics));
        try {
          target.send({ type: COLLECT, id });
        } catch (error) {
          settle(`could not be asked (${String(error)})`);
        }
      });
    void (async () => {
      const results = await Promise.allSettled(options.workers().map(collectFrom));
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason?.message)] : []));
      if (failures.length > 0) throw new Error(failures.join('; '));
      const registries = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      return AggregatorRegistry.aggregate(registries).metrics();
    })().then(
      (text) => reply(worker, { type: ANSWER, id: message.id, text }),
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        options.onFailure(reason);
        reply(worker, { type: ANSWER, id: message.id, error: reason });
      },
    );
  });
}

function reply(worker: Worker, message: Message): void {
  try {
    if (worker.isConnected()) worker.send(message);
  } catch {
    // The asking worker is gone: nobody waits for the answer.
  }
}
