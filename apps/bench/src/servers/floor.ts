// The floor: a bare node:http handler that runs the SQL Chancery issues for each scenario (captured,
// see ../setup.ts) as prepared statements and returns the same JSON. What is left between this
// and Chancery is the cost of GraphQL, the schema layer and the ORM.
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
import pg from 'pg';
import { bindParams, decodeVariables, type FloorPlan } from '../floor-plan.ts';
import { type Row, scenarioById } from '../scenarios.ts';
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
  return {
    run: async (_name, text, params) => (await handle.pglite.query<Row>(text, params)).rows,
    write: pgliteWriteEngine(handle.pglite),
    close: () => handle.close(),
  };
}

const engine = await openEngine();
const routes = new Map(
  plan.scenarios.map((s) => [
    `/floor/${s.id}`,
    { plan: s, shape: scenarioById(s.id).shape.bind(scenarioById(s.id)) },
  ]),
);

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
  const body = JSON.stringify({ data });
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
  const route = routes.get(req.url ?? '');
  if (!route || req.method !== 'POST') {
    res.writeHead(404).end();
    return;
  }
  void (async () => {
    try {
      const request = JSON.parse(await readBody(req)) as { variables?: Record<string, unknown> };
      const decoded = decodeVariables(request.variables);
      const results = [];
      // In Chancery's order, one after another, as Chancery runs them.
      for (const statement of route.plan.statements)
        results.push({
          sql: statement.text,
          rows: await engine.run(statement.name, statement.text, bindParams(statement.params, decoded)),
        });
      respond(res, route.shape(results));
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
