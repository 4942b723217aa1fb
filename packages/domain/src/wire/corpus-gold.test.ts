// Checks the gold files themselves against the README's rules, independently of the extractor: a wrong
// gold label is worse than none. Every statement text lies in its paragraph, every speaker is a labelled
// actor (or null with the description printed), and every double-quoted span is accounted for.
import { describe, expect, it } from 'vitest';
import { normaliseStatementText } from './score.ts';
import {
  CORPUS_DEV2_DIR,
  CORPUS_TEST_DIR,
  type CorpusStory,
  corpusStories,
  readCorpus,
} from './test-corpus.ts';

type QuoteSpan = { start: number; end: number; content: string };

/** Double-quoted spans of a paragraph: straight or curly; one left open runs to the paragraph's end. */
export function quoteSpans(text: string): QuoteSpan[] {
  const spans: QuoteSpan[] = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (open < 0 && (ch === '"' || ch === '“')) open = i;
    else if (open >= 0 && (ch === '"' || ch === '”')) {
      spans.push({ start: open, end: i + 1, content: text.slice(open + 1, i) });
      open = -1;
    }
  }
  if (open >= 0) spans.push({ start: open, end: text.length, content: text.slice(open + 1) });
  return spans;
}

function problems({ text, gold }: CorpusStory): string[] {
  const found: string[] = [];
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const [headline, standfirst, ...paragraphs] = lines;
  if (headline !== gold.article.headline) found.push('headline differs');
  if (standfirst !== gold.article.standfirst) found.push('standfirst differs');
  if (paragraphs.length !== gold.article.paragraphCount)
    found.push(`paragraphCount ${gold.article.paragraphCount}, story has ${paragraphs.length}`);
  const body = paragraphs.join('\n');
  const names = new Set(gold.actors.map((a) => a.name));
  for (const actor of gold.actors) {
    for (const alias of actor.aliases) {
      const word = new RegExp(
        `(?<![\\p{L}\\p{N}])${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
        'iu',
      );
      if (!word.test(text)) found.push(`alias ${alias} of ${actor.name} is not a whole word of the story`);
    }
  }
  for (const treaty of gold.treaties)
    for (const party of treaty.parties)
      if (!names.has(party)) found.push(`treaty party ${party} is no actor`);
  const located = gold.statements.map((s) => {
    const paragraph = paragraphs[s.paragraph] ?? '';
    const start = paragraph.indexOf(s.text);
    if (start < 0) found.push(`not in paragraph ${s.paragraph}: ${s.text}`);
    if (s.text !== s.text.trim() || /,$/.test(s.text)) found.push(`untrimmed or trailing comma: ${s.text}`);
    if (s.kind === 'INDIRECT' && /\.$/.test(s.text)) found.push(`INDIRECT with a final period: ${s.text}`);
    if (s.kind === 'INDIRECT' && /^that\b/.test(s.text))
      found.push(`INDIRECT with a leading "that": ${s.text}`);
    if (s.speaker === null) {
      if (!s.speakerRole) found.push(`speakerless statement without speakerRole: ${s.text}`);
      else if (!body.toLowerCase().includes(s.speakerRole.toLowerCase()))
        found.push(`speakerRole not in the story: ${s.speakerRole}`);
    } else if (!names.has(s.speaker)) found.push(`speaker ${s.speaker} is not an actor`);
    return { ...s, start, end: start + s.text.length };
  });
  const notStatements = new Set((gold.notStatements ?? []).map(normaliseStatementText));
  paragraphs.forEach((paragraph, index) => {
    for (const quote of quoteSpans(paragraph)) {
      const content = normaliseStatementText(quote.content);
      const direct = located.some(
        (s) => s.paragraph === index && s.kind === 'DIRECT' && normaliseStatementText(s.text) === content,
      );
      const inside = located.some(
        (s) => s.paragraph === index && s.kind === 'INDIRECT' && s.start <= quote.start && quote.end <= s.end,
      );
      if (!direct && !inside && !notStatements.has(content))
        found.push(`paragraph ${index}: quote not accounted for: ${quote.content}`);
    }
  });
  return found;
}

const parts = [
  ['seed and dev/', () => corpusStories()],
  ['dev2/', () => readCorpus(CORPUS_DEV2_DIR)],
  ['test/', () => readCorpus(CORPUS_TEST_DIR)],
] as const;

describe.each(parts)('gold files of %s', (_, stories) => {
  it('follow the README: texts in their paragraphs, speakers labelled, every quote accounted for', () => {
    const report = stories().flatMap((story) => problems(story).map((p) => `${story.name}: ${p}`));
    expect(report).toEqual([]);
  });
});

describe('the gold checker', () => {
  it('finds an unaccounted quote and a text not in its paragraph', () => {
    const story = corpusStories()[1] as CorpusStory;
    const broken = {
      ...story,
      gold: {
        ...story.gold,
        statements: story.gold.statements.map((s, i) =>
          i === 0 ? { ...s, text: `${s.text} (not here)` } : s,
        ),
        notStatements: [],
      },
    };
    expect(problems(broken).join('\n')).toMatch(/not in paragraph/);
  });
});
