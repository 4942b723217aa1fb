import { DomainError } from '@chancery/domain/errors';
import { PothosValidationError } from '@pothos/core';
import type { GraphQLFormattedError } from 'graphql';
import { type GraphQLError, type GraphQLSchema, isEnumType } from 'graphql';

// The one place where failures become client-facing errors: domain errors keep their code and
// message; anything unexpected is masked in production (no message, SQL or stack trace), with a
// request id to find it in the logs; no error suggests field or type names in production.

const ENUM_VALUE = /Value "([^"]*)" does not exist in "(\w+)" enum/;
// graphql-js suggests near names ("Did you mean \"title\"?"): in production that would let a client
// map the schema with introspection off.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export function createErrorFormatter(options: { schema: GraphQLSchema; production: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = (error as GraphQLError | undefined)?.originalError ?? error;
    if (original instanceof DomainError) {
      return withCode(formatted, original.code, original.message);
    }
    if (original instanceof PothosValidationError) {
      return withCode(formatted, 'BAD_USER_INPUT', original.message);
    }
    if (unstorableText(original)) {
      return withCode(formatted, 'BAD_USER_INPUT', NUL_MESSAGE);
    }
    const unfit = unfitValue(original);
    if (unfit) {
      return withCode(formatted, 'BAD_USER_INPUT', `${UNFIT_MESSAGE} (${unfit}).`);
    }
    const unknownEnum = ENUM_VALUE.exec(formatted.message);
    if (unknownEnum) {
      const [, value, enumName] = unknownEnum;
      const type = options.schema.getType(enumName as string);
      const allowed = isEnumType(type)
        ? type
            .getValues()
            .map((v) => v.name)
            .join(', ')
        : '';
      return withCode(
        formatted,
        'BAD_USER_INPUT',
        `${JSON.stringify(value)} is not a ${enumName}; allowed: ${allowed}.`,
      );
    }
    if (formatted.extensions?.validationErrorCode === 'INTROSPECTION_DISABLED') {
      // Apollo's message names Apollo and its option; ours says what the client needs to know.
      return withCode(
        formatted,
        'GRAPHQL_VALIDATION_FAILED',
        'Introspection (__schema, __type) is turned off on this server; the schema is published as schema.graphql with the SDK.',
      );
    }
    const code = formatted.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
      if (options.production) {
        // The message may hold SQL or a stack; the log has them, under the request id the client
        // gets in `extensions.requestId` (added as the response leaves, see observability.ts).
        return {
          message: 'Internal server error',
          locations: formatted.locations,
          path: formatted.path,
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        };
      }
    }
    if (options.production) {
      const { stacktrace: _hidden, exception: _alsoHidden, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, message: formatted.message.replace(SUGGESTION, ''), extensions };
    }
    return formatted;
  };
}

/**
 * The code a client will see for an error as it is raised (before formatting): the domain error's
 * code, BAD_USER_INPUT for rejected input, the GraphQL error's own code, else INTERNAL_SERVER_ERROR.
 */
export function errorCode(error: GraphQLError): string {
  const original = error.originalError ?? error;
  if (original instanceof DomainError) return original.code;
  if (
    original instanceof PothosValidationError ||
    ENUM_VALUE.test(error.message) ||
    unstorableText(original) ||
    unfitValue(original)
  )
    return 'BAD_USER_INPUT';
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/** An error nobody raised on purpose: a bug or a failing dependency, logged in full. */
export const isUnexpected = (error: GraphQLError) => errorCode(error) === 'INTERNAL_SERVER_ERROR';

const NUL_MESSAGE = 'Text must not contain the NUL character (U+0000); remove it and send the request again.';

/**
 * PostgreSQL cannot store U+0000 in text and refuses any statement carrying it (SQLSTATE 22021):
 * that is the client's input, not our failure. Drivers wrap the database error (`cause`).
 */
function unstorableText(error: unknown): boolean {
  return (
    causeWhere(
      error,
      (e) =>
        e.code === '22021' ||
        (e instanceof Error && /invalid byte sequence for encoding "UTF8": 0x00/.test(e.message)),
    ) !== null
  );
}

/** The first error along `error`'s causes (drivers wrap the database's) that `test` accepts. */
function causeWhere(error: unknown, test: (e: { code?: unknown }) => boolean): { code?: unknown } | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (test(current as { code?: unknown })) return current as { code?: unknown };
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

const UNFIT_MESSAGE =
  'A value in the request is not one the database can read as its type; a cursor (`after`, `before`) must be one this API gave out';

/**
 * A value the database could not read as its column's type (SQLSTATE 22007, 22008, 22P02): a
 * date or an id taken from a cursor a client wrote, since everything else is checked before it
 * reaches SQL. The database's own words say which value; no SQL goes with them.
 */
function unfitValue(error: unknown): string | null {
  const unfit = causeWhere(
    error,
    (e) => (e.code === '22007' || e.code === '22008' || e.code === '22P02') && e instanceof Error,
  );
  return unfit ? (unfit as Error).message : null;
}

function withCode(formatted: GraphQLFormattedError, code: string, message: string): GraphQLFormattedError {
  const { stacktrace: _hidden, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, message, extensions: { ...extensions, code } };
}
