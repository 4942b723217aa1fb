// Prototypes of server changes, measured by `npm run bench -- --engine postgres --variants …`.
// Each variant is the real createServer (apps/server/src/server.ts, whatever it is today) with one
// change applied from outside, so a gain measured here is the gain of making that change there.
// Names combine with "+", e.g. "no-cache-control+jit"; "all" is every feature.
//
//   no-cache-control   Apollo's cache-control plugin off (ApolloServerPluginCacheControlDisabled):
//                      Apollo then stops wrapping every field resolver to compute cache hints that
//                      nothing reads. Here: the disabled plugin is added before Apollo adds defaults.
//   cache-control-on   the reverse, once server.ts turns the plugin off: the disabled plugin is taken
//                      out before Apollo adds its defaults, so Apollo installs the real one again.
//   jit                graphql-jit compiles each document once and runs it instead of graphql-js's
//                      execute. Apollo Server 5's only executor hook is the gateway interface; here
//                      the executor is set on the started server.
//   semi-space-N       (handled by main.ts) node --max-semi-space-size=N (MiB) for the child.
//   node-env-development (handled by main.ts) NODE_ENV=development instead of production.
//
// The response cache and the page-size plan, prototyped here first, are now in the server
// (createServer's responseCache option; apps/server/src/page-size.ts): `--response-cache` measures
// the former, and every variant has the latter.

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Database } from '@chancery/db/database';
import { schema } from '@chancery/server/schema/index';
import { createServer } from '@chancery/server/server';
import { type DocumentNode, type ExecutionResult, execute } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

export const FEATURES = ['no-cache-control', 'cache-control-on', 'jit'] as const;
type Feature = (typeof FEATURES)[number];

function parseVariant(variant: string): Set<Feature> {
  const names = (variant === 'all' ? [...FEATURES] : variant.split('+')).filter(
    (n) => !n.startsWith('semi-space-') && n !== 'node-env-development',
  );
  for (const name of names)
    if (!(FEATURES as readonly string[]).includes(name))
      throw new Error(`Unknown variant feature ${name}; known: all, ${FEATURES.join(', ')}.`);
  return new Set(names as Feature[]);
}

function disableCacheControl(): void {
  const proto = ApolloServer.prototype as any;
  const addDefaultPlugins = proto.addDefaultPlugins as () => Promise<void>;
  proto.addDefaultPlugins = async function (this: any) {
    this.internals.plugins.push(ApolloServerPluginCacheControlDisabled());
    return addDefaultPlugins.call(this);
  };
}

function enableCacheControl(): void {
  const proto = ApolloServer.prototype as any;
  const addDefaultPlugins = proto.addDefaultPlugins as () => Promise<void>;
  proto.addDefaultPlugins = async function (this: any) {
    this.internals.plugins = this.internals.plugins.filter(
      (p: any) => !(p.__internal_plugin_id__ === 'CacheControl' && p.__is_disabled_plugin__),
    );
    return addDefaultPlugins.call(this);
  };
}

/** graphql-jit as Apollo's executor; documents come from Apollo's document cache, so a WeakMap holds. */
function jitExecutor() {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  return async (requestContext: any): Promise<ExecutionResult> => {
    const document = requestContext.document as DocumentNode;
    const operationName = (requestContext.operationName as string | null) ?? '';
    let byName = compiled.get(document);
    if (!byName) {
      byName = new Map();
      compiled.set(document, byName);
    }
    let query = byName.get(operationName);
    if (query === undefined) {
      const result = compileQuery(schema, document, operationName || undefined);
      query = isCompiledQuery(result) ? result : null;
      byName.set(operationName, query);
    }
    const variables = requestContext.request.variables ?? {};
    if (!query)
      return (await execute({
        schema,
        document,
        contextValue: requestContext.context,
        variableValues: variables,
        operationName: operationName || undefined,
      })) as ExecutionResult;
    return (await query.query(undefined, requestContext.context, variables)) as ExecutionResult;
  };
}

export async function createVariantServer(options: {
  database: Database;
  variant: string;
  serverOptions: object;
}) {
  const features = parseVariant(options.variant);
  if (features.has('no-cache-control')) disableCacheControl();
  if (features.has('cache-control-on')) enableCacheControl();
  const server = await createServer({ ...options.serverOptions, database: options.database });
  if (features.has('jit')) (server.apollo as any).internals.gatewayExecutor = jitExecutor();
  return server;
}
