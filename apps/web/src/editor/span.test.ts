import { describe, expect, it } from 'vitest';
import { moveSpanEdge, spanFromSelection } from './span.ts';

const text = '"Article 4 is of particular importance," Rudenko said.';

describe('moving a span by selecting words', () => {
  it('widens a selection to whole words and trims spaces at its edges', () => {
    const start = text.indexOf('ticle 4');
    const end = text.indexOf('import') + 3;
    expect(spanFromSelection(text, 2, { start, end })).toEqual({
      span: { start: 1, end: text.indexOf(',"'), text: 'Article 4 is of particular importance' },
      problem: null,
    });
    expect(spanFromSelection(text, 0, { start: 40, end: 49 }).span?.text).toBe('Rudenko');
  });

  it('takes a selection made backwards as the same words', () => {
    expect(spanFromSelection(text, 0, { start: 48, end: 41 }).span?.text).toBe('Rudenko');
  });

  it('refuses a selection with no word in it', () => {
    expect(spanFromSelection(text, 0, { start: 40, end: 41 })).toEqual({
      span: null,
      problem: 'Select at least one word of the paragraph.',
    });
  });
});

describe('moving a span’s edges a word at a time', () => {
  const span = { start: 1, end: text.indexOf(',"') }; // Article 4 is of particular importance
  const move = (edge: 'start' | 'end', direction: -1 | 1, from = span) =>
    moveSpanEdge(text, 0, from, edge, direction).span?.text;

  it('moves the start to the next or previous word', () => {
    expect(move('start', 1)).toBe('4 is of particular importance');
    expect(move('start', -1, { start: 9, end: span.end })).toBe('Article 4 is of particular importance');
  });

  it('moves the end past the next word or back before the last', () => {
    expect(move('end', -1)).toBe('Article 4 is of particular');
    expect(move('end', 1)).toBe('Article 4 is of particular importance," Rudenko');
  });

  it('refuses to move an edge past the other', () => {
    expect(moveSpanEdge(text, 0, { start: 1, end: 8 }, 'start', 1)).toEqual({
      span: null,
      problem: 'Select at least one word of the paragraph.',
    });
  });
});
