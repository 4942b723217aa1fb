// What the importer accepts as a story file, and when it says a story was published. Pure: no
// database.
import { Random } from '@chancery/domain/generate/random';
import { generateStories } from '@chancery/domain/generate/stories';
import { corpusStories } from '@chancery/domain/wire/test-corpus';
import { describe, expect, it } from 'vitest';
import { parsePublished, storyDate } from '../src/import/dates.ts';
import { ImportError } from '../src/import/errors.ts';
import { readStoryText, storyTextFromBytes } from '../src/import/story-text.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const failure = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof ImportError) return { message: error.message, line: error.line };
    throw error;
  }
  throw new Error('expected an ImportError');
};

describe('story files', () => {
  it('accept every corpus story and every generated one', () => {
    for (const story of corpusStories())
      expect(() => readStoryText(storyTextFromBytes(bytes(story.text))), story.name).not.toThrow();
    for (const story of generateStories({ stories: 200, seed: 'input' })) {
      expect(() => readStoryText(story.text), story.fileName).not.toThrow();
    }
  });

  it('refuse empty files, binary data and bytes that are not UTF-8, naming the line', () => {
    expect(failure(() => storyTextFromBytes(new Uint8Array()))).toEqual({
      message: expect.stringMatching(/empty/),
      line: null,
    });
    expect(failure(() => storyTextFromBytes(bytes(' \n\n \n')))).toMatchObject({
      message: expect.stringMatching(/only blank lines/),
    });
    expect(
      failure(() => storyTextFromBytes(new Uint8Array([0x48, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))),
    ).toEqual({
      message: expect.stringMatching(/binary data/),
      line: 2,
    });
    const latin1 = new Uint8Array([
      ...bytes('Headline\nStandfirst\nGENEVA, March 3 (ARNA) — Caf'),
      0xe9,
      0x2e,
    ]);
    expect(failure(() => storyTextFromBytes(latin1))).toEqual({
      message: expect.stringMatching(/not valid UTF-8 \(byte 0xE9/),
      line: 3,
    });
  });

  it('refuse a 10 MB line before decoding it, naming the line', () => {
    const huge = bytes(`Headline\nStandfirst\n${'x'.repeat(10 * 1024 * 1024)}\n`);
    expect(failure(() => storyTextFromBytes(huge))).toEqual({
      message: expect.stringMatching(/10\.0 MB.*line 3 alone/),
      line: 3,
    });
  });

  it('refuse a story without a headline', () => {
    expect(failure(() => readStoryText('GENEVA, March 3 (ARNA) — Talks resumed.\nMore.\nAnd more.'))).toEqual(
      {
        message: expect.stringMatching(/no headline: the first line opens with a dateline/),
        line: 1,
      },
    );
    expect(failure(() => readStoryText(`\n\n${'Long words '.repeat(40)}\nStandfirst\nParagraph.`))).toEqual({
      message: expect.stringMatching(/no headline: the first line is 439 characters long/),
      line: 3,
    });
  });

  it('read a story without a standfirst when its second line is already the dateline paragraph', () => {
    const { story, fileLines } = readStoryText('Headline\nGENEVA, March 3 (ARNA) — Talks resumed.\nMore.');
    expect(story).toMatchObject({
      headline: 'Headline',
      standfirst: '',
      paragraphs: ['GENEVA, March 3 (ARNA) — Talks resumed.', 'More.'],
    });
    expect(story.dateline?.agency).toBe('ARNA');
    expect(fileLines.paragraphs).toEqual([2, 3]);
  });

  it('accept quotes that run on over paragraphs, and refuse quotes left open', () => {
    const intro = 'Headline\nStandfirst\nGENEVA, March 3 (ARNA) — Varga said: “One.';
    expect(() => readStoryText(`${intro}\n“Two.\n“Three.”`)).not.toThrow();
    expect(() => readStoryText(`${intro.replace('“', '"')}\n"Two.\n"Three."`)).not.toThrow();
    expect(failure(() => readStoryText(`${intro}\nTwo.”`))).toEqual({
      message: expect.stringMatching(
        /unbalanced quotes: the quote mark at column 38 opens a quote that is never closed/,
      ),
      line: 3,
    });
    expect(failure(() => readStoryText(`${intro}\n“Two.`))).toMatchObject({ line: 4 });
    expect(
      failure(() =>
        readStoryText('Headline\nStandfirst\nGENEVA, March 3 (ARNA) — Fine.\nNot “fine” at all” here.'),
      ),
    ).toEqual({
      message: expect.stringMatching(/closing quote mark ” that no opening mark precedes/),
      line: 4,
    });
    expect(
      failure(() => readStoryText('Minister says "no\nStandfirst\nGENEVA, March 3 (ARNA) — Fine.')),
    ).toMatchObject({
      message: expect.stringMatching(/the headline opens a quote/),
      line: 1,
    });
  });

  it('never fail with anything but an ImportError, whatever the bytes (fuzzed)', () => {
    const random = new Random('fuzz');
    const alphabet = [
      'a',
      'Z',
      ' ',
      '\n',
      '\r',
      '"',
      '“',
      '”',
      '«',
      '.',
      ',',
      '—',
      'é',
      '\u0000',
      '\ud800',
      '😀',
      'MOSCOW, October 24. /TASS/. ',
      'Article 4',
    ];
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: random.int(0, 120) }, () => random.pick(alphabet)).join('');
      const raw = random.chance(0.2)
        ? new Uint8Array(Array.from({ length: random.int(0, 64) }, () => random.int(0, 255)))
        : bytes(text);
      try {
        readStoryText(storyTextFromBytes(raw));
      } catch (error) {
        expect(error, JSON.stringify(text)).toBeInstanceOf(ImportError);
      }
    }
  });
});

describe('publication dates', () => {
  const dateline = {
    place: 'GENEVA',
    month: 3,
    day: 3,
    agency: 'ARNA',
    text: 'GENEVA, March 3 (ARNA) — ',
    end: 24,
  };
  const today = new Date('2026-06-30T12:00:00Z');

  it('read --published as a year, a date or an instant, and explain what else is allowed', () => {
    expect(parsePublished('2024')).toEqual({ ok: true, value: { year: 2024 } });
    expect(parsePublished('2024-10-24')).toEqual({ ok: true, value: { date: '2024-10-24' } });
    expect(parsePublished('2024-10-24T09:30:00+02:00')).toEqual({
      ok: true,
      value: { instant: '2024-10-24T07:30:00.000Z' },
    });
    for (const bad of ['2024-13-40', '2023-02-29', 'yesterday', '24/10/2024', '0001']) {
      const parsed = parsePublished(bad);
      expect(parsed.ok, bad).toBe(false);
      expect(parsed.ok ? '' : parsed.message).toMatch(/expected a date as YYYY-MM-DD/);
    }
  });

  it('take the dateline’s day in the year given, or the latest such day that is not in the future', () => {
    expect(storyDate(dateline, { year: 2024 }, today)).toEqual({
      ok: true,
      publishedAt: '2024-03-03T00:00:00.000Z',
      day: '2024-03-03',
      warnings: [],
    });
    const guessed = storyDate({ ...dateline, month: 12, day: 31 }, null, today);
    expect(guessed).toMatchObject({
      ok: true,
      day: '2025-12-31',
      warnings: [expect.stringMatching(/no year; assumed 2025/)],
    });
    expect(storyDate({ ...dateline, year: 2019 }, null, today)).toMatchObject({
      day: '2019-03-03',
      warnings: [],
    });
    expect(storyDate({ ...dateline, month: 2, day: 29 }, { year: 2023 }, today)).toMatchObject({ ok: false });
    expect(storyDate(null, { year: 2024 }, today)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no dateline/),
    });
  });

  it('prefer the date given, and say when the dateline disagrees', () => {
    expect(storyDate(dateline, { date: '2024-03-04' }, today)).toMatchObject({
      day: '2024-03-04',
      warnings: [expect.stringMatching(/dateline says March 3/)],
    });
    expect(storyDate(dateline, { instant: '2024-03-03T09:30:00.000Z' }, today)).toEqual({
      ok: true,
      publishedAt: '2024-03-03T09:30:00.000Z',
      day: '2024-03-03',
      warnings: [],
    });
  });
});
