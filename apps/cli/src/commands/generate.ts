// `chancery generate --stories N --seed S [--out DIR]`: invented wire stories in the corpus format,
// for load and scale tests (`chancery import DIR`). The same seed always gives the same stories.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { badInput } from '@chancery/domain/errors';
import { generateStories } from '@chancery/domain/generate/stories';
import { type Command, InvalidArgumentError } from 'commander';

const MAX_STORIES = 1_000_000;

function storyCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > MAX_STORIES) {
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_STORIES.toLocaleString('en')}`);
  }
  return n;
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description(
      'Write invented wire stories in the corpus format, for load and scale tests; deterministic for a seed.',
    )
    .requiredOption('--stories <n>', 'how many stories', storyCount)
    .option('--seed <seed>', 'any text; the same seed gives the same stories', 'chancery')
    .option(
      '--out <dir>',
      'the directory to write NNNNN-headline.txt files to (created if missing); without it, one story goes to stdout',
    )
    .action((options: { stories: number; seed: string; out?: string }) => runGenerate(options));
}

async function runGenerate(options: { stories: number; seed: string; out?: string }): Promise<void> {
  if (options.seed.trim() === '') throw badInput('--seed must not be empty');
  if (!options.out) {
    if (options.stories !== 1)
      throw badInput(`give --out DIR to write ${options.stories} stories (stdout takes one story)`);
    for (const story of generateStories(options)) process.stdout.write(story.text);
    return;
  }
  const started = performance.now();
  await mkdir(options.out, { recursive: true });
  let bytes = 0;
  for (const story of generateStories(options)) {
    await writeFile(join(options.out, story.fileName), story.text);
    bytes += Buffer.byteLength(story.text);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `Wrote ${options.stories.toLocaleString('en')} ${options.stories === 1 ? 'story' : 'stories'} (${(bytes / (1024 * 1024)).toFixed(1)} MB) to ${options.out} in ${seconds.toFixed(1)} s (seed ${JSON.stringify(options.seed)}).`,
  );
}
