import { treaties, treatyParties } from '@chancery/db/schema';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { parseNodeId } from '../global-id.ts';
import { live, visibleArticle, visibleStatement } from '../visibility.ts';
import { Actor } from './actor.ts';
import { countRows, orderingEnum } from './connection.ts';
import { TreatyStatus } from './enums.ts';
import { findOneBySlugOrId } from './lookup.ts';
import { TreatyProvision } from './treaty-provision.ts';

export const Treaty = builder.drizzleNode('treaties', {
  name: 'Treaty',
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
      query: { where: { RAW: live }, orderBy: { date: 'asc', createdAt: 'asc' } },
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
    args: { id: t.arg.id(), slug: t.arg.string() },
    resolve: (query, _root, args, ctx) =>
      findOneBySlugOrId(args, 'Treaty', (where) =>
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
