// Reads a wire-story file: line 1 headline, line 2 standfirst, then one paragraph per line, paragraph 0
// opening with the dateline. Paragraphs are kept exactly as printed because statement spans index into
// them. The parser never throws: whatever the input, it returns a story or an error with a message.
import { parseDateline } from './dateline.ts';
import type { ParseResult } from './types.ts';

/** Stories are a few kilobytes; anything far larger is not a wire story. */
export const MAX_STORY_BYTES = 2 * 1024 * 1024;
export const MAX_LINE_LENGTH = 100_000;

const LINE_BREAK = /\r\n|\r|\n/;
/** C0 control characters other than tab, LF and CR (and DEL) only occur in binary data. */
function controlCharacterIn(line: string): number | null {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return code;
  }
  return null;
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function fail(message: string, line?: number): ParseResult {
  return { ok: false, error: line === undefined ? { message } : { message, line } };
}

/** UTF-8 length without allocating: 1–4 bytes per code point. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > MAX_STORY_BYTES) return bytes;
  }
  return bytes;
}

function checkText(text: unknown): string | null {
  if (typeof text !== 'string') return 'the story must be text';
  if (text.length > MAX_STORY_BYTES || utf8Length(text) > MAX_STORY_BYTES) {
    return `the story is larger than ${MAX_STORY_BYTES / (1024 * 1024)} MB; wire stories are a few kilobytes`;
  }
  return null;
}

function checkLine(line: string, lineNumber: number): ParseResult | null {
  if (line.length > MAX_LINE_LENGTH) {
    return fail(
      `line ${lineNumber} is ${line.length} characters long; the limit is ${MAX_LINE_LENGTH}`,
      lineNumber,
    );
  }
  const control = controlCharacterIn(line);
  if (control !== null) {
    const code = control.toString(16).toUpperCase().padStart(4, '0');
    return fail(
      `line ${lineNumber} contains the control character U+${code}; is this a binary file?`,
      lineNumber,
    );
  }
  if (LONE_SURROGATE.test(line)) {
    return fail(
      `line ${lineNumber} contains an unpaired UTF-16 surrogate; the text is not valid Unicode`,
      lineNumber,
    );
  }
  return null;
}

/**
 * Parses a story. Blank lines are skipped (the corpus has none, but editors add them), CRLF and CR
 * line endings are accepted and a leading byte-order mark is dropped.
 */
export function parseStory(text: string): ParseResult {
  try {
    const problem = checkText(text);
    if (problem) return fail(problem);
    const lines = text.replace(/^\ufeff/, '').split(LINE_BREAK);
    const kept: string[] = [];
    for (const [index, line] of lines.entries()) {
      const lineProblem = checkLine(line, index + 1);
      if (lineProblem) return lineProblem;
      if (line.trim() !== '') kept.push(line);
    }
    if (kept.length === 0) return fail('the story is empty');
    if (kept.length < 3) {
      return fail(
        `the story has ${kept.length} non-blank line(s); expected a headline, a standfirst and at least one paragraph`,
      );
    }
    const [headline = '', standfirst = '', ...paragraphs] = kept;
    return {
      ok: true,
      story: {
        headline: headline.trim(),
        standfirst: standfirst.trim(),
        dateline: parseDateline(paragraphs[0] ?? ''),
        paragraphs,
      },
    };
  } catch (error) {
    // Defensive: a bug in a rule must not take the importer down with it.
    return fail(`could not parse the story: ${error instanceof Error ? error.message : String(error)}`);
  }
}
