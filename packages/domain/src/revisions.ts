// The revision history of nodes: what kinds of change there are, and how a stored snapshot (a row
// and the children it owns, keyed by column name) is shown to API clients.
import { encodeGlobalId } from './global-id.ts';

export const REVISED_NODE_TYPES = [
  'Actor',
  'Treaty',
  'TreatyProvision',
  'TreatyAction',
  'Article',
  'Statement',
] as const;
export type RevisedNodeType = (typeof REVISED_NODE_TYPES)[number];

export const REVISION_OPERATIONS = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'RESTORE',
  'PUBLISH',
  'UNPUBLISH',
  'WITHDRAW',
  'MERGE',
  'PURGE',
] as const;
export type RevisionOperation = (typeof REVISION_OPERATIONS)[number];

/** A record as stored in a revision: column names as keys, owned children as nested lists. */
export type Snapshot = Record<string, unknown>;

// Columns that hold the ID of another node, by the type of node they point at.
const REFERENCE_COLUMNS: Record<string, RevisedNodeType> = {
  actor_id: 'Actor',
  organization_id: 'Actor',
  speaker_id: 'Actor',
  publisher_id: 'Actor',
  body_id: 'Actor',
  merged_into_id: 'Actor',
  treaty_id: 'Treaty',
  provision_id: 'TreatyProvision',
  article_id: 'Article',
  source_article_id: 'Article',
};
// Owned lists of plain node IDs.
const REFERENCE_LISTS: Record<string, RevisedNodeType> = {
  refers_to: 'TreatyProvision',
  treaties: 'Treaty',
  provisions: 'TreatyProvision',
};
// Bookkeeping that says nothing about what a change did.
const UNTRACKED = new Set(['id', 'version', 'created_at', 'updated_at']);

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A snapshot as API clients see it: field names as in the GraphQL schema's style (camelCase),
 * node references as the opaque IDs the API hands out, internal row IDs of owned children left out.
 */
export function presentSnapshot(nodeType: RevisedNodeType, snapshot: Snapshot | null): Snapshot | null {
  if (!snapshot) return null;
  return presentRow(snapshot, nodeType);
}

function presentRow(row: Snapshot, nodeType: RevisedNodeType | null): Snapshot {
  const shown: Snapshot = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'id') {
      if (nodeType && typeof value === 'string') shown.id = encodeGlobalId(nodeType, value);
      continue;
    }
    shown[camel(key)] = presentValue(key, value);
  }
  return shown;
}

function presentValue(key: string, value: unknown): unknown {
  const reference = REFERENCE_COLUMNS[key];
  if (reference && typeof value === 'string') return encodeGlobalId(reference, value);
  const list = REFERENCE_LISTS[key];
  if (list && Array.isArray(value)) {
    return value.map((id) => (typeof id === 'string' ? encodeGlobalId(list, id) : id));
  }
  if (Array.isArray(value)) {
    return value.map((item) =>
      item && typeof item === 'object' && !Array.isArray(item) ? presentRow(item as Snapshot, null) : item,
    );
  }
  return value;
}

/** The fields (camelCase, sorted) whose values differ between two snapshots of one node. */
export function changedFields(before: Snapshot | null, after: Snapshot | null): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changed: string[] = [];
  for (const key of keys) {
    if (UNTRACKED.has(key)) continue;
    if (!sameValue(before?.[key], after?.[key])) changed.push(camel(key));
  }
  return changed.sort();
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return a === null || b === null;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (!sameValue((a as Snapshot)[key], (b as Snapshot)[key])) return false;
  }
  return true;
}
