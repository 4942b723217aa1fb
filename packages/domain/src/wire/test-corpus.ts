// Test support only (it reads files); the extractor itself does no I/O.
// Reads labelled corpus folders: the repository's own (packages/domain/fixtures/corpus, format in its
// README.md) for tests, or any folder laid out the same way for eval:extraction. The repository's folder
// is resolved from this file, never from the working directory, so every package's tests find it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { GoldStory } from './score.ts';

/** The repository's corpus: the seed story with its gold file, and dev/. */
export const CORPUS_DIR = fileURLToPath(new URL('../../fixtures/corpus/', import.meta.url));
/** The invented dev stories with their gold files. */
export const CORPUS_DEV_DIR = join(CORPUS_DIR, 'dev');
/** The second development part: rules may be shaped on it (see the README's split). */
export const CORPUS_DEV2_DIR = join(CORPUS_DIR, 'dev2');
/** The held-out test part: scored, calibrated on, never used to shape rules. */
export const CORPUS_TEST_DIR = join(CORPUS_DIR, 'test');
export const SEED = 'tass-2024-10-24-russia-dprk-treaty';

export type CorpusStory = { name: string; text: string; gold: GoldFile };

/** A corpus folder that is missing, empty or holds a file that is not what the format asks for. */
export class CorpusError extends Error {
  override name = 'CorpusError';
}

const LAYOUT =
  'a corpus folder holds stories NAME.txt, each with its gold file NAME.json beside it, optionally in a dev/ subfolder';

// Loose objects: a gold file may carry more than the scorer reads (file, notes, …), and keeps it.
const goldStorySchema = z.looseObject({
  file: z.string().optional(),
  article: z.looseObject({
    headline: z.string(),
    standfirst: z.string(),
    dateline: z.looseObject({
      place: z.string(),
      month: z.number().int().min(1).max(12),
      day: z.number().int().min(1).max(31),
    }),
    source: z.string(),
    paragraphCount: z.number().int().nonnegative(),
    publishedOn: z.iso.date().optional(),
  }),
  actors: z.array(
    z.looseObject({
      name: z.string(),
      kind: z.enum(['PERSON', 'STATE', 'ORGANIZATION']),
      aliases: z.array(z.string()),
      roles: z.array(z.string()).optional(),
    }),
  ),
  treaties: z.array(
    z.looseObject({
      title: z.string(),
      mentionedAs: z.array(z.string()).optional(),
      parties: z.array(z.string()),
      provisions: z.array(z.string()),
    }),
  ),
  statements: z.array(
    z.looseObject({
      speaker: z.string().nullable(),
      kind: z.enum(['DIRECT', 'INDIRECT']),
      text: z.string(),
      paragraph: z.number().int().nonnegative(),
      /** For an unnamed source (speaker null): the description as printed, without its article. */
      speakerRole: z.string().optional(),
    }),
  ),
  notStatements: z.array(z.string()).optional(),
  notes: z.string().optional(),
});

/** A gold file as the corpus README describes it; what the scorer reads is GoldStory. */
export type GoldFile = z.infer<typeof goldStorySchema> & GoldStory;

function readGold(path: string): GoldFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CorpusError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const gold = goldStorySchema.safeParse(json);
  if (!gold.success) {
    throw new CorpusError(
      `${path} is not a gold file (the format is in ${join(CORPUS_DIR, 'README.md')}):\n${z.prettifyError(gold.error)}`,
    );
  }
  return gold.data;
}

/** The stories of one folder, by name; every story needs its gold file and every gold file its story. */
function readFolder(dir: string): CorpusStory[] {
  const names = readdirSync(dir).sort();
  const stories: CorpusStory[] = [];
  for (const file of names) {
    const txt = /^(.+)\.txt$/.exec(file);
    const json = /^(.+)\.json$/.exec(file);
    if (json && !names.includes(`${json[1]}.txt`)) {
      throw new CorpusError(`${join(dir, file)} has no story ${json[1]}.txt beside it: ${LAYOUT}.`);
    }
    if (!txt) continue;
    const name = txt[1] as string;
    if (!names.includes(`${name}.json`)) {
      throw new CorpusError(`${join(dir, file)} has no gold file ${name}.json beside it: ${LAYOUT}.`);
    }
    stories.push({
      name,
      text: readFileSync(join(dir, file), 'utf8'),
      gold: readGold(join(dir, `${name}.json`)),
    });
  }
  return stories;
}

/** Every labelled story of a corpus folder: those in `dir`, then those in `dir/dev`, each by name. */
export function readCorpus(dir: string): CorpusStory[] {
  if (!existsSync(dir)) throw new CorpusError(`There is no folder ${dir}: ${LAYOUT}.`);
  if (!statSync(dir).isDirectory()) throw new CorpusError(`${dir} is a file, not a folder: ${LAYOUT}.`);
  const dev = join(dir, 'dev');
  const stories = [
    ...readFolder(dir),
    ...(existsSync(dev) && statSync(dev).isDirectory() ? readFolder(dev) : []),
  ];
  if (stories.length === 0) throw new CorpusError(`${dir} holds no labelled stories: ${LAYOUT}.`);
  return stories;
}

/** The development part: the seed story, dev/ and dev2/. */
export function developmentStories(): CorpusStory[] {
  return [...readCorpus(CORPUS_DIR), ...readCorpus(CORPUS_DEV2_DIR)];
}

/** The held-out test part. */
export function testStories(): CorpusStory[] {
  return readCorpus(CORPUS_TEST_DIR);
}

/** The seed story and every labelled story of dev/. */
export function corpusStories(): CorpusStory[] {
  return readCorpus(CORPUS_DIR);
}

/** One story of the repository's corpus, by name (`02-ostrava-air-defence-drills`, or SEED). */
export function corpusStory(name: string): CorpusStory {
  const story = corpusStories().find((s) => s.name === name);
  if (!story) throw new CorpusError(`The corpus in ${CORPUS_DIR} has no story named ${name}.`);
  return story;
}

export function seedStory(): CorpusStory {
  return corpusStory(SEED);
}
