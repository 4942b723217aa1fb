import { createActor, mergeActors, updateActor } from '@chancery/db/repositories/actors';
import { deleteNode } from '@chancery/db/repositories/lifecycle';
import { actors } from '@chancery/db/schema';
import { actorNameMatches, actorNameScore } from '@chancery/db/search';
import { badInput } from '@chancery/domain/errors';
import { createActorCommand, mergeActorsCommand, updateActorCommand } from '@chancery/domain/inputs/actor';
import { parseCommand } from '@chancery/domain/inputs/common';
import { deleteCommand } from '@chancery/domain/inputs/lifecycle';
import { parseActorName } from '@chancery/domain/search';
import { and, eq, isNotNull, type SQL } from 'drizzle-orm';
import { requireWriter } from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { mergedActorSurvivors } from '../node-visibility.ts';
import { live, visibleArticle, visibleStatement } from '../visibility.ts';
import { asOfArgument, findAsOf } from './as-of.ts';
import { countRows, orderingEnum } from './connection.ts';
import { ActorKind } from './enums.ts';
import { findOneBySlugOrId } from './lookup.ts';
import { mutationResult } from './mutation.ts';

export const Actor = builder.drizzleNode('actors', {
  name: 'Actor',
  // Load only the columns the selected fields need (not the search vectors).
  select: {},
  description: 'A person, state or organization that acts, speaks, or is party to a treaty.',
  id: { column: (actor) => actor.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    kind: t.expose('kind', { type: ActorKind }),
    aliases: t.exposeStringList('aliases', {
      description: 'Other names the actor goes by: a surname, a short name, a capital used for its state.',
    }),
    description: t.exposeString('description', { nullable: true }),
    countryCode: t.exposeString('countryCode', { nullable: true, description: 'ISO 3166-1 alpha-2.' }),
    wikidataId: t.exposeString('wikidataId', { nullable: true }),
    roles: t.relation('roles', { query: { orderBy: { position: 'asc' } } }),
    statements: t.relatedConnection('statements', {
      description: "The actor's statements, newest first.",
      totalCount: true,
      query: (_args, ctx) => ({
        where: { RAW: visibleStatement(ctx) },
        orderBy: { saidOn: 'desc', id: 'desc' },
      }),
    }),
    treaties: t.relatedConnection('treaties', {
      description: 'Treaties the actor is a party to.',
      totalCount: true,
      query: { where: { RAW: live }, orderBy: { title: 'asc' } },
    }),
    mentionedIn: t.relatedConnection('mentionedIn', {
      description: 'Articles that mention the actor, newest first.',
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

builder.drizzleObject('actorRoles', {
  name: 'ActorRole',
  description: 'A position an actor holds, e.g. Deputy Foreign Minister of Russia.',
  fields: (t) => ({
    title: t.exposeString('title'),
    organization: t.relation('organization', { nullable: true }),
    startDate: t.expose('startDate', { type: 'Date', nullable: true }),
    endDate: t.expose('endDate', { type: 'Date', nullable: true }),
  }),
});

const ActorOrder = orderingEnum(
  'ActorOrder',
  {
    NAME_ASC: { name: 'asc' },
    NAME_DESC: { name: 'desc' },
    CREATED_AT_ASC: { createdAt: 'asc' },
    CREATED_AT_DESC: { createdAt: 'desc' },
  },
  { default: 'NAME_ASC', description: 'How to order actors.' },
);

const ActorFilter = builder.inputType('ActorFilter', {
  fields: (t) => ({
    kind: t.field({ type: ActorKind }),
    countryCode: t.string({ description: 'ISO 3166-1 alpha-2, e.g. RU.' }),
    name: t.string({
      description:
        'A name, part of one or an alias, forgiving case, accents, typos and transliteration ("Rudenco", ' +
        '"Pyong-yang"). Without an orderBy, the best match comes first.',
    }),
  }),
});

type ActorFilterInput = { kind?: string | null; countryCode?: string | null; name?: string | null };

function actorCondition(filter: ActorFilterInput | null | undefined) {
  const countryCode = filter?.countryCode;
  if (countryCode != null && !/^[A-Za-z]{2}$/.test(countryCode)) {
    throw badInput(
      `filter.countryCode must be two letters (ISO 3166-1 alpha-2, e.g. RU); got ${JSON.stringify(countryCode)}.`,
    );
  }
  const name = parseActorName(filter?.name, 'filter.name');
  return (table: typeof actors): SQL =>
    and(
      live(table),
      filter?.kind ? eq(table.kind, filter.kind as typeof table.kind._.data) : undefined,
      countryCode ? eq(table.countryCode, countryCode.toUpperCase()) : undefined,
      name ? actorNameMatches(name)(table) : undefined,
    ) as SQL;
}

/** Where a merged actor's ID or slug leads: the live actor it was merged into, or null. */
async function mergedSurvivorOf(
  ctx: Context,
  where: { id: string } | { slug: string },
): Promise<string | null> {
  const [merged] = await ctx.db
    .select({ id: actors.id })
    .from(actors)
    .where(
      and(
        'id' in where ? eq(actors.id, where.id) : eq(actors.slug, where.slug),
        isNotNull(actors.mergedIntoId),
      ),
    );
  return merged ? ((await mergedActorSurvivors(ctx, [merged.id])).get(merged.id) ?? null) : null;
}

builder.queryFields((t) => ({
  actor: t.drizzleField({
    type: Actor,
    nullable: true,
    description:
      'One actor, by `id` or by `slug` (exactly one of them). The ID or slug of an actor merged into another ' +
      'gives the actor it was merged into.',
    args: { id: t.arg.id(), slug: t.arg.string(), asOf: t.arg({ type: 'DateTime', ...asOfArgument }) },
    resolve: (query, _root, args, ctx) => {
      if (args.asOf) {
        return findAsOf(ctx, 'Actor', args, args.asOf, (id) =>
          ctx.db.query.actors.findFirst(query({ where: { id } })),
        );
      }
      const find = (where: { id: string } | { slug: string }) =>
        ctx.db.query.actors.findFirst(query({ where: { ...where, RAW: live } }));
      return findOneBySlugOrId(args, 'Actor', async (where) => {
        const found = await find(where);
        if (found) return found;
        const survivor = await mergedSurvivorOf(ctx, where);
        return survivor ? find({ id: survivor }) : undefined;
      });
    },
  }),
  actors: t.drizzleConnection({
    type: 'actors',
    args: { filter: t.arg({ type: ActorFilter }), orderBy: t.arg({ type: ActorOrder.ref }) },
    totalCount: (_root, args, ctx) => countRows(ctx.db, actors, actorCondition(args.filter)(actors)),
    resolve: (query, _root, args, ctx) => {
      const where = { RAW: actorCondition(args.filter) };
      const name = parseActorName(args.filter?.name, 'filter.name');
      // A name lookup without an explicit order ranks by how well a name matches (trigram similarity).
      return ctx.db.query.actors.findMany(
        name && args.orderBy == null
          ? query({
              where,
              orderBy: { nameMatch: 'desc', name: 'asc' } as never,
              extras: { nameMatch: actorNameScore(name) },
            })
          : query({ where, orderBy: ActorOrder.orderBy(args.orderBy) }),
      );
    },
  }),
}));

// Writing actors.

const ActorRoleInput = builder.inputType('ActorRoleInput', {
  description: 'A position the actor holds.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'e.g. "Deputy Foreign Minister of Russia".' }),
    organizationId: t.id({ description: 'The state or organization the role is in.' }),
    startDate: t.field({ type: 'Date' }),
    endDate: t.field({ type: 'Date', description: 'On or after startDate.' }),
  }),
});

const CreateActorInput = builder.inputType('CreateActorInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    slug: t.string({ description: 'Lowercase words joined by hyphens; made from the name when left out.' }),
    kind: t.field({ type: ActorKind, required: true }),
    aliases: t.stringList({
      description: 'Other names: a surname, a short name, a capital standing for its state.',
    }),
    description: t.string(),
    countryCode: t.string({ description: 'ISO 3166-1 alpha-2, e.g. RU.' }),
    wikidataId: t.string({ description: 'e.g. Q7747.' }),
    roles: t.field({ type: [ActorRoleInput] }),
  }),
});

const UpdateActorInput = builder.inputType('UpdateActorInput', {
  description:
    'The fields to change; a field left out keeps its value, null clears an optional one. Lists replace.',
  fields: (t) => ({
    name: t.string(),
    slug: t.string(),
    kind: t.field({ type: ActorKind }),
    aliases: t.stringList(),
    description: t.string(),
    countryCode: t.string(),
    wikidataId: t.string(),
    roles: t.field({ type: [ActorRoleInput] }),
  }),
});

const ActorPayload = builder.objectRef<{ id: string; changed?: boolean }>('ActorPayload').implement({
  fields: (t) => ({
    actor: t.drizzleField({
      type: Actor,
      description: 'The actor as it is after the change (deleted ones included).',
      resolve: async (query, payload, _args, ctx) =>
        (await ctx.db.query.actors.findFirst(query({ where: { id: payload.id } }))) as never,
    }),
    changed: t.boolean({
      description: 'False when the update would change nothing: no new version was made.',
      resolve: (payload) => payload.changed ?? true,
    }),
  }),
});

const MergeActorsPayload = builder
  .objectRef<{ id: string; mergedId: string }>('MergeActorsPayload')
  .implement({
    fields: (t) => ({
      actor: t.drizzleField({
        type: Actor,
        description: 'The surviving actor, with what it gained from the merged one.',
        resolve: async (query, payload, _args, ctx) =>
          (await ctx.db.query.actors.findFirst(query({ where: { id: payload.id } }))) as never,
      }),
      mergedId: t.exposeID('mergedId', {
        description: 'The merged actor’s ID, which now resolves to the survivor.',
      }),
    }),
  });

builder.mutationFields((t) => ({
  createActor: t.field({
    type: ActorPayload,
    args: { input: t.arg({ type: CreateActorInput, required: true }) },
    errors: mutationResult('CreateActor'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return createActor(writer, parseCommand(createActorCommand, args));
    },
  }),
  updateActor: t.field({
    type: ActorPayload,
    args: {
      id: t.arg.id({ required: true }),
      expectedVersion: t.arg.int({ required: true, description: 'The version you read.' }),
      input: t.arg({ type: UpdateActorInput, required: true }),
    },
    errors: mutationResult('UpdateActor'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return updateActor(writer, parseCommand(updateActorCommand, args));
    },
  }),
  deleteActor: t.field({
    type: ActorPayload,
    description:
      'Deletes an actor (restorable with restore). Refused while live records refer to it: reassign them, or ' +
      'merge the actor into another.',
    args: { id: t.arg.id({ required: true }), expectedVersion: t.arg.int({ required: true }) },
    errors: mutationResult('DeleteActor'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return deleteNode(writer, 'Actor', parseCommand(deleteCommand('Actor'), args));
    },
  }),
  mergeActors: t.field({
    type: MergeActorsPayload,
    description:
      'Merges two records of one actor: every reference to the source moves to the target, which keeps its ' +
      'fields and gains the source’s name and aliases as aliases, its missing details and its roles. The ' +
      'source’s ID and slug keep resolving to the target.',
    args: {
      sourceId: t.arg.id({ required: true, description: 'The duplicate, merged away.' }),
      targetId: t.arg.id({ required: true, description: 'The actor that survives.' }),
      expectedSourceVersion: t.arg.int(),
      expectedTargetVersion: t.arg.int(),
    },
    errors: mutationResult('MergeActors'),
    resolve: (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      return mergeActors(writer, parseCommand(mergeActorsCommand, args));
    },
  }),
}));
