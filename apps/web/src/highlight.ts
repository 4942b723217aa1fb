// Turns a paragraph and the spans marked in it (statements, and the names of actors, treaties and
// provisions) into the runs the article view renders: each run is either plain text or one
// statement, and holds pieces that are either plain or one mention. Pure: no DOM, no React.
//
// Spans come from the API as character offsets into the paragraph (the provenance invariant:
// `paragraph.text.slice(start, end) === span.text`). They may nest (a name inside a quotation),
// overlap (a name running past the end of a quotation) or, in bad data, fall outside the text:
// every character is still shown exactly once, in order, whatever the spans say.

export type MarkedSpan<T> = { start: number; end: number; value: T };

export type Piece<S, M> = {
  start: number;
  end: number;
  text: string;
  statement: S | null;
  mention: M | null;
};

export type Run<S, M> = {
  /** null: text outside any statement. */
  statement: S | null;
  start: number;
  end: number;
  pieces: Piece<S, M>[];
};

export function markParagraph<S, M>(
  text: string,
  statements: readonly MarkedSpan<S>[],
  mentions: readonly MarkedSpan<M>[] = [],
): Run<S, M>[] {
  const length = text.length;
  const usable = <T>(spans: readonly MarkedSpan<T>[]) =>
    spans
      .map((span) => ({ ...span, start: clamp(span.start, length), end: clamp(span.end, length) }))
      .filter((span) => span.start < span.end);
  const statementSpans = usable(statements);
  const mentionSpans = usable(mentions);

  const cuts = new Set<number>([0, length]);
  for (const span of [...statementSpans, ...mentionSpans]) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const boundaries = [...cuts].sort((a, b) => a - b);

  const pieces: Piece<S, M>[] = [];
  for (let i = 0; i + 1 < boundaries.length; i++) {
    const start = boundaries[i]!;
    const end = boundaries[i + 1]!;
    const statement = innermost(statementSpans, start, end);
    const mention = innermost(mentionSpans, start, end);
    const previous = pieces.at(-1);
    if (previous && previous.statement === statement && previous.mention === mention) {
      previous.end = end;
      previous.text = text.slice(previous.start, end);
    } else {
      pieces.push({ start, end, text: text.slice(start, end), statement, mention });
    }
  }

  const runs: Run<S, M>[] = [];
  for (const piece of pieces) {
    const run = runs.at(-1);
    if (run && run.statement === piece.statement) {
      run.pieces.push(piece);
      run.end = piece.end;
    } else {
      runs.push({ statement: piece.statement, start: piece.start, end: piece.end, pieces: [piece] });
    }
  }
  return runs;
}

/** The span covering [start, end) that starts last (then ends first): the most specific one. */
function innermost<T>(spans: readonly MarkedSpan<T>[], start: number, end: number): T | null {
  let best: MarkedSpan<T> | null = null;
  for (const span of spans) {
    if (span.start > start || span.end < end) continue;
    if (!best || span.start > best.start || (span.start === best.start && span.end < best.end)) best = span;
  }
  return best ? best.value : null;
}

function clamp(offset: number, length: number): number {
  if (!Number.isFinite(offset)) return 0;
  return Math.min(Math.max(Math.trunc(offset), 0), length);
}
