// What every subscription transport applies alike (WebSocket: subscriptions.ts; Server-Sent Events:
// sse.ts): the checks a subscription document passes before it runs (trusted documents, document
// guard, parse, validation, subscriptions only, cost budget), its context (the viewer's own
// visibility, on the primary), the sharing of each event's result among subscribers who may see the
// same, the formatting of errors as HTTP formats them, and one count of open connections per client
// address, WebSockets and event streams together.
import type { Database } from '@chancery/db/database';
import type { Viewer } from '@chancery/domain/viewer';
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
import { createContext } from './context.ts';
import { createErrorFormatter } from './errors.ts';
import { createCostModel } from './limits/cost.ts';
import type { DocumentGuard } from './limits/guard.ts';
import { LIMIT_CODES, type QueryLimits } from './limits/limits.ts';
import type { LiveContext, LiveUpdates } from './live-updates.ts';
import { readTrustedManifest, sha256, type TrustedDocumentsOptions } from './trusted-documents.ts';

export const DEFAULT_MAX_SOCKETS_PER_ADDRESS = 50;
/** How often open connections are pinged: WebSocket pings, event-stream comment lines. */
export const DEFAULT_KEEP_ALIVE_MS = 12_000;

/** A subscription as a client asks for it, over either transport. */
export type SubscriptionRequest = {
  query?: string | null;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
};

/** How the transport is named in refusals, and where queries and mutations go instead. */
export type Transport = 'WebSocket' | 'Server-Sent Events';

export type SubscriptionRules = {
  /** The execution arguments of a subscription the viewer may run, or why it may not. */
  prepare(
    viewer: Viewer,
    request: SubscriptionRequest,
    transport: Transport,
  ): ExecutionArgs | readonly GraphQLError[];
  /** graphql-js's subscribe, each event's result shared by subscribers with the same share key. */
  subscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult>;
  /** Errors as HTTP responses carry them (production masks unexpected ones). */
  format(errors: readonly GraphQLError[]): GraphQLFormattedError[];
  /** Open connections (sockets and event streams) by client address. */
  connections: AddressCounter;
};

export function refusal(
  message: string,
  code: string,
  extensions: Record<string, unknown> = {},
): GraphQLError[] {
  return [new GraphQLError(message, { extensions: { code, ...extensions } })];
}

export function createSubscriptionRules(options: {
  schema: GraphQLSchema;
  database: Database;
  live: LiveUpdates;
  guard: DocumentGuard;
  limits: QueryLimits;
  production: boolean;
  /** As for HTTP: only the manifest's documents run (admins' too, with the bypass). */
  trustedDocuments?: TrustedDocumentsOptions;
  /** Open connections one client address may hold, WebSockets and event streams together. */
  maxConnectionsPerAddress?: number;
}): SubscriptionRules {
  const { schema, database, live, guard, limits } = options;
  const formatError = createErrorFormatter({ schema, production: options.production });
  const costModel = createCostModel(schema, { budget: limits.maxCost });
  const trusted = options.trustedDocuments;
  const manifest = trusted
    ? typeof trusted.manifest === 'string'
      ? readTrustedManifest(trusted.manifest)
      : trusted.manifest
    : null;
  const sharedResults = new SharedResults();

  function prepare(
    viewer: Viewer,
    request: SubscriptionRequest,
    transport: Transport,
  ): ExecutionArgs | readonly GraphQLError[] {
    const sentHash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
    // A client may send a trusted document by its hash alone, as over HTTP.
    const query =
      !request.query && typeof sentHash === 'string'
        ? (manifest?.documents.get(sentHash) ?? '')
        : (request.query ?? '');
    if (
      manifest &&
      !(trusted?.adminBypass && viewer.role === 'admin') &&
      !manifest.documents.has(sha256(query))
    )
      return refusal(
        `This server runs only trusted operations, and this subscription is not one of them: the sha256 hash of its text (${sha256(query)}) is not in the server's manifest.`,
        'OPERATION_NOT_TRUSTED',
      );
    const violation = guard.check(query);
    if (violation)
      return refusal(violation.message, violation.code, violation.limit ? { limit: violation.limit } : {});
    let document: ReturnType<typeof parse>;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (error) {
      return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return invalid.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
    const operationName = request.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation)
      return refusal(
        'Name the operation to run (operationName): the document has several, or none.',
        'BAD_USER_INPUT',
      );
    if (operation.operation !== 'subscription')
      return refusal(
        `Only subscriptions go over ${transport}; send ${operation.operation === 'query' ? 'queries' : 'mutations'} with POST /graphql.`,
        'BAD_USER_INPUT',
      );
    const variables = request.variables ?? undefined;
    const { requested } = costModel.operationCost(document, operation, variables);
    if (requested > limits.maxCost)
      return refusal(
        `This subscription's events could hold up to ${requested} fields, over the budget of ${limits.maxCost}; select fewer nested lists.`,
        LIMIT_CODES.maxCost,
        { cost: { requested, limit: limits.maxCost } },
      );
    const contextValue: LiveContext = {
      ...createContext({ db: database.db, viewer }),
      live,
      // Results depend on the role, not on which token: subscribers alike share each event's.
      shareKey: `${viewer.role}\n${operationName ?? ''}\n${query}\n${JSON.stringify(variables ?? {})}`,
    };
    return { schema, document, operationName, variableValues: variables, contextValue };
  }

  return {
    prepare,
    subscribe: (args) => subscribeSharing(args, sharedResults),
    format: (errors) => errors.map((error) => formatError(error.toJSON(), error)),
    connections: new AddressCounter(options.maxConnectionsPerAddress ?? DEFAULT_MAX_SOCKETS_PER_ADDRESS),
  };
}

/**
 * The error with the code Apollo gives it over HTTP: without one, the error formatter would take it
 * for an unexpected failure (masked in production).
 */
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/** Open connections by client address, each address at most `max`. */
export class AddressCounter {
  private readonly counts = new Map<string, number>();
  constructor(readonly max: number) {}
  /** Whether the address may open one more. */
  admits(address: string): boolean {
    return (this.counts.get(address) ?? 0) < this.max;
  }
  opened(address: string): void {
    this.counts.set(address, (this.counts.get(address) ?? 0) + 1);
  }
  closed(address: string): void {
    const left = (this.counts.get(address) ?? 1) - 1;
    if (left > 0) this.counts.set(address, left);
    else this.counts.delete(address);
  }
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
