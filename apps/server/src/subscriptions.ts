// GraphQL subscriptions over WebSocket, the graphql-ws protocol, on the same /graphql path as
// HTTP (what Apollo Client, urql and Apollo Sandbox speak). The connection authenticates once, in
// `connection_init` (`{ "authorization": "Bearer <token>" }`, or the upgrade request's
// Authorization header, or an editor session's cookie on a socket opened by this site's pages), as
// HTTP requests do; every subscription document passes the same limits as an HTTP query (trusted
// documents, document guard, cost budget: subscription-rules.ts, shared with Server-Sent Events in
// sse.ts); only subscriptions go over the socket (queries and mutations take POST, with its rate
// limits and cache). A connection holds a bounded number of subscriptions, and an address a bounded
// number of connections (sockets and event streams); idle sockets are pinged and dropped
// when they stop answering; stop() closes them with 1001 (going away), and clients reconnect to
// another process.
import type { IncomingMessage, Server } from 'node:http';
import type { Database } from '@chancery/db/database';
import { findSession } from '@chancery/db/sessions';
import { ANONYMOUS, type Viewer } from '@chancery/domain/viewer';
import { GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { viewerFromHeaders } from './auth.ts';
import { clientAddress } from './http/client-address.ts';
import { sessionIdFromCookies } from './http/session.ts';
import type { Logger } from './logging.ts';
import { DEFAULT_KEEP_ALIVE_MS, refusal, type SubscriptionRules } from './subscription-rules.ts';

export const DEFAULT_MAX_SUBSCRIPTIONS = 20;
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
  database: Database;
  /** What both transports apply (subscription-rules.ts), with the count of connections per address. */
  rules: SubscriptionRules;
  logger: Logger;
  maxSubscriptions?: number;
  /** Proxies whose X-Forwarded-For names the client (CHANCERY_TRUST_PROXY). */
  trustProxy?: number;
  keepAliveMs?: number;
}): SubscriptionServer {
  const { database, rules, logger } = options;
  const maxSubscriptions = options.maxSubscriptions ?? DEFAULT_MAX_SUBSCRIPTIONS;
  const { connections } = rules;
  const addressOf = (req: IncomingMessage) => clientAddress(req, options.trustProxy ?? 0);
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    verifyClient: ({ req }, done) => {
      if (connections.admits(addressOf(req))) return done(true);
      done(
        false,
        429,
        `Too many WebSocket connections and event streams from this address: at most ${connections.max}. Close one, or hold several subscriptions on one connection.`,
      );
    },
  });
  wss.on('connection', (socket, req) => {
    const address = addressOf(req);
    connections.opened(address);
    socket.once('close', () => connections.closed(address));
  });
  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
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
          return refusal(
            `This connection already holds ${maxSubscriptions} subscriptions, the most allowed; complete one first, or open another connection.`,
            'SUBSCRIPTION_LIMIT_EXCEEDED',
            { limit: { max: maxSubscriptions } },
          );
        return rules.prepare(ctx.extra.viewer ?? ANONYMOUS, payload, 'WebSocket');
      },
      subscribe: (args) => rules.subscribe(args),
      onError: (_ctx, _id, _payload, errors) => rules.format(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: rules.format(result.errors) } : undefined,
    },
    wss,
    // One that has not answered by the next ping is dropped.
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
