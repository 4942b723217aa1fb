// `changes(after:)`: the change log (migration 0006) page by page, so a client that was away
// resumes from its last cursor with nothing missed. Everyone may read it; readers (no token, or a
// reader token) only see changes to nodes they could see before or after, so a draft's changes
// never reach them, while editors and admins see every change. A change names its node; clients
// load the nodes they care about with `nodes(ids:)`, under their own visibility.
import { CHANGE_NODE_TYPES, type Change, readChanges } from '@chancery/db/change-log';
import { badInput } from '@chancery/domain/errors';
import { PAGE_SIZE } from '@chancery/domain/pagination';
import { canSeeUnpublished } from '@chancery/domain/viewer';
import { builder } from '../builder.ts';
import { encodeGlobalId } from '../global-id.ts';

export const ChangeNodeType = builder.enumType('ChangeNodeType', {
  values: CHANGE_NODE_TYPES,
  description:
    'The kinds of node the change log records; a change to a part (a paragraph, an action) is its node’s.',
});

const ChangeOperation = builder.enumType('ChangeOperation', {
  values: ['CREATE', 'UPDATE', 'DELETE'] as const,
  description: 'What a transaction did to a node; a soft delete is a DELETE.',
});

export const ChangeRef = builder.objectRef<Change>('Change').implement({
  description: 'One committed change to one node (all of one transaction’s changes to it together).',
  fields: (t) => ({
    cursor: t.exposeString('cursor', {
      description: 'Pass it as `changes(after:)` to resume after this change.',
    }),
    type: t.field({ type: ChangeNodeType, resolve: (change) => change.nodeType }),
    nodeId: t.id({
      description: 'The node’s ID, for `node(id:)` or `nodes(ids:)`.',
      resolve: (change) => encodeGlobalId(change.nodeType, change.nodeId),
    }),
    operation: t.field({ type: ChangeOperation, resolve: (change) => change.operation }),
    visible: t.exposeBoolean('visible', { description: 'Readers can see the node after the change.' }),
    wasVisible: t.exposeBoolean('wasVisible', { description: 'Readers could see the node before it.' }),
    changedAt: t.field({ type: 'DateTime', resolve: (change) => change.changedAt }),
  }),
});

const ChangeEdge = builder.objectRef<Change>('ChangeEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: ChangeRef, resolve: (change) => change }),
  }),
});

type ChangePage = { changes: Change[]; hasNextPage: boolean };

const ChangeConnection = builder.objectRef<ChangePage>('ChangeConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [ChangeEdge], resolve: (page) => page.changes }),
    nodes: t.field({ type: [ChangeRef], resolve: (page) => page.changes }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      resolve: (page) => ({
        hasNextPage: page.hasNextPage,
        hasPreviousPage: false,
        startCursor: page.changes[0]?.cursor ?? null,
        endCursor: page.changes.at(-1)?.cursor ?? null,
      }),
    }),
  }),
});

builder.queryFields((t) => ({
  changes: t.field({
    type: ChangeConnection,
    description:
      'Committed changes, oldest first, after `after` (a cursor from a change or a subscription event; none: from the oldest kept). Readers see changes to what they can read; editors every change.',
    args: {
      after: t.arg.string(),
      first: t.arg.int({
        description: `From ${PAGE_SIZE.min} to ${PAGE_SIZE.max}; default ${PAGE_SIZE.default}.`,
      }),
      types: t.arg({ type: [ChangeNodeType], description: 'Only changes to these kinds of node.' }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.types && args.types.length === 0)
        throw badInput(
          `\`types\` must name at least one of ${CHANGE_NODE_TYPES.join(', ')}, or be left out.`,
        );
      return readChanges(ctx.db, {
        after: args.after,
        first: args.first ?? PAGE_SIZE.default,
        types: args.types ?? undefined,
        readersOnly: !canSeeUnpublished(ctx.viewer),
      });
    },
  }),
}));
