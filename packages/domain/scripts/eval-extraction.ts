// Scores the wire-story extractor on the labelled corpus: the seed story and shared/corpus/dev/.
//   npm run eval:extraction -w @chancery/domain             a table per story and in total, then the errors
//   npm run eval:extraction -w @chancery/domain -- --json   the same figures as JSON
//   … -- --corpus DIR                                       another folder of NN-slug.{txt,json} pairs
// The corpus lives beside the repository (repoRoot/../shared/corpus), wherever the clone is.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractStory } from '../src/wire/extract.ts';
import { parseStory } from '../src/wire/parse.ts';
import {
  addCounts,
  type Counts,
  type GoldStory,
  type Score,
  type StoryScore,
  score,
  scoreStory,
} from '../src/wire/score.ts';

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

function corpusFiles(corpus: string): string[] {
  const stems: string[] = [];
  const collect = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.txt') && existsSync(join(dir, name.replace(/\.txt$/, '.json'))))
        stems.push(join(dir, name.replace(/\.txt$/, '')));
    }
  };
  collect(corpus);
  collect(join(corpus, 'dev'));
  return stems;
}

function evaluate(stem: string): StoryResult {
  const story = basename(stem);
  const parsed = parseStory(readFileSync(`${stem}.txt`, 'utf8'));
  if (!parsed.ok) return { story, error: parsed.error.message };
  const gold = JSON.parse(readFileSync(`${stem}.json`, 'utf8')) as GoldStory;
  return { story, ...scoreStory(parsed.story, extractStory(parsed.story), gold) };
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

function main(): void {
  const args = process.argv.slice(2);
  const corpusFlag = args.indexOf('--corpus');
  const corpus =
    corpusFlag >= 0 && args[corpusFlag + 1]
      ? resolve(args[corpusFlag + 1] as string)
      : fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
  const stems = corpusFiles(corpus);
  if (stems.length === 0) {
    console.error(`No labelled stories (NN-slug.txt with a .json beside it) found in ${corpus}`);
    process.exitCode = 1;
    return;
  }
  const results = stems.map(evaluate);
  const total = totals(results);
  if (args.includes('--json')) console.log(JSON.stringify({ corpus, stories: results, total }, null, 2));
  else printTable(results, total);
}

main();
