import { describe, expect, it } from 'vitest';
import { spanFromSelection } from './span.ts';

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
