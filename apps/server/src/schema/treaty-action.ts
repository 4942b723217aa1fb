import { deleteNode } from '@chancery/db/repositories/lifecycle';
import { createTreatyAction, updateTreatyAction } from '@chancery/db/repositories/treaty-actions';
import { parseCommand } from '@chancery/domain/inputs/common';
import { deleteCommand } from '@chancery/domain/inputs/lifecycle';
import { createTreatyActionCommand, updateTreatyActionCommand } from '@chancery/domain/inputs/treaty-action';
import { requireWriter } from '../auth.ts';
import { builder } from '../builder.ts';
import { visibleArticle } from '../visibility.ts';
import { TreatyActionType } from './enums.ts';
import { mutationResult } from './mutation.ts';
import { SourceSpan, SourceSpanInput } from './source-span.ts';

export const TreatyAction = builder.drizzleNode('treatyActions', {
  name: 'TreatyAction',
  description: 'An event in a treaty’s life: signature, submission for ratification, entry into force…',
  id: { column: (action) => action.id },
  fields: (t) => ({
    treaty: t.relation('treaty'),
    type: t.expose('type', { type: TreatyActionType }),
    date: t.expose('date', { type: 'Date', nullable: true }),
    actor: t.relation('actor', { nullable: true, description: 'Who acted: Vladimir Putin.' }),
    body: t.relation('body', { nullable: true, description: 'Where it happened: the State Duma.' }),
    place: t.exposeString('place', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    source: t.field({
      type: SourceSpan,
      nullable: true,
      description: 'The story that reports the action, where there is one.',
      select: (_args, ctx, nestedSelection) => ({
        columns: { sourceParagraph: true, sourceStart: true, sourceEnd: true, sourceText: true },
        with: {
          // A draft story's span stays hidden from readers, like the story itself.
          sourceArticle: nestedSelection({ where: { RAW: visibleArticle(ctx) } }, ['article']),
          sourceParagraphRow: { columns: { text: true } },
        },
      }),
      resolve: (action) =>
        action.sourceArticle && action.sourceParagraphRow
          ? {
              article: action.sourceArticle,
              paragraph: action.sourceParagraph as number,
              start: action.sourceStart as number,
              end: action.sourceEnd as number,
              text: action.sourceText as string,
              paragraphText: action.sourceParagraphRow.text,
            }
          : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    version: t.exposeInt('version'),
  }),
});

// Writing a treaty's timeline. Every change recomputes the treaty's status from its live actions.

const CreateTreatyActionInput = builder.inputType('CreateTreatyActionInput', {
  fields: (t) => ({
    treatyId: t.id({ required: true }),
    type: t.field({ type: TreatyActionType, required: true }),
    date: t.field({ type: 'Date' }),
    actorId: t.id({ description: 'Who acted.' }),
    bodyId: t.id({ description: 'The state or organization where it happened.' }),
    place: t.string(),
    description: t.string(),
    source: t.field({ type: SourceSpanInput, description: 'The words of a story that report the action.' }),
  }),
});

const UpdateTreatyActionInput = builder.inputType('UpdateTreatyActionInput', {
  description:
    'The fields to change; a field left out keeps its value, null clears an optional one. An action stays ' +
    'with its treaty.',
  fields: (t) => ({
    type: t.field({ type: TreatyActionType }),
    date: t.field({ type: 'Date' }),
    actorId: t.id(),
    bodyId: t.id(),
    place: t.string(),
    description: t.string(),
    source: t.field({ type: SourceSpanInput }),
  }),
});

const TreatyActionPayload = builder
  .objectRef<{ id: string; changed?: boolean }>('TreatyActionPayload')
  .implement({
    fields: (t) => ({
      action: t.drizzleField({
        type: TreatyAction,
        description:
          'The action as it is after the change (deleted ones included); its treaty shows the new status.',
        resolve: async (query, payload, _args, ctx) =>
          (await ctx.db.query.treatyActions.findFirst(query({ where: { id: payload.id } }))) as never,
      }),
      changed: t.boolean({
        description: 'False when the update would change nothing: no new version was made.',
        resolve: (payload) => payload.changed ?? true,
      }),
    }),
  });

builder.mutationFields((t) => ({
  createTreatyAction: t.field({
    type: TreatyActionPayload,
    args: { input: t.arg({ type: CreateTreatyActionInput, required: true }) },
    errors: mutationResult('CreateTreatyAction'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return createTreatyAction(writer, parseCommand(createTreatyActionCommand, args));
    },
  }),
  updateTreatyAction: t.field({
    type: TreatyActionPayload,
    args: {
      id: t.arg.id({ required: true }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      input: t.arg({ type: UpdateTreatyActionInput, required: true }),
    },
    errors: mutationResult('UpdateTreatyAction'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return updateTreatyAction(writer, parseCommand(updateTreatyActionCommand, args));
    },
  }),
  deleteTreatyAction: t.field({
    type: TreatyActionPayload,
    description: 'Deletes an action (restorable); the treaty’s status follows.',
    args: { id: t.arg.id({ required: true }), expectedVersion: t.arg.int({ required: true }) },
    errors: mutationResult('DeleteTreatyAction'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return deleteNode(writer, 'TreatyAction', parseCommand(deleteCommand('TreatyAction'), args));
    },
  }),
}));
