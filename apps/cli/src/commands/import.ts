// `chancery import PATH…`: wire stories (.txt), bundles (.ndjson), directories of them, or `-` for
// stdin. Each file is stored whole or not at all; a bad file is reported with its name and line
// and the batch goes on; the exit code is 1 if anything failed. Large batches show a progress bar
// on a terminal and plain progress lines otherwise, on stderr, so stdout stays the report.
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Database } from '@chancery/db/database';
import { type BundleImportResult, importBundle } from '@chancery/db/import/bundle';
import { type PublishedOption, parsePublished } from '@chancery/db/import/dates';
import { databaseMessage, describeImportError, ImportError } from '@chancery/db/import/errors';
import { DEFAULT_FETCH_LIMITS, fetchSource, isUrl } from '@chancery/db/import/fetch';
import { decodeSource } from '@chancery/db/import/formats/charset';
import { detectFormat, readSource } from '@chancery/db/import/formats/detect';
import { importItems } from '@chancery/db/import/items';
import { readLines } from '@chancery/db/import/lines';
import {
  type StoryImporter as Importer,
  StoryImporter,
  type StoryImportResult,
} from '@chancery/db/import/story';
import { storyTextFromBytes } from '@chancery/db/import/story-text';
import { migrate, migrationStatus } from '@chancery/db/migrate';
import { refreshStatistics } from '@chancery/db/statistics';
import { badInput } from '@chancery/domain/errors';
import { MAX_STORY_BYTES } from '@chancery/domain/wire/parse';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { withDatabase } from '../database.ts';

type Input =
  | { path: string; kind: 'story' | 'bundle' | 'news' | 'url'; bytes: number }
  | { path: '-'; kind: 'stdin'; bytes: number };

type ImportOptions = {
  publisher?: string;
  published?: PublishedOption;
  dryRun?: boolean;
  json?: boolean;
  status: 'draft' | 'published';
  progress: boolean;
  timeout: number;
};

/** `file`: the feed or item file (or URL) an item came from, when `source` names the item (`feed.xml#2`). */
type FileOutcome =
  | { source: string; kind: 'story'; result: StoryImportResult; file?: string }
  | { source: string; kind: 'bundle'; result: BundleImportResult; records: number }
  | { source: string; kind: 'error'; error: string; line: number | null; file?: string };

/** Extensions of feeds, agency items and pages, for files found in directories. */
const NEWS_EXTENSIONS = new Set(['.xml', '.rss', '.atom', '.json', '.html', '.htm']);

/** Progress is shown from this many inputs on (or for any bundle bigger than a megabyte). */
const PROGRESS_FROM_FILES = 20;

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description(
      'Import wire stories (.txt), bundles (.ndjson), RSS and Atom feeds, ninjs and NewsML-G2 items and ' +
        'article pages (.html), from files, directories or http(s) URLs (`-` reads stdin); the format is read ' +
        'from the content. Each story is stored whole or not at all; re-importing an unchanged story changes ' +
        'nothing, a changed one (or a feed item seen before) becomes a new version of its article.',
    )
    .argument('<paths...>', 'stories, bundles, feeds, items, pages, directories, URLs, or - for stdin')
    .option('--publisher <name>', 'the publisher of the stories (default: the agency in each dateline)')
    .option(
      '--published <date>',
      'when the stories were published: YYYY-MM-DD, an ISO 8601 instant, or a year for the dateline’s day (datelines have no year)',
      publishedOption,
    )
    .addOption(
      new Option('--status <status>', 'status of new articles')
        .choices(['draft', 'published'])
        .default('draft'),
    )
    .option('--dry-run', 'show what would be created and write nothing')
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'never show progress')
    .option('--timeout <seconds>', 'time limit for fetching one URL', secondsOption, 30)
    .action((paths: string[], options: ImportOptions) => runImport(paths, options));
}

export function secondsOption(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600)
    throw new InvalidArgumentError('expected a number of seconds between 0 and 3600, e.g. 30 or 0.5');
  return seconds;
}

function publishedOption(value: string): PublishedOption {
  const parsed = parsePublished(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  return parsed.value;
}

async function runImport(paths: string[], options: ImportOptions): Promise<void> {
  if (options.publisher !== undefined && options.publisher.trim() === '') {
    throw badInput('--publisher must name the publisher, e.g. --publisher TASS');
  }
  const { inputs, problems } = await collectInputs(paths);
  const outcomes: FileOutcome[] = [...problems];
  // Timed from the first file on: opening the database and migrating are not importing.
  let started = performance.now();
  if (!options.json) for (const p of problems) if (p.kind === 'error') console.error(`chancery: ${p.error}`);
  await withDatabase(async (database) => {
    if (options.dryRun) {
      const pending = (await migrationStatus(database)).filter((m) => !m.appliedAt);
      if (pending.length > 0) {
        throw badInput(
          `the database has ${pending.length} pending migration(s); run \`chancery migrate\` first (a dry run writes nothing, not even migrations)`,
        );
      }
    } else {
      await migrate(database);
    }
    const importer = new StoryImporter(database.db, {
      tokenName: null,
      dryRun: options.dryRun,
      rememberDryRun: true,
    });
    const showProgress =
      options.progress &&
      (inputs.length >= PROGRESS_FROM_FILES || inputs.some((i) => i.kind === 'bundle' && i.bytes > 1 << 20));
    const progress = new Progress(inputs, showProgress);
    started = performance.now();
    for (const input of inputs) {
      const done = await importOne(database, importer, input, options, progress);
      for (const outcome of Array.isArray(done) ? done : [done]) {
        outcomes.push(outcome);
        // Story by story in a small batch; in a large one only bundles and failures, above the bar.
        if (!options.json && (!showProgress || outcome.kind !== 'story')) {
          progress.clear();
          printOutcome(outcome, options);
        }
      }
      const outcome = Array.isArray(done) ? (done.find((o) => o.kind === 'error') ?? done[0]) : done;
      progress.fileDone(input, outcome ?? { kind: 'story' });
    }
    progress.finish();
    // So that the very next read is planned on the imported rows, not on an empty database's guesses.
    if (!options.dryRun) await refreshStatistics(database);
  });
  const seconds = (performance.now() - started) / 1000;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report(outcomes, seconds, options), null, 2)}\n`);
  } else {
    console.log(summary(outcomes, seconds, options));
  }
  if (outcomes.some((o) => o.kind === 'error')) process.exitCode = 1;
}

/** Files, directories (searched recursively for .txt and .ndjson) and `-`, in a stable order. */
async function collectInputs(paths: string[]): Promise<{ inputs: Input[]; problems: FileOutcome[] }> {
  const inputs: Input[] = [];
  const problems: FileOutcome[] = [];
  const fail = (source: string, error: string) =>
    problems.push({ source, kind: 'error', error: `${source}: ${error}`, line: null });
  const kindOf = (path: string) => {
    const ext = extname(path).toLowerCase();
    if (ext === '.txt') return 'story';
    if (ext === '.ndjson' || ext === '.jsonl') return 'bundle';
    return NEWS_EXTENSIONS.has(ext) ? 'news' : null;
  };
  const walk = async (dir: string) => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const kind = kindOf(path);
        // A .json file in a directory is read only when it is a ninjs item (not, say, a gold file).
        if (kind && (extname(path).toLowerCase() !== '.json' || (await isNinjsFile(path)))) {
          inputs.push({ path, kind, bytes: (await stat(path)).size });
        }
      }
    }
  };
  let stdinSeen = false;
  for (const path of paths) {
    if (isUrl(path)) {
      inputs.push({ path, kind: 'url', bytes: 0 });
      continue;
    }
    if (path === '-') {
      if (stdinSeen) fail('-', 'stdin can be read only once');
      else inputs.push({ path: '-', kind: 'stdin', bytes: 0 });
      stdinSeen = true;
      continue;
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      fail(path, 'no such file or directory');
      continue;
    }
    if (info.isDirectory()) {
      const before = inputs.length;
      await walk(path);
      if (inputs.length === before)
        fail(path, 'the directory holds no stories (.txt), bundles (.ndjson), feeds, items or pages');
      continue;
    }
    // A file named explicitly is read whatever its extension: its content says what it is.
    inputs.push({ path, kind: kindOf(path) ?? 'news', bytes: info.size });
  }
  return { inputs, problems };
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads a story file, at most a little more than a story may be: a huge file costs nothing. */
async function readStoryBytes(path: string, size: number): Promise<Uint8Array> {
  const limit = Math.max(MAX_STORY_BYTES + 1, Math.min(size, 64 * 1024 * 1024));
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(size, limit));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function isNinjsFile(path: string): Promise<boolean> {
  return (await stat(path)).size <= DEFAULT_FETCH_LIMITS.maxBytes && isNinjsText(await readFile(path));
}

function isNinjsText(data: Uint8Array): boolean {
  try {
    return detectFormat(decodeSource(data)) === 'ninjs';
  } catch {
    return false;
  }
}

/** Reads a feed, item or page file, refusing one over the size cap before reading it. */
async function readNewsBytes(path: string): Promise<Uint8Array> {
  const { size } = await stat(path);
  if (size > DEFAULT_FETCH_LIMITS.maxBytes) {
    throw new ImportError(
      `the file is ${(size / (1024 * 1024)).toFixed(1)} MB; the limit for a feed, item or page is ${DEFAULT_FETCH_LIMITS.maxBytes / (1024 * 1024)} MB`,
    );
  }
  return readFile(path);
}

async function* bytesOf(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}

async function importOne(
  database: Database,
  importer: Importer,
  input: Input,
  options: ImportOptions,
  progress: Progress,
): Promise<FileOutcome | FileOutcome[]> {
  const source = input.kind === 'stdin' ? '<stdin>' : input.path;
  try {
    let kind = input.kind;
    let data: Uint8Array | null = null;
    if (input.kind === 'stdin') {
      data = await readStdin();
      const first = Buffer.from(data.subarray(0, 4096)).toString('utf8').trimStart()[0];
      kind = first === '<' ? 'news' : first === '{' || first === '[' ? 'bundle' : 'story';
    }
    // One JSON document on stdin is a ninjs item rather than a bundle.
    const ninjsOnStdin =
      kind === 'bundle' && data !== null && data.length <= DEFAULT_FETCH_LIMITS.maxBytes && isNinjsText(data);
    if (kind === 'news' || kind === 'url' || ninjsOnStdin) {
      let contentType: string | null = null;
      let url: string | null = null;
      if (input.kind === 'url') {
        const fetched = await fetchSource(input.path, undefined, {
          ...DEFAULT_FETCH_LIMITS,
          timeoutMs: options.timeout * 1000,
        });
        if (fetched.status !== 'ok')
          throw new ImportError('the server answered 304 Not Modified to a plain GET');
        ({ bytes: data, contentType, url } = fetched);
      }
      data ??= await readNewsBytes(input.path);
      progress.bytes(data.length);
      const read = readSource(data, contentType, url);
      if (!('items' in read)) kind = read.format === 'bundle' ? 'bundle' : 'story';
      else {
        const items = await importItems(database.db, importer, read.items, {
          source,
          format: read.format,
          published: options.published ?? null,
          publisher: options.publisher ? { name: options.publisher.trim() } : null,
          status: options.status === 'published' ? 'PUBLISHED' : 'DRAFT',
        });
        return items.map((item): FileOutcome => {
          if (item.kind === 'story') {
            progress.story();
            return { source: item.source, kind: 'story', result: item.result, file: source };
          }
          return {
            source: item.source,
            file: source,
            kind: 'error',
            error: item.kind === 'error' ? item.error : `${item.source}: seen`,
            line: null,
          };
        });
      }
    }
    if (kind === 'bundle') {
      let records = 0;
      const stream = data ? bytesOf(data) : createReadStream(input.path);
      const result = await importBundle(
        database.db,
        readLines(stream, { onBytes: (n) => progress.bytes(n) }),
        {
          dryRun: options.dryRun,
          onRecord: () => {
            records++;
            progress.record();
          },
        },
      );
      return { source, kind: 'bundle', result, records };
    }
    const bytes = data ?? (await readStoryBytes(input.path, input.bytes));
    if (input.kind === 'story' || input.kind === 'bundle') progress.bytes(input.bytes);
    const text = storyTextFromBytes(bytes);
    const result = await importer.importStory({
      source,
      text,
      fileStem: input.kind === 'stdin' ? null : basename(input.path, extname(input.path)),
      published: options.published ?? null,
      publisher: options.publisher ? { name: options.publisher.trim() } : null,
      status: options.status === 'published' ? 'PUBLISHED' : 'DRAFT',
    });
    progress.story();
    return { source, kind: 'story', result };
  } catch (error) {
    if (error instanceof ImportError) {
      return { source, kind: 'error', error: describeImportError(source, error), line: error.line };
    }
    return { source, kind: 'error', error: `${source}: ${databaseMessage(error)}`, line: null };
  }
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
const clip = (text: string, max = 90) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function printOutcome(outcome: FileOutcome, options: ImportOptions): void {
  if (outcome.kind === 'error') {
    console.error(`chancery: ${outcome.error}`);
    return;
  }
  if (outcome.kind === 'bundle') {
    const created = Object.values(outcome.result.created).reduce((a, b) => a + b, 0);
    const existing = Object.values(outcome.result.existing).reduce((a, b) => a + b, 0);
    console.log(
      `${options.dryRun ? 'would import' : 'imported'} ${outcome.source}: ${plural(created, 'record')} ${options.dryRun ? 'to create' : 'created'}, ${plural(existing, 'record')} already stored`,
    );
    for (const warning of outcome.result.warnings) console.log(`  warning: ${warning}`);
    return;
  }
  const r = outcome.result;
  const verb = {
    created: 'created',
    updated: `updated to version ${r.article.version}`,
    unchanged: 'unchanged',
  }[r.outcome];
  const newActors = r.actors.filter((a) => a.created);
  const newTreaties = r.treaties.filter((t) => t.created);
  const newProvisions = r.provisions.filter((p) => p.created);
  const parts = [
    plural(r.statements.length, 'statement'),
    `${plural(r.actors.length, 'actor')} (${newActors.length} new)`,
    `${plural(r.treaties.length, 'treaty', 'treaties')} (${newTreaties.length} new)`,
    ...(r.removedStatements
      ? [`${plural(r.removedStatements, 'statement')} no longer in the story removed`]
      : []),
  ];
  console.log(
    `${options.dryRun ? `would be ${verb}` : verb}: ${r.source} → ${r.article.slug}${r.outcome === 'unchanged' ? '' : ` (${parts.join(', ')})`}`,
  );
  for (const warning of r.warnings) console.log(`  warning: ${warning}`);
  if (!options.dryRun || r.outcome === 'unchanged') return;
  console.log(
    `  article: ${JSON.stringify(r.article.headline)}, ${r.article.status}, published ${r.article.publishedAt.slice(0, 10)}${r.article.publisher ? ` by ${r.article.publisher}` : ''}, ${plural(r.article.paragraphs, 'paragraph')}`,
  );
  for (const a of newActors)
    console.log(
      `  new actor: ${a.name} (${a.kind}${a.aliases.length ? `; also ${a.aliases.join(', ')}` : ''}${a.roles.length ? `; ${a.roles.join('; ')}` : ''})`,
    );
  for (const t of newTreaties)
    console.log(`  new treaty: ${t.title}${t.parties.length ? ` (${t.parties.join(', ')})` : ''}`);
  for (const p of newProvisions) console.log(`  new provision: Article ${p.number} of ${p.treaty}`);
  for (const s of r.statements) {
    if (s.change === 'keep') continue;
    console.log(
      `  ${s.change === 'create' ? 'statement' : 'changed statement'} ¶${s.paragraph} ${s.kind} ${s.speaker ?? '(speaker unknown)'}: ${JSON.stringify(clip(s.text))}`,
    );
  }
}

function counts(outcomes: FileOutcome[]) {
  const stories = outcomes.filter((o): o is Extract<FileOutcome, { kind: 'story' }> => o.kind === 'story');
  const bundles = outcomes.filter((o): o is Extract<FileOutcome, { kind: 'bundle' }> => o.kind === 'bundle');
  const by = (outcome: StoryImportResult['outcome']) =>
    stories.filter((s) => s.result.outcome === outcome).length;
  const sum = (pick: (r: StoryImportResult) => number) => stories.reduce((n, s) => n + pick(s.result), 0);
  return {
    // A feed of several items is one file, failed if any of its items failed.
    files: new Set(outcomes.map((o) => (o.kind === 'bundle' ? o.source : (o.file ?? o.source)))).size,
    failed: new Set(outcomes.filter((o) => o.kind === 'error').map((o) => o.file ?? o.source)).size,
    stories: { created: by('created'), updated: by('updated'), unchanged: by('unchanged') },
    statements: sum((r) =>
      r.outcome === 'unchanged' ? 0 : r.statements.filter((s) => s.change === 'create').length,
    ),
    actorsCreated: sum((r) => r.actors.filter((a) => a.created).length),
    treatiesCreated: sum((r) => r.treaties.filter((t) => t.created).length),
    provisionsCreated: sum((r) => r.provisions.filter((p) => p.created).length),
    bundleRecords: {
      created: bundles.reduce((n, b) => n + Object.values(b.result.created).reduce((x, y) => x + y, 0), 0),
      existing: bundles.reduce((n, b) => n + Object.values(b.result.existing).reduce((x, y) => x + y, 0), 0),
    },
  };
}

function report(outcomes: FileOutcome[], seconds: number, options: ImportOptions) {
  return {
    dryRun: Boolean(options.dryRun),
    files: outcomes.map((o) =>
      o.kind === 'story'
        ? { kind: 'story', ...o.result }
        : o.kind === 'bundle'
          ? { kind: 'bundle', source: o.source, records: o.records, ...o.result }
          : { kind: 'error', source: o.source, line: o.line, error: o.error },
    ),
    summary: { ...counts(outcomes), seconds: Math.round(seconds * 1000) / 1000 },
  };
}

function summary(outcomes: FileOutcome[], seconds: number, options: ImportOptions): string {
  const c = counts(outcomes);
  const would = options.dryRun ? 'Dry run, nothing written: would have ' : '';
  const stories = c.stories.created + c.stories.updated + c.stories.unchanged;
  const parts: string[] = [];
  if (stories > 0 || c.bundleRecords.created + c.bundleRecords.existing === 0) {
    parts.push(
      `${plural(stories, 'story', 'stories')} (${c.stories.created} created, ${c.stories.updated} updated, ${c.stories.unchanged} unchanged)`,
      `${plural(c.statements, 'new statement')}, ${plural(c.actorsCreated, 'new actor')}, ${plural(c.treatiesCreated, 'new treaty', 'new treaties')}, ${plural(c.provisionsCreated, 'new provision')}`,
    );
  }
  if (c.bundleRecords.created + c.bundleRecords.existing > 0) {
    parts.push(
      `${plural(c.bundleRecords.created, 'bundle record')} created, ${c.bundleRecords.existing.toLocaleString('en')} already stored`,
    );
  }
  const rate = stories > 0 && seconds > 0 ? `; ${(stories / seconds).toFixed(1)} stories/s` : '';
  const failed = c.failed > 0 ? ` ${plural(c.failed, 'file')} failed (see above).` : '';
  return `${would}${options.dryRun ? '' : 'Imported '}${plural(c.files, 'file')}: ${parts.join('; ')} in ${seconds.toFixed(1)} s${rate}.${failed}`;
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal, plain lines (every 10% or 5 s)
 * otherwise. The fraction done is by bytes, so a large bundle and many small stories both move it.
 */
export class Progress {
  private readonly started = performance.now();
  private readonly totalBytes: number;
  private readonly totalFiles: number;
  private doneBytes = 0;
  private files = 0;
  private stories = 0;
  private records = 0;
  private failed = 0;
  private lastDraw = 0;
  private lastTenth = 0;
  private readonly tty: boolean;

  constructor(
    inputs: readonly { bytes: number }[],
    private readonly enabled: boolean,
    private readonly label = 'import',
  ) {
    this.totalBytes = inputs.reduce((n, i) => n + i.bytes, 0);
    this.totalFiles = inputs.length;
    this.tty = Boolean(process.stderr.isTTY);
  }

  bytes(n: number): void {
    this.doneBytes += n;
    this.tick();
  }
  story(): void {
    this.stories++;
  }
  record(): void {
    this.records++;
    if (this.records % 1000 === 0) this.tick();
  }
  fileDone(_input: unknown, outcome: { kind: string }): void {
    this.files++;
    if (outcome.kind === 'error') this.failed++;
    this.tick();
  }

  private fraction(): number {
    if (this.totalBytes > 0) return Math.min(1, this.doneBytes / this.totalBytes);
    return this.totalFiles > 0 ? this.files / this.totalFiles : 0;
  }

  private line(final: boolean): string {
    const seconds = (performance.now() - this.started) / 1000;
    const fraction = final ? 1 : this.fraction();
    const unit = this.stories > 0 || this.records === 0 ? 'stories' : 'records';
    const count = unit === 'stories' ? this.stories : this.records;
    const rate = seconds > 0 ? count / seconds : 0;
    const eta = fraction > 0 && !final ? (seconds / fraction) * (1 - fraction) : 0;
    const files = `${this.files.toLocaleString('en')}/${this.totalFiles.toLocaleString('en')} files`;
    const failed = this.failed ? `, ${this.failed} failed` : '';
    const timing = final
      ? `in ${clock(seconds)}, ${rate.toFixed(1)} ${unit}/s`
      : `${rate.toFixed(1)} ${unit}/s, ETA ${clock(eta)}`;
    if (!this.tty || final)
      return `${this.label}: ${files} (${Math.floor(fraction * 100)}%)${failed}, ${timing}`;
    const width = 24;
    const filled = Math.round(fraction * width);
    return `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${files}${failed} · ${timing}`;
  }

  private tick(): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (this.tty) {
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      process.stderr.write(`\r\x1b[2K${this.line(false)}`);
      return;
    }
    const tenth = Math.floor(this.fraction() * 10);
    if (tenth > this.lastTenth || now - this.lastDraw > 5000) {
      this.lastTenth = Math.max(tenth, this.lastTenth);
      this.lastDraw = now;
      if (this.fraction() < 1) process.stderr.write(`${this.line(false)}\n`);
    }
  }

  /** Clears the bar so that a line can be printed above it; it is redrawn on the next tick. */
  clear(): void {
    if (this.enabled && this.tty) process.stderr.write('\r\x1b[2K');
  }

  finish(): void {
    if (!this.enabled) return;
    process.stderr.write(`${this.tty ? '\r\x1b[2K' : ''}${this.line(true)}\n`);
  }
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(rest).padStart(2, '0')}`
    : `${m}:${String(rest).padStart(2, '0')}`;
}
