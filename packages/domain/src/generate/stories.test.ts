import { describe, expect, it } from 'vitest';
import { slugify } from '../slug.ts';
import { extractStory } from '../wire/extract.ts';
import { parseStory } from '../wire/parse.ts';
import { generateStories } from './stories.ts';

const stories = (count: number, seed: string) => [...generateStories({ stories: count, seed })];

describe('generated stories', () => {
  it('are the same for the same seed and differ for another', () => {
    expect(stories(20, 'alpha')).toEqual(stories(20, 'alpha'));
    expect(stories(20, 'alpha')).not.toEqual(stories(20, 'beta'));
    // The first stories do not depend on how many are asked for.
    expect(stories(5, 'alpha')).toEqual(stories(20, 'alpha').slice(0, 5));
  });

  it('have numbered file names and headlines unique as slugs', () => {
    const batch = stories(3000, 'unique');
    expect(batch[0]?.fileName).toMatch(/^00001-[a-z0-9-]+\.txt$/);
    // Unique as slugs: the importer takes a story with the slug of a stored one for its new version.
    const slugs = batch.map((s) => slugify(s.text.split('\n')[0] as string));
    expect(new Set(slugs).size).toBe(batch.length);
    expect(new Set(batch.map((s) => s.fileName)).size).toBe(batch.length);
  });

  it('follow the corpus format: headline, standfirst, dated paragraphs with statements', () => {
    for (const story of stories(60, 'format')) {
      expect(story.text.endsWith('\n')).toBe(true);
      expect(story.text).not.toMatch(/\n\n/);
      const parsed = parseStory(story.text);
      if (!parsed.ok) throw new Error(`${story.fileName}: ${parsed.error.message}`);
      expect(parsed.story.dateline, story.fileName).not.toBeNull();
      expect(parsed.story.paragraphs.length).toBeGreaterThanOrEqual(6);
      const extraction = extractStory(parsed.story);
      expect(extraction.statements.length, story.fileName).toBeGreaterThan(2);
      for (const s of extraction.statements) {
        expect(parsed.story.paragraphs[s.paragraph]?.slice(s.start, s.end)).toBe(s.text);
      }
    }
  });

  it('use every dateline style, both quote styles and every form of article reference', () => {
    const text = stories(300, 'variety')
      .map((s) => s.text)
      .join('\n');
    for (const pattern of [
      /^[A-Z ]+, [A-Z][a-z]+ \d{1,2}\. \/[A-Za-z ]+\/\. /m,
      /^[A-Z ]+, [A-Z][a-z]+ \d{1,2} \([A-Za-z ]+\) — /m,
      /^[A-Z ]+, \d{1,2} [A-Z][a-z]+ \([A-Za-z ]+\) - /m,
      /^[A-Z][a-z]+\.? \d{1,2} \/[A-Za-z ]+\/ -- /m,
      /“[^”]+”/,
      /"[^"]+"/,
      /Article \d+, paragraph \d/,
      /Article \d+\(\d\)/,
      /Article [IVX]+\b/,
    ]) {
      expect(text).toMatch(pattern);
    }
  });
});
