import type { ApolloServerPlugin } from '@apollo/server';
import { DomainError } from '@chancery/domain/errors';
import { assertPageArgs } from '@chancery/domain/pagination';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getNamedType,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/**
 * Checks `first`/`last` of every connection in the operation before anything executes, whatever
 * the nesting, fragments or variables, so a bad page size is one clear BAD_USER_INPUT error.
 */
export function checkPageSizes(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): void {
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field || !getNamedType(field.type).name.endsWith('Connection')) return;
        const args: Record<string, unknown> = {};
        for (const argument of node.arguments ?? []) {
          if (argument.name.value !== 'first' && argument.name.value !== 'last') continue;
          const definition = field.args.find((a) => a.name === argument.name.value);
          if (definition)
            args[argument.name.value] = valueFromAST(argument.value, definition.type, variables);
        }
        try {
          assertPageArgs(args);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          throw new GraphQLError(`${field.name}: ${error.message}`, {
            nodes: node,
            extensions: { code: error.code, http: { status: 400 } },
          });
        }
      },
    }),
  );
}

export function pageSizePlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, schema }) {
          checkPageSizes(schema, document, request.variables ?? {});
        },
      };
    },
  };
}
