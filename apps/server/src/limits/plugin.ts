import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { type CostModel, createCostModel } from './cost.ts';
import { LIMIT_CODES } from './limits.ts';

/**
 * Prices each operation once it is resolved (variables known) and before it executes; over the
 * budget it is refused with COST_LIMIT_EXCEEDED. An accepted response reports its price in
 * `extensions.cost { requested, limit }` so clients can see how close they are.
 */
export function costLimitPlugin<Context extends object>(options: {
  budget: number;
  /** Told every operation's cost, accepted or not (for the request log). */
  onCost?: (httpRequest: object | undefined, requested: number) => void;
}): ApolloServerPlugin<Context> {
  const models = new WeakMap<GraphQLSchema, CostModel>();
  const modelFor = (schema: GraphQLSchema) => {
    let model = models.get(schema);
    if (!model) {
      model = createCostModel(schema, { budget: options.budget });
      models.set(schema, model);
    }
    return model;
  };
  const limit = options.budget;

  return {
    async requestDidStart() {
      let accepted: number | undefined;
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          const { requested } = modelFor(schema).operationCost(document, operation, request.variables);
          options.onCost?.(request.http, requested);
          if (requested > limit) {
            throw new GraphQLError(
              `This operation could return up to ${requested} fields, over the budget of ${limit}; ask for smaller pages (\`first\`) or fewer nested lists.`,
              {
                extensions: { code: LIMIT_CODES.maxCost, cost: { requested, limit }, http: { status: 400 } },
              },
            );
          }
          accepted = requested;
        },
        async willSendResponse({ response }) {
          if (accepted === undefined || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { requested: accepted, limit } };
        },
      };
    },
  };
}
