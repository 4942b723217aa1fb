// Scores the wire-story extractor on a labelled corpus: by default the repository's own
// (fixtures/corpus: the seed story and dev/), or any folder laid out the same way.
//   npm run eval:extraction -w @chancery/domain             a table per story and in total, then the errors
//   npm run eval:extraction -w @chancery/domain -- --json   the same figures as JSON
//   … -- --corpus DIR                                       another corpus folder: NAME.txt stories with
//                                                           NAME.json gold files, optionally in DIR/dev too
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extractStory } from '../src/wire/extract.ts';
import { parseStory } from '../src/wire/parse.ts';
import { addCounts, type Counts, type Score, type StoryScore, score, scoreStory } from '../src/wire/score.ts';
import { CORPUS_DIR, CorpusError, type CorpusStory, readCorpus } from '../src/wire/test-corpus.ts';

const METRICS = [
  'statements',
  'direct',
  'indirect',
  'spans',
  'actors',
  'treaties',
  'provisions',
  'parties',
] as const;
type Metric = (typeof METRICS)[number];

type StoryResult = { story: string; error?: string } & Partial<StoryScore>;

function evaluate({ name, text, gold }: CorpusStory): StoryResult {
  const parsed = parseStory(text);
  if (!parsed.ok) return { story: name, error: parsed.error.message };
  return { story: name, ...scoreStory(parsed.story, extractStory(parsed.story), gold) };
}

function totals(results: StoryResult[]) {
  const zero: Counts = { truePositives: 0, predicted: 0, expected: 0 };
  const sums = Object.fromEntries(METRICS.map((metric) => [metric, zero])) as Record<Metric, Counts>;
  for (const result of results) {
    for (const metric of METRICS) {
      const value = result[metric];
      if (value) sums[metric] = addCounts(sums[metric], value);
    }
  }
  const scored = results.filter((r) => r.datelineCorrect !== undefined);
  return {
    ...(Object.fromEntries(METRICS.map((metric) => [metric, score(sums[metric])])) as Record<Metric, Score>),
    datelineAccuracy: scored.filter((r) => r.datelineCorrect).length / Math.max(1, results.length),
    parseAccuracy: scored.filter((r) => r.parseCorrect).length / Math.max(1, results.length),
  };
}

const pct = (value: number | undefined) =>
  value === undefined ? '   - ' : `${(value * 100).toFixed(0).padStart(4)}%`;
const pr = (s: Score | undefined) => (s ? `${pct(s.precision)} ${pct(s.recall)}` : '    -      -');

function printTable(results: StoryResult[], total: ReturnType<typeof totals>): void {
  const header = ['story'.padEnd(36), ...METRICS.map((m) => `${m} P    R`.padStart(13)), 'dateline'].join(
    ' ',
  );
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const result of results) {
    const cells = METRICS.map((metric) => pr(result[metric]).padStart(13));
    const dateline = result.error ? `error: ${result.error}` : result.datelineCorrect ? 'ok' : 'WRONG';
    console.log([result.story.slice(0, 36).padEnd(36), ...cells, dateline].join(' '));
  }
  console.log('-'.repeat(header.length));
  console.log(
    [
      'TOTAL'.padEnd(36),
      ...METRICS.map((metric) => pr(total[metric]).padStart(13)),
      pct(total.datelineAccuracy),
    ].join(' '),
  );
  console.log();
  for (const metric of METRICS) {
    const s = total[metric];
    console.log(
      `${metric.padEnd(11)} P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}  (${s.truePositives} right, ${s.predicted} found, ${s.expected} expected)`,
    );
  }
  console.log(
    `dateline    ${(total.datelineAccuracy * 100).toFixed(0)}% correct, parse ${(total.parseAccuracy * 100).toFixed(0)}% correct`,
  );
  const errors = results.flatMap((r) => (r.errors ?? []).map((e) => `${r.story}: ${e}`));
  if (errors.length > 0) {
    console.log(`\n${errors.length} error(s):`);
    for (const error of errors) console.log(`  ${error}`);
  }
}

const USAGE = 'usage: eval-extraction [--json] [--corpus DIR]';

function main(): void {
  let options: { json?: boolean; corpus?: string };
  try {
    ({ values: options } = parseArgs({
      options: { json: { type: 'boolean' }, corpus: { type: 'string' } },
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const corpus = options.corpus === undefined ? CORPUS_DIR : resolve(options.corpus);
  let stories: CorpusStory[];
  try {
    stories = readCorpus(corpus);
  } catch (error) {
    if (!(error instanceof CorpusError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return;
  }
  const results = stories.map(evaluate);
  const total = totals(results);
  if (options.json) console.log(JSON.stringify({ corpus, stories: results, total }, null, 2));
  else printTable(results, total);
}

main();
