import { actors } from '@chancery/db/schema';
import { badInput } from '@chancery/domain/errors';
import { and, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { live, visibleArticle, visibleStatement } from '../visibility.ts';
import { countRows, likePattern, orderingEnum } from './connection.ts';
import { ActorKind } from './enums.ts';
import { findOneBySlugOrId } from './lookup.ts';

export const Actor = builder.drizzleNode('actors', {
  name: 'Actor',
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
    name: t.string({ description: 'Part of the name or of an alias, case-insensitive.' }),
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
  const name = filter?.name?.trim();
  return (table: typeof actors): SQL =>
    and(
      live(table),
      filter?.kind ? eq(table.kind, filter.kind as typeof table.kind._.data) : undefined,
      countryCode ? eq(table.countryCode, countryCode.toUpperCase()) : undefined,
      name
        ? or(
            ilike(table.name, likePattern(name)),
            sql`exists (select 1 from unnest(${table.aliases}) as alias where alias ilike ${likePattern(name)})`,
          )
        : undefined,
    ) as SQL;
}

builder.queryFields((t) => ({
  actor: t.drizzleField({
    type: Actor,
    nullable: true,
    description: 'One actor, by `id` or by `slug` (exactly one of them).',
    args: { id: t.arg.id(), slug: t.arg.string() },
    resolve: (query, _root, args, ctx) =>
      findOneBySlugOrId(args, 'Actor', (where) =>
        ctx.db.query.actors.findFirst(query({ where: { ...where, RAW: live } })),
      ),
  }),
  actors: t.drizzleConnection({
    type: 'actors',
    args: { filter: t.arg({ type: ActorFilter }), orderBy: t.arg({ type: ActorOrder.ref }) },
    totalCount: (_root, args, ctx) => countRows(ctx.db, actors, actorCondition(args.filter)(actors)),
    resolve: (query, _root, args, ctx) =>
      ctx.db.query.actors.findMany(
        query({ where: { RAW: actorCondition(args.filter) }, orderBy: ActorOrder.orderBy(args.orderBy) }),
      ),
  }),
}));
