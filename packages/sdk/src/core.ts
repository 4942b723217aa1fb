import type { DocumentTypeDecoration, TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode, GraphQLFormattedError } from 'graphql';
import type { Client as WebSocketClient } from 'graphql-ws';
import { ChanceryError } from './errors.ts';

// The client without a method per operation: `request`, `paginate` and `subscribe` run whatever
// document they are handed. It imports none of the SDK's operations, so an application bundles only
// the documents it imports (`@chancery/sdk/documents`: each operation's exact text and hash, without
// a syntax tree). createChanceryClient (client.ts) adds the typed methods on top of it.
// Queries and mutations go over HTTP (fetch); subscriptions over WebSocket (graphql-ws, loaded on
// the first subscription, so an app that never subscribes does not carry it). graphql itself is
// loaded only for a syntax tree (a TypedDocumentNode), which must be printed before it is sent.

export type OperationType = 'query' | 'mutation' | 'subscription';

/**
 * One of the SDK's operations as the client sends it (`@chancery/sdk/documents`): its name and type,
 * the exact text the persisted-documents manifest holds, that text's sha256 hash, and the path of
 * the connection `paginate` follows (null for none). Typed with its result and variables, like a
 * TypedDocumentNode: `ResultOf<typeof readerArticle>`.
 */
export type SdkDocument<
  Result = unknown,
  Variables = Record<string, unknown>,
  Type extends OperationType = OperationType,
  Connection extends readonly string[] | null = readonly string[] | null,
> = DocumentTypeDecoration<Result, Variables> & {
  readonly name: string;
  readonly type: Type;
  readonly hash: string;
  readonly text: string;
  readonly connection: Connection;
};

/** What `request`, `paginate` and `subscribe` take: an SDK document or any TypedDocumentNode. */
export type AnyDocument<Result, Variables> =
  | SdkDocument<Result, Variables>
  | TypedDocumentNode<Result, Variables>;

/** Per-call options. */
export type RequestOptions = {
  /** Cancels the call, including any wait between retries (the call fails with code ABORTED). */
  signal?: AbortSignal;
  /** Sent with this call only; they win over the client's headers and token. */
  headers?: Record<string, string>;
};

/** Per-subscription options. */
export type SubscribeOptions = {
  /** Ends the subscription: the loop over its events fails with code ABORTED. */
  signal?: AbortSignal;
};

/** Variables may be left out when the operation requires none. */
export type OperationArgs<Variables> =
  // biome-ignore lint/complexity/noBannedTypes: `{}` here means "an object with no required keys".
  {} extends Variables
    ? [variables?: Variables, options?: RequestOptions]
    : [variables: Variables, options?: RequestOptions];

/** The part of `fetch` the client uses, so any implementation fits (Node, browsers, undici, tests). */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export type RetryOptions = {
  /** Further attempts after the first (default 2). */
  retries?: number;
  /** Wait before the first retry, doubled for each further one, with jitter (default 100). */
  minDelayMs?: number;
  /** Longest wait between two attempts (default 2000). */
  maxDelayMs?: number;
};

type Awaitable<T> = T | Promise<T>;

export type SubscriptionOptions = {
  /** The WebSocket endpoint; default: `url` with http(s) turned into ws(s). */
  url?: string | URL;
  /**
   * A WebSocket constructor; default: the global one (browsers, Node 22 and later). On Node 20,
   * pass the `ws` package's: `import WebSocket from 'ws'`.
   */
  webSocketImpl?: unknown;
  /** Reconnections after the socket drops, each subscription subscribing again (default 5). */
  retryAttempts?: number;
  /** How long the socket stays open after the last subscription ends, in ms (default 0). */
  lazyCloseTimeoutMs?: number;
};

export type ChanceryClientOptions = {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string | URL;
  /** An API token, sent as `authorization: Bearer <token>`; a function is asked on every call. */
  token?: string | (() => Awaitable<string | null | undefined>);
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
  /** Sent with every call; a function is asked on every call. */
  headers?: Record<string, string> | (() => Awaitable<Record<string, string>>);
  /**
   * Send the sha256 hash of the SDK's documents in place of their text (Apollo-style persisted
   * queries). A server that does not know the hash yet is sent the text once, and caches it.
   */
  persistedQueries?: boolean;
  /** Retries of queries that fail to reach the server (never of mutations). `false`: none. */
  retry?: RetryOptions | false;
  /** Subscriptions over WebSocket (graphql-ws); the token goes in `connection_init`. */
  subscriptions?: SubscriptionOptions;
};

type AnyVariables = Record<string, unknown>;
/** Like OperationArgs, with a subscription's options. */
export type SubscriptionArgs<Variables> =
  // biome-ignore lint/complexity/noBannedTypes: `{}` here means "an object with no required keys".
  {} extends Variables
    ? [variables?: Variables, options?: SubscribeOptions]
    : [variables: Variables, options?: SubscribeOptions];

/** The client without per-operation methods (`createChanceryClient` adds them). */
export type ChanceryCoreClient = {
  /** Runs any typed document: an SDK document (`readerArticle`), the SDK's `StatementsDocument`, or one of yours. */
  request<Result = any, Variables = Record<string, any>>(
    document: AnyDocument<Result, Variables>,
    ...args: OperationArgs<Variables>
  ): Promise<Result>;
  /**
   * Every page of a connection, first to last: the operation is run again with `after` set to the
   * previous page's `pageInfo.endCursor` while `pageInfo.hasNextPage`. Yields each page's data.
   */
  paginate<Result = any, Variables = Record<string, any>>(
    document: AnyDocument<Result, Variables>,
    ...args: OperationArgs<Variables>
  ): AsyncGenerator<Result, void, undefined>;
  /**
   * The events of any typed subscription document, over WebSocket, until the loop breaks, the
   * signal fires or the server ends it. An error (the server's, or the socket's) is thrown by the loop.
   */
  subscribe<Result = any, Variables = Record<string, any>>(
    document: AnyDocument<Result, Variables>,
    ...args: SubscriptionArgs<Variables>
  ): AsyncGenerator<Result, void, undefined>;
  /** Closes the WebSocket, ending every subscription. */
  dispose(): Promise<void>;
};

type Prepared = {
  type: string;
  name: string | undefined;
  text: string;
  hash: string | undefined;
  connection: readonly string[] | null;
};
type RequestBody = {
  query?: string;
  operationName?: string;
  variables?: AnyVariables;
  extensions?: { persistedQuery: { version: 1; sha256Hash: string } };
};
type GraphQLResponse = { data?: unknown; errors?: GraphQLFormattedError[] };

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const DEFAULT_RETRY: Required<RetryOptions> = { retries: 2, minDelayMs: 100, maxDelayMs: 2000 };

export function createChanceryCoreClient(options: ChanceryClientOptions): ChanceryCoreClient {
  const url = String(options.url);
  const fetchImpl: FetchLike | undefined =
    options.fetch ??
    (typeof globalThis.fetch === 'function' ? (input, init) => globalThis.fetch(input, init) : undefined);
  if (!fetchImpl) throw new TypeError('No global fetch here: pass `fetch` to createChanceryClient.');
  const retry =
    options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
  // Turned off for good when the server says it does not do persisted queries at all.
  let persistedQueries = options.persistedQueries ?? false;

  async function headersFor(request: RequestOptions): Promise<Record<string, string>> {
    const shared = typeof options.headers === 'function' ? await options.headers() : options.headers;
    const token = typeof options.token === 'function' ? await options.token() : options.token;
    return {
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...shared,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...request.headers,
      'content-type': 'application/json',
    };
  }

  /** One HTTP exchange, retried while a query cannot reach the server. */
  async function send(
    operation: Prepared,
    body: RequestBody,
    request: RequestOptions,
  ): Promise<{ status: number; payload: GraphQLResponse }> {
    const attempts = operation.type === 'query' ? retry.retries + 1 : 1;
    const headers = await headersFor(request);
    const json = JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(request.signal, operation);
      let status: number;
      let text: string;
      let contentType: string | null;
      try {
        const response = await fetchImpl!(url, {
          method: 'POST',
          headers,
          body: json,
          ...(request.signal ? { signal: request.signal } : {}),
        });
        status = response.status;
        contentType = response.headers.get('content-type');
        text = await response.text();
      } catch (error) {
        throwIfAborted(request.signal, operation);
        if (attempt < attempts) {
          await sleep(backoff(retry, attempt), request.signal, operation);
          continue;
        }
        const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
        throw new ChanceryError({
          code: 'NETWORK_ERROR',
          message: `Could not reach the Chancery API at ${url}${tries}: ${describe(error)}`,
          operationName: operation.name,
          cause: error,
        });
      }
      if (RETRYABLE_STATUS.has(status) && attempt < attempts) {
        await sleep(backoff(retry, attempt), request.signal, operation);
        continue;
      }
      return { status, payload: parseResponse(text, status, contentType, operation, url) };
    }
  }

  async function execute(operation: Prepared, variables: AnyVariables | undefined, request: RequestOptions) {
    const hashOnly = persistedQueries && operation.hash !== undefined;
    const persisted = operation.hash
      ? { persistedQuery: { version: 1 as const, sha256Hash: operation.hash } }
      : undefined;
    const base = { operationName: operation.name, variables };
    let { status, payload } = await send(
      operation,
      hashOnly ? { ...base, extensions: persisted } : { ...base, query: operation.text },
      request,
    );
    const code = payload.errors?.[0]?.extensions?.code;
    if (hashOnly && (code === 'PERSISTED_QUERY_NOT_FOUND' || code === 'PERSISTED_QUERY_NOT_SUPPORTED')) {
      // The server has not seen this hash yet (it keeps the text sent with it), or keeps none.
      // Either way nothing was executed, so sending the text is safe for mutations too.
      if (code === 'PERSISTED_QUERY_NOT_SUPPORTED') persistedQueries = false;
      ({ status, payload } = await send(
        operation,
        {
          ...base,
          query: operation.text,
          ...(code === 'PERSISTED_QUERY_NOT_FOUND' ? { extensions: persisted } : {}),
        },
        request,
      ));
    }
    if (payload.errors && payload.errors.length > 0) {
      throw ChanceryError.fromResponse(payload.errors, {
        status,
        ...(operation.name ? { operationName: operation.name } : {}),
        data: payload.data,
      });
    }
    if (payload.data === null || payload.data === undefined) {
      throw new ChanceryError({
        code: 'BAD_RESPONSE',
        message: `The response from ${url} (HTTP ${status}) has neither data nor errors.`,
        status,
        operationName: operation.name,
      });
    }
    return payload.data;
  }

  async function* paginate(
    document: AnyDocument<unknown, AnyVariables>,
    variables: AnyVariables = {},
    request: RequestOptions = {},
  ): AsyncGenerator<unknown, void, undefined> {
    const operation = await prepare(document);
    const path = operation.connection;
    if (!path) {
      throw new TypeError(
        `${isSdkDocument(document) ? document.name : 'This document'} cannot be paginated: it needs an \`$after: String\` variable ` +
          'passed as `after:` to a connection field.',
      );
    }
    if (variables.last != null || variables.before != null) {
      throw new TypeError('paginate walks forwards: pass `first` (and `after`), not `last` or `before`.');
    }
    let after = (variables.after as string | null | undefined) ?? null;
    const cursors = new Set<string>();
    for (;;) {
      const data = await execute(operation, { ...variables, after }, request);
      yield data;
      const connection = connectionAt(data, path);
      if (!connection) return;
      const pageInfo = connection.pageInfo;
      if (typeof pageInfo?.hasNextPage !== 'boolean') {
        throw new TypeError(
          `paginate needs pageInfo { hasNextPage endCursor } selected on ${path.join('.')}.`,
        );
      }
      if (!pageInfo.hasNextPage) return;
      const next = pageInfo.endCursor;
      if (!next || cursors.has(next)) {
        throw new ChanceryError({
          code: 'BAD_RESPONSE',
          message: `${path.join('.')} has a next page but ${next ? 'repeats an earlier cursor' : 'no endCursor'}; stopped instead of looping.`,
          operationName: operation.name,
        });
      }
      cursors.add(next);
      after = next;
    }
  }

  const webSocketUrl = String(options.subscriptions?.url ?? url.replace(/^http(s?):/i, 'ws$1:'));
  let webSocketClient: Promise<WebSocketClient> | null = null;

  /** The graphql-ws client, made (and graphql-ws loaded) on the first subscription. */
  function webSocket(): Promise<WebSocketClient> {
    webSocketClient ??= import('graphql-ws').then(({ createClient }) => {
      const impl = options.subscriptions?.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket;
      if (!impl) {
        throw new TypeError(
          "No global WebSocket here (Node before 22): pass `subscriptions: { webSocketImpl: WebSocket }` from the 'ws' package.",
        );
      }
      return createClient({
        url: webSocketUrl,
        webSocketImpl: impl,
        lazy: true,
        lazyCloseTimeout: options.subscriptions?.lazyCloseTimeoutMs ?? 0,
        retryAttempts: options.subscriptions?.retryAttempts ?? 5,
        connectionParams: async () => {
          const token = typeof options.token === 'function' ? await options.token() : options.token;
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      });
    });
    webSocketClient.catch(() => {
      webSocketClient = null;
    });
    return webSocketClient;
  }

  async function* subscribe(
    document: AnyDocument<unknown, AnyVariables>,
    variables: AnyVariables | undefined,
    request: SubscribeOptions = {},
  ): AsyncGenerator<unknown, void, undefined> {
    const operation = await prepare(document);
    if (operation.type !== 'subscription') {
      throw new TypeError(
        `${operation.name ?? 'This document'} is a ${operation.type}: run it with request(), not subscribe().`,
      );
    }
    const { signal } = request;
    throwIfAborted(signal, operation);
    const events = (await webSocket()).iterate({
      query: operation.text,
      ...(operation.name ? { operationName: operation.name } : {}),
      ...(variables ? { variables } : {}),
    });
    const stop = () => void events.return?.();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for (;;) {
        let event: IteratorResult<{ data?: unknown; errors?: readonly GraphQLFormattedError[] }>;
        try {
          event = await events.next();
        } catch (error) {
          throw subscriptionError(error, operation, webSocketUrl);
        }
        throwIfAborted(signal, operation);
        if (event.done) return;
        const { data, errors } = event.value;
        if (errors && errors.length > 0) {
          throw ChanceryError.fromResponse(errors, {
            ...(operation.name ? { operationName: operation.name } : {}),
            data,
          });
        }
        yield data;
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      await events.return?.();
    }
  }

  return Object.freeze({
    request: async (
      document: AnyDocument<unknown, AnyVariables>,
      variables?: AnyVariables,
      request: RequestOptions = {},
    ) => execute(await prepare(document), variables, request),
    paginate,
    subscribe,
    async dispose() {
      const client = webSocketClient;
      webSocketClient = null;
      await (await client?.catch(() => null))?.dispose();
    },
  }) as unknown as ChanceryCoreClient;
}

/**
 * What a subscription's loop throws: the server's errors as a ChanceryError with their code
 * (NOT_FOUND, BAD_USER_INPUT …); a socket the server closed, or could not open, as NETWORK_ERROR
 * (FORBIDDEN for a token it refused, close code 4403).
 */
function subscriptionError(error: unknown, operation: Prepared, url: string): unknown {
  if (error instanceof ChanceryError || error instanceof TypeError) return error;
  const operationName = operation.name;
  if (Array.isArray(error)) return ChanceryError.fromResponse(error, operationName ? { operationName } : {});
  const close = error as { code?: unknown; reason?: unknown };
  if (typeof close?.code === 'number') {
    const reason = typeof close.reason === 'string' && close.reason !== '' ? `: ${close.reason}` : '';
    return new ChanceryError({
      code: close.code === 4403 ? 'FORBIDDEN' : 'NETWORK_ERROR',
      message: `The WebSocket to ${url} closed with code ${close.code}${reason}.`,
      operationName,
      cause: error,
    });
  }
  return new ChanceryError({
    code: 'NETWORK_ERROR',
    message: `Could not subscribe through ${url}: ${error instanceof Error ? describe(error) : 'the WebSocket failed'}.`,
    operationName,
    cause: error,
  });
}

function isSdkDocument(document: object): document is SdkDocument<unknown, AnyVariables> {
  return (
    !('kind' in document) &&
    typeof (document as { text?: unknown }).text === 'string' &&
    typeof (document as { hash?: unknown }).hash === 'string'
  );
}

/**
 * The SDK's documents carry their exact text, hash and connection. A syntax tree is printed here
 * (graphql loaded for it), so it is sent without a hash: its text need not be the manifest's.
 */
async function prepare(document: AnyDocument<unknown, AnyVariables>): Promise<Prepared> {
  if (isSdkDocument(document)) {
    const { type, name, text, hash, connection } = document;
    return { type, name, text, hash, connection };
  }
  const [{ getOperationAST, print }, { connectionPath }] = await Promise.all([
    import('graphql'),
    import('./pagination.ts'),
  ]);
  const ast = document as DocumentNode;
  const operation = getOperationAST(ast);
  if (!operation) {
    throw new TypeError('The document must hold exactly one operation (fragments may come with it).');
  }
  return {
    type: operation.operation,
    name: operation.name?.value,
    text: print(ast),
    hash: undefined,
    connection: connectionPath(ast),
  };
}

/** What a connection must carry for the next page to be found. */
type PageInfoLike = { hasNextPage?: boolean | null; endCursor?: string | null };

/** The connection at `path` in a result, or null where it or a parent on the way is null. */
function connectionAt(data: unknown, path: readonly string[]): { pageInfo?: PageInfoLike } | null {
  let value: unknown = data;
  for (const key of path) {
    if (value === null || value === undefined) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return (value ?? null) as { pageInfo?: PageInfoLike } | null;
}

function parseResponse(
  text: string,
  status: number,
  contentType: string | null,
  operation: Prepared,
  url: string,
): GraphQLResponse {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    payload = undefined;
  }
  if (payload && typeof payload === 'object' && ('data' in payload || 'errors' in payload)) {
    return payload as GraphQLResponse;
  }
  const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  throw new ChanceryError({
    code: 'BAD_RESPONSE',
    message: `Expected a GraphQL response from ${url}, got HTTP ${status} (${contentType ?? 'no content type'}): ${excerpt}`,
    status,
    operationName: operation.name,
  });
}

function backoff(retry: Required<RetryOptions>, attempt: number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function aborted(signal: AbortSignal, operation: Prepared): ChanceryError {
  return new ChanceryError({
    code: 'ABORTED',
    message: `${operation.name ?? 'The operation'} was aborted.`,
    operationName: operation.name,
    cause: signal.reason,
  });
}

function throwIfAborted(signal: AbortSignal | undefined, operation: Prepared): void {
  if (signal?.aborted) throw aborted(signal, operation);
}

function sleep(ms: number, signal: AbortSignal | undefined, operation: Prepared): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(signal!, operation));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch says "fetch failed" and keeps the reason (ECONNREFUSED …) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
