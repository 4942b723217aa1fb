// Small text helpers shared by the extractor: word boundaries, tokens, case- and accent-blind matching
// that keeps offsets aligned with the original text (spans must point at the printed characters).

export type Token = { text: string; start: number; end: number };

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:['’\-.][\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*/gu;

export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

/** Words (with inner apostrophes, hyphens and dots: "Fishermen’s", "water-sharing", "2.4") in a range. */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const tokens: Token[] = [];
  const slice = text.slice(from, to);
  for (const match of slice.matchAll(TOKEN)) {
    const start = from + (match.index ?? 0);
    tokens.push({ text: match[0], start, end: start + match[0].length });
  }
  return tokens;
}

/** Folds one UTF-16 unit to a lower-case letter without diacritics, keeping string length. */
function foldChar(ch: string): string {
  if (ch === '’' || ch === '‘') return "'";
  const base = ch.normalize('NFD')[0] ?? ch;
  const lower = base.toLowerCase();
  return lower.length === 1 ? lower : base;
}

/** Case- and diacritics-blind form of a text with exactly the same length, so offsets carry over. */
export function fold(text: string): string {
  let out = '';
  for (const ch of text) {
    // Astral characters are two units; keep them as they are to preserve the length.
    out += ch.length === 1 ? foldChar(ch) : ch;
  }
  return out;
}

export function isCapitalized(word: string): boolean {
  const first = word[0];
  return first !== undefined && first !== first.toLowerCase() && first === first.toUpperCase();
}

/** All whole-word occurrences of `needle` in `haystack` (both already folded when matching loosely). */
export function findWholeWord(haystack: string, needle: string, from = 0, to = haystack.length): number[] {
  const found: number[] = [];
  if (needle.length === 0) return found;
  let index = haystack.indexOf(needle, from);
  while (index >= 0 && index + needle.length <= to) {
    const before = haystack[index - 1];
    const after = haystack[index + needle.length];
    if (!isWordChar(before) && !isWordChar(after)) found.push(index);
    index = haystack.indexOf(needle, index + 1);
  }
  return found;
}

export function titleCase(phrase: string): string {
  const minor = new Set([
    'of',
    'the',
    'and',
    'for',
    'on',
    'in',
    'to',
    'a',
    'an',
    'at',
    'by',
    'with',
    'between',
  ]);
  return phrase
    .split(/\s+/)
    .filter(Boolean)
    .map((word, index) =>
      index > 0 && minor.has(word.toLowerCase())
        ? word.toLowerCase()
        : (word[0] ?? '').toUpperCase() + word.slice(1),
    )
    .join(' ');
}

/** Removes a possessive ending: "Kelmar’s" → "Kelmar". */
export function stripPossessive(word: string): string {
  return word.replace(/['’]s$/u, '').replace(/s['’]$/u, 's');
}

export function isPossessive(word: string): boolean {
  return /['’]s$/u.test(word) || /s['’]$/u.test(word);
}
