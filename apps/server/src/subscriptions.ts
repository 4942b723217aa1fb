// GraphQL subscriptions over WebSocket, the graphql-ws protocol, on the same /graphql path as
// HTTP (what Apollo Client, urql and Apollo Sandbox speak). The connection authenticates once, in
// `connection_init` (`{ "authorization": "Bearer <token>" }`, or the upgrade request's
// Authorization header, or an editor session's cookie on a socket opened by this site's pages), as
// HTTP requests do; every subscription document passes the same limits as an HTTP query (trusted
// documents, document guard, cost budget); only subscriptions go over the socket (queries and
// mutations take POST, with its rate limits and cache). A connection holds a bounded number of
// subscriptions, and an address a bounded number of sockets; idle sockets are pinged and dropped
// when they stop answering; stop() closes them with 1001 (going away), and clients reconnect to
// another process.
import type { IncomingMessage, Server } from 'node:http';
import type { Database } from '@chancery/db/database';
import { findSession } from '@chancery/db/sessions';
import { ANONYMOUS, type Viewer } from '@chancery/domain/viewer';
import {
  createSourceEventStream,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  validate,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { viewerFromHeaders } from './auth.ts';
import { createContext } from './context.ts';
import { createErrorFormatter } from './errors.ts';
import { clientAddress } from './http/client-address.ts';
import { sessionIdFromCookies } from './http/session.ts';
import { createCostModel } from './limits/cost.ts';
import type { DocumentGuard } from './limits/guard.ts';
import { LIMIT_CODES, type QueryLimits } from './limits/limits.ts';
import type { LiveContext, LiveUpdates } from './live-updates.ts';
import type { Logger } from './logging.ts';
import { readTrustedManifest, sha256, type TrustedDocumentsOptions } from './trusted-documents.ts';

export const DEFAULT_MAX_SUBSCRIPTIONS = 20;
export const DEFAULT_MAX_SOCKETS_PER_ADDRESS = 50;
/** How often idle sockets are pinged; one that has not answered by the next ping is dropped. */
const DEFAULT_KEEP_ALIVE_MS = 12_000;
/** A WebSocket close reason is at most 123 bytes. */
const CLOSE_REASON_BYTES = 123;

export type SubscriptionServer = {
  /** Open sockets. */
  readonly connections: number;
  /** Closes every socket (1001, going away) and stops accepting new ones. */
  close(): Promise<void>;
};

type Extra = { viewer?: Viewer };

export function attachSubscriptions(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  database: Database;
  live: LiveUpdates;
  guard: DocumentGuard;
  limits: QueryLimits;
  production: boolean;
  logger: Logger;
  maxSubscriptions?: number;
  /** Open sockets one client address may hold (beyond them the upgrade is answered 429). */
  maxSocketsPerAddress?: number;
  /** Proxies whose X-Forwarded-For names the client (CHANCERY_TRUST_PROXY). */
  trustProxy?: number;
  keepAliveMs?: number;
  /** As for HTTP: only the manifest's documents run (admins' too, with the bypass). */
  trustedDocuments?: TrustedDocumentsOptions;
}): SubscriptionServer {
  const { schema, database, live, guard, limits, production, logger } = options;
  const maxSubscriptions = options.maxSubscriptions ?? DEFAULT_MAX_SUBSCRIPTIONS;
  const formatError = createErrorFormatter({ schema, production });
  const costModel = createCostModel(schema, { budget: limits.maxCost });
  const trusted = options.trustedDocuments;
  const manifest = trusted
    ? typeof trusted.manifest === 'string'
      ? readTrustedManifest(trusted.manifest)
      : trusted.manifest
    : null;
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => formatError(error.toJSON(), error));
  const refuse = (message: string, code: string, extensions: Record<string, unknown> = {}) => [
    new GraphQLError(message, { extensions: { code, ...extensions } }),
  ];

  const sharedResults = new SharedResults();
  const maxPerAddress = options.maxSocketsPerAddress ?? DEFAULT_MAX_SOCKETS_PER_ADDRESS;
  const socketsByAddress = new Map<string, number>();
  const addressOf = (req: IncomingMessage) => clientAddress(req, options.trustProxy ?? 0);
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    verifyClient: ({ req }, done) => {
      if ((socketsByAddress.get(addressOf(req)) ?? 0) < maxPerAddress) return done(true);
      done(
        false,
        429,
        `Too many WebSocket connections from this address: at most ${maxPerAddress}. Close one, or hold several subscriptions on one connection.`,
      );
    },
  });
  wss.on('connection', (socket, req) => {
    const address = addressOf(req);
    socketsByAddress.set(address, (socketsByAddress.get(address) ?? 0) + 1);
    socket.once('close', () => {
      const left = (socketsByAddress.get(address) ?? 1) - 1;
      if (left > 0) socketsByAddress.set(address, left);
      else socketsByAddress.delete(address);
    });
  });
  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      isProd: production,
      // Authenticates the connection: the token in connection_init's payload, else the upgrade's
      // Authorization header, else the editor session's cookie (from this site's pages only).
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const given = params.authorization ?? params.Authorization;
        const { headers } = ctx.extra.request;
        const header = typeof given === 'string' ? given : headers.authorization;
        const refuse = (reason: string) => {
          ctx.extra.socket.close(CloseCode.Forbidden, closeReason(reason));
          return false;
        };
        try {
          if (header === undefined && sessionIdFromCookies(headers.cookie) !== null) {
            // Browsers send cookies with a WebSocket from any site's page: only our own pages' count.
            if (!sameOrigin(headers.origin, headers.host))
              return refuse(
                'Forbidden: a WebSocket signed in by the session cookie must come from this site’s pages.',
              );
            const session = await findSession(database.db, sessionIdFromCookies(headers.cookie) as string);
            ctx.extra.viewer = session ? { role: session.role, tokenName: session.name } : ANONYMOUS;
            return true;
          }
          ctx.extra.viewer = await viewerFromHeaders(database.db, {
            get: (name) => (name === 'authorization' ? header : undefined),
          });
          return true;
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          return refuse(`Unauthenticated: ${error.message}`);
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        if (Object.keys(ctx.subscriptions).length > maxSubscriptions)
          return refuse(
            `This connection already holds ${maxSubscriptions} subscriptions, the most allowed; complete one first, or open another connection.`,
            'SUBSCRIPTION_LIMIT_EXCEEDED',
            { limit: { max: maxSubscriptions } },
          );
        const sentHash = (payload.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)
          ?.sha256Hash;
        // A client may send a trusted document by its hash alone, as over HTTP.
        const query =
          !payload.query && typeof sentHash === 'string'
            ? (manifest?.documents.get(sentHash) ?? '')
            : (payload.query ?? '');
        if (
          manifest &&
          !(trusted?.adminBypass && ctx.extra.viewer?.role === 'admin') &&
          !manifest.documents.has(sha256(query))
        )
          return refuse(
            `This server runs only trusted operations, and this subscription is not one of them: the sha256 hash of its text (${sha256(query)}) is not in the server's manifest.`,
            'OPERATION_NOT_TRUSTED',
          );
        const violation = guard.check(query);
        if (violation)
          return refuse(violation.message, violation.code, violation.limit ? { limit: violation.limit } : {});
        let document: ReturnType<typeof parse>;
        try {
          document = parse(query, { maxTokens: limits.maxTokens });
        } catch (error) {
          return [error as GraphQLError];
        }
        const invalid = validate(schema, document);
        if (invalid.length > 0) return invalid;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation)
          return refuse(
            'Name the operation to run (operationName): the document has several, or none.',
            'BAD_USER_INPUT',
          );
        if (operation.operation !== 'subscription')
          return refuse(
            `Only subscriptions go over WebSocket; send ${operation.operation === 'query' ? 'queries' : 'mutations'} with POST /graphql.`,
            'BAD_USER_INPUT',
          );
        const { requested } = costModel.operationCost(document, operation, payload.variables ?? undefined);
        if (requested > limits.maxCost)
          return refuse(
            `This subscription's events could hold up to ${requested} fields, over the budget of ${limits.maxCost}; select fewer nested lists.`,
            LIMIT_CODES.maxCost,
            { cost: { requested, limit: limits.maxCost } },
          );
        const viewer = ctx.extra.viewer ?? ANONYMOUS;
        const contextValue: LiveContext = {
          ...createContext({ db: database.db, viewer }),
          live,
          // Results depend on the role, not on which token: subscribers alike share each event's.
          shareKey: `${viewer.role}\n${payload.operationName ?? ''}\n${query}\n${JSON.stringify(payload.variables ?? {})}`,
        };
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      subscribe: (args) => subscribeSharing(args, sharedResults),
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
    },
    wss,
    options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
  );
  wss.on('error', (error) => logger.warn({ err: error }, 'WebSocket server error'));

  return {
    get connections() {
      return wss.clients.size;
    },
    close: () => server.dispose() as Promise<void>,
  };
}

/**
 * Recent events' results by share key and cursor: a thousand subscribers with the same document,
 * variables and role get one execution per event. Kept a few seconds, past any batch's delivery.
 */
class SharedResults {
  private readonly results = new Map<string, Promise<ExecutionResult>>();
  get(key: string, execute: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    let result = this.results.get(key);
    if (!result) {
      result = execute();
      this.results.set(key, result);
      setTimeout(() => this.results.delete(key), SHARED_RESULT_MS).unref();
    }
    return result;
  }
}
const SHARED_RESULT_MS = 5_000;

/**
 * graphql-js's subscribe, except that each event's result is shared by the subscribers with the
 * same share key (live-updates.ts, LiveContext) rather than executed for each of them.
 */
async function subscribeSharing(
  args: ExecutionArgs,
  shared: SharedResults,
): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const source = stream as AsyncGenerator<{ cursor?: string }>;
  const shareKey = (args.contextValue as LiveContext).shareKey;
  const run = (event: { cursor?: string }) =>
    Promise.resolve(execute({ ...args, rootValue: event })) as Promise<ExecutionResult>;
  const results: AsyncGenerator<ExecutionResult> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const next = await source.next();
      if (next.done) return { value: undefined, done: true };
      const event = next.value;
      const value =
        shareKey && event.cursor
          ? await shared.get(`${shareKey}\n${event.cursor}`, () => run(event))
          : await run(event);
      return { value, done: false };
    },
    async return() {
      await source.return?.(undefined);
      return { value: undefined, done: true };
    },
    async throw(error) {
      await source.return?.(undefined);
      throw error;
    },
  };
  return results;
}

/** The page that opened the socket is this site's: its Origin names our Host. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Cut to what a close frame can carry, at a word. */
function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= CLOSE_REASON_BYTES) return text;
  let cut = text;
  while (Buffer.byteLength(`${cut}…`) > CLOSE_REASON_BYTES) cut = cut.slice(0, cut.lastIndexOf(' '));
  return `${cut}…`;
}
