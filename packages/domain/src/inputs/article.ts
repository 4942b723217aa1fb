import { z } from 'zod';
import {
  exactText,
  expectedVersion,
  instant,
  nodeId,
  optionalText,
  requiredText,
  slug,
  textSpan,
  unchangedOr,
} from './common.ts';
import { articleStatement } from './statement.ts';

const language = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag, e.g. en or pt-BR');

const url = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be an absolute http or https URL');

const dateline = z.object({
  place: optionalText(100),
  /** As printed at the head of paragraph 0, e.g. "MOSCOW, October 24. /TASS/. ". */
  text: exactText(300),
});

const paragraphs = z
  .array(exactText(20_000))
  .min(1, 'must have at least one paragraph')
  .max(1000, 'must have at most 1000 paragraphs');

/** A span of the article naming exactly one actor, treaty or provision. */
export const mention = z
  .object({
    span: textSpan,
    actorId: nodeId('Actor').nullish(),
    treatyId: nodeId('Treaty').nullish(),
    provisionId: nodeId('TreatyProvision').nullish(),
  })
  .superRefine((value, ctx) => {
    const targets = [value.actorId, value.treatyId, value.provisionId].filter((id) => id != null).length;
    if (targets !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `must name exactly one of actorId, treatyId or provisionId; got ${targets}`,
      });
    }
  });
export type MentionInput = z.output<typeof mention>;

const mentions = z.array(mention).max(5000, 'must have at most 5000 mentions');

export const createArticleCommand = z.object({
  input: z.object({
    headline: requiredText(500),
    slug: slug.nullish(),
    standfirst: optionalText(2000),
    dateline: dateline.nullish(),
    publisherId: nodeId('Actor').nullish(),
    byline: optionalText(300),
    /** When the story was published by its source; defaults to now. */
    publishedAt: instant.nullish(),
    language: language.nullish().transform((tag) => tag ?? 'en'),
    url: url.nullish(),
    paragraphs,
    mentions: mentions.nullish().transform((list) => list ?? []),
    statements: z
      .array(articleStatement)
      .max(1000, 'must have at most 1000 statements')
      .nullish()
      .transform((list) => list ?? []),
  }),
});
export type CreateArticleCommand = z.output<typeof createArticleCommand>;

export const updateArticleCommand = z.object({
  id: nodeId('Article'),
  expectedVersion,
  input: z.object({
    headline: unchangedOr(requiredText(500)),
    slug: unchangedOr(slug),
    standfirst: optionalText(2000),
    dateline: dateline.nullish(),
    publisherId: nodeId('Actor').nullish(),
    byline: optionalText(300),
    publishedAt: unchangedOr(instant),
    language: unchangedOr(language),
    url: url.nullish(),
    /** Replaces every paragraph. Refused when a statement's or mention's span would no longer match. */
    paragraphs: unchangedOr(paragraphs),
    /** Replaces every mention. */
    mentions: unchangedOr(mentions),
  }),
});
export type UpdateArticleCommand = z.output<typeof updateArticleCommand>;

/** publishArticle, unpublishArticle, withdrawArticle. */
export const articleTransitionCommand = z.object({ id: nodeId('Article'), expectedVersion });
export type ArticleTransitionCommand = z.output<typeof articleTransitionCommand>;
