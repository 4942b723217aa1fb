// Reads NDJSON input line by line from a byte stream, without ever holding more than one line: a
// line longer than the limit is an error as soon as it passes the limit, not after it is in memory.
import { ImportError } from './errors.ts';
import { decodeUtf8 } from './story-text.ts';

/** A bundle line is one record; the largest (a revision of a long article) stays far below this. */
export const MAX_BUNDLE_LINE_BYTES = 8 * 1024 * 1024;

export type NumberedLine = { line: number; text: string };

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The lines of a byte stream, 1-based, decoded as strict UTF-8, with CR LF accepted. Blank lines
 * are skipped (but counted). Throws an ImportError naming the line for an over-long line or bytes
 * that are not UTF-8; `onBytes` reports progress through the input.
 */
export async function* readLines(
  input: AsyncIterable<Uint8Array>,
  options: { maxLineBytes?: number; onBytes?: (bytes: number) => void } = {},
): AsyncGenerator<NumberedLine> {
  const max = options.maxLineBytes ?? MAX_BUNDLE_LINE_BYTES;
  let parts: Uint8Array[] = [];
  let length = 0;
  let line = 1;
  const finish = (bytes: Uint8Array): NumberedLine | null => {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    let text: string;
    try {
      text = decodeUtf8(bytes.subarray(0, end));
    } catch (error) {
      throw error instanceof ImportError ? new ImportError(error.message, line) : error;
    }
    if (bytes.indexOf(0) >= 0)
      throw new ImportError('the line contains NUL bytes: this is binary data, not NDJSON', line);
    return text.trim() === '' ? null : { line, text };
  };
  for await (const chunk of input) {
    options.onBytes?.(chunk.length);
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      const piece = chunk.subarray(from, nl);
      if (length + piece.length > max) throw tooLong(line, max);
      parts.push(piece);
      const done = finish(concat(parts, length + piece.length));
      if (done) yield done;
      parts = [];
      length = 0;
      line++;
      from = nl + 1;
    }
    const rest = chunk.subarray(from);
    if (rest.length > 0) {
      if (length + rest.length > max) throw tooLong(line, max);
      // Keep a copy: the stream may reuse its buffer.
      parts.push(rest.slice());
      length += rest.length;
    }
  }
  if (length > 0) {
    const done = finish(concat(parts, length));
    if (done) yield done;
  }
}

function tooLong(line: number, max: number): ImportError {
  return new ImportError(
    `the line is longer than ${max / (1024 * 1024)} MB; a bundle line is one record (was this file written by chancery export?)`,
    line,
  );
}
