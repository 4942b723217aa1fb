// The provenance invariant applied to writes: a requested span is resolved against the paragraphs
// it points into, and an edit to paragraphs is checked against every span that cites them.
import { type SpanClaim, sourceSpanProblem } from './provenance.ts';
import type { FieldError, FieldPath } from './write-errors.ts';

export type SpanRequest = { paragraph: number; start?: number | null; end?: number | null; text: string };

export type ResolvedSpan = { span: SpanClaim; errors: [] } | { span: null; errors: FieldError[] };

/** Quotes text for a message, shortened to a readable length. */
export const quote = (text: string, max = 80) =>
  JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The exact span a request stands for, or what is wrong with it, each problem at the path of
 * the field to fix. Without start and end, the text must occur exactly once in the paragraph.
 */
export function resolveSpan(
  paragraphs: readonly string[],
  request: SpanRequest,
  path: FieldPath,
): ResolvedSpan {
  const fail = (field: string, message: string): ResolvedSpan => ({
    span: null,
    errors: [{ path: [...path, field], message }],
  });
  const { paragraph, text } = request;
  const body = paragraphs[paragraph];
  if (!Number.isInteger(paragraph) || body === undefined) {
    return fail(
      'paragraph',
      `paragraph ${paragraph} does not exist; the article has paragraphs 0 to ${paragraphs.length - 1}`,
    );
  }
  if (request.start == null || request.end == null) {
    const starts = occurrences(body, text);
    if (starts.length === 0) return fail('text', `${quote(text)} does not occur in paragraph ${paragraph}`);
    if (starts.length > 1) {
      return fail(
        'start',
        `${quote(text)} occurs ${starts.length} times in paragraph ${paragraph} (at ${starts.join(', ')}); give start and end to say which`,
      );
    }
    const start = starts[0] as number;
    return { span: { paragraph, start, end: start + text.length, text }, errors: [] };
  }
  const { start, end } = request;
  if (end > body.length) {
    return fail('end', `is past the end of paragraph ${paragraph}, which has ${body.length} characters`);
  }
  const actual = body.slice(start, end);
  if (actual !== text) {
    return fail(
      'text',
      `characters ${start}..${end} of paragraph ${paragraph} read ${quote(actual)}, not ${quote(text)}`,
    );
  }
  return { span: { paragraph, start, end, text }, errors: [] };
}

function occurrences(body: string, text: string): number[] {
  const starts: number[] = [];
  for (let at = body.indexOf(text); at >= 0; at = body.indexOf(text, at + 1)) starts.push(at);
  return starts;
}

/** Something that quotes an article: a statement, a mention, a treaty action's source. */
export type Citation = { describe: string; span: SpanClaim };

/**
 * The citations that new paragraphs would break, each as an error at the paragraph it cites
 * (or at the paragraph list, when that paragraph would be gone).
 */
export function brokenCitations(
  paragraphs: readonly string[],
  citations: readonly Citation[],
  path: FieldPath,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const citation of citations) {
    if (!sourceSpanProblem(paragraphs, citation.span)) continue;
    const { paragraph, start, end, text } = citation.span;
    const body = paragraphs[paragraph];
    if (body === undefined) {
      errors.push({
        path,
        message: `would remove paragraph ${paragraph}, which ${citation.describe} cites (${quote(text)}); change or delete it first`,
      });
      continue;
    }
    const now = end <= body.length ? `has ${quote(body.slice(start, end))} there` : 'is too short for it';
    errors.push({
      path: [...path, String(paragraph)],
      message: `would break the span of ${citation.describe}: it cites ${quote(text)} at ${start}..${end}, and the new paragraph ${paragraph} ${now}`,
    });
  }
  return errors;
}

/** The dateline is printed at the head of the first paragraph. */
export function datelineProblem(datelineText: string, paragraphs: readonly string[]): string | null {
  const first = paragraphs[0] ?? '';
  return first.startsWith(datelineText)
    ? null
    : `must be how paragraph 0 begins (${quote(first.slice(0, datelineText.length + 10))})`;
}
