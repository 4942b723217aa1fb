// Moving a statement's span by selecting words of its paragraph. Pure: offsets in, span out.
import { sourceSpanProblem } from '@chancery/domain/provenance';

export type Span = { start: number; end: number; text: string };

const WORD = /[\p{L}\p{N}’'-]/u;

/**
 * The span a selection from `start` to `end` of a paragraph names, widened to whole words (a
 * selection that starts or ends inside a word takes the word), with the provenance invariant
 * checked: `problem` says why it cannot be a statement's span.
 */
export function spanFromSelection(
  paragraphText: string,
  paragraph: number,
  selection: { start: number; end: number },
): { span: Span | null; problem: string | null } {
  let start = Math.max(0, Math.min(selection.start, selection.end));
  let end = Math.min(paragraphText.length, Math.max(selection.start, selection.end));
  while (start > 0 && WORD.test(paragraphText[start - 1]!) && WORD.test(paragraphText[start]!)) start--;
  while (end < paragraphText.length && WORD.test(paragraphText[end - 1]!) && WORD.test(paragraphText[end]!))
    end++;
  // Spaces at either edge are not words.
  while (start < end && /\s/.test(paragraphText[start]!)) start++;
  while (end > start && /\s/.test(paragraphText[end - 1]!)) end--;
  if (start >= end) return { span: null, problem: 'Select at least one word of the paragraph.' };
  const span = { start, end, text: paragraphText.slice(start, end) };
  const paragraphs: string[] = [];
  paragraphs[paragraph] = paragraphText;
  const problem = sourceSpanProblem(paragraphs, { paragraph, ...span });
  return { span: problem ? null : span, problem };
}

/**
 * The span with one edge moved by a word (the keyboard's way to move it): the start to the
 * previous or next word's first letter, the end past the previous or next word's last letter.
 */
export function moveSpanEdge(
  paragraphText: string,
  paragraph: number,
  span: { start: number; end: number },
  edge: 'start' | 'end',
  direction: -1 | 1,
): { span: Span | null; problem: string | null } {
  const isWord = (at: number) => at >= 0 && at < paragraphText.length && WORD.test(paragraphText[at]!);
  let { start, end } = span;
  if (edge === 'start' && direction < 0) {
    while (start > 0 && !isWord(start - 1)) start--;
    while (start > 0 && isWord(start - 1)) start--;
  } else if (edge === 'start') {
    while (start < end && isWord(start)) start++;
    while (start < end && !isWord(start)) start++;
  } else if (direction > 0) {
    while (end < paragraphText.length && !isWord(end)) end++;
    while (end < paragraphText.length && isWord(end)) end++;
  } else {
    while (end > start && isWord(end - 1)) end--;
    while (end > start && !isWord(end - 1)) end--;
  }
  return spanFromSelection(paragraphText, paragraph, { start, end });
}
