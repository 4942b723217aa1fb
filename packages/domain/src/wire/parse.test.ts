import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_LENGTH, parseStory } from './parse.ts';
import { seedStory } from './test-corpus.ts';

const STORY = 'Headline\nStandfirst\nMOSCOW, October 24. /TASS/. First paragraph.\nSecond paragraph.';

describe('parseStory', () => {
  it('reads the seed story', () => {
    const { text, gold } = seedStory();
    const result = parseStory(text);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.story.headline).toBe(gold.article.headline);
    expect(result.story.standfirst).toBe(gold.article.standfirst);
    expect(result.story.paragraphs).toHaveLength(gold.article.paragraphCount);
    expect(result.story.dateline).toEqual({
      place: 'MOSCOW',
      month: 10,
      day: 24,
      agency: 'TASS',
      text: 'MOSCOW, October 24. /TASS/. ',
      end: 28,
    });
    // Paragraph 0 keeps its dateline: spans index into the paragraph as printed.
    expect(result.story.paragraphs[0]?.startsWith('MOSCOW, October 24. /TASS/. The comprehensive')).toBe(
      true,
    );
  });

  it('accepts CRLF and CR line endings, a byte-order mark and blank lines', () => {
    for (const text of [
      STORY.replace(/\n/g, '\r\n'),
      STORY.replace(/\n/g, '\r'),
      `\ufeff${STORY}\n`,
      STORY.replace(/\n/g, '\n\n  \n'),
    ]) {
      const result = parseStory(text);
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.story.headline).toBe('Headline');
        expect(result.story.paragraphs).toEqual([
          'MOSCOW, October 24. /TASS/. First paragraph.',
          'Second paragraph.',
        ]);
      }
    }
  });

  it('has no dateline when paragraph 0 has none', () => {
    const result = parseStory('Headline\nStandfirst\nThe first paragraph.');
    expect(result.ok && result.story.dateline).toBeNull();
  });

  it.each([
    ['', /empty/],
    ['\n\n   \n', /empty/],
    ['Only a headline', /expected a headline, a standfirst and at least one paragraph/],
    ['Headline\nStandfirst', /expected a headline/],
    ['Headline\nStandfirst\nText with a \u0000 NUL byte', /control character U\+0000/],
    ['Headline\nStandfirst\nA lone \ud800 surrogate', /unpaired UTF-16 surrogate/],
    ['Headline\nStandfirst\nA lone \udc00 surrogate', /unpaired UTF-16 surrogate/],
  ])('rejects %j with a clear message', (text, message) => {
    const result = parseStory(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(message);
  });

  it('says which line is bad', () => {
    const result = parseStory('Headline\nStandfirst\nGood line\nBad \u0007 line');
    expect(result).toEqual({ ok: false, error: { message: expect.stringMatching(/line 4/), line: 4 } });
  });

  it('rejects oversized input quickly', () => {
    const longLine = parseStory(`Headline\nStandfirst\n${'x'.repeat(MAX_LINE_LENGTH + 1)}`);
    expect(longLine.ok).toBe(false);
    if (!longLine.ok)
      expect(longLine.error).toMatchObject({ line: 3, message: expect.stringMatching(/limit is 100000/) });
    const huge = parseStory(`Headline\nStandfirst\n${'a'.repeat(10 * 1024 * 1024)}`);
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.error.message).toMatch(/larger than 2 MB/);
    // Multi-byte characters count as their UTF-8 size.
    const wide = parseStory(`Headline\nStandfirst\n${'ж\n'.repeat(1_100_000)}`);
    expect(wide.ok).toBe(false);
  });

  it('accepts astral characters (surrogate pairs)', () => {
    const result = parseStory('Headline 🌍\nStandfirst\nParagraph with 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.');
    expect(result.ok).toBe(true);
  });

  it('never throws, whatever the input', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: 'grapheme', maxLength: 400 }),
      fc
        .array(
          fc.string({
            unit: fc.constantFrom('a', ' ', '"', '“', '”', '\n', '\r', '.', ',', '\u0000', '\ud800', 'Ж'),
            maxLength: 80,
          }),
          { maxLength: 8 },
        )
        .map((lines) => lines.join('\n')),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parseStory(text);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) expect(result.story.paragraphs.length).toBeGreaterThan(0);
        else expect(result.error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
