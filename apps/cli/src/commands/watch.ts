// `chancery watch <url|dir>… [--interval 5m]`: polls feeds, pages and drop folders and imports what
// is new or changed, one summary line per poll. SIGTERM or SIGINT stops it between sources (a story
// is stored whole or not at all either way) and closes the database.
import { DEFAULT_FETCH_LIMITS } from '@chancery/db/import/fetch';
import type { ItemOutcome } from '@chancery/db/import/items';
import {
  describePoll,
  formatInterval,
  INTERVAL_RULE,
  type PollReport,
  parseInterval,
  summarizePoll,
  Watcher,
  WatchLoop,
  watchSourceProblem,
} from '@chancery/db/import/watch';
import { migrate } from '@chancery/db/migrate';
import { badInput } from '@chancery/domain/errors';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { withDatabase } from '../database.ts';
import { secondsOption } from './import.ts';

type WatchOptions = {
  interval: number;
  polls?: number;
  timeout: number;
  status: 'draft' | 'published';
  publisher?: string;
};

/** `90`, `30s`, `5m`, `1h` as milliseconds. */
export function intervalOption(value: string): number {
  const ms = parseInterval(value);
  if (ms === null) throw new InvalidArgumentError(`expected ${INTERVAL_RULE}`);
  return ms;
}

function pollsOption(value: string): number {
  const polls = Number(value);
  if (!Number.isInteger(polls) || polls < 1)
    throw new InvalidArgumentError('expected a whole number of polls, 1 or more');
  return polls;
}

export function registerWatchCommand(program: Command): void {
  program
    .command('watch')
    .description(
      'Poll feeds and pages (http(s) URLs) and drop folders (directories) and import what is new or changed, ' +
        'until stopped (SIGTERM, Ctrl-C). What was seen is kept in the database, so a restart imports nothing twice.',
    )
    .argument(
      '<sources...>',
      'http(s) URLs of feeds, items or pages; directories other tools write files into',
    )
    .addOption(
      new Option('--interval <duration>', 'time between polls: 30s, 5m, 1h')
        .argParser(intervalOption)
        .default(5 * 60_000, '5m'),
    )
    .option('--polls <n>', 'stop after this many polls (default: never)', pollsOption)
    .option('--timeout <seconds>', 'time limit for fetching one URL', secondsOption, 30)
    .addOption(
      new Option('--status <status>', 'status of new articles')
        .choices(['draft', 'published'])
        .default('draft'),
    )
    .option('--publisher <name>', 'the publisher of the stories (default: the agency in each dateline)')
    .action((sources: string[], options: WatchOptions) => runWatch(sources, options));
}

async function runWatch(sources: string[], options: WatchOptions): Promise<void> {
  if (options.publisher !== undefined && options.publisher.trim() === '') {
    throw badInput('--publisher must name the publisher, e.g. --publisher TASS');
  }
  for (const source of sources) {
    const problem = watchSourceProblem(source);
    if (problem) throw badInput(problem);
  }
  let loop: WatchLoop | null = null;
  let stopping = false;
  const stop = () => {
    stopping = true;
    void loop?.stop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  let failed = false;
  await withDatabase(async (database) => {
    await migrate(database);
    const watcher = new Watcher(database.db, sources, {
      intervalMs: options.interval,
      limits: { ...DEFAULT_FETCH_LIMITS, timeoutMs: options.timeout * 1000 },
      status: options.status === 'published' ? 'PUBLISHED' : 'DRAFT',
      publisher: options.publisher ? { name: options.publisher.trim() } : null,
    });
    console.log(
      `watching ${sources.length === 1 ? sources[0] : `${sources.length} sources`} every ${formatInterval(options.interval)}`,
    );
    loop = new WatchLoop(watcher, {
      intervalMs: options.interval,
      polls: options.polls,
      onPoll: (report, seconds) => {
        if (printPoll(report, seconds)) failed = true;
      },
    });
    if (stopping) await loop.stop();
    await loop.run();
  });
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
  if (stopping) console.log('stopped');
  if (failed) process.exitCode = 1;
}

/** Prints what one poll did: a line per item stored or failed, then the summary. True if anything failed. */
function printPoll(report: PollReport, seconds: number): boolean {
  const items: ItemOutcome[] = report.sources.flatMap((s) => s.items);
  for (const item of items) {
    if (item.kind === 'error') console.error(`chancery: ${item.error}`);
    else if (item.kind === 'story' && item.result.outcome !== 'unchanged') {
      const r = item.result;
      const verb = r.outcome === 'created' ? 'created' : `updated to version ${r.article.version}`;
      console.log(`${verb}: ${r.source} → ${r.article.slug} (${r.statements.length} statements)`);
    }
  }
  for (const source of report.sources) {
    if (source.state === 'failed') {
      console.error(`chancery: ${source.error}${source.retryAt ? ` (next try ${source.retryAt})` : ''}`);
    }
  }
  const summary = summarizePoll(report);
  console.log(`${describePoll(summary)}; ${seconds.toFixed(1)} s`);
  return summary.failedSources + summary.failedItems > 0;
}
