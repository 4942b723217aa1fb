// Scenario 5: import throughput. `chancery generate` writes N invented wire stories once; per
// engine, `chancery import` (the real CLI, a process of its own pinned like the servers) stores
// them in a fresh database: a new PGlite data directory, or a PostgreSQL database the bench creates
// and drops. Two baselines from the same run and the same stories: `--dry-run` before the import
// (parse and extract, no storage) and the same import again (every story unchanged: the content
// hash says so and nothing is written). Timings are the CLI's own (`summary.seconds` of --json:
// from the first file on, without starting Node, opening the database or migrating); CPU and peak
// RSS of the whole process come from /usr/bin/time when it is there.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hasTaskset } from './children.ts';
import { dropPostgresDatabase, type EngineName, ensurePostgresDatabase } from './setup.ts';
import { round } from './stats.ts';

const run = promisify(execFile);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

export type ImportMode = 'dry-run' | 'import' | 're-import';

export type ImportRun = {
  mode: ImportMode;
  /** Stories by outcome, as the CLI reports them. */
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Statements the run created (or, dry, would have); 0 when re-importing unchanged stories. */
  statementsCreated: number;
  /** The CLI's import time (first file to last). */
  seconds: number;
  /** The process, spawn to exit (Node, tsx, opening the database, migrations when due). */
  wallSeconds: number;
  storiesPerSec: number;
  /** The import's statements (the same stories each time) per second of this run. */
  statementsPerSec: number;
  cpuSeconds: number | null;
  peakRssMiB: number | null;
};

export type ImportResult = {
  engine: EngineName;
  stories: number;
  seed: string;
  /** The statements the stories hold (created by the import). */
  statements: number;
  /** `chancery migrate` on the empty database, spawn to exit. */
  migrateWallSeconds: number;
  runs: ImportRun[];
};

type Summary = {
  files: number;
  failed: number;
  stories: { created: number; updated: number; unchanged: number };
  statements: number;
  seconds: number;
};

export async function chancery(options: {
  repo: string;
  args: string[];
  env: Record<string, string>;
  cpu: number | null;
}): Promise<{ stdout: string; wallSeconds: number; cpuSeconds: number | null; peakRssMiB: number | null }> {
  const timeFile = join(options.repo, 'bench/results/tmp', `time-${process.pid}-${Date.now()}.txt`);
  await mkdir(join(options.repo, 'bench/results/tmp'), { recursive: true });
  const node = [process.execPath, join(options.repo, 'apps/cli/bin/chancery.js'), ...options.args];
  const timed = TIME ? [TIME, '-f', '%M %U %S', '-o', timeFile, ...node] : node;
  const command =
    options.cpu !== null && hasTaskset ? ['taskset', '-c', String(options.cpu), ...timed] : timed;
  const started = performance.now();
  try {
    const { stdout } = await run(command[0] as string, command.slice(1), {
      cwd: options.repo,
      env: { ...process.env, ...options.env },
      maxBuffer: 512 * 1024 * 1024,
    });
    const wallSeconds = (performance.now() - started) / 1000;
    let cpuSeconds: number | null = null;
    let peakRssMiB: number | null = null;
    if (TIME) {
      // The last line: /usr/bin/time writes "Command exited with non-zero status" above it on failure.
      const [kib, user, system] =
        (await readFile(timeFile, 'utf8')).trim().split('\n').at(-1)?.split(' ') ?? [];
      cpuSeconds = round(Number(user) + Number(system), 2);
      peakRssMiB = round(Number(kib) / 1024, 1);
    }
    return { stdout, wallSeconds, cpuSeconds, peakRssMiB };
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(
      `chancery ${options.args.slice(0, 2).join(' ')} failed: ${e.message}\n${(e.stderr ?? '').slice(-2000)}`,
    );
  } finally {
    await rm(timeFile, { force: true });
  }
}

/** Writes the stories once per (count, seed); a directory already holding them is reused. */
export async function generateStories(options: {
  repo: string;
  dataRoot: string;
  stories: number;
  seed: string;
  log: (line: string) => void;
}): Promise<string> {
  const dir = join(options.dataRoot, `stories-${options.seed}-${options.stories}`);
  const marker = join(dir, '.generated.json');
  const want = JSON.stringify({ stories: options.stories, seed: options.seed });
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === want) {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.txt'));
    if (files.length === options.stories) return dir;
  }
  await rm(dir, { recursive: true, force: true });
  const args = ['generate', '--stories', String(options.stories), '--seed', options.seed, '--out', dir];
  const { wallSeconds } = await chancery({ repo: options.repo, args, env: {}, cpu: null });
  await writeFile(marker, want);
  options.log(`import: generated ${options.stories} stories in ${wallSeconds.toFixed(1)} s (${dir})`);
  return dir;
}

/** Scenario 5 on one engine, in a database made for it and removed afterwards. */
export async function importThroughput(options: {
  engine: EngineName;
  repo: string;
  storiesDir: string;
  stories: number;
  seed: string;
  /** PostgreSQL: the bench URL; the import database is its name + `_import`. */
  databaseUrl: string;
  /** PGlite: where the fresh data directory goes. */
  dataRoot: string;
  cpu: number | null;
  log: (line: string) => void;
}): Promise<ImportResult> {
  const { engine, repo, cpu, log } = options;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (engine === 'postgres') {
    const url = options.databaseUrl.replace(/\/([^/?]+)(\?.*)?$/, '/$1_import$2');
    await dropPostgresDatabase(url);
    await ensurePostgresDatabase(url);
    env = { DATABASE_URL: url };
    cleanup = () => dropPostgresDatabase(url);
  } else {
    const dir = join(options.dataRoot, `pglite-import-${process.pid}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    env = { CHANCERY_DATA_DIR: dir, DATABASE_URL: '' };
    cleanup = () => rm(dir, { recursive: true, force: true });
  }
  try {
    const migrate = await chancery({ repo, args: ['migrate'], env, cpu });
    const runs: ImportRun[] = [];
    for (const mode of ['dry-run', 'import', 're-import'] as const) {
      const args = [
        'import',
        options.storiesDir,
        '--json',
        '--no-progress',
        ...(mode === 'dry-run' ? ['--dry-run'] : []),
      ];
      const result = await chancery({ repo, args, env, cpu });
      const summary = (JSON.parse(result.stdout) as { summary: Summary }).summary;
      const expected = mode === 're-import' ? summary.stories.unchanged : summary.stories.created;
      if (summary.failed > 0 || expected !== options.stories)
        throw new Error(
          `${mode}: expected ${options.stories} ${mode === 're-import' ? 'unchanged' : 'created'} stories, got ${JSON.stringify(summary)}`,
        );
      runs.push({
        mode,
        ...summary.stories,
        failed: summary.failed,
        statementsCreated: summary.statements,
        seconds: summary.seconds,
        wallSeconds: round(result.wallSeconds, 3),
        storiesPerSec: 0,
        statementsPerSec: 0,
        cpuSeconds: result.cpuSeconds,
        peakRssMiB: result.peakRssMiB,
      });
    }
    const statements = runs.find((r) => r.mode === 'import')?.statementsCreated ?? 0;
    for (const r of runs) {
      r.storiesPerSec = round(options.stories / r.seconds, 1);
      r.statementsPerSec = round(statements / r.seconds, 1);
      log(
        `  import ${engine} ${r.mode.padEnd(9)} ${options.stories} stories in ${r.seconds.toFixed(2)} s: ${r.storiesPerSec} stories/s, ${r.statementsPerSec} statements/s (process ${r.wallSeconds.toFixed(1)} s, CPU ${r.cpuSeconds ?? '?'} s, peak RSS ${r.peakRssMiB ?? '?'} MiB)`,
      );
    }
    return {
      engine,
      stories: options.stories,
      seed: options.seed,
      statements,
      migrateWallSeconds: round(migrate.wallSeconds, 3),
      runs,
    };
  } finally {
    await cleanup();
  }
}
