// When a story was published. A dateline gives a month and a day but rarely a year, so the caller
// may say (`--published 2024-10-24`, or just `--published 2024`); otherwise the dateline's own
// year, else the latest such day that is not in the future.

import { MONTH_NAMES as MONTHS } from '@chancery/domain/calendar';
import type { Dateline } from '@chancery/domain/wire/types';

/** What the caller said about the publication date. */
export type PublishedOption = { year: number } | { date: string } | { instant: string };

const YEAR = /^\d{4}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Reads `--published` / `publishedAt`: a year, a calendar date or an ISO 8601 instant. */
export function parsePublished(
  value: string,
): { ok: true; value: PublishedOption } | { ok: false; message: string } {
  const text = value.trim();
  const allowed =
    'expected a date as YYYY-MM-DD (e.g. 2024-10-24), an ISO 8601 instant (2024-10-24T09:30:00Z) or a year (2024)';
  if (YEAR.test(text)) {
    const year = Number(text);
    if (year < 1900 || year > 2200)
      return { ok: false, message: `${JSON.stringify(value)} is not a plausible year; ${allowed}` };
    return { ok: true, value: { year } };
  }
  if (DATE.test(text)) {
    if (!isCalendarDate(text))
      return { ok: false, message: `${JSON.stringify(value)} is not a real calendar date; ${allowed}` };
    return { ok: true, value: { date: text } };
  }
  if (INSTANT.test(text)) {
    const date = new Date(text);
    if (Number.isNaN(date.getTime()) || !isCalendarDate(text.slice(0, 10))) {
      return { ok: false, message: `${JSON.stringify(value)} is not a real date and time; ${allowed}` };
    }
    return { ok: true, value: { instant: date.toISOString() } };
  }
  return { ok: false, message: `${JSON.stringify(value)} is not a date; ${allowed}` };
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (year: number, month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;

/**
 * The story's publication instant and its day (the day its statements were made), with a warning
 * when a guess was made or the caller and the dateline disagree.
 */
export function storyDate(
  dateline: Dateline | null,
  published: PublishedOption | null,
  today: Date = new Date(),
): { ok: true; publishedAt: string; day: string; warnings: string[] } | { ok: false; message: string } {
  const warnings: string[] = [];
  const printed = dateline ? `${MONTHS[dateline.month - 1]} ${dateline.day}` : null;
  const done = (day: string, instant?: string) => ({
    ok: true as const,
    publishedAt: instant ?? `${day}T00:00:00.000Z`,
    day,
    warnings,
  });
  if (published && 'year' in published) {
    if (!dateline) {
      return {
        ok: false,
        message: `the story has no dateline to take the month and day from; give --published as a full date (YYYY-MM-DD), not only the year ${published.year}`,
      };
    }
    const day = dayOf(published.year, dateline.month, dateline.day);
    if (!isCalendarDate(day))
      return { ok: false, message: `the dateline's ${printed} does not exist in ${published.year}` };
    return done(day);
  }
  if (published) {
    const instant = 'instant' in published ? published.instant : undefined;
    const day = 'date' in published ? published.date : (published.instant as string).slice(0, 10);
    if (dateline && printed) {
      const [, month, date] = day.split('-').map(Number);
      if (month !== dateline.month || date !== dateline.day) {
        warnings.push(`the dateline says ${printed}, the publication date given is ${day}; using ${day}`);
      }
    }
    return done(day, instant);
  }
  if (!dateline) {
    const day = today.toISOString().slice(0, 10);
    warnings.push(`the story has no dateline and no publication date was given; using today, ${day}`);
    return done(day);
  }
  if (dateline.year !== undefined) {
    const day = dayOf(dateline.year, dateline.month, dateline.day);
    if (isCalendarDate(day)) return done(day);
  }
  // The latest such day that is not in the future (a story of 31 December read on 2 January).
  const todayText = today.toISOString().slice(0, 10);
  let year = today.getUTCFullYear();
  while (
    !isCalendarDate(dayOf(year, dateline.month, dateline.day)) ||
    dayOf(year, dateline.month, dateline.day) > todayText
  ) {
    year--;
  }
  const day = dayOf(year, dateline.month, dateline.day);
  warnings.push(`the dateline (${printed}) has no year; assumed ${year} (give --published to say)`);
  return done(day);
}
