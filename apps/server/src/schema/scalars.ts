import { badInput } from '@chancery/domain/errors';
import { builder } from '../builder.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date, `YYYY-MM-DD`, with no time zone: the day a treaty was signed or a statement made. */
builder.scalarType('Date', {
  description: 'A calendar date in ISO 8601 form, YYYY-MM-DD.',
  serialize: (value) => String(value),
  parseValue: (value) => parseDate(value),
});

/** An instant, always serialised in UTC ISO 8601 with milliseconds. */
builder.scalarType('DateTime', {
  description: 'An instant in ISO 8601 form with a time zone, e.g. 2024-10-24T09:30:00.000Z.',
  serialize: (value) => new Date(value as string | Date).toISOString(),
  parseValue: (value) => parseDateTime(value),
});

function parseDate(value: unknown): string {
  if (typeof value === 'string' && DATE.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) return value;
  }
  throw badInput(`Invalid Date ${JSON.stringify(value)}: expected a real calendar date as YYYY-MM-DD.`);
}

function parseDateTime(value: unknown): string {
  if (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
  ) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  throw badInput(
    `Invalid DateTime ${JSON.stringify(value)}: expected ISO 8601 with a time zone, e.g. 2024-10-24T09:30:00Z.`,
  );
}
