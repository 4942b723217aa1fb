import { deleteNode } from '@chancery/db/repositories/lifecycle';
import { createTreatyProvision, updateTreatyProvision } from '@chancery/db/repositories/treaty-provisions';
import { parseCommand } from '@chancery/domain/inputs/common';
import { deleteCommand } from '@chancery/domain/inputs/lifecycle';
import {
  createTreatyProvisionCommand,
  updateTreatyProvisionCommand,
} from '@chancery/domain/inputs/treaty-provision';
import { requireWriter } from '../auth.ts';
import { builder } from '../builder.ts';
import { live, visibleStatement } from '../visibility.ts';
import { mutationResult } from './mutation.ts';

export const TreatyProvision = builder.drizzleNode('treatyProvisions', {
  name: 'TreatyProvision',
  // Load only the columns the selected fields need (not the search vectors).
  select: {},
  description: 'One article (provision) of a treaty, and the provisions it refers to.',
  id: { column: (provision) => provision.id },
  fields: (t) => ({
    treaty: t.relation('treaty'),
    number: t.exposeString('number', { description: 'As printed: "4", "XIX".' }),
    heading: t.exposeString('heading', { nullable: true }),
    text: t.exposeString('text', { nullable: true, description: 'The provision’s wording, where known.' }),
    summary: t.exposeString('summary', { nullable: true }),
    refersTo: t.relation('refersTo', {
      description: 'Provisions this one refers to, in this or another treaty.',
      query: { where: { RAW: live }, orderBy: { position: 'asc' } },
    }),
    referencedBy: t.relation('referencedBy', {
      description: 'Provisions that refer to this one.',
      query: { where: { RAW: live }, orderBy: { position: 'asc' } },
    }),
    statements: t.relatedConnection('statements', {
      description: 'Statements about this provision, newest first.',
      totalCount: true,
      query: (_args, ctx) => ({
        where: { RAW: visibleStatement(ctx) },
        orderBy: { saidOn: 'desc', id: 'desc' },
      }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    version: t.exposeInt('version'),
  }),
});

// Writing provisions.

const CreateTreatyProvisionInput = builder.inputType('CreateTreatyProvisionInput', {
  fields: (t) => ({
    treatyId: t.id({ required: true }),
    number: t.string({ required: true, description: 'As printed: "4", "XIX"; unique within the treaty.' }),
    position: t.int({ description: 'Place in document order; after the last provision when left out.' }),
    heading: t.string(),
    text: t.string(),
    summary: t.string(),
    refersToIds: t.idList({ description: 'Provisions this one refers to, in this or another treaty.' }),
  }),
});

const UpdateTreatyProvisionInput = builder.inputType('UpdateTreatyProvisionInput', {
  description:
    'The fields to change; a field left out keeps its value, null clears an optional one. Lists replace. A ' +
    'provision stays with its treaty.',
  fields: (t) => ({
    number: t.string(),
    position: t.int(),
    heading: t.string(),
    text: t.string(),
    summary: t.string(),
    refersToIds: t.idList(),
  }),
});

const TreatyProvisionPayload = builder
  .objectRef<{ id: string; changed?: boolean }>('TreatyProvisionPayload')
  .implement({
    fields: (t) => ({
      provision: t.drizzleField({
        type: TreatyProvision,
        description: 'The provision as it is after the change (deleted ones included).',
        resolve: async (query, payload, _args, ctx) =>
          (await ctx.db.query.treatyProvisions.findFirst(query({ where: { id: payload.id } }))) as never,
      }),
      changed: t.boolean({
        description: 'False when the update would change nothing: no new version was made.',
        resolve: (payload) => payload.changed ?? true,
      }),
    }),
  });

builder.mutationFields((t) => ({
  createTreatyProvision: t.field({
    type: TreatyProvisionPayload,
    args: { input: t.arg({ type: CreateTreatyProvisionInput, required: true }) },
    errors: mutationResult('CreateTreatyProvision'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return createTreatyProvision(writer, parseCommand(createTreatyProvisionCommand, args));
    },
  }),
  updateTreatyProvision: t.field({
    type: TreatyProvisionPayload,
    args: {
      id: t.arg.id({ required: true }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      input: t.arg({ type: UpdateTreatyProvisionInput, required: true }),
    },
    errors: mutationResult('UpdateTreatyProvision'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return updateTreatyProvision(writer, parseCommand(updateTreatyProvisionCommand, args));
    },
  }),
  deleteTreatyProvision: t.field({
    type: TreatyProvisionPayload,
    description:
      'Deletes a provision (restorable). Refused while live statements or article mentions refer to it.',
    args: { id: t.arg.id({ required: true }), expectedVersion: t.arg.int({ required: true }) },
    errors: mutationResult('DeleteTreatyProvision'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return deleteNode(writer, 'TreatyProvision', parseCommand(deleteCommand('TreatyProvision'), args));
    },
  }),
}));
