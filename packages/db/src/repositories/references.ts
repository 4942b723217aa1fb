// Checks the nodes a write points at: they exist, are not deleted, and are of a fitting kind. The
// rows are locked FOR SHARE, so a concurrent delete waits until this write is committed (and then
// sees the new reference) instead of slipping in between the check and the write.
import type { ActorKind } from '@chancery/domain/model';
import type { FieldError, FieldPath } from '@chancery/domain/write-errors';
import { ValidationError } from '@chancery/domain/write-errors';
import { sql } from 'drizzle-orm';
import { globalId } from './nodes.ts';
import { list, type Queryable, rows } from './sql.ts';

type ReferenceType = 'Actor' | 'Treaty' | 'TreatyProvision';

export type Reference = {
  typename: ReferenceType;
  id: string;
  /** Where the ID was given, for the error. */
  path: FieldPath;
  /** For actors: the kinds that may stand here, and what the actor is here ("a treaty party"). */
  kinds?: { allowed: ActorKind[]; as: string };
};

export type CheckedReferences = {
  /** The ID to store: a merged actor's ID becomes the surviving actor's. */
  resolve(typename: ReferenceType, id: string): string;
  /** The treaty each referenced provision belongs to. */
  treatyOfProvision(provisionId: string): string;
};

const TABLES: Record<ReferenceType, string> = {
  Actor: 'actors',
  Treaty: 'treaties',
  TreatyProvision: 'treaty_provisions',
};

type Found = {
  id: string;
  deleted: boolean;
  kind: ActorKind | null;
  merged_into_id: string | null;
  treaty_id: string | null;
};

/** Checks every reference; throws one ValidationError listing all that are wrong. */
export async function checkReferences(
  db: Queryable,
  references: readonly Reference[],
): Promise<CheckedReferences> {
  const found = new Map<string, Found>();
  const errors: FieldError[] = [];
  for (const typename of Object.keys(TABLES) as ReferenceType[]) {
    const ids = [...new Set(references.filter((r) => r.typename === typename).map((r) => r.id))];
    if (ids.length === 0) continue;
    for (const row of await lockRows(db, typename, ids)) found.set(`${typename}:${row.id}`, row);
  }
  // A merged actor stands for the actor it was merged into; that one is checked instead.
  const survivors = [...found.values()]
    .filter((row) => row.merged_into_id)
    .map((row) => row.merged_into_id as string);
  const survivorRows = new Map(
    (survivors.length ? await lockRows(db, 'Actor', [...new Set(survivors)]) : []).map((row) => [
      row.id,
      row,
    ]),
  );

  for (const reference of references) {
    let row = found.get(`${reference.typename}:${reference.id}`);
    const shown = globalId(reference.typename, reference.id);
    if (row?.merged_into_id) row = survivorRows.get(row.merged_into_id);
    if (!row) {
      errors.push({ path: reference.path, message: `no ${reference.typename} has the ID ${shown}` });
    } else if (row.deleted) {
      errors.push({
        path: reference.path,
        message: `${shown} is a deleted ${reference.typename}; restore it first or point at another`,
      });
    } else if (reference.kinds && row.kind && !reference.kinds.allowed.includes(row.kind)) {
      errors.push({
        path: reference.path,
        message: `${shown} is a ${row.kind}; ${reference.kinds.as} must be ${reference.kinds.allowed.join(' or ')}`,
      });
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);

  return {
    resolve(typename, id) {
      const row = found.get(`${typename}:${id}`);
      return row?.merged_into_id ?? id;
    },
    treatyOfProvision(provisionId) {
      const row = found.get(`TreatyProvision:${provisionId}`);
      if (!row?.treaty_id) throw new Error(`provision ${provisionId} was not checked`);
      return row.treaty_id;
    },
  };
}

function lockRows(db: Queryable, typename: ReferenceType, ids: readonly string[]): Promise<Found[]> {
  const kind = typename === 'Actor' ? sql`kind, merged_into_id` : sql`null as kind, null as merged_into_id`;
  const treaty = typename === 'TreatyProvision' ? sql`treaty_id` : sql`null as treaty_id`;
  return rows<Found>(
    db,
    sql`select id, deleted_at is not null as deleted, ${kind}, ${treaty} from ${sql.raw(TABLES[typename])}
        where id in ${list(ids)} order by id for share`,
  );
}

/** An actor that is a state or an organization (treaty parties, role organizations, bodies). */
export const institution = (as: string) => ({ allowed: ['STATE', 'ORGANIZATION'] as ActorKind[], as });
