// Quote marks and sentences. Quotes are straight "…" or curly “…”; a quote left open at the end of a
// paragraph continues in the next one, which reopens it (wire convention for multi-paragraph quotes).
// Single quotes and apostrophes are never quote boundaries: they nest inside double quotes or are
// possessives ("Kelmar’s").
import { ABBREVIATIONS } from './lexicon.ts';

export type Quote = {
  paragraph: number;
  /** Index of the opening mark. */
  open: number;
  /** First character inside the marks. */
  contentStart: number;
  /** Index of the closing mark, or the end of the paragraph when the quote runs on. */
  contentEnd: number;
  /** Index just after the closing mark (or the paragraph end). */
  end: number;
  closed: boolean;
  /** Reopens a quote left open at the end of the previous paragraph. */
  continuesPrevious: boolean;
};

export type Sentence = { paragraph: number; start: number; end: number };

const OPENERS = new Set(['“', '„', '«']);
const CLOSERS = new Set(['”', '»']);

function findParagraphQuotes(text: string, paragraph: number, from: number): Quote[] {
  const quotes: Quote[] = [];
  let open = -1;
  for (let i = from; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (open < 0) {
      const next = text[i + 1];
      const opensHere = OPENERS.has(ch) || (ch === '"' && next !== undefined && !/\s/.test(next));
      if (opensHere) open = i;
    } else if (CLOSERS.has(ch) || ch === '"') {
      quotes.push({
        paragraph,
        open,
        contentStart: open + 1,
        contentEnd: i,
        end: i + 1,
        closed: true,
        continuesPrevious: false,
      });
      open = -1;
    }
  }
  if (open >= 0) {
    let end = text.length;
    while (end > open + 1 && /\s/.test(text[end - 1] ?? '')) end--;
    quotes.push({
      paragraph,
      open,
      contentStart: open + 1,
      contentEnd: end,
      end,
      closed: false,
      continuesPrevious: false,
    });
  }
  return quotes;
}

/** Quotes of every paragraph, with multi-paragraph continuations marked. */
export function findQuotes(paragraphs: readonly string[], bodyStarts: readonly number[]): Quote[][] {
  const all = paragraphs.map((text, index) => findParagraphQuotes(text, index, bodyStarts[index] ?? 0));
  for (let p = 1; p < all.length; p++) {
    const previous = all[p - 1] ?? [];
    const last = previous[previous.length - 1];
    const first = all[p]?.[0];
    const text = paragraphs[p] ?? '';
    const startsParagraph = first !== undefined && text.slice(bodyStarts[p] ?? 0, first.open).trim() === '';
    if (last && !last.closed && first && startsParagraph) first.continuesPrevious = true;
  }
  return all;
}

/** The quote whose content contains `index`; quotes are sorted and disjoint, so a binary search does. */
export function quoteAt(quotes: readonly Quote[], index: number): Quote | undefined {
  let low = 0;
  let high = quotes.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const quote = quotes[mid] as Quote;
    if (index < quote.contentStart) high = mid - 1;
    else if (index >= quote.contentEnd) low = mid + 1;
    else return quote;
  }
  return undefined;
}

/** True when `index` falls between a quote's marks (the marks themselves are outside). */
export function isInsideQuote(quotes: readonly Quote[], index: number): boolean {
  return quoteAt(quotes, index) !== undefined;
}

function isAbbreviationBefore(text: string, dot: number): boolean {
  const before = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, dot - 12), dot))?.[1] ?? '';
  if (before.length === 1 && /\p{Lu}/u.test(before)) return true; // an initial: "J. Smith"
  return ABBREVIATIONS.has(before) || ABBREVIATIONS.has(before.replace(/\.$/, ''));
}

/** A sentence may end here if what follows is the end of the text or a space and a new sentence start. */
function startsNewSentence(text: string, at: number): boolean {
  if (at >= text.length) return true;
  if (!/\s/.test(text[at] ?? '')) return false;
  let k = at;
  while (k < text.length && /\s/.test(text[k] ?? '')) k++;
  const next = text[k];
  return next === undefined || /[\p{Lu}\p{N}"“„«‘'(]/u.test(next);
}

/**
 * Splits a paragraph into sentences from `from` on. Full stops inside quotes do not end the sentence
 * around the quote ("A. B," he said.), but a quote that itself ends with a full stop may.
 */
export function splitSentences(
  text: string,
  paragraph: number,
  from: number,
  quotes: readonly Quote[],
): Sentence[] {
  const sentences: Sentence[] = [];
  let start = from;
  const closingMarks = new Set(quotes.filter((q) => q.closed).map((q) => q.contentEnd));
  for (let i = from; i < text.length; i++) {
    const ch = text[i] ?? '';
    let end = -1;
    // A quote ending in "?" or "!" usually goes on with its attribution ("Why?" Santane asked).
    if (closingMarks.has(i) && text[i - 1] === '.') {
      end = i + 1;
    } else if (/[.?!]/.test(ch) && !isInsideQuote(quotes, i)) {
      if (ch === '.' && isAbbreviationBefore(text, i)) continue;
      end = i + 1;
      while (/[)\]]/.test(text[end] ?? '')) end++;
    }
    if (end < 0 || !startsNewSentence(text, end)) continue;
    pushSentence(sentences, text, paragraph, start, end);
    start = end;
    i = end - 1;
  }
  pushSentence(sentences, text, paragraph, start, text.length);
  return sentences;
}

function pushSentence(
  sentences: Sentence[],
  text: string,
  paragraph: number,
  from: number,
  to: number,
): void {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (end > start) sentences.push({ paragraph, start, end });
}
