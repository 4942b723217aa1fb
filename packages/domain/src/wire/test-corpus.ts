// Test support only (it reads files); the extractor itself does no I/O.
// Reads the labelled corpus for tests. It lives beside the repository (repoRoot/../shared/corpus), so
// the path is resolved from this file, never from the working directory.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GoldStory } from './score.ts';

export const CORPUS_DIR = fileURLToPath(new URL('../../../../../shared/corpus/', import.meta.url));
export const SEED = 'tass-2024-10-24-russia-dprk-treaty';

export type CorpusStory = { name: string; text: string; gold: GoldStory };

function read(dir: string, stem: string): CorpusStory {
  return {
    name: stem,
    text: readFileSync(`${dir}${stem}.txt`, 'utf8'),
    gold: JSON.parse(readFileSync(`${dir}${stem}.json`, 'utf8')) as GoldStory,
  };
}

export function seedStory(): CorpusStory {
  return read(CORPUS_DIR, SEED);
}

/** The seed story and every labelled story of dev/. */
export function corpusStories(): CorpusStory[] {
  const dev = `${CORPUS_DIR}dev/`;
  const stems = existsSync(dev)
    ? readdirSync(dev)
        .filter((name) => name.endsWith('.txt') && existsSync(`${dev}${name.replace(/\.txt$/, '.json')}`))
        .sort()
        .map((name) => name.replace(/\.txt$/, ''))
    : [];
  return [seedStory(), ...stems.map((stem) => read(dev, stem))];
}
