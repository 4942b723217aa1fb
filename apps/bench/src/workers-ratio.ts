// Requests per second of the three read scenarios (the benchmark's 1-3: latest statements, an
// actor page, treaties) with CHANCERY_WORKERS=N against 1, on a PostgreSQL database that already
// holds data, uncached (no response cache, no rate limits, logs at warn). Closed loop: `concurrency`
// requests always in flight, from this process over keep-alive connections (the bench's load.ts).
//
//   npx tsx apps/bench/src/workers-ratio.ts --database-url postgres://…/db [--workers 2]
//     [--concurrency 16] [--duration 4] [--warmup 3] [--rounds 6]
//
// The server runs compiled, as `npm start` runs it (bundle.ts).
// The database is migrated by the server as at any start. The load generator shares the machine
// (and, on a small one, the cores) with the servers and PostgreSQL: the ratio is what this machine
// gives, not what more cores would.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildBundle } from './bundle.ts';
import { closedLoop } from './load.ts';
import { commandLine } from './options.ts';
import { busyDuring } from './proc.ts';
import { type ScenarioId, scenarios } from './scenarios.ts';

const { values, fail, number } = commandLine('workers-ratio', {
  'database-url': { type: 'string', default: process.env.DATABASE_URL },
  workers: { type: 'string' },
  concurrency: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  rounds: { type: 'string' },
});
const databaseUrl =
  values['database-url'] || fail('--database-url postgres://… (a database that holds data) is required.');
const workers = number('workers', 2, { min: 2 });
const concurrency = number('concurrency', 16);
const durationMs = number('duration', 4) * 1000;
const warmupMs = number('warmup', 3, { min: 0 }) * 1000;
const rounds = number('rounds', 6);

const main = await buildBundle(
  fileURLToPath(new URL('../../..', import.meta.url)),
  fileURLToPath(new URL('../../server/src/main.ts', import.meta.url)),
);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function startServer(count: number) {
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      CHANCERY_WORKERS: String(count),
      CHANCERY_RESPONSE_CACHE_MB: '0',
      CHANCERY_RATE_LIMIT_PER_IP: '0',
      CHANCERY_RATE_LIMIT_PER_TOKEN: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  // Ready once every worker answers: /readyz from as many distinct connections as workers, twice.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const answers = await Promise.all(
      Array.from({ length: count * 2 }, () =>
        fetch(`http://127.0.0.1:${port}/readyz`, { headers: { connection: 'close' } })
          .then((r) => r.status)
          .catch(() => 0),
      ),
    );
    if (answers.every((s) => s === 200)) break;
    if (Date.now() > deadline) throw new Error('the server was not ready within 120 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Requests per second over `ms`, `concurrency` in flight (load.ts), and the share of the machine's
 * CPUs busy meanwhile (servers, PostgreSQL and the generator); every answer must be the expected one.
 */
async function load(
  port: number,
  body: string,
  expectedBytes: number,
  ms: number,
): Promise<{ rate: number; busy: number }> {
  const { result, busy } = await busyDuring(() =>
    closedLoop(
      { url: `http://127.0.0.1:${port}/graphql`, body, expectedBytes },
      { concurrency, durationMs: ms },
    ),
  );
  if (result.errors > 0) throw new Error(`${result.errors} bad answer(s), the first: ${result.firstError}`);
  return { rate: result.reqPerSec, busy };
}

/** The length of the answer to `body`, which every answer in the runs must have. */
async function answerBytes(port: number, body: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
  });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  return Buffer.byteLength(await response.text());
}

async function busiestSpeakerSlug(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: '{ actors(first: 100) { nodes { slug statements(first: 1) { totalCount } } } }',
    }),
  });
  const nodes = ((await response.json()) as any).data.actors.nodes as {
    slug: string;
    statements: { totalCount: number };
  }[];
  nodes.sort((a, b) => b.statements.totalCount - a.statements.totalCount);
  if (!nodes[0]) throw new Error('The database has no actors: load data first (chancery import).');
  return nodes[0].slug;
}

// Both servers run at once and take turns, run by run: the machine's other work drifts, and each
// ratio compares two runs a few seconds apart.
const servers = { one: await startServer(1), many: await startServer(workers) };
const slug = await busiestSpeakerSlug(servers.one.port);
type Runs = { rate: number[]; busy: number[] };
const runsOf = () => ({
  one: { rate: [], busy: [] } as Runs,
  many: { rate: [], busy: [] } as Runs,
  ratios: [] as number[],
});
const runs: Record<ScenarioId, ReturnType<typeof runsOf>> = {
  latest: runsOf(),
  'actor-page': runsOf(),
  treaties: runsOf(),
};
for (const scenario of scenarios) {
  const { id } = scenario;
  const body = JSON.stringify({
    query: scenario.query,
    variables: scenario.variables({ busiestSpeakerSlug: slug }),
  });
  const bytes = await answerBytes(servers.one.port, body);
  if (warmupMs > 0)
    for (const server of [servers.one, servers.many]) await load(server.port, body, bytes, warmupMs);
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? (['one', 'many'] as const) : (['many', 'one'] as const);
    const rate = { one: 0, many: 0 };
    for (const which of order) {
      const measured = await load(servers[which].port, body, bytes, durationMs);
      rate[which] = measured.rate;
      runs[id][which].rate.push(measured.rate);
      runs[id][which].busy.push(measured.busy);
    }
    runs[id].ratios.push(rate.many / rate.one);
    console.error(
      `${id}, round ${round}: 1 worker ${rate.one.toFixed(0)} req/s, ${workers} workers ${rate.many.toFixed(0)} req/s`,
    );
  }
}
await Promise.all([servers.one.stop(), servers.many.stop()]);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const percent = (share: number) => `${Math.round(share * 100)} %`;
console.log(
  `| scenario | 1 worker, req/s | ${workers} workers, req/s | ratio (median of the rounds' ratios) | machine CPU busy, 1 / ${workers} |`,
);
console.log('| --- | --- | --- | --- | --- |');
for (const { id } of scenarios) {
  const { one, many, ratios } = runs[id];
  console.log(
    `| ${id} | ${median(one.rate).toFixed(0)} | ${median(many.rate).toFixed(0)} | ${median(ratios).toFixed(2)}× | ${percent(median(one.busy))} / ${percent(median(many.busy))} |`,
  );
}
console.log(
  `\nc = ${concurrency}, ${durationMs / 1000} s per run after ${warmupMs / 1000} s of warm-up, ${rounds} alternating round(s); ${(await import('node:os')).availableParallelism()} cores shared by the load generator, the servers and PostgreSQL.`,
);
