import type {
  CreateTreatyProvisionCommand,
  UpdateTreatyProvisionCommand,
} from '@chancery/domain/inputs/treaty-provision';
import { changedFields } from '@chancery/domain/revisions';
import { type FieldError, invalid, ValidationError } from '@chancery/domain/write-errors';
import { and, eq, sql } from 'drizzle-orm';
import { provisionReferences, treatyProvisions } from '../schema.ts';
import { appendRevisions, assertUpdated, globalId, loadSnapshot, lockNode, nextVersion } from './nodes.ts';
import { checkReferences, type Reference } from './references.ts';
import { type Queryable, rows } from './sql.ts';
import { inTransaction, inUpdateTransaction, type Tx, Unchanged, type Writer } from './transaction.ts';
import { lockTreaty } from './treaty-status.ts';

const unique = {
  treaty_provisions_treaty_id_number_key: {
    path: ['input', 'number'],
    message: 'is already the number of another provision of this treaty',
  },
};

const referenceIds = (ids: readonly string[]): Reference[] =>
  ids.map((id, index) => ({
    typename: 'TreatyProvision',
    id,
    path: ['input', 'refersToIds', String(index)],
  }));

async function assertNumberFree(
  db: Queryable,
  treatyId: string,
  number: string,
  self: string | null,
): Promise<void> {
  const [holder] = await rows<{ id: string; deleted: boolean }>(
    db,
    sql`select id, deleted_at is not null as deleted from treaty_provisions
        where treaty_id = ${treatyId} and number = ${number} and id is distinct from ${self}`,
  );
  if (!holder) return;
  const shown = globalId('TreatyProvision', holder.id);
  throw invalid(
    ['input', 'number'],
    holder.deleted
      ? `is the number of a deleted provision of this treaty (${shown}); restore or purge that one, or choose another number`
      : `is already the number of provision ${shown} of this treaty; choose another`,
  );
}

async function writeReferences(tx: Tx, fromId: string, toIds: readonly string[]): Promise<void> {
  await tx.delete(provisionReferences).where(eq(provisionReferences.fromProvisionId, fromId));
  if (toIds.length > 0) {
    await tx
      .insert(provisionReferences)
      .values(toIds.map((toProvisionId) => ({ fromProvisionId: fromId, toProvisionId })));
  }
}

export async function createTreatyProvision(
  writer: Writer,
  command: CreateTreatyProvisionCommand,
): Promise<{ id: string }> {
  const { input } = command;
  return inTransaction(
    writer.db,
    async (tx) => {
      // FOR UPDATE: a new provision rewrites its treaty's search vector.
      await lockTreaty(tx, input.treatyId, ['input', 'treatyId']);
      await checkReferences(tx, referenceIds(input.refersToIds));
      await assertNumberFree(tx, input.treatyId, input.number, null);
      const [last] = await rows<{ next: number }>(
        tx,
        sql`select coalesce(max(position) + 1, 0)::int as next from treaty_provisions where treaty_id = ${input.treatyId}`,
      );
      const [created] = await tx
        .insert(treatyProvisions)
        .values({
          treatyId: input.treatyId,
          number: input.number,
          position: input.position ?? last?.next ?? 0,
          heading: input.heading ?? null,
          text: input.text ?? null,
          summary: input.summary ?? null,
        })
        .returning({ id: treatyProvisions.id });
      const id = (created as { id: string }).id;
      await writeReferences(tx, id, input.refersToIds);
      await appendRevisions(tx, writer.tokenName, [
        {
          typename: 'TreatyProvision',
          id,
          version: 1,
          operation: 'CREATE',
          before: null,
          after: await loadSnapshot(tx, 'TreatyProvision', id),
        },
      ]);
      return { id };
    },
    unique,
  );
}

export async function updateTreatyProvision(
  writer: Writer,
  command: UpdateTreatyProvisionCommand,
): Promise<{ id: string; changed: boolean }> {
  const { id, expectedVersion, input } = command;
  const { changed } = await inUpdateTransaction(
    writer.db,
    async (tx) => {
      const [owner] = await rows<{ treaty_id: string }>(
        tx,
        sql`select treaty_id from treaty_provisions where id = ${id}`,
      );
      if (owner) await lockTreaty(tx, owner.treaty_id, null);
      const current = await lockNode(tx, 'TreatyProvision', id, { expectedVersion });
      const before = await loadSnapshot(tx, 'TreatyProvision', id);
      const errors: FieldError[] = [];
      input.refersToIds?.forEach((to, index) => {
        if (to === id) {
          errors.push({ path: ['input', 'refersToIds', String(index)], message: 'is this provision itself' });
        }
      });
      if (errors.length > 0) throw new ValidationError(errors);
      await checkReferences(tx, referenceIds(input.refersToIds ?? []));
      if (input.number !== undefined) await assertNumberFree(tx, String(before.treaty_id), input.number, id);
      const updated = await tx
        .update(treatyProvisions)
        .set({
          ...nextVersion(),
          number: input.number,
          position: input.position,
          heading: input.heading,
          text: input.text,
          summary: input.summary,
        })
        .where(and(eq(treatyProvisions.id, id), eq(treatyProvisions.version, current.version)))
        .returning({ id: treatyProvisions.id });
      await assertUpdated(tx, 'TreatyProvision', updated, current);
      if (input.refersToIds) await writeReferences(tx, id, input.refersToIds);
      const after = await loadSnapshot(tx, 'TreatyProvision', id);
      if (changedFields(before, after).length === 0) throw new Unchanged();
      await appendRevisions(tx, writer.tokenName, [
        { typename: 'TreatyProvision', id, version: current.version + 1, operation: 'UPDATE', before, after },
      ]);
    },
    unique,
  );
  return { id, changed };
}
