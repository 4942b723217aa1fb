import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { isUnexpected } from '../errors.ts';
import type { Logger } from '../logging.ts';
import { recordOf } from './request-record.ts';

/**
 * Tells the request's record what Apollo learned (operation name and type, error codes), logs
 * every unexpected error in full under the request id, and gives the client that id on each
 * INTERNAL_SERVER_ERROR, whose message production masks.
 */
export function observabilityPlugin<Context extends object>(options: {
  logger: Logger;
}): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const record = recordOf(request.http);
      if (!record) return;
      return {
        async didResolveOperation({ operation, operationName }) {
          record.operationName = operationName;
          if (operation) record.operationType = operation.operation;
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (!isUnexpected(error)) continue;
            options.logger.error(
              { reqId: record.id, path: error.path, err: error.originalError ?? error },
              'Unexpected error',
            );
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors) return;
          result.errors = result.errors.map((error): GraphQLFormattedError => {
            const code = String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
            record.errorCodes.push(code);
            return code === 'INTERNAL_SERVER_ERROR'
              ? { ...error, extensions: { ...error.extensions, requestId: record.id } }
              : error;
          });
          // Syntax, validation, variables and limits: the request was well-formed, the document not.
          record.requestErrorsOnly =
            !('data' in result) && !result.errors.some((e) => e.extensions?.code === 'BAD_REQUEST');
        },
      };
    },
  };
}
