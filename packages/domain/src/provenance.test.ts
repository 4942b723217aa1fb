import { describe, expect, it } from 'vitest';
import { assertSourceSpan, locateSpan, sourceSpanProblem } from './provenance.ts';

const paragraphs = [
  'MOSCOW, October 24. /TASS/. The treaty is defensive, Rudenko said.',
  '"Article 4 matters," he added.',
];

describe('the provenance invariant', () => {
  it('accepts a span whose text is exactly the characters it points at', () => {
    const span = locateSpan(paragraphs, 1, 'Article 4 matters');
    expect(span).toEqual({ paragraph: 1, start: 1, end: 18, text: 'Article 4 matters' });
    expect(sourceSpanProblem(paragraphs, span!)).toBeNull();
  });

  it.each([
    [{ paragraph: 2, start: 0, end: 1, text: 'x' }, /paragraph 2 does not exist/],
    [{ paragraph: -1, start: 0, end: 1, text: 'x' }, /paragraph -1 does not exist/],
    [{ paragraph: 1, start: 5, end: 5, text: '' }, /not a non-empty range/],
    [{ paragraph: 1, start: 0, end: 999, text: 'x' }, /not a non-empty range/],
    [
      { paragraph: 1, start: 1, end: 18, text: 'Article 5 matters' },
      /reads "Article 4 matters", not "Article 5 matters"/,
    ],
    [{ paragraph: 0.5, start: 0, end: 1, text: 'M' }, /does not exist/],
  ])('rejects %j', (span, message) => {
    expect(sourceSpanProblem(paragraphs, span)).toMatch(message);
    expect(() => assertSourceSpan(paragraphs, span)).toThrow(message);
  });

  it('locates nothing when the text is not there', () => {
    expect(locateSpan(paragraphs, 0, 'Lavrov')).toBeNull();
    expect(locateSpan(paragraphs, 7, 'Rudenko')).toBeNull();
  });
});
