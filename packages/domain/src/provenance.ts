import { badInput } from './errors.ts';

export type SpanClaim = { paragraph: number; start: number; end: number; text: string };

/**
 * The provenance invariant: a span's text is exactly the characters it points at,
 * `paragraphs[paragraph].slice(start, end) === text`. Returns what is wrong, or null.
 */
export function sourceSpanProblem(paragraphs: readonly string[], span: SpanClaim): string | null {
  const { paragraph, start, end, text } = span;
  if (!Number.isInteger(paragraph) || paragraph < 0 || paragraph >= paragraphs.length) {
    return `paragraph ${paragraph} does not exist (the article has paragraphs 0 to ${paragraphs.length - 1})`;
  }
  const body = paragraphs[paragraph] as string;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > body.length || start >= end) {
    return `span ${start}..${end} is not a non-empty range within paragraph ${paragraph} (0..${body.length})`;
  }
  const actual = body.slice(start, end);
  if (actual !== text) {
    return `span ${start}..${end} of paragraph ${paragraph} reads ${JSON.stringify(actual)}, not ${JSON.stringify(text)}`;
  }
  return null;
}

export function assertSourceSpan(paragraphs: readonly string[], span: SpanClaim): void {
  const problem = sourceSpanProblem(paragraphs, span);
  if (problem) throw badInput(`Source span does not match its article: ${problem}`);
}

/** Finds the span of `text` in a paragraph; the first occurrence at or after `from`. */
export function locateSpan(
  paragraphs: readonly string[],
  paragraph: number,
  text: string,
  from = 0,
): SpanClaim | null {
  const body = paragraphs[paragraph];
  if (body === undefined) return null;
  const start = body.indexOf(text, from);
  return start < 0 ? null : { paragraph, start, end: start + text.length, text };
}
