import { relations } from '@chancery/db/relations';
import { PAGE_SIZE } from '@chancery/domain/pagination';
import { ConflictError, NotFoundError, ValidationError } from '@chancery/domain/write-errors';
import SchemaBuilder from '@pothos/core';
import DrizzlePlugin from '@pothos/plugin-drizzle';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Context } from './context.ts';
import { decodeGlobalId, encodeGlobalId } from './global-id.ts';

export type Builder = typeof builder;

export const builder = new SchemaBuilder<{
  Context: Context;
  DrizzleRelations: typeof relations;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: string; Output: string | Date };
    Date: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin, DrizzlePlugin],
  defaultFieldNullability: false,
  relay: {
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    nodesOnConnection: true,
    // node(id)/nodes(ids) are defined in schema/node.ts: they take `asOf` and check visibility.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  errors: {
    // Every mutation's result is its payload or one of these (schema/errors.ts).
    defaultTypes: [ValidationError, NotFoundError, ConflictError],
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
