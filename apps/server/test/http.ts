// Talks to a real listening Chancery server, as a client would.
import type { TestDatabase } from '@chancery/db/testing';
import { type ChanceryServer, createServer } from '../src/server.ts';

export type GraphQLResponse<Data = Record<string, any>> = {
  status: number;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  /** SQL statements the request issued (the server reports it outside production). */
  sqlStatements: number;
  headers: Headers;
};

export type TestServer = {
  server: ChanceryServer;
  url: string;
  graphql<Data = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<Data>>;
  stop(): Promise<void>;
};

export async function startTestServer(
  database: TestDatabase,
  options: { production?: boolean; responseCache?: { maxBytes: number } } = {},
): Promise<TestServer> {
  const server = await createServer({
    database,
    production: options.production ?? false,
    responseCache: options.responseCache,
  });
  const url = await server.listen(0, '127.0.0.1');
  return {
    server,
    url,
    async graphql(query, variables, headers) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: any };
      return {
        status: response.status,
        data: body.data,
        errors: body.errors,
        sqlStatements: Number(response.headers.get('x-chancery-sql-statements') ?? Number.NaN),
        headers: response.headers,
      };
    },
    stop: () => server.stop(),
  };
}
