import { relations } from '@chancery/db/relations';
import { PAGE_SIZE } from '@chancery/domain/pagination';
import SchemaBuilder from '@pothos/core';
import DrizzlePlugin from '@pothos/plugin-drizzle';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Context } from './context.ts';
import { decodeGlobalId, encodeGlobalId } from './global-id.ts';
import { visibleNodeKeys } from './node-visibility.ts';

export type Builder = typeof builder;

export const builder = new SchemaBuilder<{
  Context: Context;
  DrizzleRelations: typeof relations;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: string; Output: string | Date };
    Date: { Input: string; Output: string };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin, DrizzlePlugin],
  defaultFieldNullability: false,
  relay: {
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    nodesOnConnection: true,
    // node(id)/nodes(ids) load by primary key; first drop what the viewer may not read.
    nodeQueryOptions: {
      resolve: async (_root, { id }, ctx, _info, resolveNode) => {
        const visible = await visibleNodeKeys(ctx, [id]);
        return visible.has(`${id.typename}:${id.id}`) ? resolveNode(id) : null;
      },
    },
    nodesQueryOptions: {
      resolve: async (_root, { ids }, ctx, _info, resolveNodes) => {
        const visible = await visibleNodeKeys(ctx, ids);
        const loaded = await resolveNodes(ids.filter((id) => visible.has(`${id.typename}:${id.id}`)));
        let next = 0;
        return ids.map((id) => (visible.has(`${id.typename}:${id.id}`) ? loaded[next++] : null));
      },
    },
  },
  drizzle: {
    client: (ctx) => ctx.db,
    getTableConfig,
    relations,
    defaultConnectionSize: PAGE_SIZE.default,
    // Page sizes are checked before execution (page-size.ts); this is only the plugin's own cap.
    maxConnectionSize: PAGE_SIZE.max,
  },
});
