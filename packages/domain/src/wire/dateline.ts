// Datelines open the first paragraph: `MOSCOW, October 24. /TASS/. `, `GENEVA, March 3 (ARNA) — `,
// `BRESK, 14 May (KTA) - `, `Feb. 2 /ARNA/ --`, with or without a weekday or a year. The parser reads
// it piece by piece (place, weekday, date, year, agency, separator) so each piece stays optional.
import type { Dateline } from './types.ts';

const MONTH_FORMS: ReadonlyMap<string, number> = new Map(
  [
    ['january', 'jan'],
    ['february', 'feb'],
    ['march', 'mar'],
    ['april', 'apr'],
    ['may', 'may'],
    ['june', 'jun'],
    ['july', 'jul'],
    ['august', 'aug'],
    ['september', 'sep', 'sept'],
    ['october', 'oct'],
    ['november', 'nov'],
    ['december', 'dec'],
  ].flatMap((forms, index) => forms.map((form) => [form, index + 1] as const)),
);

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// A place is upper-case ("UNITED NATIONS") or capitalised words ("Geneva"), then a comma.
const PLACE = /^([\p{Lu}][\p{L}\p{M}.'’-]*(?:[ -][\p{Lu}][\p{L}\p{M}.'’-]*){0,4}),\s*/u;
const WEEKDAY = /^((?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|nesday|sday|urday|rsday)?)\.?,?\s+/i;
const MONTH_DAY = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b/;
const DAY_MONTH = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\b\.?/;
const YEAR = /^,?\s*(\d{4})\b/;
const AGENCY = /^[.,]?\s*(?:\/([^/\n]{1,60})\/|\(([^()\n]{1,60})\))/;
const SEPARATOR = /^\s*(--|—|–|-|\.|:)?[ \t]*/;

const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function monthNumber(word: string): number | null {
  return MONTH_FORMS.get(word.toLowerCase()) ?? null;
}

function isValidDay(month: number, day: number): boolean {
  return day >= 1 && day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}

type DatePart = { month: number; day: number; length: number };

function readDate(text: string): DatePart | null {
  const md = MONTH_DAY.exec(text);
  if (md) {
    const month = monthNumber(md[1] ?? '');
    const day = Number(md[2]);
    if (month !== null && isValidDay(month, day)) return { month, day, length: md[0].length };
  }
  const dm = DAY_MONTH.exec(text);
  if (dm) {
    const month = monthNumber(dm[2] ?? '');
    const day = Number(dm[1]);
    if (month !== null && isValidDay(month, day)) return { month, day, length: dm[0].length };
  }
  return null;
}

function readWeekday(text: string): { weekday: string; length: number } | null {
  const match = WEEKDAY.exec(text);
  if (!match) return null;
  const weekday = match[1] ?? '';
  if (!WEEKDAY_NAMES.includes(weekday.slice(0, 3).toLowerCase())) return null;
  return { weekday, length: match[0].length };
}

/**
 * Reads the dateline at the start of paragraph 0, or returns null when the paragraph has none.
 * A date alone is not enough: an agency or an explicit separator must follow it, so a sentence
 * that merely starts with "May 5 …" is not taken for a dateline.
 */
export function parseDateline(paragraph: string): Dateline | null {
  let rest = paragraph.slice(0, 300);
  let consumed = 0;
  const advance = (length: number) => {
    consumed += length;
    rest = rest.slice(length);
  };

  let place: string | null = null;
  const placeMatch = PLACE.exec(rest);
  if (placeMatch && readDateAfterWeekday(rest.slice(placeMatch[0].length))) {
    place = placeMatch[1] ?? null;
    advance(placeMatch[0].length);
  }

  const weekday = readWeekday(rest);
  if (weekday) advance(weekday.length);

  const date = readDate(rest);
  if (!date) return null;
  advance(date.length);

  let year: number | undefined;
  const yearMatch = YEAR.exec(rest);
  if (yearMatch) {
    year = Number(yearMatch[1]);
    advance(yearMatch[0].length);
  }

  let agency: string | null = null;
  const agencyMatch = AGENCY.exec(rest);
  if (agencyMatch) {
    agency = (agencyMatch[1] ?? agencyMatch[2] ?? '').trim() || null;
    advance(agencyMatch[0].length);
  }

  const separator = SEPARATOR.exec(rest);
  const hasSeparator = Boolean(separator?.[1]);
  if (!agency && !hasSeparator) return null;
  advance(separator?.[0].length ?? 0);

  const text = paragraph.slice(0, consumed);
  const dateline: Dateline = { place, month: date.month, day: date.day, agency, text, end: consumed };
  if (weekday) dateline.weekday = weekday.weekday;
  if (year !== undefined) dateline.year = year;
  return dateline;
}

function readDateAfterWeekday(text: string): boolean {
  const weekday = readWeekday(text);
  return readDate(weekday ? text.slice(weekday.length) : text) !== null;
}
