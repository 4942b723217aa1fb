import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { rows } from '@chancery/db/repositories/sql';
import { canSeeUnpublished } from '@chancery/domain/viewer';
import { sql } from 'drizzle-orm';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type { Context } from '../context.ts';
import { type CompiledRead, compileRead, statementFor } from './compile.ts';

export type CompiledReadsOptions = {
  /** Told each time an operation is answered by its compiled statement, with its HTTP request. */
  onCompiled?: (httpRequest: object | undefined) => void;
};

/**
 * Answers a reader's query (anyone who may not see unpublished records) with its compiled statement
 * (compile.ts) once every other plugin has accepted the operation (limits, trusted documents), so it
 * is refused, priced and logged as any other. Editors, and documents that do not compile, run
 * through the resolvers.
 */
export function compiledReadsPlugin(options: CompiledReadsOptions = {}): ApolloServerPlugin<Context> {
  // Apollo keeps one DocumentNode per document text, so a document compiles once.
  const compiled = new WeakMap<DocumentNode, Map<OperationDefinitionNode, CompiledRead | null>>();
  const compiledFor = (document: DocumentNode, operation: OperationDefinitionNode) => {
    let byOperation = compiled.get(document);
    if (!byOperation) {
      byOperation = new Map();
      compiled.set(document, byOperation);
    }
    let read = byOperation.get(operation);
    if (read === undefined) {
      read = compileRead(document, operation);
      byOperation.set(operation, read);
    }
    return read;
  };
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ document, operation, request, contextValue }) {
          if (!operation || canSeeUnpublished(contextValue.viewer)) return null;
          const read = compiledFor(document, operation);
          if (!read) return null;
          const statement = statementFor(read, request.variables ?? {});
          if (!statement) return null;
          let data: Record<string, unknown> | undefined;
          try {
            const [row] = await rows<{ data: Record<string, unknown> }>(
              contextValue.db,
              sql(statement.strings as unknown as TemplateStringsArray, ...statement.values),
            );
            data = row?.data;
          } catch {
            // Run as usual, so the error is told and logged as the resolvers tell it (a NUL in an
            // argument is BAD_USER_INPUT; a broken database an internal error with its request id).
            return null;
          }
          if (!data || read.lookups.some((key) => data[key] === null)) return null;
          options.onCompiled?.(request.http);
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data } },
          };
        },
      };
    },
  };
}
