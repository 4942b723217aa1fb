import type { SourceSpanInput } from '@chancery/domain/inputs/common';
import type {
  CreateTreatyActionCommand,
  UpdateTreatyActionCommand,
} from '@chancery/domain/inputs/treaty-action';
import type { SpanClaim } from '@chancery/domain/provenance';
import { changedFields } from '@chancery/domain/revisions';
import { resolveSpan } from '@chancery/domain/span-rules';
import { ValidationError } from '@chancery/domain/write-errors';
import { and, eq, sql } from 'drizzle-orm';
import { treatyActions } from '../schema.ts';
import { appendRevisions, assertUpdated, loadSnapshot, lockNode, nextVersion } from './nodes.ts';
import { checkReferences, institution, type Reference } from './references.ts';
import { paragraphsForSpan } from './spans.ts';
import { type Queryable, rows } from './sql.ts';
import { inTransaction, inUpdateTransaction, Unchanged, type Writer } from './transaction.ts';
import { lockTreaty, refreshTreatyStatus } from './treaty-status.ts';

const actorReferences = (input: { actorId?: string | null; bodyId?: string | null }): Reference[] => [
  ...(input.actorId ? [{ typename: 'Actor' as const, id: input.actorId, path: ['input', 'actorId'] }] : []),
  ...(input.bodyId
    ? [
        {
          typename: 'Actor' as const,
          id: input.bodyId,
          path: ['input', 'bodyId'],
          kinds: institution('the body where an action took place'),
        },
      ]
    : []),
];

async function resolveSource(
  db: Queryable,
  source: SourceSpanInput,
): Promise<SpanClaim & { articleId: string }> {
  const paragraphs = await paragraphsForSpan(db, source.articleId, ['input', 'source', 'articleId']);
  const resolved = resolveSpan(paragraphs, source, ['input', 'source']);
  if (!resolved.span) throw new ValidationError(resolved.errors);
  return { ...resolved.span, articleId: source.articleId };
}

const sourceColumns = (span: (SpanClaim & { articleId: string }) | null) => ({
  sourceArticleId: span?.articleId ?? null,
  sourceParagraph: span?.paragraph ?? null,
  sourceStart: span?.start ?? null,
  sourceEnd: span?.end ?? null,
  sourceText: span?.text ?? null,
});

export async function createTreatyAction(
  writer: Writer,
  command: CreateTreatyActionCommand,
): Promise<{ id: string }> {
  const { input } = command;
  return inTransaction(writer.db, async (tx) => {
    await lockTreaty(tx, input.treatyId, ['input', 'treatyId']);
    const checked = await checkReferences(tx, actorReferences(input));
    const source = input.source ? await resolveSource(tx, input.source) : null;
    const [created] = await tx
      .insert(treatyActions)
      .values({
        treatyId: input.treatyId,
        type: input.type,
        date: input.date ?? null,
        actorId: input.actorId ? checked.resolve('Actor', input.actorId) : null,
        bodyId: input.bodyId ? checked.resolve('Actor', input.bodyId) : null,
        place: input.place ?? null,
        description: input.description ?? null,
        ...sourceColumns(source),
      })
      .returning({ id: treatyActions.id });
    const id = (created as { id: string }).id;
    await appendRevisions(tx, writer.tokenName, [
      {
        typename: 'TreatyAction',
        id,
        version: 1,
        operation: 'CREATE',
        before: null,
        after: await loadSnapshot(tx, 'TreatyAction', id),
      },
    ]);
    await refreshTreatyStatus(tx, writer.tokenName, input.treatyId);
    return { id };
  });
}

export async function updateTreatyAction(
  writer: Writer,
  command: UpdateTreatyActionCommand,
): Promise<{ id: string; changed: boolean }> {
  const { id, expectedVersion, input } = command;
  const { changed } = await inUpdateTransaction(writer.db, async (tx) => {
    // The treaty first, then the action: the order every writer of both takes them in.
    const [owner] = await rows<{ treaty_id: string }>(
      tx,
      sql`select treaty_id from treaty_actions where id = ${id}`,
    );
    if (owner) await lockTreaty(tx, owner.treaty_id, null);
    const current = await lockNode(tx, 'TreatyAction', id, { expectedVersion });
    const before = await loadSnapshot(tx, 'TreatyAction', id);
    const checked = await checkReferences(tx, actorReferences(input));
    const source =
      input.source === undefined
        ? undefined
        : input.source === null
          ? null
          : await resolveSource(tx, input.source);
    const updated = await tx
      .update(treatyActions)
      .set({
        ...nextVersion(),
        type: input.type,
        date: input.date,
        actorId:
          input.actorId === undefined ? undefined : input.actorId && checked.resolve('Actor', input.actorId),
        bodyId:
          input.bodyId === undefined ? undefined : input.bodyId && checked.resolve('Actor', input.bodyId),
        place: input.place,
        description: input.description,
        ...(source === undefined ? {} : sourceColumns(source)),
      })
      .where(and(eq(treatyActions.id, id), eq(treatyActions.version, current.version)))
      .returning({ id: treatyActions.id });
    await assertUpdated(tx, 'TreatyAction', updated, current);
    const after = await loadSnapshot(tx, 'TreatyAction', id);
    if (changedFields(before, after).length === 0) throw new Unchanged();
    await appendRevisions(tx, writer.tokenName, [
      { typename: 'TreatyAction', id, version: current.version + 1, operation: 'UPDATE', before, after },
    ]);
    await refreshTreatyStatus(tx, writer.tokenName, String(before.treaty_id));
  });
  return { id, changed };
}
