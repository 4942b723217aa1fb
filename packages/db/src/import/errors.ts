// What goes wrong with one input file. The importer reports it with the file and, where it is
// known, the line, and moves on to the next file: one bad file never stops a batch.

export class ImportError extends Error {
  /** 1-based line of the input the problem is on, when there is one. */
  readonly line: number | null;
  /** What to fix: the story itself, or the publication date or publisher given with it. */
  readonly about: 'story' | 'published' | 'publisher';
  constructor(message: string, line: number | null = null, about: ImportError['about'] = 'story') {
    super(message);
    this.name = 'ImportError';
    this.line = line;
    this.about = about;
  }
}

/** `file:line: message`, the form compilers use, so editors can jump to it. */
export function describeImportError(source: string, error: ImportError): string {
  return `${source}${error.line !== null ? `:${error.line}` : ''}: ${error.message}`;
}

/**
 * What went wrong, in words: for a database error, PostgreSQL's own message (and detail) rather
 * than the driver's "Failed query: …" wrapping with the whole statement in it.
 */
export function databaseMessage(error: unknown): string {
  for (
    let current = error;
    current && typeof current === 'object';
    current = (current as { cause?: unknown }).cause
  ) {
    const { code, message, detail } = current as { code?: unknown; message?: unknown; detail?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return `${String(message)}${typeof detail === 'string' && detail ? ` (${detail})` : ''}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
