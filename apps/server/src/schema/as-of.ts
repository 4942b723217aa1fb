// Point-in-time reads (`asOf`) of the root fields node, nodes, actor, treaty, article, statement.
import { nodeIdBySlugAsOf, readingSnapshot, stateAsOf } from '@chancery/db/repositories/as-of';
import { badInput } from '@chancery/domain/errors';
import type { RevisedNodeType, Snapshot } from '@chancery/domain/revisions';
import { canSeeUnpublished } from '@chancery/domain/viewer';
import type { Context } from '../context.ts';
import { parseNodeId } from '../global-id.ts';
import { visibleNodeKeys } from '../node-visibility.ts';

export const asOfArgument = {
  description:
    'Read the record as it was at this instant (its fields and what it owns, such as roles or paragraphs; ' +
    'the records it links to are shown as they are now). Editors also see records deleted since, or then.',
};

type SlugTyped = Extract<RevisedNodeType, 'Actor' | 'Treaty' | 'Article'>;

/**
 * A point-in-time read of one node: its state at `at`, served through the ordinary planned query
 * (`run`, unexecuted), which reads the state in place of the row. Anonymous and reader requests
 * see only what they may see now and could see then: live, and for an article published.
 */
export async function findAsOf<Row>(
  ctx: Context,
  typename: RevisedNodeType,
  target: { id?: string | null; slug?: string | null },
  at: string,
  run: (id: string) => PromiseLike<Row | undefined>,
): Promise<Row | null> {
  if ((target.id == null) === (target.slug == null)) {
    throw badInput(`Pass exactly one of \`id\` or \`slug\` to look up a ${typename}.`);
  }
  let id: string;
  let state: Awaited<ReturnType<typeof stateAsOf>>;
  if (target.id != null) {
    id = parseNodeId(target.id, typename);
    state = await stateAsOf(ctx.db, typename, id, at);
  } else {
    const found = await nodeIdBySlugAsOf(ctx.db, typename as SlugTyped, target.slug as string, at);
    if (!found) return null;
    ({ id, state } = found);
  }
  if (!state) return null;
  if (!canSeeUnpublished(ctx.viewer)) {
    if (state.kind === 'snapshot' && !publicSnapshot(typename, state.snapshot)) return null;
    const visible = await visibleNodeKeys(ctx, [{ typename, id }]);
    if (!visible.has(`${typename}:${id}`)) return null;
  }
  const query = run(id);
  const row = await (state.kind === 'snapshot'
    ? readingSnapshot(query, typename, id, state.snapshot)
    : query);
  return row ?? null;
}

function publicSnapshot(typename: RevisedNodeType, snapshot: Snapshot): boolean {
  if (snapshot.deleted_at != null) return false;
  return typename !== 'Article' || snapshot.status === 'PUBLISHED';
}
