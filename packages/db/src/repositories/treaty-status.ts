import type { TreatyActionType, TreatyStatus } from '@chancery/domain/model';
import { treatyStatusFromActions } from '@chancery/domain/treaty-status';
import { type FieldPath, invalid } from '@chancery/domain/write-errors';
import { sql } from 'drizzle-orm';
import { appendRevisions, bumpVersions, globalId, loadSnapshot } from './nodes.ts';
import { type Queryable, rows } from './sql.ts';

/** A treaty's status as its live actions and its parties make it (treatyStatusFromActions). */
export async function derivedTreatyStatus(db: Queryable, treatyId: string): Promise<TreatyStatus> {
  const [facts] = await rows<{
    actions: { type: TreatyActionType; date: string | null; actorId: string | null }[];
    parties: string[];
  }>(
    db,
    sql`select
      coalesce((select json_agg(json_build_object('type', a.type, 'date', a.date::text, 'actorId', a.actor_id)
        order by a.created_at, a.id) from treaty_actions a where a.treaty_id = ${treatyId} and a.deleted_at is null), '[]') as actions,
      coalesce((select json_agg(p.actor_id order by p.position) from treaty_parties p where p.treaty_id = ${treatyId}), '[]') as parties`,
  );
  return treatyStatusFromActions(facts?.actions ?? [], facts?.parties ?? []);
}

/**
 * After a change to a treaty's actions: stores the status they now give, as a new version of the
 * treaty with its own revision, when it differs. The caller holds the treaty's row lock.
 */
export async function refreshTreatyStatus(
  db: Queryable,
  tokenName: string | null,
  treatyId: string,
): Promise<void> {
  const status = await derivedTreatyStatus(db, treatyId);
  const [treaty] = await rows<{ status: TreatyStatus; version: number }>(
    db,
    sql`select status, version from treaties where id = ${treatyId}`,
  );
  if (!treaty || treaty.status === status) return;
  const before = await loadSnapshot(db, 'Treaty', treatyId);
  await bumpVersions(db, 'Treaty', [{ id: treatyId, version: treaty.version }], sql`status = ${status}`);
  await appendRevisions(db, tokenName, [
    {
      typename: 'Treaty',
      id: treatyId,
      version: treaty.version + 1,
      operation: 'UPDATE',
      before,
      after: await loadSnapshot(db, 'Treaty', treatyId),
    },
  ]);
}

/**
 * Locks a treaty before a write to its provisions or actions (which rewrite its search vector and
 * may change its status): the treaty first, then its child, in every writer. With a `path`, a
 * missing or deleted treaty is a ValidationError there.
 */
export async function lockTreaty(db: Queryable, treatyId: string, path: FieldPath | null): Promise<void> {
  const [treaty] = await rows<{ deleted: boolean }>(
    db,
    sql`select deleted_at is not null as deleted from treaties where id = ${treatyId} for update`,
  );
  const shown = globalId('Treaty', treatyId);
  if (!treaty && path) throw invalid(path, `no Treaty has the ID ${shown}`);
  if (treaty?.deleted && path) throw invalid(path, `${shown} is a deleted Treaty; restore it first`);
}
