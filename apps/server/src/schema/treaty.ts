import { deleteNode } from '@chancery/db/repositories/lifecycle';
import { createTreaty, updateTreaty } from '@chancery/db/repositories/treaties';
import { treaties, treatyParties } from '@chancery/db/schema';
import { parseCommand } from '@chancery/domain/inputs/common';
import { deleteCommand } from '@chancery/domain/inputs/lifecycle';
import { createTreatyCommand, updateTreatyCommand } from '@chancery/domain/inputs/treaty';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import { requireWriter } from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { parseNodeId } from '../global-id.ts';
import { live, visibleArticle, visibleStatement } from '../visibility.ts';
import { Actor } from './actor.ts';
import { asOfArgument, findAsOf } from './as-of.ts';
import { countRows, orderingEnum } from './connection.ts';
import { TreatyStatus } from './enums.ts';
import { findOneBySlugOrId } from './lookup.ts';
import { mutationResult } from './mutation.ts';
import { TreatyProvision } from './treaty-provision.ts';

export const Treaty = builder.drizzleNode('treaties', {
  name: 'Treaty',
  // Load only the columns the selected fields need (not the search vectors).
  select: {},
  description: 'A treaty or other international instrument, with its provisions and its timeline.',
  id: { column: (treaty) => treaty.id },
  fields: (t) => ({
    title: t.exposeString('title'),
    shortTitle: t.exposeString('shortTitle', { nullable: true }),
    slug: t.exposeString('slug'),
    status: t.expose('status', { type: TreatyStatus }),
    signedOn: t.expose('signedOn', { type: 'Date', nullable: true }),
    signedPlace: t.exposeString('signedPlace', { nullable: true }),
    entryIntoForceOn: t.expose('entryIntoForceOn', { type: 'Date', nullable: true }),
    parties: t.field({
      type: [Actor],
      description:
        'The parties, in the order the treaty names them; empty for open multilateral instruments.',
      select: (_args, _ctx, nestedSelection) => ({
        with: {
          partyLinks: {
            orderBy: { position: 'asc' },
            with: { actor: nestedSelection({}) },
          },
        },
      }),
      resolve: (treaty) => treaty.partyLinks.map((link) => link.actor),
    }),
    provisions: t.relation('provisions', {
      description: 'Provisions in document order.',
      query: { where: { RAW: live }, orderBy: { position: 'asc' } },
    }),
    provision: t.field({
      type: TreatyProvision,
      nullable: true,
      description: 'One provision by its number as printed: "4", "XIX".',
      args: { number: t.arg.string({ required: true }) },
      select: (args, _ctx, nestedSelection) => ({
        with: {
          provisions: nestedSelection({ where: { number: args.number, RAW: live }, limit: 1 }),
        },
      }),
      resolve: (treaty) => treaty.provisions[0] ?? null,
    }),
    actions: t.relation('actions', {
      description: "The treaty's timeline in date order.",
      // The id breaks ties (actions imported together share createdAt), so every read orders alike.
      query: { where: { RAW: live }, orderBy: { date: 'asc', createdAt: 'asc', id: 'asc' } },
    }),
    statements: t.relatedConnection('statements', {
      description: 'Statements about the treaty or any of its provisions, newest first.',
      totalCount: true,
      query: (_args, ctx) => ({
        where: { RAW: visibleStatement(ctx) },
        orderBy: { saidOn: 'desc', id: 'desc' },
      }),
    }),
    articles: t.relatedConnection('articles', {
      description: 'Articles that mention the treaty, newest first.',
      totalCount: true,
      query: (_args, ctx) => ({
        where: { RAW: visibleArticle(ctx) },
        orderBy: { publishedAt: 'desc' },
      }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    version: t.exposeInt('version'),
  }),
});

const TreatyOrder = orderingEnum(
  'TreatyOrder',
  {
    TITLE_ASC: { title: 'asc' },
    TITLE_DESC: { title: 'desc' },
    CREATED_AT_ASC: { createdAt: 'asc' },
    CREATED_AT_DESC: { createdAt: 'desc' },
  },
  { default: 'TITLE_ASC', description: 'How to order treaties.' },
);

const TreatyFilter = builder.inputType('TreatyFilter', {
  fields: (t) => ({
    partyId: t.id({ description: 'Treaties this actor is a party to.' }),
    status: t.field({ type: TreatyStatus }),
  }),
});

type TreatyFilterInput = { partyId?: string | null; status?: string | null };

function treatyCondition(ctx: Context, filter: TreatyFilterInput | null | undefined) {
  const partyId = filter?.partyId != null ? parseNodeId(filter.partyId, 'Actor') : null;
  const status = filter?.status as typeof treaties.status._.data | null | undefined;
  return (table: typeof treaties): SQL =>
    and(
      live(table),
      status ? eq(table.status, status) : undefined,
      partyId
        ? inArray(
            table.id,
            ctx.db
              .select({ id: treatyParties.treatyId })
              .from(treatyParties)
              .where(eq(treatyParties.actorId, partyId)),
          )
        : undefined,
    ) as SQL;
}

builder.queryFields((t) => ({
  treaty: t.drizzleField({
    type: Treaty,
    nullable: true,
    description: 'One treaty, by `id` or by `slug` (exactly one of them).',
    args: { id: t.arg.id(), slug: t.arg.string(), asOf: t.arg({ type: 'DateTime', ...asOfArgument }) },
    resolve: (query, _root, args, ctx) =>
      args.asOf
        ? findAsOf(ctx, 'Treaty', args, args.asOf, (id) =>
            ctx.db.query.treaties.findFirst(query({ where: { id } })),
          )
        : findOneBySlugOrId(args, 'Treaty', (where) =>
            ctx.db.query.treaties.findFirst(query({ where: { ...where, RAW: live } })),
          ),
  }),
  treaties: t.drizzleConnection({
    type: 'treaties',
    args: { filter: t.arg({ type: TreatyFilter }), orderBy: t.arg({ type: TreatyOrder.ref }) },
    totalCount: (_root, args, ctx) =>
      countRows(ctx.db, treaties, treatyCondition(ctx, args.filter)(treaties)),
    resolve: (query, _root, args, ctx) =>
      ctx.db.query.treaties.findMany(
        query({
          where: { RAW: treatyCondition(ctx, args.filter) },
          orderBy: TreatyOrder.orderBy(args.orderBy),
        }),
      ),
  }),
}));

// Writing treaties. The status is never written: it follows from the treaty's actions.

const CreateTreatyInput = builder.inputType('CreateTreatyInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    shortTitle: t.string(),
    slug: t.string({ description: 'Made from the short title (or the title) when left out.' }),
    signedOn: t.field({ type: 'Date' }),
    signedPlace: t.string(),
    entryIntoForceOn: t.field({ type: 'Date', description: 'On or after signedOn.' }),
    partyIds: t.idList({ description: 'States and organizations, in the order the treaty names them.' }),
  }),
});

const UpdateTreatyInput = builder.inputType('UpdateTreatyInput', {
  description:
    'The fields to change; a field left out keeps its value, null clears an optional one. Lists replace.',
  fields: (t) => ({
    title: t.string(),
    shortTitle: t.string(),
    slug: t.string(),
    signedOn: t.field({ type: 'Date' }),
    signedPlace: t.string(),
    entryIntoForceOn: t.field({ type: 'Date' }),
    partyIds: t.idList(),
  }),
});

const TreatyPayload = builder.objectRef<{ id: string; changed?: boolean }>('TreatyPayload').implement({
  fields: (t) => ({
    treaty: t.drizzleField({
      type: Treaty,
      description: 'The treaty as it is after the change (deleted ones included).',
      resolve: async (query, payload, _args, ctx) =>
        (await ctx.db.query.treaties.findFirst(query({ where: { id: payload.id } }))) as never,
    }),
    changed: t.boolean({
      description: 'False when the update would change nothing: no new version was made.',
      resolve: (payload) => payload.changed ?? true,
    }),
  }),
});

builder.mutationFields((t) => ({
  createTreaty: t.field({
    type: TreatyPayload,
    args: { input: t.arg({ type: CreateTreatyInput, required: true }) },
    errors: mutationResult('CreateTreaty'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return createTreaty(writer, parseCommand(createTreatyCommand, args));
    },
  }),
  updateTreaty: t.field({
    type: TreatyPayload,
    args: {
      id: t.arg.id({ required: true }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      input: t.arg({ type: UpdateTreatyInput, required: true }),
    },
    errors: mutationResult('UpdateTreaty'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return updateTreaty(writer, parseCommand(updateTreatyCommand, args));
    },
  }),
  deleteTreaty: t.field({
    type: TreatyPayload,
    description:
      'Deletes a treaty with its provisions and actions (restore brings them back together). Refused while live ' +
      'statements or article mentions refer to it or its provisions.',
    args: { id: t.arg.id({ required: true }), expectedVersion: t.arg.int({ required: true }) },
    errors: mutationResult('DeleteTreaty'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return deleteNode(writer, 'Treaty', parseCommand(deleteCommand('Treaty'), args));
    },
  }),
}));
