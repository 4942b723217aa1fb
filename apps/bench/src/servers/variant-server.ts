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
//   response-cache     whole responses cached by (authorization, body); each entry remembers the
//                      tables its SQL read, and any SQL that writes one of them drops the entry.
//   page-size-cached   the page-size check (page-size.ts) plans each parsed document once (a WeakMap
//                      on the document from Apollo's document cache) and per request only reads the
//                      `first`/`last` values, instead of a TypeInfo walk of the whole document.
//   no-als             AsyncLocalStorage.run becomes a plain call: what the per-request SQL count
//                      costs on Node 20 (promise hooks on every promise). Measurement only: the count
//                      is then lost.
//   semi-space-N       (handled by main.ts) node --max-semi-space-size=N (MiB) for the child.
//   bundle             (handled by main.ts, see ../bundle.ts) compiled JavaScript run by plain node.
//   node-env-development (handled by main.ts) NODE_ENV=development instead of production.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Database } from '@chancery/db/database';
import { relations } from '@chancery/db/relations';
import { assertPageArgs } from '@chancery/domain/pagination';
import { checkPageSizes } from '@chancery/server/page-size';
import { schema } from '@chancery/server/schema/index';
import { createServer } from '@chancery/server/server';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  TypeInfo,
  type ValueNode,
  valueFromAST,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

export const FEATURES = [
  'no-cache-control',
  'cache-control-on',
  'jit',
  'response-cache',
  'page-size-cached',
  'no-als',
] as const;
type Feature = (typeof FEATURES)[number];

function parseVariant(variant: string): Set<Feature> {
  const names = (variant === 'all' ? [...FEATURES] : variant.split('+')).filter(
    (n) => !n.startsWith('semi-space-') && n !== 'bundle' && n !== 'node-env-development',
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

/** Replaces the page-size plugin (found by what its hook calls) with one that plans per document. */
function cachePageSizePlan(apollo: any): void {
  const plugins = apollo.internals.plugins as { requestDidStart?: () => Promise<unknown> }[];
  const index = plugins.findIndex((p) => String(p.requestDidStart).includes('checkPageSizes'));
  if (index < 0) throw new Error('page-size-cached: the page-size plugin was not found.');
  type Check = { args: { name: string; value: ValueNode; type: GraphQLInputType }[]; field: string };
  const plans = new WeakMap<DocumentNode, Check[]>();
  const plan = (schema: GraphQLSchema, document: DocumentNode): Check[] => {
    const typeInfo = new TypeInfo(schema);
    const checks: Check[] = [];
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const field = typeInfo.getFieldDef();
          if (!field || !getNamedType(field.type).name.endsWith('Connection')) return;
          const args: Check['args'] = [];
          for (const argument of node.arguments ?? []) {
            if (argument.name.value !== 'first' && argument.name.value !== 'last') continue;
            const definition = field.args.find((a) => a.name === argument.name.value);
            if (definition)
              args.push({ name: argument.name.value, value: argument.value, type: definition.type });
          }
          checks.push({ args, field: field.name });
        },
      }),
    );
    return checks;
  };
  plugins[index] = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, schema }: any) {
          let checks = plans.get(document);
          if (!checks) {
            checks = plan(schema, document);
            plans.set(document, checks);
          }
          for (const check of checks) {
            const args: Record<string, unknown> = {};
            for (const a of check.args) args[a.name] = valueFromAST(a.value, a.type, request.variables ?? {});
            try {
              assertPageArgs(args);
            } catch {
              // Let the real check build the very same error.
              checkPageSizes(schema, document, request.variables ?? {});
            }
          }
        },
      };
    },
  };
}

function disableAsyncLocalStorage(): void {
  AsyncLocalStorage.prototype.run = (<R>(_store: unknown, callback: (...args: any[]) => R, ...args: any[]) =>
    callback(...args)) as typeof AsyncLocalStorage.prototype.run;
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

/** Responses by key; an entry dies when any SQL writes a table it read. */
class ResponseCache {
  private readonly entries = new Map<
    string,
    {
      status: number;
      headers: [string, string | string[]][];
      body: string;
      tables: string[];
      versions: number[];
    }
  >();
  private readonly versions = new Map<string, number>();
  constructor(private readonly maxEntries = 10_000) {}
  private version = (table: string) => this.versions.get(table) ?? 0;
  get(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.tables.some((t, i) => this.version(t) !== entry.versions[i])) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }
  /** Bumps the version of every table a statement writes. */
  written(statement: string): boolean {
    const write = /^\s*(?:insert\s+into|update|delete\s+from)\s+"?([a-z_]+)"?/i.exec(statement);
    if (write) this.versions.set(write[1] as string, this.version(write[1] as string) + 1);
    return write !== null;
  }
  static tablesRead(statements: string[]): string[] {
    const read = new Set<string>();
    for (const text of statements)
      for (const m of text.matchAll(/\b(?:from|join)\s+"([a-z_]+)"/gi)) read.add(m[1] as string);
    return [...read];
  }
  set(
    key: string,
    entry: { status: number; headers: [string, string | string[]][]; body: string; tables: string[] },
  ) {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { ...entry, versions: entry.tables.map(this.version) });
  }
}

/**
 * Puts the cache in front of the server's request listener. The SQL of each request is observed
 * through a Drizzle logger of our own (the database handed to createServer is re-made with it).
 */
function withResponseCache(database: Database): {
  database: Database;
  install(server: { httpServer: any }): void;
} {
  const cache = new ResponseCache();
  const requestSql = new AsyncLocalStorage<{ statements: string[]; wrote: boolean }>();
  const logger: Logger = {
    logQuery(query) {
      if (cache.written(query)) {
        const store = requestSql.getStore();
        if (store) store.wrote = true;
      }
      requestSql.getStore()?.statements.push(query);
    },
  };
  if (database.engine !== 'postgres' || database.via !== 'server')
    throw new Error('The response-cache prototype runs on PostgreSQL.');
  const pool = (database.db as any).$client;
  const db = drizzlePg({ client: pool, relations, logger }) as unknown as Database['db'];
  return {
    database: { ...database, db },
    install(server) {
      const [listener] = server.httpServer.listeners('request') as ((
        req: IncomingMessage,
        res: ServerResponse,
      ) => void)[];
      if (!listener) throw new Error('The server has no request listener.');
      server.httpServer.removeAllListeners('request');
      server.httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (req.method !== 'POST' || !req.url?.startsWith('/graphql')) return listener(req, res);
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          const key = `${req.headers.authorization ?? ''}\n${req.headers['content-type'] ?? ''}\n${body.toString('utf8')}`;
          const hit = cache.get(key);
          if (hit) {
            res.writeHead(hit.status, hit.headers as any);
            res.end(hit.body);
            return;
          }
          // Replay the body to the real listener and keep what it answers.
          const replay = Readable.from([body]) as unknown as IncomingMessage;
          for (const name of ['headers', 'rawHeaders', 'method', 'url', 'httpVersion', 'socket'] as const)
            (replay as any)[name] = req[name];
          const store = { statements: [] as string[], wrote: false };
          const end = res.end.bind(res);
          (res as any).end = (chunk?: any, ...rest: any[]) => {
            if (
              !store.wrote &&
              res.statusCode === 200 &&
              typeof chunk === 'string' &&
              !chunk.startsWith('{"errors"')
            )
              cache.set(key, {
                status: 200,
                headers: Object.entries(res.getHeaders()).filter(([name]) => name !== 'x-request-id') as any,
                body: chunk,
                tables: ResponseCache.tablesRead(store.statements),
              });
            return end(chunk, ...rest);
          };
          requestSql.run(store, () => listener(replay, res));
        });
      });
    },
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
  if (features.has('no-als')) disableAsyncLocalStorage();
  const cached = features.has('response-cache') ? withResponseCache(options.database) : null;
  const server = await createServer({
    ...options.serverOptions,
    database: cached?.database ?? options.database,
  });
  if (features.has('jit')) (server.apollo as any).internals.gatewayExecutor = jitExecutor();
  if (features.has('page-size-cached')) cachePageSizePlan(server.apollo);
  cached?.install(server);
  return server;
}
