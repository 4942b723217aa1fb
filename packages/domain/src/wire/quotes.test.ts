import { describe, expect, it } from 'vitest';
import { findQuotes, isInsideQuote, splitSentences } from './quotes.ts';

const contents = (paragraphs: string[]) =>
  findQuotes(
    paragraphs,
    paragraphs.map(() => 0),
  ).map((quotes, p) =>
    quotes.map((q) => ({
      text: paragraphs[p]?.slice(q.contentStart, q.contentEnd),
      closed: q.closed,
      continues: q.continuesPrevious,
    })),
  );

describe('findQuotes', () => {
  it('pairs straight and curly marks and ignores apostrophes and single quotes', () => {
    expect(contents([`"We don't," Varga said. “It’s ‘the orchard’,” she added.`])).toEqual([
      [
        { text: "We don't,", closed: true, continues: false },
        { text: 'It’s ‘the orchard’,', closed: true, continues: false },
      ],
    ]);
  });

  it('marks the paragraphs of a multi-paragraph quote', () => {
    expect(
      contents(['Corra said: “For four years.', '“Our partners.', '“We will act.”', 'Narration.']),
    ).toEqual([
      [{ text: 'For four years.', closed: false, continues: false }],
      [{ text: 'Our partners.', closed: false, continues: true }],
      [{ text: 'We will act.', closed: true, continues: true }],
      [],
    ]);
  });

  it('does not open a quote at a stray mark followed by a space', () => {
    expect(contents(['A 12" gauge and "a quote".'])).toEqual([
      [{ text: 'a quote', closed: true, continues: false }],
    ]);
  });
});

describe('splitSentences', () => {
  const sentences = (text: string) => {
    const quotes = findQuotes([text], [0])[0] ?? [];
    return splitSentences(text, 0, 0, quotes).map((s) => text.slice(s.start, s.end));
  };

  it('does not split inside quotes, but after a quote that ends a sentence', () => {
    expect(sentences('"A. B," he said. "C." Then D.')).toEqual(['"A. B," he said.', '"C."', 'Then D.']);
  });

  it('keeps a question and its attribution together', () => {
    expect(sentences('"Who benefits?" Santane asked. Nobody answered.')).toEqual([
      '"Who benefits?" Santane asked.',
      'Nobody answered.',
    ]);
  });

  it('does not split after abbreviations, initials or decimals', () => {
    expect(sentences('On Feb. 2 Mr. J. Smith said 2.4 million. Next.')).toEqual([
      'On Feb. 2 Mr. J. Smith said 2.4 million.',
      'Next.',
    ]);
  });

  it('knows what lies inside a quote', () => {
    const text = 'He said "yes" twice.';
    const quotes = findQuotes([text], [0])[0] ?? [];
    expect(isInsideQuote(quotes, text.indexOf('yes'))).toBe(true);
    expect(isInsideQuote(quotes, text.indexOf('"'))).toBe(false);
    expect(isInsideQuote(quotes, text.indexOf('twice'))).toBe(false);
  });
});
