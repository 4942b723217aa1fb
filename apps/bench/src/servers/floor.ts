// The floor: a bare node:http handler that runs, per read, one hand-written statement that builds
// the response's `data` in the database (../floor-sql.ts), as a named prepared statement (on
// PGlite too), and writes the text out. What is left between this and Chancery is the cost of
// GraphQL, the schema layer, the ORM and any SQL slower than the fastest a person would write.
//
// A write (scenario 4) runs its captured transaction with a new id per request, after checking
// what a server must check before writing: the quoted span and that what it names exists.
//
// Env: BENCH_FLOOR_PLAN (JSON file), DATABASE_URL (PostgreSQL) or CHANCERY_DATA_DIR (PGlite).
// Routes: POST /floor/<scenario id> with a GraphQL-style body { query, variables }.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openEmbedded } from '@chancery/db/engine/embedded';
import { POOL_MAX_SERVER, pgTypes } from '@chancery/db/engine/open';
import { preparingPglite } from '@chancery/db/engine/prepared';
import pg from 'pg';
import { decodeVariables, type FloorPlan } from '../floor-plan.ts';
import type { Row } from '../scenarios.ts';
import { pgliteWriteEngine, pgWriteEngine, runWritePlan, type WriteEngine } from '../write-plan.ts';
import { createStatementScenario } from '../write-scenario.ts';

type RunSql = (name: string, text: string, params: unknown[]) => Promise<Row[]>;

const plan = JSON.parse(readFileSync(process.env.BENCH_FLOOR_PLAN as string, 'utf8')) as FloorPlan;

async function openEngine(): Promise<{ run: RunSql; write: WriteEngine; close(): Promise<void> }> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    // Same pool size and type parsers as Chancery's PostgreSQL engine.
    const pool = new pg.Pool({ connectionString: url, max: POOL_MAX_SERVER, types: pgTypes });
    return {
      run: async (name, text, values) => (await pool.query({ name, text, values })).rows,
      write: pgWriteEngine(pool, true),
      close: () => pool.end(),
    };
  }
  const handle = await openEmbedded({ dataDir: process.env.CHANCERY_DATA_DIR as string, serveSocket: false });
  // Prepared, as Chancery prepares its reads on PGlite (which would plan every statement again).
  const reads = preparingPglite(handle.pglite);
  return {
    run: async (_name, text, params) => (await reads.query(text, params)).rows as Row[],
    write: pgliteWriteEngine(handle.pglite),
    close: () => handle.close(),
  };
}

const engine = await openEngine();
const routes = new Map(plan.reads.map((read) => [`/floor/${read.id}`, read]));

const writeScenarios = new Map([[createStatementScenario.id, createStatementScenario]]);
const writes = new Map(
  (plan.writes ?? []).map((w) => {
    const scenario = writeScenarios.get(w.id);
    if (!scenario) throw new Error(`The floor has no write scenario ${w.id}.`);
    return [`/floor/${w.id}`, { plan: w, scenario }];
  }),
);

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function respond(res: ServerResponse, data: unknown): void {
  respondJson(res, JSON.stringify(data));
}

/** `data` is JSON text already (the database built it). */
function respondJson(res: ServerResponse, data: string): void {
  const body = `{"data":${data}}`;
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const server = createServer((req, res) => {
  const write = writes.get(req.url ?? '');
  if (write && req.method === 'POST') {
    void (async () => {
      try {
        const request = JSON.parse(await readBody(req)) as { variables?: Record<string, unknown> };
        const decoded = decodeVariables(request.variables);
        const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
        const bearerSha256 = token ? createHash('sha256').update(token, 'utf8').digest('hex') : null;
        const results = await runWritePlan(write.plan, engine.write, { decoded, bearerSha256 }, (rows) =>
          write.scenario.validate(rows, decoded),
        );
        respond(res, write.scenario.shape(results.map((rows) => ({ sql: '', rows }))));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
    })();
    return;
  }
  const read = routes.get(req.url ?? '');
  if (!read || req.method !== 'POST') {
    res.writeHead(404).end();
    return;
  }
  void (async () => {
    try {
      const request = JSON.parse(await readBody(req)) as { variables?: Record<string, unknown> };
      const params = read.params.map((name) => request.variables?.[name]);
      const [row] = await engine.run(read.name, read.sql, params);
      respondJson(res, row?.data as string);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  })();
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${port}/floor` }));
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  void engine.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
