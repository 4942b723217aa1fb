// Delete (soft), restore and purge, for every kind of node.
import type { DeleteCommand, NodeLifecycleCommand } from '@chancery/domain/inputs/lifecycle';
import type { RevisedNodeType } from '@chancery/domain/revisions';
import { invalid } from '@chancery/domain/write-errors';
import { type SQL, sql } from 'drizzle-orm';
import { describeAnyReferences, describeLiveReferences } from './dependents.ts';
import {
  appendRevisions,
  bumpVersions,
  globalId,
  loadSnapshots,
  lockNode,
  NODES,
  type RevisionEntry,
} from './nodes.ts';
import { list, type Queryable, rows } from './sql.ts';
import { inTransaction, type Writer } from './transaction.ts';
import { lockTreaty, refreshTreatyStatus } from './treaty-status.ts';

type Versioned = { id: string; version: number };

const ADVICE: Partial<Record<RevisedNodeType, string>> = {
  Actor: 'reassign or delete those first, or merge this actor into another (mergeActors)',
  Treaty: 'delete those statements or change what they are about, and remove the mentions, first',
  TreatyProvision: 'delete those statements or change what they are about, and remove the mentions, first',
};

/** The nodes a treaty owns, deleted and restored with it. */
async function ownedByTreaty(
  db: Queryable,
  treatyId: string,
  where: SQL,
): Promise<Map<RevisedNodeType, Versioned[]>> {
  const provisions = await rows<Versioned>(
    db,
    sql`select id, version from treaty_provisions where treaty_id = ${treatyId} and ${where} order by id for update`,
  );
  const actions = await rows<Versioned>(
    db,
    sql`select id, version from treaty_actions where treaty_id = ${treatyId} and ${where} order by id for update`,
  );
  return new Map<RevisedNodeType, Versioned[]>([
    ['TreatyProvision', provisions],
    ['TreatyAction', actions],
  ]);
}

/** Sets or clears `deleted_at` on nodes of one type, each as a new version with a revision. */
async function markDeleted(
  db: Queryable,
  typename: RevisedNodeType,
  nodes: readonly Versioned[],
  deleted: boolean,
): Promise<RevisionEntry[]> {
  if (nodes.length === 0) return [];
  const ids = nodes.map((n) => n.id);
  const befores = await loadSnapshots(db, typename, ids);
  await bumpVersions(db, typename, nodes, deleted ? sql`deleted_at = now()` : sql`deleted_at = null`);
  const afters = await loadSnapshots(db, typename, ids);
  return nodes.map((n) => ({
    typename,
    id: n.id,
    version: n.version + 1,
    operation: deleted ? 'DELETE' : 'RESTORE',
    before: befores.get(n.id) ?? null,
    after: afters.get(n.id) ?? null,
  }));
}

/**
 * Soft-deletes a node: it disappears from every read and can be restored. Refused while live
 * records point at it. A treaty takes its provisions and actions with it; an article hides its
 * statements (they are as visible as their article) without changing them.
 */
export async function deleteNode(
  writer: Writer,
  typename: RevisedNodeType,
  command: DeleteCommand,
): Promise<{ id: string }> {
  const { id, expectedVersion } = command;
  await inTransaction(writer.db, async (tx) => {
    // The treaty before its provision or action: the order every writer of both takes them in
    // (a provision's change also rewrites its treaty's search vector; an action's, its status).
    const treatyId =
      typename === 'TreatyAction' || typename === 'TreatyProvision' ? await treatyOf(tx, id) : null;
    if (treatyId) await lockTreaty(tx, treatyId, null);
    const current = await lockNode(tx, typename, id, { expectedVersion });
    const references = await describeLiveReferences(tx, typename, id);
    if (references) {
      throw invalid(
        ['id'],
        `is still referenced by ${references}; ${ADVICE[typename] ?? 'change those first'}. Nothing was deleted.`,
      );
    }
    const entries: RevisionEntry[] = [];
    if (typename === 'Treaty') {
      for (const [childType, children] of await ownedByTreaty(tx, id, sql`deleted_at is null`)) {
        entries.push(...(await markDeleted(tx, childType, children, true)));
      }
    }
    entries.push(...(await markDeleted(tx, typename, [current], true)));
    await appendRevisions(tx, writer.tokenName, entries);
    if (treatyId && typename === 'TreatyAction') await refreshTreatyStatus(tx, writer.tokenName, treatyId);
  });
  return { id };
}

async function treatyOf(db: Queryable, actionOrProvisionId: string): Promise<string | null> {
  const [row] = await rows<{ treaty_id: string }>(
    db,
    sql`select treaty_id from treaty_actions where id = ${actionOrProvisionId}
        union all select treaty_id from treaty_provisions where id = ${actionOrProvisionId}`,
  );
  return row?.treaty_id ?? null;
}

/** What a node to be restored points at that is itself deleted, in words, or null. */
async function deletedReferences(
  db: Queryable,
  typename: RevisedNodeType,
  id: string,
): Promise<string | null> {
  const checks: Record<RevisedNodeType, SQL | null> = {
    Actor: sql`select 'the organization of its role "' || r.title || '"' from actor_roles r join actors o on o.id = r.organization_id
               where r.actor_id = ${id} and o.deleted_at is not null`,
    Treaty: sql`select 'its party ' || a.name from treaty_parties p join actors a on a.id = p.actor_id
                where p.treaty_id = ${id} and a.deleted_at is not null`,
    TreatyProvision: sql`select 'its treaty' from treaty_provisions p join treaties t on t.id = p.treaty_id
                         where p.id = ${id} and t.deleted_at is not null`,
    TreatyAction: sql`select 'its treaty' from treaty_actions x join treaties t on t.id = x.treaty_id
                        where x.id = ${id} and t.deleted_at is not null
                      union all select 'its actor or body ' || a.name from treaty_actions x
                        join actors a on a.id in (x.actor_id, x.body_id) where x.id = ${id} and a.deleted_at is not null`,
    Article: sql`select 'its publisher ' || a.name from articles x join actors a on a.id = x.publisher_id
                   where x.id = ${id} and a.deleted_at is not null
                 union all select 'the mentioned actor ' || a.name from article_mentions m join actors a on a.id = m.actor_id
                   where m.article_id = ${id} and a.deleted_at is not null
                 union all select 'the mentioned treaty ' || t.title from article_mentions m join treaties t on t.id = m.treaty_id
                   where m.article_id = ${id} and t.deleted_at is not null
                 union all select 'the mentioned provision ' || p.number from article_mentions m
                   join treaty_provisions p on p.id = m.provision_id where m.article_id = ${id} and p.deleted_at is not null`,
    Statement: sql`select 'its article' from statements s join articles a on a.id = s.article_id
                     where s.id = ${id} and a.deleted_at is not null
                   union all select 'its speaker ' || a.name from statements s join actors a on a.id = s.speaker_id
                     where s.id = ${id} and a.deleted_at is not null
                   union all select 'the treaty ' || t.title from statement_treaties st join treaties t on t.id = st.treaty_id
                     where st.statement_id = ${id} and t.deleted_at is not null
                   union all select 'the provision ' || p.number from statement_provisions sp
                     join treaty_provisions p on p.id = sp.provision_id where sp.statement_id = ${id} and p.deleted_at is not null`,
  };
  const query = checks[typename];
  if (!query) return null;
  const found = await rows<Record<string, string>>(db, query);
  const names = [...new Set(found.map((row) => Object.values(row)[0] as string))];
  return names.length > 0 ? names.join(', ') : null;
}

/** Brings a deleted node back (a treaty with the provisions and actions deleted with it). */
export async function restoreNode(writer: Writer, command: NodeLifecycleCommand): Promise<{ id: string }> {
  const { typename, id } = command.id;
  await inTransaction(writer.db, async (tx) => {
    // The treaty before its provision or action: the order every writer of both takes them in
    // (a provision's change also rewrites its treaty's search vector; an action's, its status).
    const treatyId =
      typename === 'TreatyAction' || typename === 'TreatyProvision' ? await treatyOf(tx, id) : null;
    if (treatyId) await lockTreaty(tx, treatyId, null);
    const current = await lockNode(tx, typename, id, {
      expectedVersion: command.expectedVersion,
      deleted: 'allow',
    });
    if (!current.deletedAt) throw invalid(['id'], 'is not deleted; there is nothing to restore');
    if (typename === 'Actor' && current.merged_into_id) {
      throw invalid(
        ['id'],
        `was merged into ${globalId('Actor', String(current.merged_into_id))} and cannot be restored: everything that referred to it now refers to that actor`,
      );
    }
    const missing = await deletedReferences(tx, typename, id);
    if (missing) throw invalid(['id'], `cannot be restored while ${missing} is deleted; restore that first`);
    const entries: RevisionEntry[] = [];
    if (typename === 'Treaty') {
      // What was deleted with the treaty (the same transaction, so the same instant) comes back with it.
      const deletedWith = sql`deleted_at = (select deleted_at from treaties where id = ${id})`;
      for (const [childType, children] of await ownedByTreaty(tx, id, deletedWith)) {
        entries.push(...(await markDeleted(tx, childType, children, false)));
      }
    }
    entries.unshift(...(await markDeleted(tx, typename, [current], false)));
    await appendRevisions(tx, writer.tokenName, entries);
    if (treatyId && typename === 'TreatyAction') await refreshTreatyStatus(tx, writer.tokenName, treatyId);
  });
  return { id };
}

/**
 * Removes a deleted node for good, with what it owns (a treaty's provisions and actions, an
 * article's statements). Its history goes too; one PURGE revision without content remains, to
 * say who purged what and when. Refused while anything else still points at it.
 */
export async function purgeNode(
  writer: Writer,
  command: NodeLifecycleCommand,
): Promise<{ purgedId: string }> {
  const { typename, id } = command.id;
  await inTransaction(writer.db, async (tx) => {
    const current = await lockNode(tx, typename, id, {
      expectedVersion: command.expectedVersion,
      deleted: 'allow',
    });
    if (!current.deletedAt) {
      throw invalid(['id'], 'is not deleted; only a deleted record can be purged (delete it first)');
    }
    const references = await describeAnyReferences(tx, typename, id);
    if (references)
      throw invalid(['id'], `is still referenced by ${references}; purge or change those first`);

    const purged: { typename: RevisedNodeType; node: Versioned }[] = [{ typename, node: current }];
    if (typename === 'Treaty') {
      for (const [childType, children] of await ownedByTreaty(tx, id, sql`true`)) {
        purged.push(...children.map((node) => ({ typename: childType, node })));
      }
    }
    if (typename === 'Article') {
      const owned = await rows<Versioned>(
        tx,
        sql`select id, version from statements where article_id = ${id} order by id for update`,
      );
      purged.push(...owned.map((node) => ({ typename: 'Statement' as const, node })));
    }
    const ids = purged.map((p) => p.node.id);
    await tx.execute(sql`delete from revisions where node_id in ${list(ids)}`);
    // Owned rows and nodes go with the row (ON DELETE CASCADE).
    await tx.execute(sql`delete from ${sql.raw(NODES[typename].name)} where id = ${id}`);
    await appendRevisions(
      tx,
      writer.tokenName,
      purged.map(({ typename: type, node }) => ({
        typename: type,
        id: node.id,
        version: node.version + 1,
        operation: 'PURGE' as const,
        before: null,
        after: null,
      })),
    );
  });
  return { purgedId: globalId(typename, id) };
}
