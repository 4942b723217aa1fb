import { timingSafeEqual } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import {
  type ChangeFeed,
  type ChangeWatcher,
  everyWatcher,
  tablesNamed,
  tablesWritten,
} from '@chancery/db/changes';
import type { ChanceryDb, Database, StatementCounter } from '@chancery/db/database';
import { findSession } from '@chancery/db/sessions';
import { StatisticsKeeper, type StatisticsKeeperOptions } from '@chancery/db/statistics';
import { GraphQLError } from 'graphql';
import {
  type CompiledAnswer,
  type CompiledReadsOptions,
  compiledReadsPlugin,
  runCompiled,
  stringifyResult,
} from './compiled-reads/plugin.ts';
import { afterDataIn, type Replay, Replays, replayBody } from './compiled-reads/replays.ts';
import { type Context, createRequestContext } from './context.ts';
import { createErrorFormatter, isUnexpected } from './errors.ts';
import { clientAddress } from './http/client-address.ts';
import { createDrain } from './http/drain.ts';
import { readGraphQLRequest } from './http/graphql-request.ts';
import { APPLICATION_JSON, acceptsEventStream } from './http/media.ts';
import { observabilityPlugin } from './http/observability.ts';
import { createProbes } from './http/probes.ts';
import { attachRecord, type RequestRecord, recordOf, requestIdFor } from './http/request-record.ts';
import { sendGraphQLErrors, sendJson } from './http/respond.ts';
import {
  cookieRequestRefusal,
  createSessionRoutes,
  SESSION_PATH,
  sessionIdFromCookies,
} from './http/session.ts';
import { createDocumentGuard } from './limits/guard.ts';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits/limits.ts';
import { costLimitPlugin } from './limits/plugin.ts';
import { type LiveUpdates, startLiveUpdates } from './live-updates.ts';
import { type Logger, logRequest, silentLogger } from './logging.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { pageSizePlugin } from './page-size.ts';
import { RateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { type CachedResponse, ResponseCache } from './response-cache.ts';
import { schema } from './schema/index.ts';
import { createEventStreams } from './sse.ts';
import { createStaticFileHandler } from './static-files.ts';
import { createSubscriptionRules } from './subscription-rules.ts';
import { attachSubscriptions } from './subscriptions.ts';
import { type TrustedDocumentsOptions, trustedDocumentsPlugin } from './trusted-documents.ts';
import { startWebhookDispatcher, type WebhookDispatcher, type WebhookSettings } from './webhooks.ts';

export type ChanceryServerOptions = {
  database: Database;
  production?: boolean;
  /** Largest request body accepted, in bytes (413 above it). */
  maxBodyBytes?: number;
  /** Query limits; unset ones keep DEFAULT_QUERY_LIMITS. */
  limits?: Partial<QueryLimits>;
  /** Allow introspection; default: outside production only (CHANCERY_INTROSPECTION). */
  introspection?: boolean;
  /** Requests per window per client address and per token; default: no limit. */
  rateLimit?: RateLimitOptions;
  /** How many proxies in front of us to trust for X-Forwarded-For and X-Request-Id (CHANCERY_TRUST_PROXY). */
  trustProxy?: number;
  /** Set: GET /metrics requires `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** How long stop() lets requests in flight finish before cutting them; default 10 s. */
  shutdownGraceMs?: number;
  /** Where the request log goes; default: nowhere. */
  logger?: Logger;
  /** Execute only the operations of a persisted-documents manifest (CHANCERY_TRUSTED_DOCUMENTS). */
  trustedDocuments?: TrustedDocumentsOptions;
  /** Serve this directory (the built web app, apps/web/dist) for every path the API does not take. */
  webRoot?: string;
  /** Cache anonymous query responses, at most `maxBytes` of them (response-cache.ts); default: off. */
  responseCache?: { maxBytes: number };
  /** Keep the planner's statistics current (statistics.ts); default: on. */
  statistics?: StatisticsKeeperOptions | false;
  /** Live updates (subscriptions.ts, sse.ts, live-updates.ts): change-log retention, subscriptions per socket. */
  live?: {
    changeLogDays?: number;
    maxSubscriptions?: number;
    maxSocketsPerAddress?: number;
    keepAliveMs?: number;
  };
  /** Webhook sending (webhooks.ts): settings, or false for none from this process; default on. */
  webhooks?: Partial<WebhookSettings> | false;
  /** Answer anonymous readers' documents with one compiled statement where they compile (compiled-reads/); default on. */
  compiledReads?: CompiledReadsOptions | false;
};

export type ChanceryServer = {
  apollo: ApolloServer<Context>;
  httpServer: Server;
  metrics: Metrics;
  /** This process's follower of the change log, which feeds its subscriptions. */
  live: LiveUpdates;
  /** This process's webhook sender; null when turned off. */
  webhooks: WebhookDispatcher | null;
  /** Starts listening; resolves with the URL of the GraphQL endpoint. */
  listen(port: number, host?: string): Promise<string>;
  /**
   * Stops accepting connections (/readyz turns 503), lets requests in flight finish within the
   * grace period, cuts the rest (and logs how many), then stops Apollo. Closing the database is
   * the caller's.
   */
  stop(): Promise<void>;
};

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export async function createServer(options: ChanceryServerOptions): Promise<ChanceryServer> {
  const production = options.production ?? false;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const logger = options.logger ?? silentLogger();
  const trustProxy = options.trustProxy ?? 0;
  const { db } = options.database;
  const guard = createDocumentGuard(limits);
  const rateLimiter = options.rateLimit
    ? new RateLimiter({
        ...options.rateLimit,
        onSharedChange: (shared, error) =>
          shared
            ? logger.info('Rate limits are counted in Redis, shared by every process.')
            : logger.warn(
                { err: error },
                'Redis is unreachable: rate limits are counted by each process on its own until it answers again.',
              ),
      })
    : null;
  const responseCache = options.responseCache ? new ResponseCache(options.responseCache.maxBytes) : null;
  const metrics = createMetrics({ database: options.database, responseCache });
  const webApp = options.webRoot ? createStaticFileHandler({ root: options.webRoot }) : null;
  const sessions = createSessionRoutes({ db, trustProxy });
  const compiledReads = options.compiledReads ?? {};
  // Anonymous requests a compiled statement answered, by their text (replays.ts), and each
  // request's compiled answer on its way out of Apollo.
  const replays = compiledReads === false ? null : new Replays();
  const compiledAnswers = new WeakMap<object, CompiledAnswer>();

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: options.introspection ?? !production,
    // main.ts owns shutdown: it stops HTTP first, then Apollo, then the database.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !production,
    // No "Did you mean …?" naming fields and types to a client that may not introspect.
    hideSchemaDetailsFromClientErrors: production,
    formatError: createErrorFormatter({ schema, production }),
    // Compiled reads' data is JSON text already: written out as it is, not parsed and written again.
    stringifyResult,
    // The document guard refuses longer documents first; this holds for any that reach Apollo.
    parseOptions: { maxTokens: limits.maxTokens },
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    logger,
    plugins: [
      ...(options.trustedDocuments ? [trustedDocumentsPlugin(options.trustedDocuments)] : []),
      pageSizePlugin(),
      costLimitPlugin({
        budget: limits.maxCost,
        onCost: (http, cost) => {
          const record = recordOf(http);
          if (record) record.cost = cost;
        },
      }),
      observabilityPlugin({ logger }),
      // Last: it answers only operations every plugin above has accepted.
      ...(compiledReads === false
        ? []
        : [
            compiledReadsPlugin({
              onCompiled: (http, answer) => {
                const record = recordOf(http);
                if (record) record.compiled = true;
                if (http) compiledAnswers.set(http, answer);
                compiledReads.onCompiled?.(http, answer, false);
              },
            }),
          ]),
      // Chancery sets no cache hints; the default cache-control plugin would still wrap every field
      // resolver to compute them (the benchmark measured 9-32% of server CPU per request).
      ApolloServerPluginCacheControlDisabled(),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
  });
  await apollo.start();
  const statistics =
    options.statistics === false
      ? null
      : new StatisticsKeeper(options.database, {
          onRefreshed: (tables) =>
            logger.info({ tables }, `Analysed ${tables.join(', ')}: their statistics were stale.`),
          onError: (error) => logger.warn({ err: error }, 'Could not refresh the planner statistics'),
          ...options.statistics,
        });
  const live = await startLiveUpdates({
    database: options.database,
    logger,
    onReadable: () => responseCache?.changed('change_log'),
    ...options.live,
  });
  const webhooks =
    options.webhooks === false
      ? null
      : startWebhookDispatcher({
          database: options.database,
          follower: live.follower,
          logger,
          settings: { logDays: options.live?.changeLogDays, ...options.webhooks },
        });
  const webhookContext = {
    allowPrivate: (options.webhooks || undefined)?.allowPrivate ?? false,
    wake: () => webhooks?.wake(),
  };
  const watchers: ChangeWatcher[] = [
    responseCache,
    statistics,
    live.watcher,
    webhooks?.watcher ?? null,
  ].filter((w) => w !== null);
  const changeFeed: ChangeFeed | null =
    watchers.length > 0 ? await options.database.watchChanges(everyWatcher(watchers)) : null;

  async function handleGraphQL(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    record: RequestRecord,
  ): Promise<void> {
    const limited = await rateLimiter?.take({
      ip: record.ip,
      authorization: req.headers.authorization,
      sessionToken: () => sessionTokenOf(db, req),
    });
    if (limited && !limited.ok) {
      metrics.rateLimited(limited.limit);
      const who = limited.limit === 'ip' ? 'from this address' : 'with this token';
      return sendGraphQLErrors(
        req,
        res,
        record,
        429,
        [
          {
            code: 'RATE_LIMITED',
            message: `Too many requests ${who}: at most ${limited.max} per ${limited.windowSeconds} s. Retry in ${limited.retryAfterSeconds} s.`,
            extensions: { retryAfter: limited.retryAfterSeconds },
          },
        ],
        { headers: { 'retry-after': String(limited.retryAfterSeconds) } },
      );
    }
    // GraphQL over Server-Sent Events (sse.ts): subscriptions for clients that ask for a stream.
    if (acceptsEventStream(req.headers.accept)) return eventStreams.handle(req, res, url, record);
    const input = await readGraphQLRequest(req, url, { maxBodyBytes });
    if (!input.ok)
      return sendGraphQLErrors(req, res, record, input.refusal.status, [input.refusal], {
        headers: input.refusal.headers,
      });
    const { httpGraphQLRequest } = input;
    record.operationName = input.operationName ?? null;
    const anonymousKey = anonymousKeyOf(req, input.bodyText);
    const cacheKey = responseCache ? anonymousKey : null;
    if (cacheKey !== null) {
      const hit = responseCache?.lookup(cacheKey);
      record.cache = hit ? 'hit' : 'miss';
      if (hit) return sendCached(res, record, hit);
    }
    const violation = input.query === undefined ? null : guard.check(input.query);
    if (violation)
      return sendGraphQLErrors(
        req,
        res,
        record,
        400,
        [
          {
            code: violation.code,
            message: violation.message,
            ...(violation.limit ? { extensions: { limit: violation.limit } } : {}),
          },
        ],
        { requestError: true },
      );
    attachRecord(httpGraphQLRequest, record);
    const stamp = responseCache?.begin() ?? 0;
    // The pool the request's context picked (read replicas): reported outside production.
    let pool = 'primary';
    // The request's own view of the database: it counts the SQL statements the request issues
    // (and keeps their text for the response cache, which learns from it what the answer read).
    const statements: StatementCounter = { count: 0, log: responseCache ? [] : undefined };
    const counted = options.database.counting(statements);
    const replay = anonymousKey === null ? undefined : replays?.get(anonymousKey);
    const replayed = replay && (await replayCompiled(replay, counted.readDb(), httpGraphQLRequest, record));
    if (replayed) pool = replayed.pool;
    // Apollo decides afresh, and is remembered again if the statement answers then.
    else if (replay) replays?.forget(anonymousKey as string);
    const response = replayed
      ? replayed.response
      : await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest,
          context: async () => {
            try {
              return {
                ...(await createRequestContext({
                  db: counted.db,
                  readDb: () => counted.readDb(),
                  onPool: (chosen) => {
                    pool = chosen;
                  },
                  headers: httpGraphQLRequest.headers,
                  requestId: record.id,
                })),
                webhooks: webhookContext,
              };
            } catch (error) {
              // Refusing a bad token is expected (it carries its code); anything else is logged.
              if (!(error instanceof GraphQLError) || isUnexpected(error))
                logger.error({ reqId: record.id, err: error }, 'Unexpected error');
              throw error;
            }
          },
        });
    if (!replayed && anonymousKey !== null)
      rememberCompiled(anonymousKey, httpGraphQLRequest, response, record);
    const { count } = statements;
    const sql = statements.log ?? [];
    record.sqlStatements = count;
    // This server's own writes: dropped before the response goes out, so its client reads them
    // back at once (the change feed's notification may arrive a moment later).
    if (record.operationType === 'mutation')
      for (const table of tablesWritten(sql)) responseCache?.changed(table);
    for (const [key, value] of response.headers) res.setHeader(key, value);
    // Tests and the benchmark read how many SQL statements a request issued.
    if (!production) res.setHeader('x-chancery-sql-statements', String(count));
    if (!production) res.setHeader('x-chancery-db-pool', pool);
    res.statusCode = response.status ?? 200;
    // GraphQL over HTTP: in plain JSON, a well-formed request whose document is refused (syntax,
    // validation, variables, limits) is answered 200; Apollo answers 400 whatever the type.
    if (
      res.statusCode === 400 &&
      record.requestErrorsOnly &&
      response.headers.get('content-type')?.startsWith(APPLICATION_JSON)
    )
      res.statusCode = 200;
    if (response.body.kind === 'complete') {
      const body = response.body.string;
      if (
        cacheKey !== null &&
        res.statusCode === 200 &&
        record.operationType === 'query' &&
        record.errorCodes.length === 0
      )
        responseCache?.store(
          cacheKey,
          stamp,
          {
            status: 200,
            headers: [...response.headers],
            body,
            operationName: record.operationName ?? null,
            cost: record.cost,
          },
          tablesNamed(sql),
        );
      res.end(res.statusCode >= 500 ? withRequestId(body, record.id) : body);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  /**
   * Answers a request Apollo answered before by a compiled statement (replays.ts) with that
   * statement; null when it must run as usual (its lookup now finds nothing, or it failed).
   */
  async function replayCompiled(
    replay: Replay,
    { db, pool }: { db: ChanceryDb; pool: string },
    httpGraphQLRequest: object,
    record: RequestRecord,
  ): Promise<{ response: HTTPGraphQLResponse; pool: string } | null> {
    const answer = await runCompiled(db, replay.statement);
    if (!answer) return null;
    record.operationName = replay.operationName;
    record.operationType = 'query';
    record.cost = replay.cost;
    record.compiled = true;
    if (compiledReads !== false) compiledReads.onCompiled?.(httpGraphQLRequest, answer, true);
    return {
      response: {
        status: undefined,
        headers: new HeaderMap(replay.headers),
        body: { kind: 'complete', string: replayBody(answer.data, replay.afterData) },
      },
      pool,
    };
  }

  /** Remembers how Apollo answered an anonymous request whose response is a compiled answer (replays.ts). */
  function rememberCompiled(
    key: string,
    httpGraphQLRequest: object,
    response: HTTPGraphQLResponse,
    record: RequestRecord,
  ): void {
    const answer = compiledAnswers.get(httpGraphQLRequest);
    if (!answer || (response.status ?? 200) !== 200 || response.body.kind !== 'complete') return;
    const afterData = afterDataIn(response.body.string, answer.data);
    // Apollo writes `errors` first: a body that starts with the data has none.
    if (afterData !== null)
      replays?.remember(key, {
        statement: answer.statement,
        operationName: record.operationName ?? null,
        cost: record.cost,
        headers: [...response.headers],
        afterData,
      });
  }

  function sendCached(res: ServerResponse, record: RequestRecord, hit: CachedResponse): void {
    record.operationName = hit.operationName;
    record.operationType = 'query';
    record.cost = hit.cost;
    record.sqlStatements = 0;
    for (const [key, value] of hit.headers) res.setHeader(key, value);
    if (!production) res.setHeader('x-chancery-sql-statements', '0');
    res.statusCode = hit.status;
    res.end(hit.body);
  }

  async function handleMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.metricsToken && !bearerMatches(req.headers.authorization, options.metricsToken)) {
      res.setHeader('www-authenticate', 'Bearer');
      return sendJson(res, 401, {
        error: 'GET /metrics needs `Authorization: Bearer <CHANCERY_METRICS_TOKEN>`.',
      });
    }
    let text: string;
    try {
      text = await metrics.text();
    } catch (error) {
      // With workers: one did not answer the primary in time (the message names it).
      return sendJson(res, 503, { error: error instanceof Error ? error.message : String(error) });
    }
    res.setHeader('content-type', metrics.registry.contentType);
    res.end(text);
  }

  const httpServer = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const record = openRecord(req, url);
    res.setHeader('x-request-id', record.id);
    drain.track(req, res);
    metrics.inFlight.inc();
    res.once('close', () => {
      metrics.inFlight.dec();
      // 499: the client went away before its answer was sent.
      record.status = res.writableFinished ? res.statusCode : 499;
      logRequest(logger, record);
      metrics.observe(record);
    });
    const get = req.method === 'GET';
    const route =
      record.route === 'graphql'
        ? handleGraphQL(req, res, url, record)
        : record.route === 'healthz' && get
          ? probes.healthz(res)
          : record.route === 'readyz' && get
            ? probes.readyz(res)
            : record.route === 'metrics' && get
              ? handleMetrics(req, res)
              : url.pathname === SESSION_PATH
                ? sessions(req, res)
                : webApp
                  ? webApp(req, res, url)
                  : Promise.resolve(
                      sendJson(res, 404, {
                        error: `No route for ${req.method} ${url.pathname.slice(0, 100)}; the API is at /graphql.`,
                      }),
                    );
    route.catch((error: unknown) => {
      logger.error({ reqId: record.id, err: error }, 'Unexpected error');
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [
            {
              message: 'Internal server error',
              extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: record.id },
            },
          ],
        });
      else res.destroy();
    });
  });
  // Slow clients must not hold a connection for ever: tighter than Node's defaults (300 s, 60 s).
  httpServer.requestTimeout = 30_000;
  httpServer.headersTimeout = 10_000;
  const drain = createDrain(httpServer);
  // What WebSocket and Server-Sent Events subscriptions apply alike, with one count of connections
  // per client address for both.
  const subscriptionRules = createSubscriptionRules({
    schema,
    database: options.database,
    live,
    guard,
    limits,
    production,
    trustedDocuments: options.trustedDocuments,
    maxConnectionsPerAddress: options.live?.maxSocketsPerAddress,
  });
  const subscriptions = attachSubscriptions({
    httpServer,
    database: options.database,
    rules: subscriptionRules,
    logger,
    trustProxy,
    maxSubscriptions: options.live?.maxSubscriptions,
    keepAliveMs: options.live?.keepAliveMs,
  });
  const eventStreams = createEventStreams({
    database: options.database,
    rules: subscriptionRules,
    logger,
    maxBodyBytes,
    keepAliveMs: options.live?.keepAliveMs,
  });
  const probes = createProbes({
    database: options.database,
    isDraining: () => drain.draining,
    rateLimits: () => rateLimiter?.store,
    replicas: () => options.database.replicas(),
  });

  function openRecord(req: IncomingMessage, url: URL): RequestRecord {
    const path = url.pathname;
    return {
      id: requestIdFor(req, trustProxy > 0),
      method: (req.method ?? 'GET').slice(0, 10),
      path: path.slice(0, 100),
      route:
        path === '/graphql'
          ? 'graphql'
          : path === '/healthz'
            ? 'healthz'
            : path === '/readyz'
              ? 'readyz'
              : path === '/metrics'
                ? 'metrics'
                : 'other',
      ip: clientAddress(req, trustProxy),
      startedAt: process.hrtime.bigint(),
      errorCodes: [],
    };
  }

  return {
    apollo,
    httpServer,
    metrics,
    live,
    webhooks,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}/graphql`);
        });
      }),
    async stop() {
      const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
      const drained = drain.close(graceMs);
      // Subscriptions never finish on their own: their sockets close at once (1001, going away),
      // their event streams end.
      await Promise.all([subscriptions.close(), eventStreams.close()]);
      const { cut } = await drained;
      if (cut > 0)
        logger.warn({ cut, graceMs }, `Cut ${cut} request(s) still running after the grace period`);
      await apollo.stop();
      await webhooks?.stop();
      await changeFeed?.stop();
      await statistics?.stop();
      await live.stop();
      await rateLimiter?.close();
    },
  };
}

/**
 * The id of the token behind a request's editor session cookie, for the per-token rate limit: only
 * when the session is live and the request may act with it (auth.ts refuses the others).
 */
async function sessionTokenOf(db: ChanceryDb, req: IncomingMessage): Promise<string | null> {
  const sessionId = sessionIdFromCookies(req.headers.cookie);
  if (sessionId === null) return null;
  const headers = {
    get: (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
  if (cookieRequestRefusal(headers) !== null) return null;
  return (await findSession(db, sessionId))?.id ?? null;
}

/**
 * An anonymous request's key, what its answer depends on besides the data (the response cache's
 * key, and replays'), or null: token holders' and signed-in editors' requests, and GET (no body;
 * HTTP caches key those by URL).
 */
function anonymousKeyOf(req: IncomingMessage, bodyText: string | undefined): string | null {
  if (bodyText === undefined || req.headers.authorization !== undefined) return null;
  if (sessionIdFromCookies(req.headers.cookie) !== null) return null;
  return `${req.headers.accept ?? ''}\n${bodyText}`;
}

/**
 * Apollo answers a failure outside the operation (its context could not be made) itself: give the
 * client the request id there too, as every other INTERNAL_SERVER_ERROR carries it.
 */
function withRequestId(body: string, requestId: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: Record<string, unknown> }[] };
    for (const error of parsed.errors ?? []) error.extensions = { ...error.extensions, requestId };
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}

/** Compares a bearer credential in constant time. */
function bearerMatches(header: string | undefined, expected: string): boolean {
  const given = Buffer.from(/^bearer\s+(.+)$/i.exec(header?.trim() ?? '')?.[1] ?? '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
