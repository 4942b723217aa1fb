// A real Chancery server on a free port, and a fetch that records what the SDK sends, for tests.
import type { TestDatabase } from '@chancery/db/testing';
import { type ChanceryServer, type ChanceryServerOptions, createServer } from '@chancery/server/server';
import type { FetchLike } from '../src/client.ts';

export type RunningServer = { server: ChanceryServer; url: string; stop(): Promise<void> };

export async function startServer(
  database: TestDatabase,
  options: Omit<ChanceryServerOptions, 'database'> = {},
): Promise<RunningServer> {
  const server = await createServer({ database, ...options });
  const url = await server.listen(0, '127.0.0.1');
  return {
    server,
    url,
    stop: async () => {
      await server.stop();
    },
  };
}

export type Exchange = {
  body: { query?: string; operationName?: string; variables?: Record<string, unknown>; extensions?: any };
  status: number;
  /** SQL statements the server ran for the request (reported outside production). */
  sqlStatements: number;
};

/** The real fetch, recording every request body, response status and SQL statement count. */
export function recordingFetch(): { fetch: FetchLike; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  return {
    exchanges,
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      exchanges.push({
        body: JSON.parse(init.body),
        status: response.status,
        sqlStatements: Number(response.headers.get('x-chancery-sql-statements') ?? Number.NaN),
      });
      return response;
    },
  };
}
