import type { GraphQLFormattedError } from 'graphql';

/**
 * The codes a ChanceryError can carry. The server's: BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN,
 * NOT_FOUND, CONFLICT, INTERNAL_SERVER_ERROR, and Apollo's request errors (GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED, PERSISTED_QUERY_NOT_FOUND …) and OPERATION_NOT_TRUSTED from a server
 * that runs only trusted documents. The client's own: NETWORK_ERROR (the server could not be reached,
 * after any retries), ABORTED (the caller's signal fired) and BAD_RESPONSE (the reply was not a
 * GraphQL response). Other codes a newer server sends come through as they are.
 */
export type ChanceryErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_NOT_SUPPORTED'
  | 'OPERATION_NOT_TRUSTED'
  | 'NETWORK_ERROR'
  | 'ABORTED'
  | 'BAD_RESPONSE';

export type ChanceryErrorOptions = {
  code: ChanceryErrorCode | (string & {});
  message: string;
  path?: readonly (string | number)[];
  errors?: readonly GraphQLFormattedError[];
  status?: number;
  operationName?: string;
  data?: unknown;
  cause?: unknown;
};

/** Every failure of a Chancery client call: `code` says what kind, `message` what went wrong. */
export class ChanceryError extends Error {
  override name = 'ChanceryError';
  /** `extensions.code` of the first GraphQL error, or the client's own code for the failure. */
  readonly code: ChanceryErrorCode | (string & {});
  /** Where in the result the first error happened, e.g. `['treaty', 'provision']`. */
  readonly path: readonly (string | number)[] | undefined;
  /** Every error of the response, as the server sent them. */
  readonly errors: readonly GraphQLFormattedError[];
  /** The HTTP status, when a response arrived. */
  readonly status: number | undefined;
  readonly operationName: string | undefined;
  /** What data the server did return alongside the errors, if any. */
  readonly data: unknown;

  constructor(options: ChanceryErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.path = options.path;
    this.errors = options.errors ?? [];
    this.status = options.status;
    this.operationName = options.operationName;
    this.data = options.data;
  }

  /** The error for a GraphQL response with `errors`: the first one's code, path and message. */
  static fromResponse(
    errors: readonly GraphQLFormattedError[],
    context: { status?: number; operationName?: string; data?: unknown } = {},
  ): ChanceryError {
    const first = errors[0];
    const code = first?.extensions?.code;
    return new ChanceryError({
      code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
      message: first?.message ?? 'The server reported an error without a message.',
      path: first?.path,
      errors,
      ...context,
    });
  }
}
