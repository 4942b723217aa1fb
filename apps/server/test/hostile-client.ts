// A client for the hardening suites: a real listening server (production mode unless told
// otherwise), raw requests with exactly the bytes and headers a hostile client would send, and the
// row count of every table, to prove a refused request wrote nothing.
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import type { Database } from '@chancery/db/database';
import type { TestDatabase } from '@chancery/db/testing';
import { expect } from 'vitest';
import { createLogger, type Logger } from '../src/logging.ts';
import { type ChanceryServer, type ChanceryServerOptions, createServer } from '../src/server.ts';

export type RawResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: any;
};

export type HardenedServer = {
  server: ChanceryServer;
  /** http://127.0.0.1:port/graphql */
  url: string;
  /** http://127.0.0.1:port */
  origin: string;
  /** Log lines the server wrote, parsed. */
  logs: Record<string, any>[];
  /** POSTs a JSON body (an object is serialised) with Content-Type application/json unless overridden. */
  post(body: unknown, headers?: Record<string, string | undefined>): Promise<RawResponse>;
  /** GET /graphql with these search parameters. */
  get(params: Record<string, string>, headers?: Record<string, string>): Promise<RawResponse>;
  /** Any request, bytes as given. */
  raw(options: {
    method?: string;
    path?: string;
    headers?: Record<string, string | undefined>;
    body?: string | Buffer;
  }): Promise<RawResponse>;
  /** A normal query: the server still answers it correctly. */
  expectHealthy(): Promise<void>;
  stop(): Promise<void>;
};

export const GRAPHQL_RESPONSE = 'application/graphql-response+json';

export async function startHardenedServer(
  database: TestDatabase,
  options: Partial<Omit<ChanceryServerOptions, 'database'>> = {},
): Promise<HardenedServer> {
  const logs: Record<string, any>[] = [];
  const logger: Logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
        done();
      },
    }),
  });
  const server = await createServer({ database, production: true, logger, ...options });
  const url = await server.listen(0, '127.0.0.1');
  const origin = new URL(url).origin;

  const raw: HardenedServer['raw'] = ({ method = 'POST', path = '/graphql', headers = {}, body }) =>
    new Promise((resolve, reject) => {
      const cleaned: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) cleaned[name] = value;
      const req = httpRequest(`${origin}${path}`, { method, headers: cleaned }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });

  const post: HardenedServer['post'] = (body, headers = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return raw({
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
        ...headers,
      },
      body: text,
    });
  };

  return {
    server,
    url,
    origin,
    logs,
    post,
    get: (params, headers = {}) =>
      raw({ method: 'GET', path: `/graphql?${new URLSearchParams(params)}`, headers }),
    raw,
    async expectHealthy() {
      const response = await post({ query: '{ treaties { totalCount } }' });
      expect(response.status).toBe(200);
      expect(response.json.data).toEqual({ treaties: { totalCount: 2 } });
    },
    stop: () => server.stop(),
  };
}

/** Rows in every table of the database's schema, by table. */
export async function rowCounts(database: Database): Promise<Record<string, number>> {
  return database.withRawTransaction(async (raw) => {
    const tables = await raw.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [row] = await raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`);
      counts[table_name] = Number(row?.n);
    }
    return counts;
  });
}

/** The error codes of a GraphQL response body. */
export const codes = (response: RawResponse): string[] =>
  (response.json?.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);

/** Words that only SQL, a stack trace or a driver would put in a message. */
export const INTERNALS =
  /\b(select|insert|update|delete)\b[\s\S]*\b(from|into|set)\b|Failed query|syntax error at or near|\bat [\w.<>]+ \(|node_modules|\.ts:\d+|stacktrace|relation "|column "|pglite|drizzle|postgres/i;
