import { DomainError } from '@chancery/domain/errors';
import { PothosValidationError } from '@pothos/core';
import type { GraphQLFormattedError } from 'graphql';
import { type GraphQLError, type GraphQLSchema, isEnumType } from 'graphql';

// The one place where failures become client-facing errors: domain errors keep their code and
// message; anything unexpected is masked in production, with a request id to find it in the logs.

const ENUM_VALUE = /Value "([^"]*)" does not exist in "(\w+)" enum/;

export function createErrorFormatter(options: { schema: GraphQLSchema; production: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = (error as GraphQLError | undefined)?.originalError ?? error;
    if (original instanceof DomainError) {
      return withCode(formatted, original.code, original.message);
    }
    if (original instanceof PothosValidationError) {
      return withCode(formatted, 'BAD_USER_INPUT', original.message);
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
    const code = formatted.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
      if (options.production) {
        return {
          message: 'Internal server error',
          locations: formatted.locations,
          path: formatted.path,
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        };
      }
    }
    return formatted;
  };
}

function withCode(formatted: GraphQLFormattedError, code: string, message: string): GraphQLFormattedError {
  const { stacktrace: _hidden, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, message, extensions: { ...extensions, code } };
}
