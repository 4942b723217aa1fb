// Reading corpus folders: the repository's own, and the clear errors eval:extraction reports for a
// folder that is missing, empty or not laid out as the corpus README says.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS_DEV_DIR, CorpusError, corpusStories, readCorpus, SEED } from './test-corpus.ts';

describe('corpus folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'chancery-corpus-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const folder = (name: string, files: Record<string, string>) => {
    const dir = join(root, name);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  it('reads the seed story first, then the eight dev stories by name', () => {
    const names = corpusStories().map((story) => story.name);
    expect(names).toHaveLength(9);
    expect(names[0]).toBe(SEED);
    expect(names.slice(1)).toEqual([...names.slice(1)].sort());
  });

  it('reads stories from the folder and from its dev/ subfolder, ignoring other files', () => {
    const dir = folder('copy', { 'README.md': '# notes' });
    cpSync(CORPUS_DEV_DIR, join(dir, 'dev'), { recursive: true });
    expect(readCorpus(dir).map((story) => story.name)).toEqual(
      corpusStories()
        .slice(1)
        .map((s) => s.name),
    );
  });

  it.each([
    ['a missing folder', () => join(root, 'nowhere'), /There is no folder .*nowhere/],
    ['an empty folder', () => folder('empty', { 'notes.md': '' }), /holds no labelled stories/],
    ['a story without gold', () => folder('no-gold', { 'a.txt': 'x' }), /a\.txt has no gold file a\.json/],
    ['gold without a story', () => folder('no-story', { 'dev/b.json': '{}' }), /b\.json has no story b\.txt/],
    [
      'gold that is not JSON',
      () => folder('bad-json', { 'c.txt': 'x', 'c.json': '{' }),
      /c\.json is not JSON/,
    ],
    [
      'gold without its fields',
      () => folder('bad-gold', { 'd.txt': 'x', 'd.json': '{"article": {}}' }),
      /d\.json is not a gold file[\s\S]*article\.headline/,
    ],
  ])('says what is wrong with %s', (_, dir, message) => {
    const read = () => readCorpus(dir());
    expect(read).toThrow(CorpusError);
    expect(read).toThrow(message);
  });
});
