// Scores the wire-story extractor on labelled corpora: by default the repository's development part
// (the seed story, dev/ and dev2/) and its held-out test part (test/), or any folder laid out the same way.
// For each: per-kind precision/recall with speaker, span exactness, the reliability of
// attribution.confidence and the ten commonest error types.
//   npm run eval:extraction -w @chancery/domain              both parts
//   … -- --stories                                           also a table per story and every error
//   … -- --json                                              the same figures as JSON
//   … -- --corpus DIR                                        another corpus folder: NAME.txt stories with
//                                                            NAME.json gold files, optionally in DIR/dev too
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extractStory } from '../src/wire/extract.ts';
import { parseStory } from '../src/wire/parse.ts';
import {
  addCounts,
  type Counts,
  type Judged,
  type Score,
  type StoryScore,
  score,
  scoreStory,
} from '../src/wire/score.ts';
import {
  CORPUS_DEV2_DIR,
  CORPUS_DIR,
  CORPUS_TEST_DIR,
  CorpusError,
  type CorpusStory,
  readCorpus,
} from '../src/wire/test-corpus.ts';

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
  const exactSpans = results.reduce<Counts>((sum, r) => (r.exactSpans ? addCounts(sum, r.exactSpans) : sum), {
    truePositives: 0,
    predicted: 0,
    expected: 0,
  });
  return {
    exactSpans: score(exactSpans),
    reliability: reliability(results.flatMap((r) => r.judged ?? [])),
    commonErrors: commonest(results.flatMap((r) => r.errorTypes ?? [])),
    ...(Object.fromEntries(METRICS.map((metric) => [metric, score(sums[metric])])) as Record<Metric, Score>),
    datelineAccuracy: scored.filter((r) => r.datelineCorrect).length / Math.max(1, results.length),
    parseAccuracy: scored.filter((r) => r.parseCorrect).length / Math.max(1, results.length),
  };
}

/** Confidence buckets: how many statements were given at least this much, and the share right. */
const BUCKETS = [
  { label: '>= 0.9', min: 0.9, max: Number.POSITIVE_INFINITY },
  { label: '>= 0.7', min: 0.7, max: 0.9 },
  { label: '<  0.7', min: Number.NEGATIVE_INFINITY, max: 0.7 },
] as const;

function reliability(judged: Judged[]) {
  return BUCKETS.map(({ label, min, max }) => {
    const inBucket = judged.filter((j) => j.confidence >= min && j.confidence < max);
    const atLeast = judged.filter((j) => j.confidence >= min);
    const share = (list: Judged[]) =>
      list.length === 0 ? null : list.filter((j) => j.correct).length / list.length;
    return {
      bucket: label,
      count: inBucket.length,
      correct: share(inBucket),
      countAtLeast: atLeast.length,
      correctAtLeast: share(atLeast),
    };
  });
}

function commonest(types: string[], limit = 10) {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([type, count]) => ({ type, count }));
}

const pct = (value: number | undefined) =>
  value === undefined ? '   - ' : `${(value * 100).toFixed(0).padStart(4)}%`;
const pr = (s: Score | undefined) => (s ? `${pct(s.precision)} ${pct(s.recall)}` : '    -      -');

function printStories(results: StoryResult[], total: ReturnType<typeof totals>): void {
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
  const errors = results.flatMap((r) => (r.errors ?? []).map((e) => `${r.story}: ${e}`));
  if (errors.length > 0) {
    console.log(`\n${errors.length} error(s):`);
    for (const error of errors) console.log(`  ${error}`);
  }
  console.log();
}

function printSummary(title: string, results: StoryResult[], total: ReturnType<typeof totals>): void {
  console.log(`== ${title}: ${results.length} stories ==`);
  for (const metric of METRICS) {
    const s = total[metric];
    console.log(
      `${metric.padEnd(11)} P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}  (${s.truePositives} right, ${s.predicted} found, ${s.expected} expected)`,
    );
  }
  console.log(
    `dateline    ${(total.datelineAccuracy * 100).toFixed(0)}% correct, parse ${(total.parseAccuracy * 100).toFixed(0)}% correct`,
  );
  const exact = total.exactSpans;
  console.log(
    `span exactness ${exact.precision.toFixed(3)} (${exact.truePositives} of ${exact.predicted} statements found over gold words have the gold span)`,
  );
  console.log('confidence   count  right   | at least: count  right');
  for (const row of total.reliability) {
    const share = (v: number | null) => (v === null ? '    -' : `${(v * 100).toFixed(0).padStart(4)}%`);
    console.log(
      `  ${row.bucket}  ${String(row.count).padStart(6)}  ${share(row.correct)}   |           ${String(row.countAtLeast).padStart(5)}  ${share(row.correctAtLeast)}`,
    );
  }
  console.log('commonest errors:');
  for (const { type, count } of total.commonErrors) console.log(`  ${String(count).padStart(4)}  ${type}`);
  console.log();
}

const USAGE = 'usage: eval-extraction [--json] [--stories] [--corpus DIR]';

/** The corpora to score: --corpus DIR alone, or the repository's development and test parts. */
function parts(corpus: string | undefined): { title: string; stories: () => CorpusStory[] }[] {
  if (corpus !== undefined) return [{ title: resolve(corpus), stories: () => readCorpus(resolve(corpus)) }];
  return [
    {
      title: 'development part (seed, dev/, dev2/)',
      stories: () => [...readCorpus(CORPUS_DIR), ...readCorpus(CORPUS_DEV2_DIR)],
    },
    { title: 'test part (test/, held out)', stories: () => readCorpus(CORPUS_TEST_DIR) },
  ];
}

function main(): void {
  let options: { json?: boolean; stories?: boolean; corpus?: string };
  try {
    ({ values: options } = parseArgs({
      options: { json: { type: 'boolean' }, stories: { type: 'boolean' }, corpus: { type: 'string' } },
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const report = [];
  for (const part of parts(options.corpus)) {
    let stories: CorpusStory[];
    try {
      stories = part.stories();
    } catch (error) {
      if (!(error instanceof CorpusError)) throw error;
      console.error(error.message);
      process.exitCode = 1;
      return;
    }
    const results = stories.map(evaluate);
    const total = totals(results);
    if (options.json) report.push({ corpus: part.title, stories: results, total });
    else {
      if (options.stories) printStories(results, total);
      printSummary(part.title, results, total);
    }
  }
  if (options.json) console.log(JSON.stringify(report, null, 2));
}

main();
