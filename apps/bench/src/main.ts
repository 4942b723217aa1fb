// `npm run bench [-- options]`: Chancery against the floor and PostGraphile on PostgreSQL, and
// against the floor on PGlite. See
// docs/benchmarks.md for what is measured and how; `--help` for the options.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POOL_MAX_SERVER } from '@chancery/db/engine/open';
import { buildServer } from '@chancery/server/build';
import { buildBundle } from './bundle.ts';
import { benchReadyLine, hasTaskset, type ServerChild, spawnServer } from './children.ts';
import { COLD_START_QUERY, coldStart } from './cold-start.ts';
import { benchLoader } from './corpus/bench-loader.ts';
import { generatedCorpus } from './corpus/generated.ts';
import { importedCorpus } from './corpus/imported.ts';
import { generateStories, type ImportResult, importThroughput } from './import-bench.ts';
import { closedLoop, fetchOnce } from './load.ts';
import { describeMachine } from './machine.ts';
import { commandLine } from './options.ts';
import { installPeer, type Peer } from './peer.ts';
import { allowedCpus } from './proc.ts';
import { summarizeProfile } from './profile.ts';
import { type EngineResults, markdown, type Results } from './report.ts';
import {
  type Cell,
  type Contestant,
  closedLoopCells,
  openLoopCells,
  readTarget,
  soak,
  verify,
  writeTargets,
} from './run.ts';
import { scenarios as allScenarios, scenarioById } from './scenarios.ts';
import {
  DEFAULT_DATABASE_URL,
  databaseUrlFor,
  defaultDataRoot,
  type EngineName,
  prepareEngine,
} from './setup.ts';
import { type SubscribersResult, subscribersBench, subscribersMarkdown } from './subscribers.ts';
import { removeBenchWritesAt } from './write.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const SERVER_MAIN = join(REPO, 'apps/server/src/main.ts');
const CHANCERY_ENTRY = join(HERE, 'servers/chancery.ts');
const FLOOR_ENTRY = join(HERE, 'servers/floor.ts');

/** The response-cached contestant's cache size. */
const CACHE_MB = 32;

const HELP = `npm run bench [-- options]

Runs Chancery, a floor (bare node:http + one hand-written SQL statement per read that builds the
JSON) and, on PostgreSQL, PostGraphile v5 on the same data, alternating, and writes
bench/results/<time>-<kind>.json plus Markdown tables on stdout. Per engine: reads (scenarios 1-3:
latest, actor-page, treaties; closed and open loop), sustained load (7), the write (4:
createStatement), cold start (6), then import throughput (5: chancery generate + chancery import).

  --engine postgres|pglite|both   engines to run (default both)
  --database-url URL              PostgreSQL server and bench database
                                  (default ${DEFAULT_DATABASE_URL}; created if missing)
  --data-dir DIR                  where PGlite bench data lives (default ${defaultDataRoot()})
  --fresh                         drop and rebuild the bench databases first (after a migration
                                  changed; the imported corpus is always fresh)
  --corpus imported|generated|loader   the read scenarios' data: the issue's \`chancery generate
                                  --stories 3000 --seed 7\` imported by the CLI with --status
                                  published, afresh on every run (default; ~35 s on PostgreSQL);
                                  or 5 600 generated stories stored in process (minutes the first
                                  time, then reused); or the bench's own bulk loader (~20 s)
  --scale N                       corpus size, N × the corpus's stories (default 1)
  --no-peer                       leave PostGraphile out (it is installed into apps/bench/.peer on
                                  first use, and left out with a message when it cannot be)
  --growth                        also run scenarios 1–3 (closed loop) at 10× the scale (the
                                  generated corpus: ~30 min of importing, the first time)
  --scenarios latest,actor-page,treaties   read scenarios
  --response-cache off|on|both    read scenarios against Chancery with the response cache off
                                  ("chancery": the work per request), on ("chancery-cached",
                                  ${CACHE_MB} MB), or both (default both)
  --stories N                     stories generated and imported for scenario 5 (default 500,
                                  quick 50)
  --concurrency 1,8,32            closed-loop concurrencies (the reads and the write)
  --duration S                    seconds measured per run (default 5)
  --warmup S                      seconds of warm-up before each run (default 2)
  --rounds N                      alternating rounds per cell (default 2)
  --soak-seconds S                sustained-load duration (default 60; the issue's figure is 300)
  --cold-repeats N                cold starts per case (default 3)
  --quiet-wait S                  before each run, wait up to S s for the machine to be idle
                                  (busy < 20%: other work shares the cores; default 5, quick 0)
  --skip open,soak,write,cold,import   leave parts out
  --quick                         short everything (1 round, 2 s runs, 20 s soak, 1 cold start,
                                  50 stories)
  --variants a,b,…                compare prototype server variants with the baseline instead
                                  (PostgreSQL, reads only, cache off; see src/servers/variant-server.ts)
  --profile                       instead: CPU-profile Chancery (node --cpu-prof) under each scenario
                                  at c=8 and print where the time goes (first engine given); with
                                  --subscribers, over the subscribers' rounds
  --subscribers                   instead: issue 16's subscriber benchmark (src/subscribers.ts): N
                                  graphql-ws subscribers of statementPublished on one compiled
                                  Chancery, one statement published per round (--rounds, default
                                  10); delivery delay p50/p95/p99/max, server CPU per event, RSS per
                                  idle subscriber (bench/results/<time>-subscribers.json)
  --subscriber-count N            subscribers (default 1000)
  --filtered-share F              share of them filtering by speaker, 0-1 (default 0.2)
  --report FILE.json              print the Markdown tables of an earlier results file
  --no-pin                        do not pin the load generator and servers to CPUs
  --tsx                           run Chancery from its TypeScript under tsx instead of compiled
                                  (apps/server/scripts/build.ts, as \`npm start\` runs it)
`;

const {
  values: opts,
  fail: badOption,
  number,
} = commandLine(
  'bench',
  {
    engine: { type: 'string', default: 'both' },
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL },
    'data-dir': { type: 'string', default: defaultDataRoot() },
    corpus: { type: 'string', default: 'imported' },
    'no-peer': { type: 'boolean', default: false },
    scale: { type: 'string', default: '1' },
    growth: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    scenarios: { type: 'string', default: allScenarios.map((s) => s.id).join(',') },
    'response-cache': { type: 'string', default: 'both' },
    stories: { type: 'string' },
    concurrency: { type: 'string', default: '1,8,32' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string' },
    'soak-seconds': { type: 'string' },
    'cold-repeats': { type: 'string' },
    'quiet-wait': { type: 'string' },
    skip: { type: 'string', default: '' },
    quick: { type: 'boolean', default: false },
    variants: { type: 'string' },
    report: { type: 'string' },
    profile: { type: 'boolean', default: false },
    subscribers: { type: 'boolean', default: false },
    'subscriber-count': { type: 'string' },
    'filtered-share': { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    tsx: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  'npm run bench -- --help lists the options.',
);

if (opts.help) {
  console.log(HELP);
  process.exit(0);
}

if (opts.report) {
  // npm runs workspace scripts in the workspace folder; a relative path means the caller's folder.
  const reportFile = resolve(process.env.INIT_CWD ?? process.cwd(), opts.report);
  console.log(markdown(JSON.parse(await readFile(reportFile, 'utf8')) as Results));
  process.exit(0);
}

const quick = opts.quick;
const timing = {
  warmupMs: number('warmup', quick ? 1 : 2, { min: 0, integer: false }) * 1000,
  measureMs: number('duration', quick ? 2 : 5, { integer: false }) * 1000,
  rounds: number('rounds', quick ? 1 : 2),
  quietWaitMs: number('quiet-wait', quick ? 0 : 5, { min: 0, integer: false }) * 1000,
  quietBelow: 0.2,
};
const soakSeconds = number('soak-seconds', quick ? 20 : 60);
const coldRepeats = number('cold-repeats', quick ? 1 : 3);
const scale = number('scale', 1, { min: 0.01, integer: false });
const concurrencies = opts.concurrency.split(',').map(Number);
if (!concurrencies.every((c) => Number.isInteger(c) && c >= 1))
  badOption(
    `--concurrency takes whole numbers from 1 up, separated by commas; got ${JSON.stringify(opts.concurrency)}.`,
  );
const skip = new Set(opts.skip.split(',').filter(Boolean));
for (const part of skip)
  if (!['open', 'soak', 'write', 'cold', 'import'].includes(part))
    badOption(`--skip takes open, soak, write, cold and import; got ${part}.`);
const scenarios = opts.scenarios.split(',').map((id) => {
  try {
    return scenarioById(id);
  } catch (error) {
    return badOption(`--scenarios: ${(error as Error).message}`);
  }
});
const variants = opts.variants?.split(',').filter(Boolean) ?? [];
const corpora = { imported: importedCorpus, generated: generatedCorpus, loader: benchLoader } as const;
if (!Object.hasOwn(corpora, opts.corpus))
  badOption(`--corpus is imported, generated or loader; got ${JSON.stringify(opts.corpus)}.`);
const corpus = corpora[opts.corpus as keyof typeof corpora];
const cacheOption = opts['response-cache'];
if (cacheOption !== 'off' && cacheOption !== 'on' && cacheOption !== 'both')
  badOption(`--response-cache is off, on or both; got ${JSON.stringify(cacheOption)}.`);
// Variants are measured against the work per request: the cache off.
const cacheModes: boolean[] =
  variants.length || cacheOption === 'off' ? [false] : cacheOption === 'on' ? [true] : [false, true];
const stories = number('stories', quick ? 50 : 500);
const STORY_SEED = 'chancery-bench';
const subscriberCount = number('subscriber-count', 1000);
const filteredShare = number('filtered-share', 0.2, { min: 0, integer: false });
if (filteredShare > 1)
  badOption(`--filtered-share is a share from 0 to 1; got ${JSON.stringify(opts['filtered-share'])}.`);
if (!['postgres', 'pglite', 'both'].includes(opts.engine))
  badOption(`--engine is postgres, pglite or both; got ${JSON.stringify(opts.engine)}.`);
const engines: EngineName[] = opts.engine === 'both' ? ['postgres', 'pglite'] : [opts.engine as EngineName];
if (variants.length && engines.includes('pglite'))
  badOption(
    'variants run on PostgreSQL only (one PGlite data directory per process): pass --engine postgres.',
  );

// Pin: the load generator (this process) to CPU 0, servers to CPU 1. Re-run under taskset once.
const pin = !opts['no-pin'] && hasTaskset && (await import('node:os')).cpus().length >= 2;
if (pin && allowedCpus() !== '0') {
  const child = spawnSync(
    'taskset',
    ['-c', '0', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
    },
  );
  process.exit(child.status ?? 1);
}
const SERVER_CPU = pin ? 1 : null;

const log = (line: string) => console.error(line);
const startedAt = new Date();
const machineAtStart = describeMachine();
/** The machine as a results file records it: as at the start, with the load now and the pinning. */
const machineNow = () => ({
  ...machineAtStart,
  loadAvgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
  loadGeneratorCpus: allowedCpus(),
  serverCpu: SERVER_CPU === null ? 'any' : String(SERVER_CPU),
});
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

// Chancery runs compiled, as `npm start` runs it (bundle.ts), unless --tsx.
const compiled = !opts.tsx;
const chanceryEntry = compiled ? await buildBundle(REPO, CHANCERY_ENTRY) : CHANCERY_ENTRY;

// PostGraphile on PostgreSQL, for the read scenarios (not with variants or --profile).
let peer: Peer | null = null;
let peerNote: string | null = null;
if (
  !opts['no-peer'] &&
  !variants.length &&
  !opts.profile &&
  !opts.subscribers &&
  engines.includes('postgres')
) {
  const installed = await installPeer(log);
  if ('unavailable' in installed) {
    peerNote = installed.unavailable;
    log(`peer: ${peerNote}`);
  } else peer = installed;
}

async function runEngine(engine: EngineName, engineScale: number, full: boolean): Promise<EngineResults> {
  log(`\n== ${engine}, scale ${engineScale} ==`);
  const prepared = await prepareEngine({
    engine,
    scale: engineScale,
    databaseUrl: opts['database-url'],
    dataRoot: opts['data-dir'],
    corpus,
    scenarios,
    fresh: opts.fresh,
    write: full && !skip.has('write'),
    cachedCopy: cacheModes.length > 1,
    repo: REPO,
    cpu: SERVER_CPU,
    log,
  });
  for (const r of prepared.requests)
    log(
      `  ${r.scenario.number} ${r.scenario.id}: Chancery ${r.sqlStatements} SQL statement(s), variables ${JSON.stringify(r.variables)}; the floor's SQL uses ${r.floorPlan.indexes.join(', ') || 'no index'}${r.floorPlan.seqScans.length ? `, reads whole ${r.floorPlan.seqScans.join(', ')}` : ''}`,
    );
  if (prepared.write)
    log(
      `  4 ${prepared.write.scenario.id}: ${prepared.write.sqlStatements} SQL statement(s) (floor ${prepared.write.floorSqlStatements}), the floor writes the same rows`,
    );
  const planFile = join(tmpdir(), `chancery-bench-plan-${process.pid}-${engine}.json`);
  await writeFile(planFile, JSON.stringify(prepared.plan));

  const children: ServerChild[] = [];
  const stopAll = () => Promise.all(children.map((c) => c.stop()));
  try {
    const start = async (
      entry: string,
      env: Record<string, string>,
      nodeArgs: string[] = [],
      plainNode = false,
    ) => {
      const child = await spawnServer({
        entry,
        // As deployed: graphql-js, for one, skips its development-only checks in production.
        env: { NODE_ENV: 'production', ...env },
        plainNode,
        nodeArgs,
        cpu: SERVER_CPU,
        readyLine: benchReadyLine,
        cwd: REPO,
      });
      children.push(child);
      return child;
    };
    const contestants: Contestant[] = [];
    // Cache off ("chancery") is the work per request; on ("chancery-cached") what a client gets.
    for (const cached of cacheModes) {
      const child = await start(
        chanceryEntry,
        {
          ...(cached && cacheModes.length > 1 ? prepared.cachedEnv : prepared.chanceryEnv),
          BENCH_VARIANT: 'baseline',
          BENCH_RESPONSE_CACHE_MB: cached ? String(CACHE_MB) : '0',
        },
        [],
        compiled,
      );
      contestants.push({ name: cached ? 'chancery-cached' : 'chancery', child, urlFor: () => child.url });
    }
    const chancery = (contestants[0] as Contestant).child;
    for (const variant of variants) {
      // Process-level variants: semi-space-N (a V8 flag), node-env-development (NODE_ENV unset,
      // as `npm start` runs by default).
      const semi = /(?:^|\+)semi-space-(\d+)/.exec(variant)?.[1];
      const development = /(?:^|\+)node-env-development(?:\+|$)/.test(variant);
      const code = variant
        .split('+')
        .filter((f) => f !== 'node-env-development' && !f.startsWith('semi-space-'))
        .join('+');
      const child = await start(
        chanceryEntry,
        {
          ...prepared.chanceryEnv,
          BENCH_VARIANT: code || 'baseline',
          BENCH_RESPONSE_CACHE_MB: '0',
          ...(development ? { NODE_ENV: 'development' } : {}),
        },
        semi ? [`--max-semi-space-size=${semi}`] : [],
        compiled,
      );
      contestants.push({ name: variant, child, urlFor: () => child.url });
    }
    const floor = await start(FLOOR_ENTRY, { ...prepared.floorEnv, BENCH_FLOOR_PLAN: planFile });
    contestants.push({ name: 'floor', child: floor, urlFor: (r) => `${floor.url}/${r.scenario.id}` });
    if (peer && engine === 'postgres' && !variants.length) {
      // Chancery's pool size, the same database, the same core.
      const child = await spawnServer({
        entry: peer.entry,
        node: peer.node,
        plainNode: true,
        env: {
          NODE_ENV: 'production',
          DATABASE_URL: prepared.chanceryEnv.DATABASE_URL,
          BENCH_PEER_POOL: String(POOL_MAX_SERVER),
        },
        cpu: SERVER_CPU,
        readyLine: benchReadyLine,
        cwd: REPO,
      });
      children.push(child);
      contestants.push({ name: 'postgraphile', child, peer: true, urlFor: () => child.url });
    }

    const bytes = await verify(contestants, prepared.requests);
    log(
      `  the floor answers every scenario with Chancery's data${contestants.some((c) => c.peer) ? ', PostGraphile with the same rows (answers.ts)' : ''}`,
    );
    const closed = await closedLoopCells({
      contestants,
      requests: prepared.requests,
      concurrencies,
      timing,
      target: (c, request) => readTarget(c, request, bytes),
      log,
    });
    const failures: string[] = [];
    // Optional parts: a failure is recorded and the run goes on with the next part.
    const attempt = async <T>(part: string, work: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        log(`  ! ${part} failed: ${error instanceof Error ? error.message : String(error)}`);
        failures.push(`${part}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        return fallback;
      }
    };
    const open =
      full && !skip.has('open')
        ? await attempt(
            'open loop',
            () =>
              openLoopCells({
                contestants,
                requests: prepared.requests,
                cells: closed,
                shares: [0.5, 0.8],
                // The cached Chancery's own peak is near the one-core load generator's, so a share
                // of it would measure the generator: it gets the floor's rates instead, the same
                // offered load as the floor's row.
                peakOf: { 'chancery-cached': 'floor' },
                timing,
                bytes,
                log,
              }),
            [],
          )
        : [];
    const soaks =
      full && !skip.has('soak')
        ? await attempt(
            'sustained load',
            async () => [
              await soak({
                contestant: contestants[0] as Contestant,
                requests: prepared.requests,
                seconds: soakSeconds,
                concurrency: 8,
                bytes,
                log,
              }),
            ],
            [],
          )
        : [];
    // Scenario 4 after every read: the writes never share a run with them. The cached Chancery
    // stops first: its change-feed listener would otherwise work on the servers' CPU.
    const write = prepared.write;
    let writeCells: Cell[] = [];
    let writeSent = 0;
    if (full && write) {
      const writers = contestants.filter((c) => c.name === 'floor' || c === contestants[0]);
      for (const c of contestants) if (!writers.includes(c)) await c.child.stop();
      writeCells = await attempt('write', async () => {
        const { target, sent } = await writeTargets(writers, write);
        log(`  every server answers ${write.scenario.id} with Chancery's JSON (the new id aside)`);
        try {
          return await closedLoopCells({
            contestants: writers,
            requests: [write],
            concurrencies,
            timing,
            target: (c) => target(c),
            log,
          });
        } finally {
          writeSent = sent();
        }
      }, []);
    }
    const coldCheck = await fetchOnce({
      url: chancery.url,
      body: JSON.stringify({ query: COLD_START_QUERY }),
    });
    const expected = (JSON.parse(coldCheck.text) as { data: unknown }).data;
    await stopAll();
    let writesRemoved = 0;
    if (write) {
      // The rows the write left, from every copy of the data that saw them.
      for (const env of engine === 'pglite'
        ? [prepared.chanceryEnv, prepared.cachedEnv, prepared.floorEnv]
        : [prepared.chanceryEnv])
        if (env.DATABASE_URL || existsSync(env.CHANCERY_DATA_DIR as string))
          writesRemoved += await removeBenchWritesAt(env);
      log(
        `  ${write.scenario.id}: ${writeSent} requests sent, ${writesRemoved} statements written and removed`,
      );
    }

    const cold =
      full && !skip.has('cold')
        ? await attempt(
            'cold start',
            async () =>
              coldStart({
                engine,
                // The build `npm start` runs (apps/server/dist/main.mjs), made when cold start runs.
                serverEntry: compiled ? await buildServer() : SERVER_MAIN,
                compiled,
                existing:
                  engine === 'pglite'
                    ? { dataDir: prepared.floorEnv.CHANCERY_DATA_DIR }
                    : { databaseUrl: prepared.chanceryEnv.DATABASE_URL },
                fresh:
                  engine === 'pglite'
                    ? { dataRoot: opts['data-dir'] }
                    : {
                        databaseUrl: databaseUrlFor(opts['database-url'], engineScale).replace(
                          /\/([^/]+)$/,
                          '/$1_cold',
                        ),
                      },
                expected,
                repeats: coldRepeats,
                cpu: SERVER_CPU,
                log,
              }),
            [],
          )
        : [];
    const imported =
      full && !skip.has('import')
        ? await attempt(
            'import',
            async () =>
              importThroughput({
                engine,
                repo: REPO,
                storiesDir: await generateStories({
                  repo: REPO,
                  dataRoot: opts['data-dir'],
                  stories,
                  seed: STORY_SEED,
                  log,
                }),
                stories,
                seed: STORY_SEED,
                databaseUrl: databaseUrlFor(opts['database-url'], engineScale),
                dataRoot: opts['data-dir'],
                cpu: SERVER_CPU,
                log,
              }),
            null as ImportResult | null,
          )
        : null;
    return {
      engine,
      scale: engineScale,
      location: prepared.location,
      indexes: prepared.indexes,
      peer: engine === 'postgres' ? (peer?.version ?? peerNote) : null,
      serverVersion: prepared.serverVersion,
      corpus: prepared.corpus,
      scenarios: prepared.requests.map((r) => ({
        id: r.scenario.id,
        number: r.scenario.number,
        title: r.scenario.title,
        sqlStatements: r.sqlStatements,
        responseBytes: bytes.get(`chancery/${r.scenario.id}`) as number,
        floorPlan: r.floorPlan,
      })),
      closedLoop: closed,
      openLoop: open,
      soak: soaks,
      write: write
        ? {
            id: write.scenario.id,
            number: write.scenario.number,
            title: write.scenario.title,
            sqlStatements: write.sqlStatements,
            floorSqlStatements: write.floorSqlStatements,
            contestant: (contestants[0] as Contestant).name,
            closedLoop: writeCells,
            requestsSent: writeSent,
            statementsWritten: writesRemoved,
          }
        : null,
      coldStart: cold,
      import: imported,
      failures,
    };
  } finally {
    await stopAll();
    await rm(planFile, { force: true });
  }
}

if (opts.subscribers) {
  const rounds = opts.rounds === undefined ? 10 : timing.rounds;
  const measured: SubscribersResult[] = [];
  const dir = join(REPO, 'bench/results');
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}-subscribers.json`);
  for (const engine of engines) {
    measured.push(
      await subscribersBench({
        engine,
        entry: chanceryEntry,
        compiled,
        databaseUrl: opts['database-url'],
        dataRoot: opts['data-dir'],
        subscribers: subscriberCount,
        filteredShare,
        rounds,
        cpu: SERVER_CPU,
        repo: REPO,
        profileFile: opts.profile
          ? join(tmpdir(), `chancery-bench-subscribers-${process.pid}-${engine}.cpuprofile`)
          : undefined,
        log,
      }),
    );
    await mkdir(dir, { recursive: true });
    await writeFile(
      file,
      `${JSON.stringify(
        {
          version: 1,
          kind: 'subscribers',
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          command,
          machine: machineNow(),
          options: { subscribers: subscriberCount, filteredShare, rounds },
          engines: measured,
        },
        null,
        2,
      )}\n`,
    );
  }
  if (compiled) await rm(dirname(chanceryEntry), { recursive: true, force: true });
  console.log(subscribersMarkdown(measured));
  if (opts.profile)
    for (const engine of engines) {
      const profileFile = join(tmpdir(), `chancery-bench-subscribers-${process.pid}-${engine}.cpuprofile`);
      console.log(`\n### The server's CPU over the rounds (${engine})\n`);
      console.log(await summarizeProfile(profileFile));
      log(`Profile: ${profileFile}`);
    }
  log(`\nResults: ${file}`);
  process.exit(0);
}

if (opts.profile) {
  const engine = engines[0] as EngineName;
  const prepared = await prepareEngine({
    engine,
    scale,
    databaseUrl: opts['database-url'],
    dataRoot: opts['data-dir'],
    corpus,
    scenarios,
    fresh: opts.fresh,
    repo: REPO,
    cpu: SERVER_CPU,
    log,
  });
  const dir = join(REPO, 'bench/results/tmp', `profile-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  for (const request of prepared.requests) {
    const profileFile = join(dir, `${request.scenario.id}.cpuprofile`);
    const child = await spawnServer({
      entry: chanceryEntry,
      plainNode: compiled,
      env: {
        NODE_ENV: 'production',
        ...prepared.chanceryEnv,
        BENCH_VARIANT: variants[0] ?? 'baseline',
        BENCH_PROFILE_FILE: profileFile,
      },
      cpu: SERVER_CPU,
      readyLine: benchReadyLine,
      cwd: REPO,
    });
    const contestant: Contestant = { name: 'chancery', child, urlFor: () => child.url };
    try {
      const bytes = await verify([contestant], [request]);
      const target = {
        url: child.url,
        body: request.body,
        expectedBytes: bytes.get(`chancery/${request.scenario.id}`) as number,
      };
      await closedLoop(target, { concurrency: 8, durationMs: timing.warmupMs * 2 });
      process.kill(child.pid, 'SIGUSR2');
      await new Promise((r) => setTimeout(r, 200));
      const result = await closedLoop(target, { concurrency: 8, durationMs: timing.measureMs * 2 });
      log(
        `\n### ${request.scenario.number} ${request.scenario.id} on ${engine}: ${result.completed} requests, ${result.reqPerSec.toFixed(0)} req/s (profiled after the warm-up)`,
      );
    } finally {
      await child.stop();
    }
    console.log(`\n### ${request.scenario.number} ${request.scenario.id} (${engine})\n`);
    console.log(await summarizeProfile(profileFile));
  }
  log(`\nProfiles: ${dir}`);
  process.exit(0);
}

const results: EngineResults[] = [];
const dir = join(REPO, 'bench/results');
const kind = variants.length ? 'variants' : 'suite';
const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}-${kind}.json`);

/** Written after every engine, so that a failure later never loses the figures so far. */
async function save(): Promise<Results> {
  const output: Results = {
    version: 1,
    kind,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command,
    machine: machineNow(),
    options: {
      timing,
      concurrencies,
      soakSeconds,
      coldRepeats,
      scale,
      growth: opts.growth,
      variants,
      skip: [...skip],
    },
    engines: results,
  };
  await mkdir(dir, { recursive: true });
  await writeFile(file, `${JSON.stringify(output, null, 2)}\n`);
  return output;
}

for (const engine of engines) {
  results.push(await runEngine(engine, scale, variants.length === 0));
  await save();
}
if (opts.growth && variants.length === 0)
  for (const engine of engines) {
    results.push(await runEngine(engine, scale * 10, false));
    await save();
  }
if (compiled) await rm(dirname(chanceryEntry), { recursive: true, force: true });
console.log(markdown(await save()));
log(`\nResults: ${file}`);
