import { describe, expect, it } from 'vitest';
import { parseDateline } from './dateline.ts';

describe('parseDateline', () => {
  it.each([
    [
      'MOSCOW, October 24. /TASS/. The treaty',
      { place: 'MOSCOW', month: 10, day: 24, agency: 'TASS', text: 'MOSCOW, October 24. /TASS/. ' },
    ],
    [
      'GENEVA, March 3 (ARNA) — Foreign',
      { place: 'GENEVA', month: 3, day: 3, agency: 'ARNA', text: 'GENEVA, March 3 (ARNA) — ' },
    ],
    [
      'BRESK, 14 May (KTA) - The Union',
      { place: 'BRESK', month: 5, day: 14, agency: 'KTA', text: 'BRESK, 14 May (KTA) - ' },
    ],
    [
      'KORVIN, Feb. 2 /ARNA/ -- The Republic',
      { place: 'KORVIN', month: 2, day: 2, agency: 'ARNA', text: 'KORVIN, Feb. 2 /ARNA/ -- ' },
    ],
    [
      'DRAZEN, 21 November (KTA) – The',
      { place: 'DRAZEN', month: 11, day: 21, agency: 'KTA', text: 'DRAZEN, 21 November (KTA) – ' },
    ],
    [
      'UNITED NATIONS, Nov. 12 (OSTPRESS) — The',
      { place: 'UNITED NATIONS', month: 11, day: 12, agency: 'OSTPRESS' },
    ],
    [
      'SALLON, June 9 (Meridian Press Service) — The',
      { place: 'SALLON', agency: 'Meridian Press Service', month: 6, day: 9 },
    ],
    ['VELDA, 3 JUN (VPA) - The', { place: 'VELDA', month: 6, day: 3, agency: 'VPA' }],
    [
      'OSK, SEPT 30 /VPA/ The',
      { place: 'OSK', month: 9, day: 30, agency: 'VPA', text: 'OSK, SEPT 30 /VPA/ ' },
    ],
    [
      'Feb. 2 /ARNA/ -- The Republic',
      { place: null, month: 2, day: 2, agency: 'ARNA', text: 'Feb. 2 /ARNA/ -- ' },
    ],
    ['Geneva, March 3 (Reuters) - The', { place: 'Geneva', month: 3, day: 3, agency: 'Reuters' }],
    ['RIO DE JANEIRO, 1st March (ABr) — The', { place: 'RIO DE JANEIRO', month: 3, day: 1, agency: 'ABr' }],
    [
      'MOSCOW, October 24 — The treaty',
      { place: 'MOSCOW', month: 10, day: 24, agency: null, text: 'MOSCOW, October 24 — ' },
    ],
  ])('reads %j', (paragraph, expected) => {
    const dateline = parseDateline(paragraph);
    expect(dateline).toMatchObject(expected);
    expect(dateline?.end).toBe(dateline?.text.length);
    expect(paragraph.startsWith(dateline?.text ?? '\u0000')).toBe(true);
  });

  it('reads a weekday and a year', () => {
    expect(parseDateline('OSK, Wednesday, April 9, 2025 (VPA) -- The')).toMatchObject({
      place: 'OSK',
      weekday: 'Wednesday',
      month: 4,
      day: 9,
      year: 2025,
      agency: 'VPA',
      text: 'OSK, Wednesday, April 9, 2025 (VPA) -- ',
    });
    expect(parseDateline('MOSCOW, Thu, 14 March 2024 /TASS/ - Russia')).toMatchObject({
      weekday: 'Thu',
      day: 14,
      month: 3,
      year: 2024,
      text: 'MOSCOW, Thu, 14 March 2024 /TASS/ - ',
    });
  });

  it.each([
    'The comprehensive strategic partnership treaty between Russia and North Korea',
    'May 5 people died in the floods.',
    'MOSCOW, Octember 24. /TASS/. Text',
    'MOSCOW, February 30 (TASS) - Text',
    '',
  ])('finds no dateline in %j', (paragraph) => {
    expect(parseDateline(paragraph)).toBeNull();
  });
});
