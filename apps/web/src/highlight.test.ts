import { describe, expect, it } from 'vitest';
import { type MarkedSpan, markParagraph, type Run } from './highlight.ts';

type S = { id: string };
type M = { name: string };

/** The runs as [statement id or '-', [text, mention name or '-'][]]: easy to read in a failure. */
function shape(runs: Run<S, M>[]) {
  return runs.map((run) => [
    run.statement?.id ?? '-',
    run.pieces.map((piece) => [piece.text, piece.mention?.name ?? '-']),
  ]);
}

function joined(runs: Run<S, M>[]): string {
  return runs.flatMap((run) => run.pieces.map((piece) => piece.text)).join('');
}

const text = '"Article 4 of the document is important," Rudenko said.';
const quote: MarkedSpan<S> = { start: 1, end: 40, value: { id: 'q' } };
const article4: MarkedSpan<M> = { start: 1, end: 10, value: { name: 'Article 4' } };
const rudenko: MarkedSpan<M> = { start: 42, end: 49, value: { name: 'Rudenko' } };

describe('markParagraph', () => {
  it('returns the paragraph as one plain run when nothing is marked', () => {
    expect(shape(markParagraph<S, M>(text, []))).toEqual([['-', [[text, '-']]]]);
  });

  it('marks a statement in place, with the text before and after it plain', () => {
    const runs = markParagraph<S, M>(text, [quote]);
    expect(shape(runs)).toEqual([
      ['-', [['"', '-']]],
      ['q', [['Article 4 of the document is important,', '-']]],
      ['-', [['" Rudenko said.', '-']]],
    ]);
    expect(runs[1]).toMatchObject({ start: 1, end: 40 });
  });

  it('nests mentions inside a statement and keeps those outside it outside', () => {
    expect(shape(markParagraph(text, [quote], [article4, rudenko]))).toEqual([
      ['-', [['"', '-']]],
      [
        'q',
        [
          ['Article 4', 'Article 4'],
          [' of the document is important,', '-'],
        ],
      ],
      [
        '-',
        [
          ['" ', '-'],
          ['Rudenko', 'Rudenko'],
          [' said.', '-'],
        ],
      ],
    ]);
  });

  it('splits a mention that runs past the end of a statement, showing every character once', () => {
    const straddling: MarkedSpan<M> = { start: 30, end: 49, value: { name: 'long' } };
    const runs = markParagraph(text, [quote], [straddling]);
    expect(joined(runs)).toBe(text);
    expect(shape(runs)).toEqual([
      ['-', [['"', '-']]],
      [
        'q',
        [
          ['Article 4 of the document is ', '-'],
          ['important,', 'long'],
        ],
      ],
      [
        '-',
        [
          ['" Rudenko', 'long'],
          [' said.', '-'],
        ],
      ],
    ]);
  });

  it('gives the innermost statement to text inside two, and resumes the outer one after it', () => {
    const outer: MarkedSpan<S> = { start: 0, end: 20, value: { id: 'outer' } };
    const inner: MarkedSpan<S> = { start: 5, end: 10, value: { id: 'inner' } };
    const runs = markParagraph('abcdefghijklmnopqrstuvwxyz', [outer, inner]);
    expect(runs.map((run) => [run.statement?.id ?? '-', run.start, run.end])).toEqual([
      ['outer', 0, 5],
      ['inner', 5, 10],
      ['outer', 10, 20],
      ['-', 20, 26],
    ]);
  });

  it('keeps adjacent statements apart', () => {
    const first: MarkedSpan<S> = { start: 0, end: 3, value: { id: 'a' } };
    const second: MarkedSpan<S> = { start: 3, end: 6, value: { id: 'b' } };
    expect(markParagraph('abcdef', [first, second]).map((run) => run.statement?.id)).toEqual(['a', 'b']);
  });

  it('clamps spans that fall outside the text and ignores empty or reversed ones', () => {
    const runs = markParagraph(
      'short',
      [
        { start: 2, end: 99, value: { id: 'past-end' } },
        { start: 4, end: 4, value: { id: 'empty' } },
        { start: 3, end: 1, value: { id: 'reversed' } },
        { start: -5, end: 1, value: { id: 'before-start' } },
      ],
      [{ start: Number.NaN, end: 2, value: { name: 'nan' } }],
    );
    expect(joined(runs)).toBe('short');
    expect(runs.map((run) => [run.statement?.id ?? '-', run.start, run.end])).toEqual([
      ['before-start', 0, 1],
      ['-', 1, 2],
      ['past-end', 2, 5],
    ]);
  });

  it('shows an empty paragraph as nothing', () => {
    expect(markParagraph('', [{ start: 0, end: 3, value: { id: 'x' } }])).toEqual([]);
  });

  it('counts offsets in UTF-16 code units, as the API does (JavaScript string offsets)', () => {
    const russian = '«Договор» — оборонительный';
    const runs = markParagraph(russian, [{ start: 1, end: 8, value: { id: 'ru' } }]);
    expect(runs[1]?.pieces[0]?.text).toBe('Договор');
  });
});
