// The layout of a parsed story that every rule reads: where each paragraph's body starts, its quotes and
// its sentences. Positions across paragraphs compare through `position()`.
import { findQuotes, isInsideQuote, type Quote, type Sentence, splitSentences } from './quotes.ts';
import type { ParsedStory } from './types.ts';

export type StoryContext = {
  story: ParsedStory;
  paragraphs: readonly string[];
  bodyStarts: readonly number[];
  quotes: readonly Quote[][];
  sentences: readonly Sentence[][];
};

/** Paragraph lines are at most 100k characters, so this orders (paragraph, offset) pairs. */
const PARAGRAPH_STRIDE = 1_000_000;

export function position(paragraph: number, offset: number): number {
  return paragraph * PARAGRAPH_STRIDE + offset;
}

export function buildContext(story: ParsedStory): StoryContext {
  const paragraphs = story.paragraphs;
  const bodyStarts = paragraphs.map((_, index) => (index === 0 ? (story.dateline?.end ?? 0) : 0));
  const quotes = findQuotes(paragraphs, bodyStarts);
  const sentences = paragraphs.map((text, index) =>
    splitSentences(text, index, bodyStarts[index] ?? 0, quotes[index] ?? []),
  );
  return { story, paragraphs, bodyStarts, quotes, sentences };
}

export function inQuote(context: StoryContext, paragraph: number, offset: number): boolean {
  return isInsideQuote(context.quotes[paragraph] ?? [], offset);
}

export function sentenceAt(context: StoryContext, paragraph: number, offset: number): Sentence | undefined {
  return (context.sentences[paragraph] ?? []).find((s) => offset >= s.start && offset < s.end);
}
