// Talks to a real listening Chancery server, as a client would.
import { connect, type Socket } from 'node:net';
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
  options: {
    production?: boolean;
    responseCache?: { maxBytes: number };
    live?: { maxSubscriptions?: number; maxSocketsPerAddress?: number };
    /** false: this server sends no webhooks (its mutations still record them). */
    webhooks?: false;
  } = {},
): Promise<TestServer> {
  const server = await createServer({
    database,
    production: options.production ?? false,
    responseCache: options.responseCache,
    live: options.live,
    webhooks: options.webhooks,
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

/** A raw TCP connection to a local server, for requests fetch cannot make (half-sent, held open). */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends on `socket` until it is closed. */
export function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve(text));
  });
}

/** Whether connections to `port` are refused, trying a bounded number of times (the listening
 * socket closes at the end of the event-loop turn that asked for it). */
export async function refusedSoon(port: number): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      (await openSocket(port)).destroy();
    } catch (error) {
      // Reset rather than refused: it reached the backlog just as the listener closed, unserved.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return true;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/**
 * Asks until `done` holds, then returns what it got: what other connections and processes do
 * (change notifications, log lines) arrives asynchronously.
 */
export async function eventually<T>(
  ask: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await ask();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Still not there after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
