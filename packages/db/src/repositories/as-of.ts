// Point-in-time reads. A node's state at an instant comes from its revisions; the read itself is
// the ordinary planned query, run with the node's row and the rows it owns replaced by that state
// (a WITH clause that shadows their tables for this one statement). So an earlier version answers
// every field an ordinary read does, nested selections included, in one SQL statement; what it
// links to (speakers, treaties, statements…) is shown as it is now.
import type { RevisedNodeType, Snapshot } from '@chancery/domain/revisions';
import { type SQL, sql } from 'drizzle-orm';
import { NODES } from './nodes.ts';
import { type Queryable, rows } from './sql.ts';

export type StateAsOf =
  /** The node as a revision recorded it. */
  | { kind: 'snapshot'; snapshot: Snapshot }
  /** The node has not changed through the API since before that instant: it is as it is now. */
  | { kind: 'current' }
  /** The node did not exist then (or has been purged). */
  | null;

// Clients see instants to the millisecond (the DateTime scalar); compare at that precision, so
// that asOf: <the updatedAt a client was given> finds the version that time belongs to.
const ms = (column: SQL) => sql`date_trunc('milliseconds', ${column})`;

/** A node's state at an instant. */
export async function stateAsOf(
  db: Queryable,
  typename: RevisedNodeType,
  id: string,
  at: string,
): Promise<StateAsOf> {
  const instant = sql`${at}::timestamptz`;
  const [found] = await rows<{
    last: { after: Snapshot | null } | null;
    next: { before: Snapshot | null } | null;
    existed: boolean | null;
  }>(
    db,
    sql`select
      (select jsonb_build_object('after', after) from revisions
        where node_id = ${id} and ${ms(sql.raw('created_at'))} <= ${instant} order by version desc limit 1) as last,
      (select jsonb_build_object('before', before) from revisions
        where node_id = ${id} and ${ms(sql.raw('created_at'))} > ${instant} order by version asc limit 1) as next,
      (select ${ms(sql.raw('created_at'))} <= ${instant} from ${sql.raw(NODES[typename].name)} where id = ${id}) as existed`,
  );
  if (!found) return null;
  if (found.last) return found.last.after ? { kind: 'snapshot', snapshot: found.last.after } : null;
  // No revision yet at that instant: the first one after it says what the node was before it,
  // unless it created the node (the seed and direct loads have no CREATE revision).
  if (found.next) {
    return found.next.before && found.existed ? { kind: 'snapshot', snapshot: found.next.before } : null;
  }
  return found.existed ? { kind: 'current' } : null;
}

/** The node of a type that had `slug` at an instant (slugs change, and are unique at any instant). */
export async function nodeIdBySlugAsOf(
  db: Queryable,
  typename: Extract<RevisedNodeType, 'Actor' | 'Treaty' | 'Article'>,
  slug: string,
  at: string,
): Promise<{ id: string; state: Exclude<StateAsOf, null> } | null> {
  const candidates = await rows<{ id: string; current: boolean }>(
    db,
    sql`select id, true as current from ${sql.raw(NODES[typename].name)} where slug = ${slug}
        union all
        select distinct node_id, false from revisions
        where node_type = ${typename} and (after ->> 'slug' = ${slug} or before ->> 'slug' = ${slug})
        limit 50`,
  );
  for (const candidate of candidates) {
    const state = await stateAsOf(db, typename, candidate.id, at);
    if (!state) continue;
    if (state.kind === 'current' ? candidate.current : state.snapshot.slug === slug) {
      return { id: candidate.id, state };
    }
  }
  return null;
}

/** The shape of a Drizzle relational query this module can run against a snapshot. */
type RelationalQuery<T> = PromiseLike<T> & {
  _getQuery(...args: unknown[]): { sql: SQL };
};

/**
 * Makes a relational query (findFirst/findMany, still unexecuted) read the node `id` as
 * `snapshot` says it was: its row and owned rows come from the snapshot, every other row of
 * those tables from the tables themselves.
 */
export function readingSnapshot<Q extends PromiseLike<unknown>>(
  query: Q,
  typename: RevisedNodeType,
  id: string,
  snapshot: Snapshot,
): Q {
  const relational = query as unknown as RelationalQuery<unknown>;
  const build = relational._getQuery.bind(relational);
  relational._getQuery = (...args: unknown[]) => {
    const built = build(...args);
    return { ...built, sql: sql`with ${shadowTables(typename, id, snapshot)} ${built.sql}` };
  };
  return query;
}

function shadowTables(typename: RevisedNodeType, id: string, snapshot: Snapshot): SQL {
  const definition = NODES[typename];
  const shadows = [
    shadow(
      definition.name,
      sql`jsonb_populate_record(null::${sql.raw(definition.name)}, ${JSON.stringify(snapshot)}::jsonb)`,
      sql`id <> ${id}`,
    ),
    ...definition.owned.map((child) => {
      const items = (snapshot[child.key] as unknown[] | undefined) ?? [];
      const owned = items.map((item) =>
        'rows' in child.value
          ? { ...(item as Snapshot), [child.parent]: id }
          : { [child.parent]: id, [child.value.column]: item },
      );
      return shadow(
        child.table,
        sql`jsonb_populate_recordset(null::${sql.raw(child.table)}, ${JSON.stringify(owned)}::jsonb)`,
        sql`${sql.raw(child.parent)} <> ${id}`,
      );
    }),
  ];
  return sql.join(shadows, sql`, `);
}

// Inside a (non-recursive) WITH item, its own name still means the table, so each item is the
// snapshot's rows plus every other row of the real table. NOT MATERIALIZED lets the planner push
// the outer query's conditions (id = …, actor_id = …) into both halves, so indexes still serve.
const shadow = (table: string, snapshotRows: SQL, others: SQL) =>
  sql`${sql.raw(table)} as not materialized (select * from ${snapshotRows} union all select * from ${sql.raw(table)} where ${others})`;
