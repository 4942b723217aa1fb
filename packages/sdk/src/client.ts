import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import type { DocumentNode } from 'graphql';
import {
  type AnyDocument,
  type ChanceryClientOptions,
  type ChanceryCoreClient,
  createChanceryCoreClient,
  type OperationArgs,
  type RequestOptions,
  type SdkDocument,
  type SubscriptionArgs,
} from './core.ts';
import { operations } from './generated/operations.ts';

// The Chancery client: one typed method per operation in src/operations (generated into
// operations.ts), `request` for any other typed document, `paginate` to walk a connection and
// `subscribe` for subscriptions, all run by the core client (core.ts). It carries every operation;
// an application that wants only those it runs uses createChanceryCoreClient with
// `@chancery/sdk/documents` instead.

export type {
  AnyDocument,
  ChanceryClientOptions,
  ChanceryCoreClient,
  FetchLike,
  OperationArgs,
  OperationType,
  RequestOptions,
  RetryOptions,
  SdkDocument,
  SubscribeOptions,
  SubscriptionArgs,
  SubscriptionOptions,
} from './core.ts';

/** The SDK's operations by method name: `name`, `type`, `document`, `hash`, `text`, `connection`. */
export type Operations = typeof operations;
export type OperationName = keyof Operations;
/** Subscriptions: their methods return an async iterable of events rather than a promise. */
export type SubscriptionName = {
  [N in OperationName]: Operations[N]['type'] extends 'subscription' ? N : never;
}[OperationName];
/** Operations with an `$after` variable, which `paginate` can follow page after page. */
export type PaginatedOperationName = {
  [N in OperationName]: Operations[N]['connection'] extends readonly string[] ? N : never;
}[OperationName];
export type OperationResult<N extends OperationName> = ResultOf<Operations[N]['document']>;
export type OperationVariables<N extends OperationName> = VariablesOf<Operations[N]['document']>;

type OperationMethods = {
  readonly [N in keyof Operations]: Operations[N]['type'] extends 'subscription'
    ? (
        ...args: SubscriptionArgs<OperationVariables<N>>
      ) => AsyncGenerator<OperationResult<N>, void, undefined>
    : (...args: OperationArgs<OperationVariables<N>>) => Promise<OperationResult<N>>;
};

export type ChanceryClient = OperationMethods &
  Omit<ChanceryCoreClient, 'paginate'> & {
    /**
     * Every page of a connection, first to last: the operation is run again with `after` set to the
     * previous page's `pageInfo.endCursor` while `pageInfo.hasNextPage`. Yields each page's data.
     */
    paginate<N extends PaginatedOperationName>(
      operation: N,
      ...args: OperationArgs<OperationVariables<N>>
    ): AsyncGenerator<OperationResult<N>, void, undefined>;
    paginate<Result = any, Variables = Record<string, any>>(
      document: AnyDocument<Result, Variables>,
      ...args: OperationArgs<Variables>
    ): AsyncGenerator<Result, void, undefined>;
  };

type AnyVariables = Record<string, unknown>;
type Operation = Operations[OperationName];

const byDocument = new Map<DocumentNode, Operation>(
  Object.values(operations).map((operation) => [operation.document, operation]),
);

/**
 * The SDK's own syntax trees are sent as their table entry: the exact text of the manifest, with
 * its hash. Anything else goes to the core client as it is.
 */
function known<Result, Variables>(document: AnyDocument<Result, Variables>): AnyDocument<Result, Variables> {
  const operation = byDocument.get(document as unknown as DocumentNode);
  return operation ? (operation as unknown as SdkDocument<Result, Variables>) : document;
}

export function createChanceryClient(options: ChanceryClientOptions): ChanceryClient {
  const core = createChanceryCoreClient(options);
  const run = core as unknown as {
    request(document: AnyDocument<unknown, AnyVariables>, ...args: unknown[]): Promise<unknown>;
    subscribe(document: AnyDocument<unknown, AnyVariables>, ...args: unknown[]): AsyncGenerator<unknown>;
    paginate(document: AnyDocument<unknown, AnyVariables>, ...args: unknown[]): AsyncGenerator<unknown>;
  };

  async function* paginate(
    operation: OperationName | AnyDocument<unknown, AnyVariables>,
    variables?: AnyVariables,
    request?: RequestOptions,
  ): AsyncGenerator<unknown, void, undefined> {
    const document = typeof operation === 'string' ? operations[operation] : known(operation);
    if (!document) throw new TypeError(`No SDK operation is named ${String(operation)}.`);
    yield* run.paginate(document, variables, request);
  }

  const methods: Record<string, (variables?: AnyVariables, request?: RequestOptions) => unknown> = {};
  for (const [method, operation] of Object.entries(operations)) {
    methods[method] =
      operation.type === 'subscription'
        ? (variables, request = {}) => run.subscribe(operation, variables, { signal: request.signal })
        : (variables, request) => run.request(operation, variables, request);
  }
  return Object.freeze({
    ...methods,
    request: (document: AnyDocument<unknown, AnyVariables>, ...args: unknown[]) =>
      run.request(known(document), ...args),
    subscribe: (document: AnyDocument<unknown, AnyVariables>, ...args: unknown[]) =>
      run.subscribe(known(document), ...args),
    paginate,
    dispose: core.dispose,
  }) as unknown as ChanceryClient;
}
