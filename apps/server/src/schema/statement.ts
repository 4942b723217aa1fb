import { deleteNode } from '@chancery/db/repositories/lifecycle';
import { createStatement, updateStatement } from '@chancery/db/repositories/statements';
import { statementProvisions, statements, statementTreaties } from '@chancery/db/schema';
import { badInput } from '@chancery/domain/errors';
import { parseCommand } from '@chancery/domain/inputs/common';
import { deleteCommand } from '@chancery/domain/inputs/lifecycle';
import { createStatementCommand, updateStatementCommand } from '@chancery/domain/inputs/statement';
import { and, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import { requireWriter } from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { parseNodeId } from '../global-id.ts';
import { visibleStatement } from '../visibility.ts';
import { asOfArgument, findAsOf } from './as-of.ts';
import { countRows, orderingEnum } from './connection.ts';
import { AttributionMethod, StatementKind } from './enums.ts';
import { mutationResult } from './mutation.ts';
import { SourceSpan, SourceSpanInput, TextSpanInput } from './source-span.ts';

export const Statement = builder.drizzleNode('statements', {
  name: 'Statement',
  // Load only the columns the selected fields need (not the search vectors).
  select: {},
  description: 'What someone said, traced to the exact words of a paragraph of a story.',
  id: { column: (statement) => statement.id },
  fields: (t) => ({
    text: t.exposeString('text', { description: 'The exact words, as they stand in the source paragraph.' }),
    kind: t.expose('kind', { type: StatementKind }),
    speaker: t.relation('speaker', { nullable: true, description: 'Null when the story does not say who.' }),
    speakerRole: t.exposeString('speakerRole', {
      nullable: true,
      description: 'The speaker as the story describes them, e.g. "Russian Deputy Foreign Minister".',
    }),
    cue: t.exposeString('cue', { nullable: true, description: 'The reporting verb: "said", "added".' }),
    saidOn: t.expose('saidOn', { type: 'Date' }),
    occasion: t.exposeString('occasion', { nullable: true }),
    source: t.field({
      type: SourceSpan,
      // The whole paragraph is loaded only when the document asks for it: most reads want the
      // span and its article, and the paragraph would add a join and its text to every row.
      select: (_args, _ctx, nestedSelection) => ({
        columns: { paragraph: true, start: true, end: true, text: true },
        with: {
          article: nestedSelection({}, ['article']),
          sourceParagraphRow: nestedSelection.selectedField(['paragraphText'])
            ? { columns: { text: true } }
            : undefined,
        },
      }),
      resolve: (statement) => ({
        article: statement.article,
        paragraph: statement.paragraph,
        start: statement.start,
        end: statement.end,
        text: statement.text,
        paragraphText: statement.sourceParagraphRow?.text,
      }),
    }),
    about: t.relation('about', {
      description: 'Treaties the statement is about (including those of its provisions).',
      query: { where: { deletedAt: { isNull: true } }, orderBy: { title: 'asc' } },
    }),
    provisions: t.relation('provisions', {
      description: 'Treaty provisions the statement is about.',
      query: { where: { deletedAt: { isNull: true } }, orderBy: { position: 'asc' } },
    }),
    attribution: t.field({
      type: Attribution,
      select: { columns: { attributionMethod: true, attributionConfidence: true } },
      resolve: (s) => ({ method: s.attributionMethod, confidence: s.attributionConfidence }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    version: t.exposeInt('version'),
  }),
});

const Attribution = builder
  .objectRef<{ method: 'MANUAL' | 'RULES'; confidence: number }>('Attribution')
  .implement({
    description:
      'How the speaker was attributed: by an editor, or by the importer’s rules with a confidence.',
    fields: (t) => ({
      method: t.expose('method', { type: AttributionMethod }),
      confidence: t.exposeFloat('confidence', { description: 'From 0 to 1; 1 for MANUAL.' }),
    }),
  });

const StatementOrder = orderingEnum(
  'StatementOrder',
  {
    SAID_ON_DESC: { saidOn: 'desc' },
    SAID_ON_ASC: { saidOn: 'asc' },
    READING_ORDER: { articleId: 'asc', paragraph: 'asc', start: 'asc' },
    // The review queue: the attributions the rules were least sure of first.
    CONFIDENCE_ASC: { attributionConfidence: 'asc', articleId: 'asc', paragraph: 'asc', start: 'asc' },
  },
  {
    default: 'SAID_ON_DESC',
    description: 'How to order statements. READING_ORDER follows each article from top to bottom.',
  },
);

const StatementFilter = builder.inputType('StatementFilter', {
  fields: (t) => ({
    speakerId: t.id(),
    treatyId: t.id({ description: 'Statements about the treaty or any of its provisions.' }),
    provisionId: t.id(),
    articleId: t.id(),
    kind: t.field({ type: StatementKind }),
    saidFrom: t.field({ type: 'Date', description: 'On or after this date.' }),
    saidTo: t.field({ type: 'Date', description: 'On or before this date.' }),
    attributionMethod: t.field({
      type: AttributionMethod,
      description: 'RULES: attributed by the importer and not yet reviewed; MANUAL: by an editor.',
    }),
    maxConfidence: t.float({ description: 'Attribution confidence at most this (0 to 1).' }),
  }),
});

type StatementFilterInput = {
  speakerId?: string | null;
  treatyId?: string | null;
  provisionId?: string | null;
  articleId?: string | null;
  kind?: 'DIRECT' | 'INDIRECT' | null;
  saidFrom?: string | null;
  saidTo?: string | null;
  attributionMethod?: 'MANUAL' | 'RULES' | null;
  maxConfidence?: number | null;
};

export function statementCondition(ctx: Context, filter: StatementFilterInput | null | undefined) {
  const f = filter ?? {};
  if (f.saidFrom && f.saidTo && f.saidFrom > f.saidTo) {
    throw badInput('filter.saidFrom must be on or before filter.saidTo.');
  }
  if (f.maxConfidence != null && !(f.maxConfidence >= 0 && f.maxConfidence <= 1)) {
    throw badInput(`filter.maxConfidence must be from 0 to 1; it was ${f.maxConfidence}.`);
  }
  const speakerId = f.speakerId != null ? parseNodeId(f.speakerId, 'Actor') : null;
  const treatyId = f.treatyId != null ? parseNodeId(f.treatyId, 'Treaty') : null;
  const provisionId = f.provisionId != null ? parseNodeId(f.provisionId, 'TreatyProvision') : null;
  const articleId = f.articleId != null ? parseNodeId(f.articleId, 'Article') : null;
  const visible = visibleStatement(ctx);
  return (table: typeof statements): SQL =>
    and(
      visible(table),
      speakerId ? eq(table.speakerId, speakerId) : undefined,
      articleId ? eq(table.articleId, articleId) : undefined,
      f.kind ? eq(table.kind, f.kind) : undefined,
      f.attributionMethod ? eq(table.attributionMethod, f.attributionMethod) : undefined,
      f.maxConfidence != null ? lte(table.attributionConfidence, f.maxConfidence) : undefined,
      f.saidFrom ? gte(table.saidOn, f.saidFrom) : undefined,
      f.saidTo ? lte(table.saidOn, f.saidTo) : undefined,
      treatyId
        ? inArray(
            table.id,
            ctx.db
              .select({ id: statementTreaties.statementId })
              .from(statementTreaties)
              .where(eq(statementTreaties.treatyId, treatyId)),
          )
        : undefined,
      provisionId
        ? inArray(
            table.id,
            ctx.db
              .select({ id: statementProvisions.statementId })
              .from(statementProvisions)
              .where(eq(statementProvisions.provisionId, provisionId)),
          )
        : undefined,
    ) as SQL;
}

builder.queryFields((t) => ({
  statement: t.drizzleField({
    type: Statement,
    nullable: true,
    args: { id: t.arg.id({ required: true }), asOf: t.arg({ type: 'DateTime', ...asOfArgument }) },
    resolve: (query, _root, args, ctx) =>
      args.asOf
        ? findAsOf(ctx, 'Statement', { id: args.id }, args.asOf, (id) =>
            ctx.db.query.statements.findFirst(query({ where: { id } })),
          )
        : ctx.db.query.statements
            .findFirst(
              query({ where: { id: parseNodeId(args.id, 'Statement'), RAW: visibleStatement(ctx) } }),
            )
            .then((row) => row ?? null),
  }),
  statements: t.drizzleConnection({
    type: 'statements',
    args: { filter: t.arg({ type: StatementFilter }), orderBy: t.arg({ type: StatementOrder.ref }) },
    totalCount: (_root, args, ctx) =>
      countRows(ctx.db, statements, statementCondition(ctx, args.filter)(statements)),
    resolve: (query, _root, args, ctx) =>
      ctx.db.query.statements.findMany(
        query({
          where: { RAW: statementCondition(ctx, args.filter) },
          orderBy: StatementOrder.orderBy(args.orderBy),
        }),
      ),
  }),
}));

// Writing statements. A statement's text is the words its source span points at, checked against
// the paragraph on every write.

const AttributionInput = builder.inputType('AttributionInput', {
  fields: (t) => ({
    method: t.field({ type: AttributionMethod, required: true }),
    confidence: t.float({ description: 'From 0 to 1: required for RULES, 1 (or left out) for MANUAL.' }),
  }),
});

/** What a statement is, apart from where it stands; shared by the create and the nested inputs. */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
const statementFields = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
  kind: t.field({ type: StatementKind, required: true }),
  speakerId: t.id({ description: 'Left out when the story does not say who.' }),
  speakerRole: t.string({
    description: 'As the story describes the speaker, e.g. "Russian Deputy Foreign Minister".',
  }),
  cue: t.string({ description: 'The reporting verb: "said", "added".' }),
  saidOn: t.field({ type: 'Date', description: 'Defaults to the day the article was published.' }),
  occasion: t.string(),
  treatyIds: t.idList({
    description: 'Treaties the statement is about; the treaties of provisionIds are added.',
  }),
  provisionIds: t.idList({ description: 'Treaty provisions the statement is about.' }),
  attribution: t.field({ type: AttributionInput, description: 'Default: MANUAL, confidence 1.' }),
});

export const ArticleStatementInput = builder.inputType('ArticleStatementInput', {
  description: 'A statement written with its article; its span is in that article.',
  fields: (t) => ({ source: t.field({ type: TextSpanInput, required: true }), ...statementFields(t) }),
});

const CreateStatementInput = builder.inputType('CreateStatementInput', {
  fields: (t) => ({ source: t.field({ type: SourceSpanInput, required: true }), ...statementFields(t) }),
});

const UpdateStatementInput = builder.inputType('UpdateStatementInput', {
  description:
    'The fields to change; a field left out keeps its value, null clears an optional one. Lists replace.',
  fields: (t) => ({
    source: t.field({
      type: SourceSpanInput,
      description: 'New words: the span and its text change together.',
    }),
    kind: t.field({ type: StatementKind }),
    speakerId: t.id(),
    speakerRole: t.string(),
    cue: t.string(),
    saidOn: t.field({ type: 'Date' }),
    occasion: t.string(),
    treatyIds: t.idList({
      description:
        'Left out while provisionIds change: the treaties named outright stay, those of removed provisions go.',
    }),
    provisionIds: t.idList(),
    attribution: t.field({ type: AttributionInput }),
  }),
});

const StatementPayload = builder.objectRef<{ id: string; changed?: boolean }>('StatementPayload').implement({
  fields: (t) => ({
    statement: t.drizzleField({
      type: Statement,
      description: 'The statement as it is after the change (deleted ones included).',
      resolve: async (query, payload, _args, ctx) =>
        (await ctx.db.query.statements.findFirst(query({ where: { id: payload.id } }))) as never,
    }),
    changed: t.boolean({
      description: 'False when the update would change nothing: no new version was made.',
      resolve: (payload) => payload.changed ?? true,
    }),
  }),
});

builder.mutationFields((t) => ({
  createStatement: t.field({
    type: StatementPayload,
    args: { input: t.arg({ type: CreateStatementInput, required: true }) },
    errors: mutationResult('CreateStatement'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return createStatement(writer, parseCommand(createStatementCommand, args));
    },
  }),
  updateStatement: t.field({
    type: StatementPayload,
    args: {
      id: t.arg.id({ required: true }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      input: t.arg({ type: UpdateStatementInput, required: true }),
    },
    errors: mutationResult('UpdateStatement'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return updateStatement(writer, parseCommand(updateStatementCommand, args));
    },
  }),
  deleteStatement: t.field({
    type: StatementPayload,
    description: 'Deletes a statement (restorable).',
    args: { id: t.arg.id({ required: true }), expectedVersion: t.arg.int({ required: true }) },
    errors: mutationResult('DeleteStatement'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return deleteNode(writer, 'Statement', parseCommand(deleteCommand('Statement'), args));
    },
  }),
}));
