import type { CreateTreatyCommand, UpdateTreatyCommand } from '@chancery/domain/inputs/treaty';
import { changedFields } from '@chancery/domain/revisions';
import { treatyStatusFromActions } from '@chancery/domain/treaty-status';
import { invalid } from '@chancery/domain/write-errors';
import { and, eq } from 'drizzle-orm';
import { treaties, treatyParties } from '../schema.ts';
import { appendRevisions, assertUpdated, loadSnapshot, lockNode, nextVersion } from './nodes.ts';
import { checkReferences, institution, type Reference } from './references.ts';
import { chooseSlug, slugTaken } from './slugs.ts';
import { inTransaction, inUpdateTransaction, type Tx, Unchanged, type Writer } from './transaction.ts';
import { derivedTreatyStatus } from './treaty-status.ts';

const unique = { treaties_slug_key: slugTaken('treaty') };

const partyReferences = (ids: readonly string[]): Reference[] =>
  ids.map((id, index) => ({
    typename: 'Actor',
    id,
    path: ['input', 'partyIds', String(index)],
    kinds: institution('a treaty party'),
  }));

async function writeParties(tx: Tx, treatyId: string, actorIds: readonly string[]): Promise<void> {
  await tx.delete(treatyParties).where(eq(treatyParties.treatyId, treatyId));
  // Two IDs of one actor (one of them merged into the other) make one party.
  const distinct = [...new Set(actorIds)];
  if (distinct.length > 0) {
    await tx
      .insert(treatyParties)
      .values(distinct.map((actorId, position) => ({ treatyId, actorId, position })));
  }
}

export async function createTreaty(writer: Writer, command: CreateTreatyCommand): Promise<{ id: string }> {
  const { input } = command;
  return inTransaction(
    writer.db,
    async (tx) => {
      const checked = await checkReferences(tx, partyReferences(input.partyIds));
      const parties = input.partyIds.map((id) => checked.resolve('Actor', id));
      const slug = await chooseSlug(tx, 'Treaty', {
        requested: input.slug,
        title: input.shortTitle ?? input.title,
      });
      const [created] = await tx
        .insert(treaties)
        .values({
          slug,
          title: input.title,
          shortTitle: input.shortTitle ?? null,
          // A new treaty has no actions yet: its status follows from none.
          status: treatyStatusFromActions([], parties),
          signedOn: input.signedOn ?? null,
          signedPlace: input.signedPlace ?? null,
          entryIntoForceOn: input.entryIntoForceOn ?? null,
        })
        .returning({ id: treaties.id });
      const id = (created as { id: string }).id;
      await writeParties(tx, id, parties);
      await appendRevisions(tx, writer.tokenName, [
        {
          typename: 'Treaty',
          id,
          version: 1,
          operation: 'CREATE',
          before: null,
          after: await loadSnapshot(tx, 'Treaty', id),
        },
      ]);
      return { id };
    },
    unique,
  );
}

export async function updateTreaty(
  writer: Writer,
  command: UpdateTreatyCommand,
): Promise<{ id: string; changed: boolean }> {
  const { id, expectedVersion, input } = command;
  const { changed } = await inUpdateTransaction(
    writer.db,
    async (tx) => {
      const current = await lockNode(tx, 'Treaty', id, { expectedVersion });
      const before = await loadSnapshot(tx, 'Treaty', id);
      const checked = await checkReferences(tx, partyReferences(input.partyIds ?? []));
      const signedOn = input.signedOn !== undefined ? input.signedOn : (before.signed_on as string | null);
      const inForceOn =
        input.entryIntoForceOn !== undefined
          ? input.entryIntoForceOn
          : (before.entry_into_force_on as string | null);
      if (signedOn && inForceOn && inForceOn < signedOn) {
        const field = input.entryIntoForceOn !== undefined ? 'entryIntoForceOn' : 'signedOn';
        throw invalid(
          ['input', field],
          `would put entry into force (${inForceOn}) before signature (${signedOn}); entryIntoForceOn must be on or after signedOn`,
        );
      }
      const slug =
        input.slug !== undefined
          ? await chooseSlug(tx, 'Treaty', { requested: input.slug, title: '', self: id })
          : undefined;
      if (input.partyIds) {
        await writeParties(
          tx,
          id,
          input.partyIds.map((party) => checked.resolve('Actor', party)),
        );
      }
      const updated = await tx
        .update(treaties)
        .set({
          ...nextVersion(),
          slug,
          title: input.title,
          shortTitle: input.shortTitle,
          signedOn: input.signedOn,
          signedPlace: input.signedPlace,
          entryIntoForceOn: input.entryIntoForceOn,
          // Parties decide when a treaty is terminated: the status follows them.
          status: input.partyIds ? await derivedTreatyStatus(tx, id) : undefined,
        })
        .where(and(eq(treaties.id, id), eq(treaties.version, current.version)))
        .returning({ id: treaties.id });
      await assertUpdated(tx, 'Treaty', updated, current);
      const after = await loadSnapshot(tx, 'Treaty', id);
      if (changedFields(before, after).length === 0) throw new Unchanged();
      await appendRevisions(tx, writer.tokenName, [
        { typename: 'Treaty', id, version: current.version + 1, operation: 'UPDATE', before, after },
      ]);
    },
    unique,
  );
  return { id, changed };
}
