// GraphQL subscriptions over Server-Sent Events (graphql-sse's "distinct connections mode": one
// request, one subscription, one event stream), at /graphql for requests whose Accept asks for
// `text/event-stream`: what `curl -N` and fetch-based SSE clients speak. The request is read as the
// HTTP API reads one (GET with URL parameters, or POST of JSON, with its size limit), authenticated
// as the HTTP API authenticates one (bearer token, or an editor session's cookie on requests no
// other site can make), and its document passes the rules every subscription transport applies
// (subscription-rules.ts: trusted documents, document guard, cost budget, subscriptions only,
// the subscriber's own visibility). A refused document is answered, as the protocol asks, by an
// accepted stream carrying one `next` event with the errors, then `complete`; a refused request
// (method, body, credential, too many streams) by its HTTP status and a JSON error. An address holds
// a bounded number of connections, streams and WebSockets together; open streams get a comment
// line every keep-alive period; stop() ends them at once, and clients reconnect elsewhere.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@chancery/db/database';
import type { Viewer } from '@chancery/domain/viewer';
import type { ExecutionResult, GraphQLError } from 'graphql';
import { createHandler } from 'graphql-sse';
import { viewerFromHeaders } from './auth.ts';
import { errorCode, isUnexpected } from './errors.ts';
import { readGraphQLRequest } from './http/graphql-request.ts';
import { EVENT_STREAM } from './http/media.ts';
import type { RequestRecord } from './http/request-record.ts';
import { sendGraphQLErrors } from './http/respond.ts';
import type { Logger } from './logging.ts';
import {
  DEFAULT_KEEP_ALIVE_MS,
  type SubscriptionRequest,
  type SubscriptionRules,
} from './subscription-rules.ts';

export type EventStreams = {
  /** Open event streams. */
  readonly open: number;
  /** Answers a request to /graphql that asks for `text/event-stream`. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, record: RequestRecord): Promise<void>;
  /** Ends every open stream and refuses new ones (503). */
  close(): Promise<void>;
};

type StreamContext = { viewer: Viewer; request: SubscriptionRequest; record: RequestRecord };

/**
 * A keep-alive comment. graphql-sse writes one on its own every 12 s; those are dropped, and ours go
 * every keep-alive period (the server's `live.keepAliveMs`, as WebSocket pings).
 */
const PING = ':\n\n';
/** Events written and not yet taken by the client, in bytes, before the stream is dropped. */
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

export function createEventStreams(options: {
  database: Database;
  rules: SubscriptionRules;
  logger: Logger;
  maxBodyBytes: number;
  keepAliveMs?: number;
}): EventStreams {
  const { database, rules, logger } = options;
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  const streams = new Set<() => void>();
  let closing = false;

  const handler = createHandler<IncomingMessage, StreamContext>({
    // Distinct connections only: no reservations (PUT) for graphql-sse's single connection mode.
    authenticate: () => null,
    onSubscribe: async (req) => {
      const { viewer, request, record } = req.context;
      const prepared = rules.prepare(viewer, request, 'Server-Sent Events');
      if (!('document' in prepared)) {
        record.errorCodes.push(...prepared.map(errorCode));
        return once({ errors: prepared });
      }
      record.operationType = 'subscription';
      record.operationName = prepared.operationName ?? null;
      const result = await rules.subscribe(prepared);
      if (Symbol.asyncIterator in result) return result;
      // Refused when it started (an unknown filter id): one event with the errors, then complete.
      for (const error of result.errors ?? []) {
        record.errorCodes.push(errorCode(error));
        if (isUnexpected(error)) logger.error({ reqId: record.id, err: error }, 'Unexpected error');
      }
      return once(result);
    },
    // Errors as HTTP formats them (graphql-sse's types want GraphQLError, it only serialises them).
    onNext: (_ctx, _req, result) =>
      result.errors
        ? { ...result, errors: rules.format(result.errors) as unknown as readonly GraphQLError[] }
        : undefined,
  });

  const shuttingDown =
    'This server is shutting down; open the event stream again (another process takes it).';

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    record: RequestRecord,
  ): Promise<void> {
    const refuse = (status: number, code: string, message: string, headers?: Record<string, string>) =>
      sendGraphQLErrors(req, res, record, status, [{ code, message }], { headers });
    if (closing) return refuse(503, 'SHUTTING_DOWN', shuttingDown);
    const input = await readGraphQLRequest(req, url, { maxBodyBytes: options.maxBodyBytes });
    if (!input.ok) {
      const { status, code, message, headers } = input.refusal;
      return status === 405
        ? refuse(
            status,
            code,
            `${message.split(' ')[0]} does not open an event stream; use GET (URL parameters) or POST (JSON).`,
            headers,
          )
        : refuse(status, code, message, headers);
    }
    const request = subscriptionRequest(input.httpGraphQLRequest.method, url, input.httpGraphQLRequest.body);
    if (typeof request === 'string') return refuse(400, 'BAD_REQUEST', request);
    record.operationName = input.operationName ?? null;

    let viewer: Viewer;
    try {
      viewer = await viewerFromHeaders(database.db, input.httpGraphQLRequest.headers);
    } catch (error) {
      const { code, http } = (error as GraphQLError).extensions ?? {};
      if (typeof code !== 'string') throw error;
      const status = (http as { status?: number } | undefined)?.status ?? 401;
      return refuse(
        status,
        code,
        (error as GraphQLError).message,
        status === 401 ? { 'www-authenticate': 'Bearer realm="chancery"' } : undefined,
      );
    }

    // The stream's place is taken now, before anything is awaited, and given back when it closes.
    const { connections } = rules;
    if (!connections.admits(record.ip))
      return refuse(
        429,
        'TOO_MANY_CONNECTIONS',
        `Too many WebSocket connections and event streams from this address: at most ${connections.max}. Close one, or hold several subscriptions on one WebSocket.`,
      );
    connections.opened(record.ip);
    let gone = false;
    res.once('close', () => {
      gone = true;
      connections.closed(record.ip);
    });

    const [body, init] = await handler({
      // graphql-sse reads the request again: hand it what we read, as JSON (the query may be absent
      // when a trusted document is sent by its hash; the rules take it from the manifest then).
      method: 'POST',
      url: req.url ?? '/graphql',
      headers: {
        get: (name) =>
          name === 'accept'
            ? EVENT_STREAM
            : name === 'content-type'
              ? 'application/json'
              : input.httpGraphQLRequest.headers.get(name),
      },
      body: { ...request, query: request.query ?? '' },
      raw: req,
      context: { viewer, request, record },
    });
    if (gone || closing) {
      // The client left, or stop() came, while the subscription started: end it, stream nothing.
      if (body !== null && typeof body !== 'string') await body.return(undefined);
      if (!gone) refuse(503, 'SHUTTING_DOWN', shuttingDown);
      return;
    }
    res.writeHead(init.status, init.statusText, { ...init.headers, 'x-accel-buffering': 'no' });
    if (body === null || typeof body === 'string') {
      res.end(body ?? undefined);
      return;
    }

    // Browsers flush the headers only with a first byte of the body.
    res.write(PING);
    const ping = setInterval(() => {
      if (res.writable) res.write(PING);
    }, keepAliveMs);
    ping.unref();
    const end = () => {
      void body.return(undefined);
    };
    const stop = () => {
      end();
      if (res.writable) res.end(': this server is shutting down; open the stream again\n\n');
    };
    streams.add(stop);
    res.once('close', end);
    try {
      for await (const message of body) {
        if (message === PING) continue;
        if (!res.writable) break;
        // graphql-sse takes every event from the subscription as it comes, whether or not the client
        // reads: a client that stopped reading is dropped here, as its WebSocket would be, and
        // catches up with changes(after:) when it subscribes again.
        res.write(message);
        if (res.writableLength > MAX_UNREAD_BYTES) {
          logger.warn({ reqId: record.id }, 'An event stream’s client stopped reading; it was dropped');
          res.destroy();
          break;
        }
      }
    } catch (error) {
      logger.warn({ reqId: record.id, err: error }, 'An event stream failed; it was ended');
    } finally {
      clearInterval(ping);
      streams.delete(stop);
      res.off('close', end);
      if (res.writable) res.end();
    }
  }

  return {
    get open() {
      return streams.size;
    },
    handle,
    async close() {
      closing = true;
      for (const stop of [...streams]) stop();
    },
  };
}

/** One result, as a stream of one: graphql-sse sends it as a `next` event, then `complete`. */
async function* once(result: ExecutionResult): AsyncGenerator<ExecutionResult> {
  yield result;
}

/**
 * The subscription a request asks for: from the URL's parameters (GET, as EventSource and curl send
 * it) or the JSON body (POST); a message saying what is wrong otherwise.
 */
function subscriptionRequest(method: string, url: URL, body: unknown): SubscriptionRequest | string {
  let fields: Record<string, unknown>;
  if (method === 'GET') {
    fields = {};
    for (const name of ['query', 'operationName', 'variables', 'extensions']) {
      const values = url.searchParams.getAll(name);
      if (values.length > 1) return `Give the \`${name}\` parameter once, not ${values.length} times.`;
      const [value] = values;
      if (value === undefined) continue;
      if (name === 'variables' || name === 'extensions') {
        try {
          fields[name] = JSON.parse(value);
        } catch {
          return `The \`${name}\` parameter is not valid JSON; send a JSON object, URL-encoded, such as ${name}=%7B%7D.`;
        }
      } else fields[name] = value;
    }
  } else fields = body as Record<string, unknown>;
  const { query, operationName, variables, extensions } = fields;
  const isObject = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
  if (query !== undefined && query !== null && typeof query !== 'string')
    return '`query` must be a string: the GraphQL subscription document.';
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    return '`operationName` must be a string: the name of an operation in the document.';
  if (variables !== undefined && variables !== null && !isObject(variables))
    return '`variables` must be a JSON object of variable values, such as {"filter": {"speakerId": "…"}}.';
  if (extensions !== undefined && extensions !== null && !isObject(extensions))
    return '`extensions` must be a JSON object, such as {"persistedQuery": {"version": 1, "sha256Hash": "…"}}.';
  const hash = isObject(extensions)
    ? ((extensions as { persistedQuery?: { sha256Hash?: unknown } }).persistedQuery?.sha256Hash ?? null)
    : null;
  if ((typeof query !== 'string' || query.trim() === '') && typeof hash !== 'string')
    return 'Send the subscription document as `query` (a URL parameter with GET, a JSON field with POST), such as subscription { statementPublished { cursor } }.';
  return {
    query: query as string | undefined,
    operationName: operationName as string | undefined,
    variables: variables as Record<string, unknown> | undefined,
    extensions: extensions as Record<string, unknown> | undefined,
  };
}
