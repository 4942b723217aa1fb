import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { countSqlStatements, type Database } from '@chancery/db/database';
import { sql } from 'drizzle-orm';
import { type Context, createContext } from './context.ts';
import { createErrorFormatter } from './errors.ts';
import { pageSizePlugin } from './page-size.ts';
import { schema } from './schema/index.ts';

export type ChanceryServerOptions = {
  database: Database;
  production?: boolean;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
};

export type ChanceryServer = {
  apollo: ApolloServer<Context>;
  httpServer: Server;
  /** Starts listening; resolves with the URL of the GraphQL endpoint. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting connections, lets in-flight requests finish, then stops Apollo. */
  stop(): Promise<void>;
};

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export async function createServer(options: ChanceryServerOptions): Promise<ChanceryServer> {
  const production = options.production ?? false;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { db } = options.database;

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !production,
    // main.ts owns shutdown: it stops HTTP first, then Apollo, then the database.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !production,
    formatError: createErrorFormatter({ schema, production }),
    plugins: [
      pageSizePlugin(),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
  });
  await apollo.start();

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = await readJsonBody(req, maxBodyBytes);
    if (!body.ok)
      return sendJson(res, body.status, {
        errors: [{ message: body.message, extensions: { code: body.code } }],
      });
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers: toHeaderMap(req),
      search: url.search,
      body: body.value,
    };
    const { result: response, count } = await countSqlStatements(() =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: async () => createContext({ db }),
      }),
    );
    for (const [key, value] of response.headers) res.setHeader(key, value);
    // Tests and the benchmark read how many SQL statements a request issued.
    if (!production) res.setHeader('x-chancery-sql-statements', String(count));
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  async function handleHealth(res: ServerResponse): Promise<void> {
    try {
      await db.execute(sql`select 1`);
      sendJson(res, 200, { status: 'ok', database: 'ok' });
    } catch {
      sendJson(res, 503, { status: 'degraded', database: 'unreachable' });
    }
  }

  const httpServer = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route =
      url.pathname === '/graphql'
        ? handleGraphQL(req, res, url)
        : url.pathname === '/healthz' && req.method === 'GET'
          ? handleHealth(res)
          : Promise.resolve(
              sendJson(res, 404, {
                error: `No route for ${req.method} ${url.pathname}; the API is at /graphql.`,
              }),
            );
    route.catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent)
        sendJson(res, 500, {
          errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
      else res.destroy();
    });
  });

  return {
    apollo,
    httpServer,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}/graphql`);
        });
      }),
    async stop() {
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}

function toHeaderMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

type BodyResult = { ok: true; value: unknown } | { ok: false; status: number; code: string; message: string };

/** Reads a JSON body up to a size limit. GET and bodies of other types pass through to Apollo. */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  if (req.method === 'GET' || req.method === 'HEAD') return { ok: true, value: undefined };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      return {
        ok: false,
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: `Request body is larger than ${limit} bytes.`,
      };
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/graphql-response+json')
    return { ok: true, value: text };
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, code: 'BAD_REQUEST', message: 'Request body is not valid JSON.' };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
