// What the write path knows about each kind of node: its table, the children it owns (stored in
// its snapshots and restored by point-in-time reads), how to lock it, version it and record a
// revision of it.
import { encodeGlobalId } from '@chancery/domain/global-id';
import type { RevisedNodeType, RevisionOperation, Snapshot } from '@chancery/domain/revisions';
import { ConflictError, NotFoundError } from '@chancery/domain/write-errors';
import { type SQL, sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { maintainedColumns } from '../maintained-columns.ts';
import * as t from '../schema.ts';
import { list, type Queryable, rows } from './sql.ts';

/** A child table whose rows belong to one node and are part of its snapshot. */
type OwnedChildren = {
  /** Key in the snapshot. */
  key: string;
  table: string;
  /** The same table, as Drizzle describes it. */
  source: PgTable;
  /** The column that points at the owning node. */
  parent: string;
  /** Whole rows (without the parent column), or the values of one column. */
  value: { rows: true } | { column: string };
  /** SQL ordering over the child table aliased `c`. */
  orderBy: string;
};

export type NodeDefinition = {
  typename: RevisedNodeType;
  table: PgTable;
  /** The SQL name of the table. */
  name: string;
  owned: OwnedChildren[];
};

const node = (typename: RevisedNodeType, table: PgTable, owned: OwnedChildren[] = []): NodeDefinition => ({
  typename,
  table,
  name: getTableConfig(table).name,
  owned,
});

export const NODES: Record<RevisedNodeType, NodeDefinition> = {
  Actor: node('Actor', t.actors, [
    {
      key: 'roles',
      table: 'actor_roles',
      source: t.actorRoles,
      parent: 'actor_id',
      value: { rows: true },
      orderBy: 'c.position, c.id',
    },
  ]),
  Treaty: node('Treaty', t.treaties, [
    {
      key: 'parties',
      table: 'treaty_parties',
      source: t.treatyParties,
      parent: 'treaty_id',
      value: { rows: true },
      orderBy: 'c.position, c.actor_id',
    },
  ]),
  TreatyProvision: node('TreatyProvision', t.treatyProvisions, [
    {
      key: 'refers_to',
      table: 'provision_references',
      source: t.provisionReferences,
      parent: 'from_provision_id',
      value: { column: 'to_provision_id' },
      orderBy: 'c.to_provision_id',
    },
  ]),
  TreatyAction: node('TreatyAction', t.treatyActions),
  Article: node('Article', t.articles, [
    {
      key: 'paragraphs',
      table: 'article_paragraphs',
      source: t.articleParagraphs,
      parent: 'article_id',
      value: { rows: true },
      orderBy: 'c.index',
    },
    {
      key: 'mentions',
      table: 'article_mentions',
      source: t.articleMentions,
      parent: 'article_id',
      value: { rows: true },
      orderBy: 'c.paragraph, c.start, c.id',
    },
    // Derived from the mentions, kept so that a point-in-time read needs nothing else.
    {
      key: 'actors',
      table: 'article_actors',
      source: t.articleActors,
      parent: 'article_id',
      value: { column: 'actor_id' },
      orderBy: 'c.actor_id',
    },
    {
      key: 'treaties',
      table: 'article_treaties',
      source: t.articleTreaties,
      parent: 'article_id',
      value: { column: 'treaty_id' },
      orderBy: 'c.treaty_id',
    },
  ]),
  Statement: node('Statement', t.statements, [
    {
      key: 'treaties',
      table: 'statement_treaties',
      source: t.statementTreaties,
      parent: 'statement_id',
      value: { column: 'treaty_id' },
      orderBy: 'c.treaty_id',
    },
    {
      key: 'provisions',
      table: 'statement_provisions',
      source: t.statementProvisions,
      parent: 'statement_id',
      value: { column: 'provision_id' },
      orderBy: 'c.provision_id',
    },
  ]),
};

export const globalId = (typename: RevisedNodeType, id: string) => encodeGlobalId(typename, id);

// Columns a snapshot leaves out: generated ones and search vectors, which follow from the rest
// (and which point-in-time reads do not need).
const derivedColumns = new Map<PgTable, string[]>();
function columnsLeftOut(table: PgTable): string[] {
  let names = derivedColumns.get(table);
  if (!names) {
    const config = getTableConfig(table);
    names = [
      ...config.columns
        .filter((column) => Boolean(column.generated) || column.getSQLType() === 'tsvector')
        .map((column) => column.name),
      ...(maintainedColumns[config.name] ?? []),
    ];
    derivedColumns.set(table, names);
  }
  return names;
}

const withoutColumns = (row: SQL, columns: readonly string[]) =>
  columns.reduce<SQL>((expression, column) => sql`${expression} - ${sql.raw(`'${column}'`)}`, row);

/** The current snapshots of some nodes of one type, by id: the row and what it owns, as JSON. */
export async function loadSnapshots(
  db: Queryable,
  typename: RevisedNodeType,
  ids: readonly string[],
): Promise<Map<string, Snapshot>> {
  if (ids.length === 0) return new Map();
  const definition = NODES[typename];
  const row = withoutColumns(sql`to_jsonb(n)`, columnsLeftOut(definition.table));
  const owned = definition.owned.map((child) => {
    const value =
      'rows' in child.value
        ? withoutColumns(sql.raw('to_jsonb(c)'), [child.parent, ...columnsLeftOut(child.source)])
        : sql.raw(`to_jsonb(c.${child.value.column})`);
    return sql` || jsonb_build_object(${sql.raw(`'${child.key}'`)}, coalesce((select jsonb_agg(${value} order by ${sql.raw(child.orderBy)}) from ${sql.raw(child.table)} c where c.${sql.raw(child.parent)} = n.id), '[]'::jsonb))`;
  });
  const found = await rows<{ id: string; snapshot: Snapshot }>(
    db,
    sql`select n.id, ${row}${sql.join(owned, sql``)} as snapshot from ${sql.raw(definition.name)} n where n.id in ${list(ids)}`,
  );
  return new Map(found.map((r) => [r.id, r.snapshot]));
}

export async function loadSnapshot(db: Queryable, typename: RevisedNodeType, id: string): Promise<Snapshot> {
  const snapshot = (await loadSnapshots(db, typename, [id])).get(id);
  if (!snapshot) throw new Error(`${typename} ${id} vanished inside its own transaction`);
  return snapshot;
}

/** The columns every node has, as the write path reads them. */
export type NodeState = { id: string; version: number; deletedAt: string | null };

/**
 * Locks one node for the rest of the transaction (a concurrent writer waits, then sees the new
 * version) and checks that it exists, is not deleted (unless `deleted` allows it) and is at the
 * version the caller read.
 */
export async function lockNode<Row extends NodeState = NodeState>(
  db: Queryable,
  typename: RevisedNodeType,
  id: string,
  options: { expectedVersion?: number | null; deleted?: 'refuse' | 'allow' | 'require' } = {},
): Promise<Row & Record<string, unknown>> {
  const definition = NODES[typename];
  const [row] = await rows<Row & Record<string, unknown>>(
    db,
    sql`select *, version::int as version, deleted_at::text as "deletedAt" from ${sql.raw(definition.name)} where id = ${id} for update`,
  );
  const shownId = globalId(typename, id);
  if (!row) throw new NotFoundError(typename, shownId);
  const deleted = options.deleted ?? 'refuse';
  if (row.deletedAt && deleted === 'refuse') {
    throw new NotFoundError(
      typename,
      shownId,
      `The ${typename} ${shownId} is deleted; restore it first (restore(id)) to change it.`,
    );
  }
  if (!row.deletedAt && deleted === 'require') {
    throw new NotFoundError(typename, shownId, `The ${typename} ${shownId} is not deleted.`);
  }
  if (options.expectedVersion != null && row.version !== options.expectedVersion) {
    throw new ConflictError(typename, row.version, options.expectedVersion);
  }
  return row;
}

/**
 * Moves nodes to their next version: `version + 1`, `updated_at = now()`, plus `changes`. Checks
 * the version again in the UPDATE itself, so a write can never skip one.
 */
export async function bumpVersions(
  db: Queryable,
  typename: RevisedNodeType,
  nodes: readonly { id: string; version: number }[],
  changes: SQL | null = null,
): Promise<void> {
  if (nodes.length === 0) return;
  const definition = NODES[typename];
  const set = changes ? sql`, ${changes}` : sql``;
  const matches = sql.join(
    nodes.map((n) => sql`(id = ${n.id} and version = ${n.version})`),
    sql` or `,
  );
  const updated = await rows<{ id: string }>(
    db,
    sql`update ${sql.raw(definition.name)} set version = version + 1, updated_at = now()${set} where ${matches} returning id`,
  );
  if (updated.length !== nodes.length) {
    const missing = nodes.find((n) => !updated.some((u) => u.id === n.id)) as { id: string; version: number };
    const [current] = await rows<{ version: number }>(
      db,
      sql`select version from ${sql.raw(definition.name)} where id = ${missing.id}`,
    );
    throw new ConflictError(typename, current?.version ?? missing.version + 1, missing.version);
  }
}

export type RevisionEntry = {
  typename: RevisedNodeType;
  id: string;
  version: number;
  operation: RevisionOperation;
  before: Snapshot | null;
  after: Snapshot | null;
};

/** Appends revisions, all stamped with the transaction's time and the writer's token name. */
export async function appendRevisions(
  db: Queryable,
  tokenName: string | null,
  entries: readonly RevisionEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const values = entries.map(
    (e) =>
      sql`(${e.typename}, ${e.id}, ${e.version}, ${e.operation}, ${tokenName}, ${json(e.before)}::jsonb, ${json(e.after)}::jsonb)`,
  );
  await db.execute(
    sql`insert into ${t.revisions} (node_type, node_id, version, operation, token_name, before, after) values ${sql.join(values, sql`, `)}`,
  );
}

const json = (value: unknown) => (value == null ? null : JSON.stringify(value));

/** Version the snapshot says the node is at. */
export const versionOf = (snapshot: Snapshot) => Number(snapshot.version);

/** The SET part every versioned write shares. */
export const nextVersion = () => ({ version: sql`version + 1`, updatedAt: sql`now()` });

/** An UPDATE … WHERE id = ? AND version = ? that matched nothing lost a race: report the conflict. */
export async function assertUpdated(
  db: Queryable,
  typename: RevisedNodeType,
  updated: readonly unknown[],
  node: { id: string; version: number },
): Promise<void> {
  if (updated.length > 0) return;
  const [current] = await rows<{ version: number }>(
    db,
    sql`select version from ${sql.raw(NODES[typename].name)} where id = ${node.id}`,
  );
  throw new ConflictError(typename, current?.version ?? node.version + 1, node.version);
}
