// Building blocks of the write inputs. Every mutation's arguments are validated as one object, so
// an error's path starts at the argument it is in: ["input", "roles", "0", "title"].
import { z } from 'zod';
import { decodeGlobalId } from '../global-id.ts';
import type { RevisedNodeType } from '../revisions.ts';
import { REVISED_NODE_TYPES } from '../revisions.ts';
import { SLUG_PATTERN } from '../slug.ts';
import { type FieldError, ValidationError } from '../write-errors.ts';

/** The ID of a node of one type, as the API hands it out; parses to the database id. */
export const nodeId = (typename: RevisedNodeType) =>
  z.string({ error: `must be the ID of a ${typename}` }).transform((value, ctx) => {
    const decoded = decodeGlobalId(value);
    if (!decoded) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value.slice(0, 60))} is not an ID returned by this API; pass the \`id\` of a ${typename}`,
      });
      return z.NEVER;
    }
    if (decoded.typename !== typename) {
      ctx.addIssue({
        code: 'custom',
        message: `is the ID of a ${decoded.typename}; expected the ID of a ${typename}`,
      });
      return z.NEVER;
    }
    return decoded.id;
  });

export type NodeRef = { typename: RevisedNodeType; id: string };

/** The ID of a node of any type that has a history (restore, purge). */
export const anyNodeId = z.string({ error: 'must be the ID of a node' }).transform((value, ctx): NodeRef => {
  const decoded = decodeGlobalId(value);
  if (!decoded || !(REVISED_NODE_TYPES as readonly string[]).includes(decoded.typename)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(value.slice(0, 60))} is not the ID of an actor, treaty, provision, treaty action, article or statement`,
    });
    return z.NEVER;
  }
  return decoded as NodeRef;
});

/** Text that must be there: trimmed, non-empty, bounded. */
export const requiredText = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Text that may be absent: trimmed; empty or null means none; left out stays undefined (unchanged). */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value === undefined ? undefined : value || null));

/** Text kept exactly as given (article paragraphs, quoted words): not trimmed, not empty. */
export const exactText = (max: number) =>
  z
    .string()
    .refine((value) => value.trim().length > 0, 'must not be empty or only spaces')
    .refine((value) => value.length <= max, `must be at most ${max} characters`);

export const slug = z
  .string()
  .trim()
  .max(80, 'must be at most 80 characters')
  .regex(
    SLUG_PATTERN,
    'must be lowercase letters and digits in words joined by single hyphens, e.g. andrey-rudenko',
  );

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const calendarDate = z.string().refine((value) => {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}, 'must be a real calendar date as YYYY-MM-DD');

export const instant = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 instant, e.g. 2024-10-24T09:30:00Z' });
    return z.NEVER;
  }
  return date.toISOString();
});

export const expectedVersion = z
  .number({ error: 'must be the version you read (a whole number from 1)' })
  .int('must be a whole number')
  .min(1, 'must be 1 or more: versions start at 1');

/**
 * A field of an update: absent leaves the value as it is. `null` is refused for fields that
 * cannot be empty (nullable fields take their own `.nullish()` schema instead).
 */
export const unchangedOr = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .superRefine((value, ctx) => {
      if (value === null) {
        ctx.addIssue({ code: 'custom', message: 'cannot be null; leave the field out to keep its value' });
      }
    })
    .transform((value) => value as Exclude<z.output<T>, null>);

/** A list of distinct IDs of one type; a repeated ID is an error at its own index. */
export const idList = (typename: RevisedNodeType, max: number) =>
  z
    .array(nodeId(typename))
    .max(max, `must have at most ${max} items`)
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      ids.forEach((id, index) => {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [index], message: 'is listed twice' });
        seen.add(id);
      });
    });

const spanFields = {
  paragraph: z.number().int('must be a whole number').min(0, 'must be 0 or more: paragraphs count from 0'),
  start: z.number().int('must be a whole number').min(0, 'must be 0 or more').nullish(),
  end: z.number().int('must be a whole number').min(1, 'must be 1 or more').nullish(),
  text: exactText(20_000),
};

function spanRule(span: { start?: number | null; end?: number | null }, ctx: z.RefinementCtx) {
  if ((span.start == null) !== (span.end == null)) {
    ctx.addIssue({
      code: 'custom',
      path: [span.start == null ? 'start' : 'end'],
      message: 'give both start and end, or neither to have the text looked up in the paragraph',
    });
  } else if (span.start != null && span.end != null && span.end <= span.start) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be greater than start' });
  }
}

/** A span of an article paragraph. Without `start` and `end`, the text is looked up in the paragraph. */
export const textSpan = z.object(spanFields).superRefine(spanRule);
export type TextSpanInput = z.output<typeof textSpan>;

/** Where in a story a fact was reported: a span of one paragraph of one article. */
export const sourceSpan = z.object({ articleId: nodeId('Article'), ...spanFields }).superRefine(spanRule);
export type SourceSpanInput = z.output<typeof sourceSpan>;

/**
 * Validates a mutation's arguments. Returns the parsed command, or throws a ValidationError that
 * lists every problem with its path.
 */
export function parseCommand<S extends z.ZodType>(schema: S, args: unknown): z.output<S> {
  // With the input on each issue, a missing value can be told from a wrong one.
  const result = schema.safeParse(args, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(fieldErrorsOf(result.error));
}

export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => String(part)),
    message: messageOf(issue),
  }));
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `must be one of ${issue.values.map(String).join(', ')}`;
  }
  return issue.message;
}
