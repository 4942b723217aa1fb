import type { ApolloServerPlugin } from '@apollo/server';
import { DomainError } from '@chancery/domain/errors';
import { assertPageArgs } from '@chancery/domain/pagination';
import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  TypeInfo,
  type ValueNode,
  valueFromAST,
  visit,
  visitWithTypeInfo,
} from 'graphql';

type PageCheck = {
  field: string;
  node: FieldNode;
  args: { name: string; value: ValueNode; type: GraphQLInputType }[];
};

// Where the checks are is a property of the document; Apollo hands every request for the same
// text the same parsed document (its document cache), so each is planned once.
const plans = new WeakMap<DocumentNode, PageCheck[]>();

/** Every connection field of the document, with its `first`/`last` arguments as written. */
function planPageChecks(schema: GraphQLSchema, document: DocumentNode): PageCheck[] {
  const typeInfo = new TypeInfo(schema);
  const checks: PageCheck[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field || !getNamedType(field.type).name.endsWith('Connection')) return;
        const args: PageCheck['args'] = [];
        for (const argument of node.arguments ?? []) {
          if (argument.name.value !== 'first' && argument.name.value !== 'last') continue;
          const definition = field.args.find((a) => a.name === argument.name.value);
          if (definition)
            args.push({ name: argument.name.value, value: argument.value, type: definition.type });
        }
        checks.push({ field: field.name, node, args });
      },
    }),
  );
  return checks;
}

/**
 * Checks `first`/`last` of every connection in the operation before anything executes, whatever
 * the nesting, fragments or variables, so a bad page size is one clear BAD_USER_INPUT error.
 */
export function checkPageSizes(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): void {
  let checks = plans.get(document);
  if (!checks) {
    checks = planPageChecks(schema, document);
    plans.set(document, checks);
  }
  for (const check of checks) {
    const args: Record<string, unknown> = {};
    for (const arg of check.args) args[arg.name] = valueFromAST(arg.value, arg.type, variables);
    try {
      assertPageArgs(args);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new GraphQLError(`${check.field}: ${error.message}`, {
        nodes: check.node,
        extensions: { code: error.code, http: { status: 400 } },
      });
    }
  }
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
