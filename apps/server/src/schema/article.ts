import { createArticle, transitionArticle, updateArticle } from '@chancery/db/repositories/articles';
import { deleteNode } from '@chancery/db/repositories/lifecycle';
import { articleActors, articles, articleTreaties } from '@chancery/db/schema';
import { badInput } from '@chancery/domain/errors';
import {
  articleTransitionCommand,
  createArticleCommand,
  updateArticleCommand,
} from '@chancery/domain/inputs/article';
import { parseCommand } from '@chancery/domain/inputs/common';
import { deleteCommand } from '@chancery/domain/inputs/lifecycle';
import { and, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import { requireWriter } from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { parseNodeId } from '../global-id.ts';
import { live, visibleArticle, visibleStatement } from '../visibility.ts';
import { asOfArgument, findAsOf } from './as-of.ts';
import { countRows, orderingEnum } from './connection.ts';
import { ArticleStatus } from './enums.ts';
import { findOneBySlugOrId } from './lookup.ts';
import { mutationResult } from './mutation.ts';
import { TextSpan, TextSpanInput } from './source-span.ts';
import { ArticleStatementInput } from './statement.ts';

export const Article = builder.drizzleNode('articles', {
  name: 'Article',
  // Load only the columns the selected fields need (not the search vectors).
  select: {},
  description: 'A news story, paragraph by paragraph, with what it mentions and the statements in it.',
  id: { column: (article) => article.id },
  fields: (t) => ({
    headline: t.exposeString('headline'),
    standfirst: t.exposeString('standfirst', { nullable: true }),
    slug: t.exposeString('slug'),
    dateline: t.field({
      type: Dateline,
      nullable: true,
      select: { columns: { datelinePlace: true, datelineText: true } },
      resolve: (a) => (a.datelineText ? { place: a.datelinePlace, text: a.datelineText } : null),
    }),
    publisher: t.relation('publisher', { nullable: true, description: 'The agency or outlet: TASS.' }),
    byline: t.exposeString('byline', { nullable: true }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime' }),
    language: t.exposeString('language', { description: 'BCP 47 language tag, e.g. en.' }),
    url: t.exposeString('url', { nullable: true }),
    status: t.expose('status', { type: ArticleStatus }),
    paragraphs: t.relation('paragraphs', { query: { orderBy: { index: 'asc' } } }),
    mentions: t.relation('mentions', {
      description: 'Spans that name an actor, a treaty or a provision, in reading order.',
      // The id breaks ties, so the order is the same on every read (compiled-reads/read-model.ts too).
      query: { orderBy: { paragraph: 'asc', start: 'asc', id: 'asc' } },
    }),
    treaties: t.relation('treaties', {
      description: 'Treaties the article mentions.',
      query: { where: { RAW: live }, orderBy: { title: 'asc' } },
    }),
    statements: t.relatedConnection('statements', {
      description: 'Statements in the article, in reading order.',
      totalCount: true,
      query: (_args, ctx) => ({
        where: { RAW: visibleStatement(ctx) },
        orderBy: { paragraph: 'asc', start: 'asc' },
      }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    version: t.exposeInt('version'),
  }),
});

const Dateline = builder.objectRef<{ place: string | null; text: string }>('Dateline').implement({
  description: 'The dateline as printed at the head of the first paragraph.',
  fields: (t) => ({
    place: t.exposeString('place', { nullable: true, description: 'As printed: MOSCOW.' }),
    text: t.exposeString('text', { description: 'The whole dateline: "MOSCOW, October 24. /TASS/. ".' }),
  }),
});

builder.drizzleObject('articleParagraphs', {
  name: 'Paragraph',
  select: {},
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position in the article, from 0.' }),
    text: t.exposeString('text'),
  }),
});

builder.drizzleObject('articleMentions', {
  name: 'Mention',
  description: 'A span of the article naming exactly one of an actor, a treaty or a provision.',
  fields: (t) => ({
    actor: t.relation('actor', { nullable: true }),
    treaty: t.relation('treaty', { nullable: true }),
    provision: t.relation('provision', { nullable: true }),
    span: t.field({
      type: TextSpan,
      select: { columns: { paragraph: true, start: true, end: true, text: true } },
      resolve: (m) => ({ paragraph: m.paragraph, start: m.start, end: m.end, text: m.text }),
    }),
  }),
});

const ArticleOrder = orderingEnum(
  'ArticleOrder',
  {
    PUBLISHED_AT_DESC: { publishedAt: 'desc' },
    PUBLISHED_AT_ASC: { publishedAt: 'asc' },
  },
  { default: 'PUBLISHED_AT_DESC', description: 'How to order articles.' },
);

const ArticleFilter = builder.inputType('ArticleFilter', {
  fields: (t) => ({
    publisherId: t.id(),
    mentionsActorId: t.id(),
    treatyId: t.id({ description: 'Articles that mention the treaty.' }),
    publishedFrom: t.field({ type: 'DateTime', description: 'Published at or after this instant.' }),
    publishedTo: t.field({ type: 'DateTime', description: 'Published at or before this instant.' }),
    status: t.field({ type: ArticleStatus, description: 'Only editors see DRAFT and WITHDRAWN articles.' }),
  }),
});

type ArticleFilterInput = {
  publisherId?: string | null;
  mentionsActorId?: string | null;
  treatyId?: string | null;
  publishedFrom?: string | null;
  publishedTo?: string | null;
  status?: 'DRAFT' | 'PUBLISHED' | 'WITHDRAWN' | null;
};

export function articleCondition(ctx: Context, filter: ArticleFilterInput | null | undefined) {
  const f = filter ?? {};
  if (f.publishedFrom && f.publishedTo && f.publishedFrom > f.publishedTo) {
    throw badInput('filter.publishedFrom must be at or before filter.publishedTo.');
  }
  const publisherId = f.publisherId != null ? parseNodeId(f.publisherId, 'Actor') : null;
  const actorId = f.mentionsActorId != null ? parseNodeId(f.mentionsActorId, 'Actor') : null;
  const treatyId = f.treatyId != null ? parseNodeId(f.treatyId, 'Treaty') : null;
  const visible = visibleArticle(ctx);
  return (table: typeof articles): SQL =>
    and(
      visible(table),
      publisherId ? eq(table.publisherId, publisherId) : undefined,
      f.status ? eq(table.status, f.status) : undefined,
      f.publishedFrom ? gte(table.publishedAt, f.publishedFrom) : undefined,
      f.publishedTo ? lte(table.publishedAt, f.publishedTo) : undefined,
      actorId
        ? inArray(
            table.id,
            ctx.db
              .select({ id: articleActors.articleId })
              .from(articleActors)
              .where(eq(articleActors.actorId, actorId)),
          )
        : undefined,
      treatyId
        ? inArray(
            table.id,
            ctx.db
              .select({ id: articleTreaties.articleId })
              .from(articleTreaties)
              .where(eq(articleTreaties.treatyId, treatyId)),
          )
        : undefined,
    ) as SQL;
}

builder.queryFields((t) => ({
  article: t.drizzleField({
    type: Article,
    nullable: true,
    description: 'One article, by `id` or by `slug` (exactly one of them).',
    args: { id: t.arg.id(), slug: t.arg.string(), asOf: t.arg({ type: 'DateTime', ...asOfArgument }) },
    resolve: (query, _root, args, ctx) =>
      args.asOf
        ? findAsOf(ctx, 'Article', args, args.asOf, (id) =>
            ctx.db.query.articles.findFirst(query({ where: { id } })),
          )
        : findOneBySlugOrId(args, 'Article', (where) =>
            ctx.db.query.articles.findFirst(query({ where: { ...where, RAW: visibleArticle(ctx) } })),
          ),
  }),
  articles: t.drizzleConnection({
    type: 'articles',
    args: { filter: t.arg({ type: ArticleFilter }), orderBy: t.arg({ type: ArticleOrder.ref }) },
    totalCount: (_root, args, ctx) =>
      countRows(ctx.db, articles, articleCondition(ctx, args.filter)(articles)),
    resolve: (query, _root, args, ctx) =>
      ctx.db.query.articles.findMany(
        query({
          where: { RAW: articleCondition(ctx, args.filter) },
          orderBy: ArticleOrder.orderBy(args.orderBy),
        }),
      ),
  }),
}));

// Writing articles. An article is created as a DRAFT, whole (paragraphs, mentions, statements) or
// not at all; publishArticle, unpublishArticle and withdrawArticle move it between states.

const DatelineInput = builder.inputType('DatelineInput', {
  fields: (t) => ({
    place: t.string({ description: 'As printed: MOSCOW.' }),
    text: t.string({
      required: true,
      description: 'As printed at the head of paragraph 0: "MOSCOW, October 24. /TASS/. ".',
    }),
  }),
});

const MentionInput = builder.inputType('MentionInput', {
  description: 'A span naming exactly one of an actor, a treaty or a provision.',
  fields: (t) => ({
    span: t.field({ type: TextSpanInput, required: true }),
    actorId: t.id(),
    treatyId: t.id(),
    provisionId: t.id(),
  }),
});

const CreateArticleInput = builder.inputType('CreateArticleInput', {
  fields: (t) => ({
    headline: t.string({ required: true }),
    slug: t.string({ description: 'Made from the headline when left out.' }),
    standfirst: t.string(),
    dateline: t.field({ type: DatelineInput }),
    publisherId: t.id(),
    byline: t.string(),
    publishedAt: t.field({
      type: 'DateTime',
      description: 'When the source published it; now when left out.',
    }),
    language: t.string({ description: 'BCP 47; en when left out.' }),
    url: t.string(),
    paragraphs: t.stringList({
      required: true,
      description: 'The text, one paragraph an item, exactly as printed.',
    }),
    mentions: t.field({ type: [MentionInput] }),
    statements: t.field({ type: [ArticleStatementInput] }),
  }),
});

const UpdateArticleInput = builder.inputType('UpdateArticleInput', {
  description:
    'The fields to change; a field left out keeps its value, null clears an optional one. Lists replace. ' +
    'New paragraphs are refused when a statement’s, a mention’s or a treaty action’s span would no longer match.',
  fields: (t) => ({
    headline: t.string(),
    slug: t.string(),
    standfirst: t.string(),
    dateline: t.field({ type: DatelineInput }),
    publisherId: t.id(),
    byline: t.string(),
    publishedAt: t.field({ type: 'DateTime' }),
    language: t.string(),
    url: t.string(),
    paragraphs: t.stringList(),
    mentions: t.field({ type: [MentionInput] }),
  }),
});

const ArticlePayload = builder.objectRef<{ id: string; changed?: boolean }>('ArticlePayload').implement({
  fields: (t) => ({
    article: t.drizzleField({
      type: Article,
      description: 'The article as it is after the change (drafts and deleted ones included).',
      resolve: async (query, payload, _args, ctx) =>
        (await ctx.db.query.articles.findFirst(query({ where: { id: payload.id } }))) as never,
    }),
    changed: t.boolean({
      description: 'False when the update would change nothing: no new version was made.',
      resolve: (payload) => payload.changed ?? true,
    }),
  }),
});

const transition = (name: string, verb: 'publish' | 'unpublish' | 'withdraw', description: string) =>
  builder.mutationField(name, (t) =>
    t.field({
      type: ArticlePayload,
      description,
      args: {
        id: t.arg.id({ required: true }),
        expectedVersion: t.arg.int({ required: true, description: 'The version you reviewed.' }),
      },
      errors: mutationResult(name.charAt(0).toUpperCase() + name.slice(1)),
      resolve: (_root, args, ctx) => {
        const writer = requireWriter(ctx);
        return transitionArticle(writer, parseCommand(articleTransitionCommand, args), verb);
      },
    }),
  );

transition(
  'publishArticle',
  'publish',
  'Publishes a DRAFT (or a WITHDRAWN) article: readers see it and its statements.',
);
transition(
  'unpublishArticle',
  'unpublish',
  'Takes a PUBLISHED article back to DRAFT: hidden from readers again.',
);
transition(
  'withdrawArticle',
  'withdraw',
  'Withdraws a PUBLISHED article (retracted, kept for the record): hidden from readers.',
);

builder.mutationFields((t) => ({
  createArticle: t.field({
    type: ArticlePayload,
    args: { input: t.arg({ type: CreateArticleInput, required: true }) },
    errors: mutationResult('CreateArticle'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return createArticle(writer, parseCommand(createArticleCommand, args));
    },
  }),
  updateArticle: t.field({
    type: ArticlePayload,
    args: {
      id: t.arg.id({ required: true }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      input: t.arg({ type: UpdateArticleInput, required: true }),
    },
    errors: mutationResult('UpdateArticle'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return updateArticle(writer, parseCommand(updateArticleCommand, args));
    },
  }),
  deleteArticle: t.field({
    type: ArticlePayload,
    description: 'Deletes an article (restorable); its statements disappear with it from every read.',
    args: { id: t.arg.id({ required: true }), expectedVersion: t.arg.int({ required: true }) },
    errors: mutationResult('DeleteArticle'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return deleteNode(writer, 'Article', parseCommand(deleteCommand('Article'), args));
    },
  }),
}));
