// From the bytes of a story file to a parsed story, or an ImportError that names the line. The
// parser itself (@chancery/domain/wire/parse) takes text and never throws; this adds what only an
// importer of files needs to check: encoding, binary data, a missing headline, quote marks left
// open.
import { parseDateline } from '@chancery/domain/wire/dateline';
import { MAX_LINE_LENGTH, MAX_STORY_BYTES, parseStory } from '@chancery/domain/wire/parse';
import type { ParsedStory } from '@chancery/domain/wire/types';
import { ImportError } from './errors.ts';

/** A headline is one short line; anything longer is a paragraph standing where the headline should. */
export const MAX_HEADLINE_LENGTH = 300;

const LINE_BREAK = /\r\n|\r|\n/;

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** 1-based line of a byte offset. */
function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that is not part of well-formed UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let code = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Decodes UTF-8 strictly (TextDecoder with `fatal`); a bad byte is an error naming its line. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new ImportError(
      `the text is not valid UTF-8 (byte 0x${byte} at offset ${at}); save the story as UTF-8 text`,
      lineOfByte(bytes, at),
    );
  }
}

/** The longest line of a byte buffer: its 1-based number and length in bytes. */
function longestLine(bytes: Uint8Array): { line: number; length: number } {
  let best = { line: 1, length: 0 };
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (i - start > best.length) best = { line, length: i - start };
      line++;
      start = i + 1;
    }
  }
  return best;
}

/**
 * The text of a story file: not empty, not binary, valid UTF-8, within the parser's size limits.
 * The size is checked on the bytes, before any decoding, so a huge file costs nothing.
 */
export function storyTextFromBytes(bytes: Uint8Array): string {
  if (bytes.length === 0)
    throw new ImportError('the file is empty; a story has a headline, a standfirst and paragraphs');
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new ImportError(
      'the file contains NUL bytes: it is binary data, not a text story',
      lineOfByte(bytes, nul),
    );
  }
  if (bytes.length > MAX_STORY_BYTES) {
    const longest = longestLine(bytes);
    const where = longest.length > MAX_LINE_LENGTH ? longest.line : null;
    throw new ImportError(
      `the file is ${megabytes(bytes.length)}${where ? ` (line ${where} alone is ${megabytes(longest.length)})` : ''}; ` +
        `a wire story is a few kilobytes and the limit is ${megabytes(MAX_STORY_BYTES)}`,
      where,
    );
  }
  const text = decodeUtf8(bytes);
  if (text.trim() === '')
    throw new ImportError(
      'the file has only blank lines; a story has a headline, a standfirst and paragraphs',
    );
  return text;
}

const OPENERS = new Set(['“', '„', '«']);
const CLOSERS = new Set(['”', '»']);

/**
 * The first quote mark left open, as [line index, column, message], or null. A quote may run on
 * into the next line when that line reopens it (wire convention for multi-paragraph quotes);
 * single quotes and apostrophes never count.
 */
export function unbalancedQuote(
  lines: readonly string[],
  options: { continues: boolean },
): { index: number; column: number; message: string } | null {
  let curly: { index: number; column: number }[] = [];
  let straight: { index: number; column: number } | null = null;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] as string;
    let from = 0;
    if (curly.length > 0 || straight) {
      const lead = text.length - text.trimStart().length;
      const first = text[lead];
      const reopens = straight ? first === '"' : first !== undefined && OPENERS.has(first);
      const opened = (straight ?? curly[curly.length - 1]) as { index: number; column: number };
      if (!reopens) {
        return {
          ...opened,
          message:
            'opens a quote that is never closed (a quote that runs on into the next paragraph must reopen it there with a quote mark)',
        };
      }
      from = lead + 1;
      // The quote now runs from this paragraph's opening mark.
      if (straight) straight = { index, column: lead };
      else curly[curly.length - 1] = { index, column: lead };
    }
    for (let column = from; column < text.length; column++) {
      const ch = text[column] as string;
      if (OPENERS.has(ch)) curly.push({ index, column });
      else if (CLOSERS.has(ch)) {
        if (curly.length === 0) {
          return { index, column, message: `has a closing quote mark ${ch} that no opening mark precedes` };
        }
        curly.pop();
      } else if (ch === '"') straight = straight ? null : { index, column };
    }
    if (!options.continues && (curly.length > 0 || straight)) {
      const opened = (straight ?? curly[curly.length - 1]) as { index: number; column: number };
      return { ...opened, message: 'opens a quote that is never closed' };
    }
    if (!options.continues) {
      curly = [];
      straight = null;
    }
  }
  const open = straight ?? curly[curly.length - 1];
  if (open) return { ...open, message: 'opens a quote that is never closed' };
  return null;
}

/** A parsed story and, for each of its lines, the line of the file it came from (1-based). */
export type StoryFile = {
  story: ParsedStory;
  fileLines: { headline: number; standfirst: number; paragraphs: number[] };
};

/**
 * Parses a story and checks what the parser leaves to the importer. A story whose second line
 * already opens with a dateline has no standfirst; it is read as such rather than refused.
 */
export function readStoryText(text: string): StoryFile {
  const parsed = parseStory(text);
  if (!parsed.ok) throw new ImportError(parsed.error.message, parsed.error.line ?? null);
  // Which file line each kept (non-blank) line came from.
  const fileLine: number[] = [];
  text
    .replace(/^\ufeff/, '')
    .split(LINE_BREAK)
    .forEach((line, index) => {
      if (line.trim() !== '') fileLine.push(index + 1);
    });
  let story = parsed.story;
  let firstParagraph = 2;
  if (parseDateline(story.headline)) {
    throw new ImportError(
      'the story has no headline: the first line opens with a dateline, so it is the first paragraph; put the headline and a standfirst on the two lines before it',
      fileLine[0] ?? 1,
    );
  }
  if (story.headline.length > MAX_HEADLINE_LENGTH) {
    throw new ImportError(
      `the story has no headline: the first line is ${story.headline.length} characters long, a paragraph rather than a headline (at most ${MAX_HEADLINE_LENGTH})`,
      fileLine[0] ?? 1,
    );
  }
  if (!story.dateline && parseDateline(story.standfirst)) {
    const [headline, standfirstLine, ...rest] = [story.headline, story.standfirst, ...story.paragraphs];
    const paragraphs = [
      text.replace(/^\ufeff/, '').split(LINE_BREAK)[(fileLine[1] ?? 2) - 1] ?? standfirstLine,
      ...rest,
    ];
    story = {
      headline: headline ?? '',
      standfirst: '',
      dateline: parseDateline(paragraphs[0] ?? ''),
      paragraphs,
    };
    firstParagraph = 1;
  }
  const paragraphLines = story.paragraphs.map(
    (_, index) => fileLine[firstParagraph + index] ?? firstParagraph + index + 1,
  );
  const headlineLines = [story.headline, story.standfirst];
  const inTitle = unbalancedQuote(headlineLines, { continues: false });
  if (inTitle && headlineLines[inTitle.index]) {
    throw new ImportError(
      `${inTitle.index === 0 ? 'the headline' : 'the standfirst'} ${inTitle.message} (column ${inTitle.column + 1})`,
      fileLine[inTitle.index] ?? inTitle.index + 1,
    );
  }
  const inBody = unbalancedQuote(story.paragraphs, { continues: true });
  if (inBody) {
    throw new ImportError(
      `unbalanced quotes: the quote mark at column ${inBody.column + 1} ${inBody.message}`,
      paragraphLines[inBody.index] ?? null,
    );
  }
  return {
    story,
    fileLines: {
      headline: fileLine[0] ?? 1,
      standfirst: firstParagraph === 2 ? (fileLine[1] ?? 2) : 0,
      paragraphs: paragraphLines,
    },
  };
}
