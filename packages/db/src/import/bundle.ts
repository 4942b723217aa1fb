// Bundles: every stored record as NDJSON, one typed line per row, for backups, moving data between
// engines and fixtures. `exportBundle` writes them in a stable order with stable formatting;
// `importBundle` reads them back in one transaction, so importing an export into an empty database
// and exporting again gives the same bytes.
//
// A line is `{"type":"Actor","data":{…columns}}`: column names as in the database, values as
// PostgreSQL prints them in JSON with the time zone set to UTC. Columns the database derives (search vectors,
// generated columns) are left out; API tokens are never exported. The first line names the format
// and the schema migrations the records fit.
//
// A bundle carries its records' history (the Revision lines), so importing one restores that
// history as it was rather than appending revisions of its own: the import is a restore, not an
// edit, and that is what keeps export → import → export byte-identical.
import type { TreatyActionType, TreatyStatus } from '@chancery/domain/model';
import { sourceSpanProblem } from '@chancery/domain/provenance';
import { treatyStatusFromActions } from '@chancery/domain/treaty-status';
import { type SQL, sql } from 'drizzle-orm';
import type { ChanceryDb } from '../database.ts';
import { maintainedColumns } from '../maintained-columns.ts';
import { postgresError, type Queryable, rows } from '../repositories/sql.ts';
import { isCalendarDate } from './dates.ts';
import { databaseMessage, ImportError } from './errors.ts';
import type { NumberedLine } from './lines.ts';

export const BUNDLE_FORMAT = 1;

/** Tables in the order their rows are written and read: every row after the rows it points at. */
export const BUNDLE_TABLES = [
  // Survivors of a merge before the actors merged into them.
  { type: 'Actor', table: 'actors', order: ['t.merged_into_id is not null', 'id'] },
  { type: 'ActorRole', table: 'actor_roles', order: ['id'] },
  { type: 'Treaty', table: 'treaties', order: ['id'] },
  { type: 'TreatyParty', table: 'treaty_parties', order: ['treaty_id', 'position', 'actor_id'] },
  { type: 'TreatyProvision', table: 'treaty_provisions', order: ['id'] },
  {
    type: 'ProvisionReference',
    table: 'provision_references',
    order: ['from_provision_id', 'to_provision_id'],
  },
  { type: 'Article', table: 'articles', order: ['id'] },
  { type: 'ArticleParagraph', table: 'article_paragraphs', order: ['article_id', 'index'] },
  { type: 'ArticleMention', table: 'article_mentions', order: ['id'] },
  { type: 'ArticleActor', table: 'article_actors', order: ['article_id', 'actor_id'] },
  { type: 'ArticleTreaty', table: 'article_treaties', order: ['article_id', 'treaty_id'] },
  { type: 'TreatyAction', table: 'treaty_actions', order: ['id'] },
  { type: 'Statement', table: 'statements', order: ['id'] },
  { type: 'StatementTreaty', table: 'statement_treaties', order: ['statement_id', 'treaty_id'] },
  { type: 'StatementProvision', table: 'statement_provisions', order: ['statement_id', 'provision_id'] },
  { type: 'Revision', table: 'revisions', order: ['node_id', 'version'] },
] as const;

/**
 * Tables a bundle never holds. The change log is this database's own record of its writes: a
 * restore logs the records it brings in as changes of its own. Sessions are credentials, as tokens are.
 * Where feed items came from and what `chancery watch` saw (source_items, source_states) belong to the
 * database that fetched them: another database fetches for itself. Webhook endpoints hold signing
 * secrets (credentials) and positions in this database's change log; their deliveries and gaps are its own.
 */
export const NOT_IN_BUNDLES = [
  'api_tokens',
  'editor_sessions',
  'change_log',
  'source_items',
  'source_states',
  'webhook_endpoints',
  'webhook_deliveries',
  'webhook_gaps',
] as const;

type Column = {
  name: string;
  dataType: string;
  udtName: string;
  nullable: boolean;
  default: string | null;
  generated: boolean;
};
type ForeignKey = { columns: string[]; table: string; refColumns: string[] };
type TableInfo = {
  type: string;
  table: string;
  order: readonly string[];
  /** The columns a line carries, in table order. */
  columns: Column[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
};

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
const TYPE_OF_TABLE = new Map<string, string>(BUNDLE_TABLES.map((b) => [b.table, b.type]));

/** The bundle tables as this database has them: columns, primary and foreign keys. */
async function describeTables(db: Queryable): Promise<TableInfo[]> {
  const names = BUNDLE_TABLES.map((b) => b.table);
  const columns = await rows<Column & { table: string }>(
    db,
    sql`select table_name as "table", column_name as name, data_type as "dataType", udt_name as "udtName",
          is_nullable = 'YES' as nullable, column_default as "default", is_generated = 'ALWAYS' as generated
        from information_schema.columns
        where table_schema = current_schema() and table_name in (${sql.join(
          names.map((n) => sql`${n}`),
          sql`, `,
        )})
        order by table_name, ordinal_position`,
  );
  const constraints = await rows<{
    table: string;
    kind: 'p' | 'f';
    refTable: string | null;
    columns: string[];
    refColumns: string[] | null;
  }>(
    db,
    sql`select cl.relname::text as "table", con.contype::text as kind, rcl.relname::text as "refTable",
          (select array_agg(a.attname::text order by k.i) from unnest(con.conkey) with ordinality k(n, i)
             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n) as columns,
          (select array_agg(a.attname::text order by k.i) from unnest(con.confkey) with ordinality k(n, i)
             join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n) as "refColumns"
        from pg_constraint con
        join pg_class cl on cl.oid = con.conrelid
        left join pg_class rcl on rcl.oid = con.confrelid
        where con.contype in ('p', 'f') and cl.relnamespace = current_schema()::regnamespace
        order by cl.relname, con.conname`,
  );
  return BUNDLE_TABLES.map((b) => ({
    type: b.type,
    table: b.table,
    order: b.order,
    columns: columns.filter(
      (c) =>
        c.table === b.table &&
        !c.generated &&
        c.udtName !== 'tsvector' &&
        !maintainedColumns[b.table]?.includes(c.name),
    ),
    primaryKey: constraints.find((c) => c.table === b.table && c.kind === 'p')?.columns ?? [],
    foreignKeys: constraints
      .filter((c) => c.table === b.table && c.kind === 'f')
      .map((c) => ({ columns: c.columns, table: c.refTable as string, refColumns: c.refColumns ?? [] })),
  }));
}

async function appliedMigrations(db: Queryable): Promise<string[]> {
  return (await rows<{ name: string }>(db, sql`select name from chancery_migrations order by name`)).map(
    (r) => r.name,
  );
}

const CURSOR_PAGE = 2000;

/** The SELECT of a table's exported columns as one JSON object per row, in bundle order. */
function rowsAsJson(info: TableInfo, where: SQL = sql``): SQL {
  const columns = info.columns.map((c) => `t.${quote(c.name)}`).join(', ');
  // A plain name is a column; anything else is an SQL expression over the table aliased `t`.
  const order = info.order.map((o) => (/^[a-z_]+$/.test(o) ? `t.${quote(o)}` : `(${o})`)).join(', ');
  return sql`select row_to_json(r)::text as json from (select ${sql.raw(columns)} from ${sql.raw(quote(info.table))} t ${where} order by ${sql.raw(order)}) r`;
}

export type BundleCounts = Record<string, number>;

/**
 * Writes every record, table by table, through `write` (one line at a time, each ending in a
 * newline). Reads one consistent snapshot of the database.
 */
export async function exportBundle(
  db: ChanceryDb,
  write: (line: string) => void | Promise<void>,
  options: { onRecord?: () => void } = {},
): Promise<{ records: number; byType: BundleCounts }> {
  return db.transaction(async (tx) => {
    // A snapshot: records written meanwhile by others are either all in the bundle or all out.
    await tx.execute(sql`set transaction isolation level repeatable read`);
    await tx.execute(sql`set local timezone = 'UTC'`);
    const tables = await describeTables(tx);
    await write(
      `${JSON.stringify({ type: 'Bundle', data: { format: BUNDLE_FORMAT, migrations: await appliedMigrations(tx) } })}\n`,
    );
    const byType: BundleCounts = {};
    let records = 0;
    for (const info of tables) {
      byType[info.type] = 0;
      await tx.execute(sql`declare chancery_bundle no scroll cursor for ${rowsAsJson(info)}`);
      for (;;) {
        const page = await rows<{ json: string }>(tx, sql.raw(`fetch ${CURSOR_PAGE} from chancery_bundle`));
        for (const row of page) {
          await write(
            `{"type":${JSON.stringify(info.type)},"data":${JSON.stringify(JSON.parse(row.json))}}\n`,
          );
          byType[info.type] = (byType[info.type] ?? 0) + 1;
          records++;
          options.onRecord?.();
        }
        if (page.length < CURSOR_PAGE) break;
      }
      await tx.execute(sql`close chancery_bundle`);
    }
    return { records, byType };
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** What is wrong with a value for a column, or null. */
function valueProblem(column: Column, value: unknown): string | null {
  if (value === null) return column.nullable ? null : 'must not be null';
  switch (column.udtName) {
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? null : 'must be a UUID';
    case 'int2':
    case 'int4':
    case 'int8':
      return Number.isInteger(value) ? null : 'must be a whole number';
    case 'float4':
    case 'float8':
    case 'numeric':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'text':
    case 'varchar':
      return typeof value === 'string' ? null : 'must be a string';
    case '_text':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? null
        : 'must be a list of strings';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? null : 'must be a date (YYYY-MM-DD)';
    case 'timestamptz':
    case 'timestamp':
      return typeof value === 'string' &&
        INSTANT.test(value) &&
        !Number.isNaN(Date.parse(value.replace(' ', 'T')))
        ? null
        : 'must be an ISO 8601 timestamp';
    case 'bool':
      return typeof value === 'boolean' ? null : 'must be true or false';
    default:
      return null;
  }
}

type PendingRow = { line: number; record: Record<string, unknown> };

export type BundleImportResult = {
  /** Records written, by type. */
  created: BundleCounts;
  /** Records the database already had, exactly as in the bundle (left as they were). */
  existing: BundleCounts;
  warnings: string[];
};

class DryRunRollback extends Error {}

/**
 * Imports a bundle in one transaction: all of it or, at the first bad line, none of it. A record
 * that is already stored exactly as in the bundle is left alone (importing a bundle twice changes
 * nothing); one stored differently, or a line that points at a record that is neither earlier in
 * the bundle nor stored, is an error naming the line.
 */
export async function importBundle(
  db: ChanceryDb,
  lines: AsyncIterable<NumberedLine>,
  options: { dryRun?: boolean; onRecord?: () => void } = {},
): Promise<BundleImportResult> {
  let result: BundleImportResult | null = null;
  try {
    await db.transaction(async (tx) => {
      result = await importInto(tx, lines, options.onRecord);
      if (options.dryRun) throw new DryRunRollback('dry run');
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return result as unknown as BundleImportResult;
}

async function importInto(
  tx: Queryable,
  lines: AsyncIterable<NumberedLine>,
  onRecord?: () => void,
): Promise<BundleImportResult> {
  await tx.execute(sql`set local timezone = 'UTC'`);
  const tables = await describeTables(tx);
  const byType = new Map(tables.map((t) => [t.type, t]));
  const result: BundleImportResult = { created: {}, existing: {}, warnings: [] };
  const insertedTreaties: string[] = [];
  // Records that quote an article, with their lines: their spans are checked once all is in.
  const cited = new Map<string, { table: string; line: number }>();
  let batch: PendingRow[] = [];
  let batchInfo: TableInfo | null = null;
  let sawRecord = false;

  const flush = async () => {
    if (!batchInfo || batch.length === 0) return;
    const info = batchInfo;
    const lineOf = new Map(batch.map((row) => [String(row.record.id), row.line]));
    const inserted = await storeBatch(tx, info, batch, result, tables);
    if (info.table === 'treaties') insertedTreaties.push(...inserted);
    if (info.table in SPANS)
      for (const id of inserted) cited.set(id, { table: info.table, line: lineOf.get(id) ?? 0 });
    batch = [];
  };

  for await (const { line, text } of lines) {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw new ImportError(
        `the line is not JSON (${error instanceof Error ? error.message : String(error)})`,
        line,
      );
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      throw new ImportError(
        'the line is not a JSON object; every bundle line is {"type": …, "data": {…}}',
        line,
      );
    }
    const { type, data, ...rest } = record as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) {
      throw new ImportError(
        `a bundle line has only "type" and "data"; this one also has ${extra.map((k) => JSON.stringify(k)).join(', ')}`,
        line,
      );
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw new ImportError(
        'the line has no "data" object; every bundle line is {"type": …, "data": {…}}',
        line,
      );
    }
    const fields = data as Record<string, unknown>;
    if (type === 'Bundle') {
      if (sawRecord) throw new ImportError('a Bundle header line may only come first', line);
      await checkHeader(tx, fields, line);
      continue;
    }
    const info = typeof type === 'string' ? byType.get(type) : undefined;
    if (!info) {
      throw new ImportError(
        `${JSON.stringify(type ?? null)} is not a record type; expected one of ${[...byType.keys()].join(', ')}`,
        line,
      );
    }
    sawRecord = true;
    const known = new Set(info.columns.map((c) => c.name));
    const unknown = Object.keys(fields).filter((key) => !known.has(key));
    if (unknown.length > 0) {
      throw new ImportError(
        `${info.type} has no field ${unknown.map((k) => JSON.stringify(k)).join(', ')}; its fields are ${[...known].join(', ')}`,
        line,
      );
    }
    for (const column of info.columns) {
      if (!(column.name in fields)) {
        if (column.default !== null) continue;
        if (column.nullable) continue;
        throw new ImportError(`the ${info.type} has no ${column.name}, which it needs`, line);
      }
      const problem = valueProblem(column, fields[column.name]);
      if (problem)
        throw new ImportError(
          `${info.type}.${column.name} ${problem} (got ${JSON.stringify(fields[column.name])?.slice(0, 60)})`,
          line,
        );
    }
    if (batchInfo !== info || batch.length >= BATCH) {
      await flush();
      batchInfo = info;
    }
    batch.push({ line, record: fields });
    onRecord?.();
  }
  await flush();
  await checkSpans(tx, cited);
  await refreshTreatyStatuses(tx, insertedTreaties, result);
  return result;
}

const BATCH = 500;

async function checkHeader(db: Queryable, header: Record<string, unknown>, line: number): Promise<void> {
  if (header.format !== BUNDLE_FORMAT) {
    throw new ImportError(
      `the bundle is in format ${JSON.stringify(header.format)}; this version of Chancery reads format ${BUNDLE_FORMAT}`,
      line,
    );
  }
  const theirs = Array.isArray(header.migrations) ? header.migrations.map(String) : [];
  const ours = new Set(await appliedMigrations(db));
  const missing = theirs.filter((name) => !ours.has(name));
  if (missing.length > 0) {
    throw new ImportError(
      `the bundle was written by a database with migrations this one lacks (${missing.join(', ')}); run \`chancery migrate\` with a newer Chancery first`,
      line,
    );
  }
}

const describeKey = (columns: readonly string[], values: readonly unknown[]) =>
  columns.map((c, i) => `${c} ${JSON.stringify(values[i])}`).join(', ');

/** Checks, inserts and reconciles one batch of rows of one table. Returns the IDs it inserted. */
async function storeBatch(
  db: Queryable,
  info: TableInfo,
  batch: PendingRow[],
  result: BundleImportResult,
  tables: readonly TableInfo[],
): Promise<string[]> {
  // 1. Every reference points at a record earlier in this batch, earlier in the bundle (already
  //    inserted in this transaction) or already stored.
  for (const fk of info.foreignKeys) {
    const wanted = new Map<string, { values: unknown[]; line: number }>();
    for (const row of batch) {
      const values = fk.columns.map((c) => row.record[c] ?? null);
      if (values.some((v) => v === null)) continue;
      const key = JSON.stringify(values);
      if (!wanted.has(key)) wanted.set(key, { values, line: row.line });
    }
    if (fk.table === info.table) {
      for (const row of batch) wanted.delete(JSON.stringify(fk.refColumns.map((c) => row.record[c] ?? null)));
    }
    if (wanted.size === 0) continue;
    const tuples = [...wanted.values()];
    const keyColumns = fk.refColumns.map((c) => `r.${quote(c)}`);
    // Typed like the referenced columns, so the lookup uses their index. (A join with the wanted
    // keys rather than `(a, b) in ((…), …)`: PGlite answered that with no rows.)
    const refColumns = tables.find((t) => t.table === fk.table)?.columns ?? [];
    const casts = fk.refColumns.map((c) => refColumns.find((column) => column.name === c)?.udtName ?? 'text');
    const wantedJson = JSON.stringify(
      tuples.map((t) => Object.fromEntries(t.values.map((v, i) => [`c${i}`, v]))),
    );
    const found = await rows<{ key: string }>(
      db,
      sql`select json_build_array(${sql.raw(keyColumns.join(', '))})::text as key from ${sql.raw(quote(fk.table))} r
          join jsonb_to_recordset(${wantedJson}::jsonb) as v(${sql.raw(casts.map((cast, i) => `c${i} ${cast}`).join(', '))})
            on ${sql.raw(keyColumns.map((c, i) => `${c} = v.c${i}`).join(' and '))}`,
    );
    const present = new Set(
      found.map((f) => JSON.stringify(JSON.parse(f.key).map((v: unknown) => String(v).toLowerCase()))),
    );
    for (const tuple of tuples) {
      if (present.has(JSON.stringify(tuple.values.map((v) => String(v).toLowerCase())))) continue;
      const target = TYPE_OF_TABLE.get(fk.table) ?? fk.table;
      throw new ImportError(
        `the ${info.type} refers to the ${target} with ${describeKey(fk.refColumns, tuple.values)} (its ${fk.columns.join(', ')}), which is neither earlier in the bundle nor in the database`,
        tuple.line,
      );
    }
  }

  // 2. Which rows are stored already, and whether exactly so.
  const documents = JSON.stringify(batch.map((row) => row.record));
  const keyMatch = info.primaryKey.map((c) => `t.${quote(c)} = x.${quote(c)}`).join(' and ');
  const sameColumns = info.columns
    .filter((c) => c.name in (batch[0]?.record ?? {}) || c.default === null)
    .map((c) => quote(c.name));
  const state = await rows<{ n: number; exists: boolean; same: boolean }>(
    db,
    sql`select e.n::int as n, t.${sql.raw(quote(info.primaryKey[0] as string))} is not null as exists,
          coalesce((${sql.raw(sameColumns.map((c) => `t.${c}`).join(', '))}) is not distinct from (${sql.raw(sameColumns.map((c) => `x.${c}`).join(', '))}), false) as same
        from jsonb_array_elements(${documents}::jsonb) with ordinality e(doc, n)
        cross join lateral jsonb_populate_record(null::${sql.raw(quote(info.table))}, e.doc) x
        left join ${sql.raw(quote(info.table))} t on ${sql.raw(keyMatch)}
        order by e.n`,
  );
  const fresh: PendingRow[] = [];
  for (const s of state) {
    const row = batch[s.n - 1] as PendingRow;
    if (!s.exists) fresh.push(row);
    else if (s.same) result.existing[info.type] = (result.existing[info.type] ?? 0) + 1;
    else {
      throw new ImportError(
        `the ${info.type} with ${describeKey(
          info.primaryKey,
          info.primaryKey.map((c) => row.record[c]),
        )} is already stored, with different content; a bundle only adds records (import it into an empty database, or delete the stored one first)`,
        row.line,
      );
    }
  }
  if (fresh.length === 0) return [];

  // 3. Insert the new rows in one statement; if the database refuses, find the line it refused.
  await insertRows(db, info, fresh);
  result.created[info.type] = (result.created[info.type] ?? 0) + fresh.length;
  return info.primaryKey.length === 1 && info.primaryKey[0] === 'id'
    ? fresh.map((r) => String(r.record.id))
    : [];
}

function insertStatement(info: TableInfo, rowsToInsert: readonly PendingRow[]): SQL {
  const names = info.columns.map((c) => quote(c.name));
  // A field left out takes the column's default, as in an INSERT that does not name it.
  const values = info.columns.map((c) =>
    c.default !== null ? `coalesce(x.${quote(c.name)}, ${c.default})` : `x.${quote(c.name)}`,
  );
  return sql`insert into ${sql.raw(quote(info.table))} (${sql.raw(names.join(', '))})
    select ${sql.raw(values.join(', '))} from jsonb_populate_recordset(null::${sql.raw(quote(info.table))}, ${JSON.stringify(
      rowsToInsert.map((r) => r.record),
    )}::jsonb) x`;
}

async function insertRows(db: Queryable, info: TableInfo, fresh: PendingRow[]): Promise<void> {
  await db.execute(sql`savepoint chancery_bundle_batch`);
  try {
    await db.execute(insertStatement(info, fresh));
    await db.execute(sql`release savepoint chancery_bundle_batch`);
    return;
  } catch (error) {
    await db.execute(sql`rollback to savepoint chancery_bundle_batch`);
    if (!postgresError(error)) throw error;
  }
  // One row at a time, to name the line the database refuses.
  for (const row of fresh) {
    try {
      await db.execute(insertStatement(info, [row]));
    } catch (error) {
      const failure = postgresError(error);
      if (!failure) throw error;
      throw new ImportError(`the database refused the ${info.type}: ${databaseMessage(error)}`, row.line);
    }
  }
  // The rows went in one by one but not together: a conflict among the batch's own rows.
  throw new ImportError(
    `the database refused a batch of ${info.type} records that it accepts one by one`,
    fresh[0]?.line ?? null,
  );
}

/** The span columns of the records that quote an article paragraph. */
const SPANS: Record<
  string,
  { article: string; paragraph: string; start: string; end: string; text: string }
> = {
  statements: { article: 'article_id', paragraph: 'paragraph', start: 'start', end: 'end', text: 'text' },
  article_mentions: {
    article: 'article_id',
    paragraph: 'paragraph',
    start: 'start',
    end: 'end',
    text: 'text',
  },
  treaty_actions: {
    article: 'source_article_id',
    paragraph: 'source_paragraph',
    start: 'source_start',
    end: 'source_end',
    text: 'source_text',
  },
};

/**
 * The provenance invariant on what a bundle brought in: every span reads exactly its text in its
 * paragraph (in UTF-16 units, as clients index strings, hence checked here rather than in SQL).
 */
async function checkSpans(db: Queryable, cited: Map<string, { table: string; line: number }>): Promise<void> {
  for (const [table, columns] of Object.entries(SPANS)) {
    const ids = [...cited].filter(([, c]) => c.table === table).map(([id]) => id);
    for (let i = 0; i < ids.length; i += BATCH) {
      const found = await rows<{
        id: string;
        paragraph: number;
        start: number;
        end: number;
        text: string;
        body: string;
      }>(
        db,
        sql`select r.id, r.${sql.raw(quote(columns.paragraph))} as paragraph, r.${sql.raw(quote(columns.start))} as start,
              r.${sql.raw(quote(columns.end))} as "end", r.${sql.raw(quote(columns.text))} as text, p.text as body
            from ${sql.raw(quote(table))} r
            join article_paragraphs p on p.article_id = r.${sql.raw(quote(columns.article))} and p.index = r.${sql.raw(quote(columns.paragraph))}
            where r.id in (${sql.join(
              ids.slice(i, i + BATCH).map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`,
      );
      for (const span of found) {
        const paragraphs: string[] = [];
        paragraphs[span.paragraph] = span.body;
        const problem = sourceSpanProblem(paragraphs, span);
        if (problem) {
          const type = TYPE_OF_TABLE.get(table) ?? table;
          throw new ImportError(
            `the ${type}'s span does not match its article: ${problem}`,
            cited.get(span.id)?.line ?? null,
          );
        }
      }
    }
  }
}

/** A treaty's status follows from its actions (treatyStatusFromActions); a bundle's may be stale. */
async function refreshTreatyStatuses(
  db: Queryable,
  treatyIds: readonly string[],
  result: BundleImportResult,
): Promise<void> {
  for (let i = 0; i < treatyIds.length; i += BATCH) {
    const ids = treatyIds.slice(i, i + BATCH);
    const facts = await rows<{
      id: string;
      status: TreatyStatus;
      actions: { type: TreatyActionType; date: string | null; actorId: string | null }[];
      parties: string[];
    }>(
      db,
      sql`select t.id, t.status,
            coalesce((select json_agg(json_build_object('type', a.type, 'date', a.date::text, 'actorId', a.actor_id)
              order by a.created_at, a.id) from treaty_actions a where a.treaty_id = t.id and a.deleted_at is null), '[]') as actions,
            coalesce((select json_agg(p.actor_id order by p.position) from treaty_parties p where p.treaty_id = t.id), '[]') as parties
          from treaties t where t.id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
    );
    for (const treaty of facts) {
      const status = treatyStatusFromActions(treaty.actions, treaty.parties);
      if (status === treaty.status) continue;
      await db.execute(sql`update treaties set status = ${status} where id = ${treaty.id}`);
      result.warnings.push(
        `treaty ${treaty.id} had status ${treaty.status} in the bundle; its actions give ${status}, which was stored`,
      );
    }
  }
}
