import { describe, expect, it } from 'vitest';
import { brokenCitations, datelineProblem, resolveSpan } from './span-rules.ts';

const paragraphs = ['MOSCOW, Oct 24. "Yes," he said. "Yes," she said.', 'Article 4 matters.'];

describe('resolveSpan', () => {
  it('looks up text that occurs once, and checks a given span character for character', () => {
    expect(resolveSpan(paragraphs, { paragraph: 1, text: 'Article 4' }, ['source'])).toEqual({
      span: { paragraph: 1, start: 0, end: 9, text: 'Article 4' },
      errors: [],
    });
    expect(
      resolveSpan(paragraphs, { paragraph: 0, start: 17, end: 20, text: 'Yes' }, ['s']).span?.start,
    ).toBe(17);
  });

  it.each([
    [
      { paragraph: 2, text: 'x' },
      ['s', 'paragraph'],
      'paragraph 2 does not exist; the article has paragraphs 0 to 1',
    ],
    [
      { paragraph: 0, text: 'Yes' },
      ['s', 'start'],
      '"Yes" occurs 2 times in paragraph 0 (at 17, 33); give start and end to say which',
    ],
    [{ paragraph: 1, text: 'Article 5' }, ['s', 'text'], '"Article 5" does not occur in paragraph 1'],
    [
      { paragraph: 1, start: 0, end: 90, text: 'x' },
      ['s', 'end'],
      'is past the end of paragraph 1, which has 18 characters',
    ],
    [
      { paragraph: 1, start: 0, end: 9, text: 'Article 5' },
      ['s', 'text'],
      'characters 0..9 of paragraph 1 read "Article 4", not "Article 5"',
    ],
  ])('refuses %j at the field to fix', (request, path, message) => {
    expect(resolveSpan(paragraphs, request, ['s'])).toEqual({ span: null, errors: [{ path, message }] });
  });
});

describe('brokenCitations', () => {
  const citation = { describe: 'statement S', span: { paragraph: 1, start: 0, end: 9, text: 'Article 4' } };
  it('lets an edit through that keeps every cited span', () => {
    expect(brokenCitations(['x', 'Article 4 matters a lot.'], [citation], ['input', 'paragraphs'])).toEqual(
      [],
    );
  });
  it('names what an edit would break, at the paragraph it cites', () => {
    expect(brokenCitations(['x', 'Article Four matters.'], [citation], ['input', 'paragraphs'])).toEqual([
      {
        path: ['input', 'paragraphs', '1'],
        message:
          'would break the span of statement S: it cites "Article 4" at 0..9, and the new paragraph 1 has "Article F" there',
      },
    ]);
    expect(brokenCitations(['x'], [citation], ['input', 'paragraphs'])[0]).toEqual({
      path: ['input', 'paragraphs'],
      message: 'would remove paragraph 1, which statement S cites ("Article 4"); change or delete it first',
    });
  });
});

describe('datelineProblem', () => {
  it('requires the dateline to be how the first paragraph begins', () => {
    expect(datelineProblem('MOSCOW, Oct 24. ', paragraphs)).toBeNull();
    expect(datelineProblem('PYONGYANG, ', paragraphs)).toMatch(/must be how paragraph 0 begins/);
  });
});
