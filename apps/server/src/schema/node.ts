import { purgeNode, restoreNode } from '@chancery/db/repositories/lifecycle';
import { parseCommand } from '@chancery/domain/inputs/common';
import { nodeLifecycleCommand } from '@chancery/domain/inputs/lifecycle';
import { REVISED_NODE_TYPES, type RevisedNodeType } from '@chancery/domain/revisions';
import { brandWithType, type OutputType, type SchemaTypes } from '@pothos/core';
import { getSchemaConfig, queryFromInfo } from '@pothos/plugin-drizzle';
import { resolveNodes } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import { requireAdmin, requireWriter } from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { encodeGlobalId } from '../global-id.ts';
import { mergedActorSurvivors, visibleNodeKeys } from '../node-visibility.ts';
import { asOfArgument, findAsOf } from './as-of.ts';
import { mutationResult } from './mutation.ts';

type NodeRef = { typename: string; id: string };

const NodeInterface = builder.nodeInterfaceRef();

const TABLES = {
  Actor: 'actors',
  Treaty: 'treaties',
  TreatyProvision: 'treatyProvisions',
  TreatyAction: 'treatyActions',
  Article: 'articles',
  Statement: 'statements',
} as const satisfies Record<RevisedNodeType, string>;

const key = (ref: NodeRef) => `${ref.typename}:${ref.id}`;

/**
 * The nodes the viewer may read, loaded by the ordinary node loaders (one query per type); an
 * actor merged into another stands for the survivor; anything else hidden is null.
 */
async function loadVisibleNodes(
  ctx: Context,
  info: GraphQLResolveInfo,
  refs: readonly NodeRef[],
): Promise<unknown[]> {
  const visible = await visibleNodeKeys(ctx, refs);
  const hiddenActors = refs
    .filter((ref) => ref.typename === 'Actor' && !visible.has(key(ref)))
    .map((ref) => ref.id);
  const survivors =
    hiddenActors.length > 0 ? await mergedActorSurvivors(ctx, hiddenActors) : new Map<string, string>();
  const targets = refs.map((ref) => {
    if (visible.has(key(ref))) return ref;
    const survivor = ref.typename === 'Actor' ? survivors.get(ref.id) : undefined;
    return survivor ? { typename: 'Actor', id: survivor } : null;
  });
  const loaded = await resolveNodes(
    builder,
    ctx,
    info,
    targets.filter((target): target is NodeRef => target !== null),
  );
  let next = 0;
  return Promise.all(targets.map((target) => (target ? loaded[next++] : null)));
}

/** One node as it was at `at`, through the planned query for its type. */
async function loadNodeAsOf(
  ctx: Context,
  info: GraphQLResolveInfo,
  ref: NodeRef,
  at: string,
): Promise<unknown> {
  if (!(REVISED_NODE_TYPES as readonly string[]).includes(ref.typename)) return null;
  const typename = ref.typename as RevisedNodeType;
  const query = await queryFromInfo({
    config: getSchemaConfig(builder),
    context: ctx,
    info,
    typeName: typename,
    awaitSelections: true,
  });
  const row = await findAsOf(ctx, typename, { id: encodeGlobalId(typename, ref.id) }, at, (id) =>
    (ctx.db.query[TABLES[typename]] as typeof ctx.db.query.actors).findFirst({
      ...(query as object),
      where: { id },
    } as never),
  );
  if (row) brandWithType(row, typename as OutputType<SchemaTypes>);
  return row;
}

builder.queryFields((t) => ({
  node: t.field({
    type: NodeInterface,
    nullable: true,
    description: 'Any record by its ID; null when there is none the viewer may read.',
    args: {
      id: t.arg.globalID({ required: true, extensions: { relayGlobalIDAlwaysParse: true } }),
      asOf: t.arg({ type: 'DateTime', ...asOfArgument }),
    },
    resolve: async (_root, args, ctx, info) => {
      const ref = { typename: args.id.typename, id: String(args.id.id) };
      if (args.asOf) return loadNodeAsOf(ctx, info, ref, args.asOf) as never;
      const [node] = await loadVisibleNodes(ctx, info, [ref]);
      return (node ?? null) as never;
    },
  }),
  nodes: t.field({
    type: [NodeInterface],
    nullable: { list: false, items: true },
    description: 'Records by their IDs, in the same order; null for each the viewer may not read.',
    args: {
      ids: t.arg.globalIDList({ required: true, extensions: { relayGlobalIDAlwaysParse: true } }),
      asOf: t.arg({ type: 'DateTime', ...asOfArgument }),
    },
    resolve: async (_root, args, ctx, info) => {
      const refs = args.ids.map((id) => ({ typename: id.typename, id: String(id.id) }));
      if (args.asOf) {
        const at = args.asOf;
        return (await Promise.all(refs.map((ref) => loadNodeAsOf(ctx, info, ref, at)))) as never;
      }
      return (await loadVisibleNodes(ctx, info, refs)) as never;
    },
  }),
}));

const RestorePayload = builder
  .objectRef<{ typename: RevisedNodeType; id: string }>('RestorePayload')
  .implement({
    description: 'The record restored, readable again.',
    fields: (t) => ({
      node: t.field({
        type: NodeInterface,
        resolve: async (payload, _args, ctx, info) => {
          const [node] = await resolveNodes(builder, ctx, info, [
            { typename: payload.typename, id: payload.id },
          ]);
          return node as never;
        },
      }),
    }),
  });

const PurgePayload = builder.objectRef<{ purgedId: string }>('PurgePayload').implement({
  description: 'The record is gone for good, with its history; a PURGE revision records who did it and when.',
  fields: (t) => ({
    purgedId: t.exposeID('purgedId'),
  }),
});

builder.mutationFields((t) => ({
  restore: t.field({
    type: RestorePayload,
    description:
      'Brings back a deleted record of any type (a treaty with the provisions and actions deleted with it). ' +
      'Refused for an actor merged into another, or while something it needs is deleted.',
    args: {
      id: t.arg.id({ required: true }),
      expectedVersion: t.arg.int({
        description: 'When given, the version you read; a mismatch is a ConflictError.',
      }),
    },
    errors: mutationResult('Restore'),
    resolve: async (_root, args, ctx) => {
      const writer = requireWriter(ctx);
      const command = parseCommand(nodeLifecycleCommand, args);
      await restoreNode(writer, command);
      return { typename: command.id.typename, id: command.id.id };
    },
  }),
  purge: t.field({
    type: PurgePayload,
    description:
      'Admins only: removes a deleted record for good, with what it owns and its history. Refused while ' +
      'anything else refers to it.',
    args: {
      id: t.arg.id({ required: true }),
      expectedVersion: t.arg.int({
        description: 'When given, the version you read; a mismatch is a ConflictError.',
      }),
    },
    errors: mutationResult('Purge'),
    resolve: async (_root, args, ctx) => {
      const writer = requireAdmin(ctx);
      return purgeNode(writer, parseCommand(nodeLifecycleCommand, args));
    },
  }),
}));
