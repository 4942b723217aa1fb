// Scenario 6: cold start to the first correct response, with the real entry point
// (apps/server/dist/main.mjs, as `npm start` runs it; src/main.ts under tsx with --tsx): spawn, wait for the listening line, then ask
// until the answer is right. Fresh = an empty data directory / an empty database (migrations and
// the seed run first); existing = the bench corpus already there.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { mainReadyLine, spawnServer } from './children.ts';
import { fetchOnce } from './load.ts';
import { cpuTimeMs, memoryMiB } from './proc.ts';
import { dropPostgresDatabase, ensurePostgresDatabase } from './setup.ts';
import { median, round } from './stats.ts';

export const COLD_START_QUERY = `{
  treaty(slug: "russia-dprk-comprehensive-strategic-partnership-treaty") {
    title
    provision(number: "4") { number statements(first: 5) { totalCount nodes { text speaker { name } } } }
  }
}`;

export type ColdStartCase = 'fresh' | 'existing';

export type ColdStartResult = {
  case: ColdStartCase;
  runs: { listeningMs: number; firstCorrectMs: number; cpuMs: number; peakRssMiB: number }[];
  /** Medians over runs. */
  listeningMs: number;
  firstCorrectMs: number;
  peakRssMiB: number;
};

async function once(options: {
  serverEntry: string;
  compiled: boolean;
  env: Record<string, string>;
  expected: unknown;
  cpu: number | null;
}): Promise<ColdStartResult['runs'][number]> {
  const started = performance.now();
  const child = await spawnServer({
    entry: options.serverEntry,
    plainNode: options.compiled,
    // info: the "Chancery is serving <url>" line is how we learn the port.
    env: { PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'info', ...options.env },
    cpu: options.cpu,
    readyLine: mainReadyLine,
    timeoutMs: 180_000,
  });
  try {
    const listeningMs = performance.now() - started;
    const body = JSON.stringify({ query: COLD_START_QUERY });
    const deadline = performance.now() + 60_000;
    for (;;) {
      const response = await fetchOnce({ url: child.url, body }).catch(() => null);
      const data =
        response?.status === 200 ? (JSON.parse(response.text) as { data?: unknown }).data : undefined;
      if (isDeepStrictEqual(data, options.expected)) break;
      if (performance.now() > deadline)
        throw new Error(`No correct answer within 60 s: ${response?.text.slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const firstCorrectMs = performance.now() - started;
    return {
      listeningMs: round(listeningMs, 0),
      firstCorrectMs: round(firstCorrectMs, 0),
      cpuMs: round(cpuTimeMs(child.pid), 0),
      peakRssMiB: round(memoryMiB(child.pid).hwm, 1),
    };
  } finally {
    await child.stop();
  }
}

export async function coldStart(options: {
  engine: 'postgres' | 'pglite';
  serverEntry: string;
  /** serverEntry is the build (dist/main.mjs), run by plain node. */
  compiled: boolean;
  /** PGlite: a data directory holding the corpus (nothing may have it open). PostgreSQL: the bench URL. */
  existing: { dataDir?: string; databaseUrl?: string };
  /** Where fresh PGlite directories go, or the URL of a throwaway PostgreSQL database. */
  fresh: { dataRoot?: string; databaseUrl?: string };
  expected: unknown;
  repeats: number;
  cpu: number | null;
  log: (line: string) => void;
}): Promise<ColdStartResult[]> {
  const results: ColdStartResult[] = [];
  for (const which of ['fresh', 'existing'] as const) {
    const runs: ColdStartResult['runs'] = [];
    for (let i = 0; i < options.repeats; i++) {
      let env: Record<string, string>;
      let cleanup = async () => {};
      if (options.engine === 'pglite') {
        if (which === 'fresh') {
          const dir = join(options.fresh.dataRoot as string, `cold-${process.pid}-${i}`);
          await rm(dir, { recursive: true, force: true });
          await mkdir(dir, { recursive: true });
          env = { CHANCERY_DATA_DIR: dir, DATABASE_URL: '' };
          cleanup = () => rm(dir, { recursive: true, force: true });
        } else env = { CHANCERY_DATA_DIR: options.existing.dataDir as string, DATABASE_URL: '' };
      } else if (which === 'fresh') {
        const url = options.fresh.databaseUrl as string;
        await dropPostgresDatabase(url);
        await ensurePostgresDatabase(url);
        env = { DATABASE_URL: url };
        cleanup = () => dropPostgresDatabase(url);
      } else env = { DATABASE_URL: options.existing.databaseUrl as string };
      try {
        const run = await once({
          serverEntry: options.serverEntry,
          compiled: options.compiled,
          env,
          expected: options.expected,
          cpu: options.cpu,
        });
        runs.push(run);
        options.log(
          `  cold start ${options.engine} ${which} #${i + 1}: listening ${run.listeningMs} ms, first correct ${run.firstCorrectMs} ms, CPU ${run.cpuMs} ms, peak RSS ${run.peakRssMiB} MiB`,
        );
      } finally {
        await cleanup();
      }
    }
    results.push({
      case: which,
      runs,
      listeningMs: median(runs.map((r) => r.listeningMs)),
      firstCorrectMs: median(runs.map((r) => r.firstCorrectMs)),
      peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
    });
  }
  return results;
}
