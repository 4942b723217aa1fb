import { randomUUID } from 'node:crypto';
import type { TextSpanInput } from '@chancery/domain/inputs/common';
import type {
  ArticleStatementInput,
  CreateStatementCommand,
  UpdateStatementCommand,
} from '@chancery/domain/inputs/statement';
import { changedFields } from '@chancery/domain/revisions';
import { resolveSpan } from '@chancery/domain/span-rules';
import { type FieldError, type FieldPath, ValidationError } from '@chancery/domain/write-errors';
import { and, eq, sql } from 'drizzle-orm';
import { statementProvisions, statements, statementTreaties } from '../schema.ts';
import {
  appendRevisions,
  assertUpdated,
  loadSnapshot,
  loadSnapshots,
  lockNode,
  nextVersion,
} from './nodes.ts';
import { type CheckedReferences, checkReferences, type Reference } from './references.ts';
import { paragraphsForSpan } from './spans.ts';
import { list, type Queryable, rows } from './sql.ts';
import { inTransaction, inUpdateTransaction, type Tx, Unchanged, type Writer } from './transaction.ts';

type StatementRequest = Omit<ArticleStatementInput, 'source'> & { source: TextSpanInput };

function statementReferences(request: Partial<StatementRequest>, path: FieldPath): Reference[] {
  return [
    ...(request.speakerId
      ? [{ typename: 'Actor' as const, id: request.speakerId, path: [...path, 'speakerId'] }]
      : []),
    ...(request.treatyIds ?? []).map((id, i) => ({
      typename: 'Treaty' as const,
      id,
      path: [...path, 'treatyIds', String(i)],
    })),
    ...(request.provisionIds ?? []).map((id, i) => ({
      typename: 'TreatyProvision' as const,
      id,
      path: [...path, 'provisionIds', String(i)],
    })),
  ];
}

/** Checks references, gathering their errors with the caller's instead of stopping at them. */
export async function checkReferencesInto(
  db: Queryable,
  references: readonly Reference[],
  errors: FieldError[],
): Promise<CheckedReferences | null> {
  try {
    return await checkReferences(db, references);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    errors.push(...error.fieldErrors);
    return null;
  }
}

/** What a statement is about: the treaties named, and the treaty of every provision named. */
async function writeLinks(
  tx: Tx,
  statementId: string,
  treatyIds: readonly string[],
  provisionIds: readonly string[],
  treatyOf: (provisionId: string) => string,
): Promise<void> {
  const about = new Set([...treatyIds, ...provisionIds.map(treatyOf)]);
  await tx.delete(statementTreaties).where(eq(statementTreaties.statementId, statementId));
  await tx.delete(statementProvisions).where(eq(statementProvisions.statementId, statementId));
  if (about.size > 0) {
    await tx.insert(statementTreaties).values([...about].map((treatyId) => ({ statementId, treatyId })));
  }
  if (provisionIds.length > 0) {
    await tx
      .insert(statementProvisions)
      .values(provisionIds.map((provisionId) => ({ statementId, provisionId })));
  }
}

/**
 * Writes statements of one article, each checked against the article's paragraphs, in a fixed
 * number of SQL statements whatever their number. Returns the problems instead of throwing, so a
 * caller writing an article reports them with its own; its transaction then rolls back all of it.
 */
export async function writeStatements(
  tx: Tx,
  tokenName: string | null,
  article: { id: string; paragraphs: readonly string[]; publishedOn: string },
  items: readonly { request: StatementRequest; path: FieldPath }[],
): Promise<{ ids: string[]; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const checked = await checkReferencesInto(
    tx,
    items.flatMap((item) => statementReferences(item.request, item.path)),
    errors,
  );
  const spans = items.map(({ request, path }) => {
    const resolved = resolveSpan(article.paragraphs, request.source, [...path, 'source']);
    errors.push(...resolved.errors);
    return resolved.span;
  });
  if (errors.length > 0 || !checked || items.length === 0) return { ids: [], errors };

  const rows = items.map(({ request }, index) => {
    const span = spans[index] as NonNullable<(typeof spans)[number]>;
    return {
      id: randomUUID(),
      text: span.text,
      kind: request.kind,
      speakerId: request.speakerId ? checked.resolve('Actor', request.speakerId) : null,
      speakerRole: request.speakerRole ?? null,
      cue: request.cue ?? null,
      saidOn: request.saidOn ?? article.publishedOn,
      occasion: request.occasion ?? null,
      articleId: article.id,
      paragraph: span.paragraph,
      start: span.start,
      end: span.end,
      attributionMethod: request.attribution?.method ?? ('MANUAL' as const),
      attributionConfidence: request.attribution?.confidence ?? 1,
    };
  });
  await tx.insert(statements).values(rows);
  // What each statement is about: the treaties named, and the treaty of every provision named.
  const about = rows.flatMap((row, index) => {
    const { treatyIds = [], provisionIds = [] } = items[index]?.request ?? {};
    const treaties = new Set([...(treatyIds ?? []), ...(provisionIds ?? []).map(checked.treatyOfProvision)]);
    return [...treaties].map((treatyId) => ({ statementId: row.id, treatyId }));
  });
  if (about.length > 0) await tx.insert(statementTreaties).values(about);
  const provisions = rows.flatMap((row, index) =>
    (items[index]?.request.provisionIds ?? []).map((provisionId) => ({ statementId: row.id, provisionId })),
  );
  if (provisions.length > 0) await tx.insert(statementProvisions).values(provisions);

  const ids = rows.map((row) => row.id);
  const afters = await loadSnapshots(tx, 'Statement', ids);
  await appendRevisions(
    tx,
    tokenName,
    ids.map((id) => ({
      typename: 'Statement' as const,
      id,
      version: 1,
      operation: 'CREATE' as const,
      before: null,
      after: afters.get(id) ?? null,
    })),
  );
  return { ids, errors };
}

async function treatiesOfProvisions(db: Queryable, ids: readonly string[]): Promise<(id: string) => string> {
  const found = await rows<{ id: string; treaty_id: string }>(
    db,
    sql`select id, treaty_id from treaty_provisions where id in ${list([...new Set(ids)])}`,
  );
  const byId = new Map(found.map((row) => [row.id, row.treaty_id]));
  return (id) => byId.get(id) as string;
}

/** The day an article was published, the default for when its statements were made. */
export async function publishedOn(db: Queryable, articleId: string): Promise<string> {
  const [row] = await rows<{ day: string }>(
    db,
    sql`select to_char(published_at at time zone 'UTC', 'YYYY-MM-DD') as day from articles where id = ${articleId}`,
  );
  return row?.day ?? new Date().toISOString().slice(0, 10);
}

export async function createStatement(
  writer: Writer,
  command: CreateStatementCommand,
): Promise<{ id: string }> {
  const { source, ...request } = command.input;
  return inTransaction(writer.db, async (tx) => {
    const paragraphs = await paragraphsForSpan(tx, source.articleId, ['input', 'source', 'articleId']);
    const { ids, errors } = await writeStatements(
      tx,
      writer.tokenName,
      { id: source.articleId, paragraphs, publishedOn: await publishedOn(tx, source.articleId) },
      [{ request: { ...request, source }, path: ['input'] }],
    );
    if (errors.length > 0) throw new ValidationError(errors);
    return { id: ids[0] as string };
  });
}

export async function updateStatement(
  writer: Writer,
  command: UpdateStatementCommand,
): Promise<{ id: string; changed: boolean }> {
  const { id, expectedVersion, input } = command;
  const { changed } = await inUpdateTransaction(writer.db, async (tx) => {
    // The article first (its paragraphs must not change under the span), then the statement.
    const paragraphs = input.source
      ? await paragraphsForSpan(tx, input.source.articleId, ['input', 'source', 'articleId'])
      : null;
    const current = await lockNode(tx, 'Statement', id, { expectedVersion });
    const before = await loadSnapshot(tx, 'Statement', id);
    const errors: FieldError[] = [];
    const checked = await checkReferencesInto(tx, statementReferences(input, ['input']), errors);
    const span =
      input.source && paragraphs ? resolveSpan(paragraphs, input.source, ['input', 'source']) : null;
    if (span && !span.span) errors.push(...span.errors);
    if (errors.length > 0 || !checked) throw new ValidationError(errors);

    const updated = await tx
      .update(statements)
      .set({
        ...nextVersion(),
        ...(span?.span && input.source
          ? {
              articleId: input.source.articleId,
              paragraph: span.span.paragraph,
              start: span.span.start,
              end: span.span.end,
              text: span.span.text,
            }
          : {}),
        kind: input.kind,
        speakerId:
          input.speakerId === undefined
            ? undefined
            : input.speakerId && checked.resolve('Actor', input.speakerId),
        speakerRole: input.speakerRole,
        cue: input.cue,
        saidOn: input.saidOn,
        occasion: input.occasion,
        attributionMethod: input.attribution?.method,
        attributionConfidence: input.attribution?.confidence,
      })
      .where(and(eq(statements.id, id), eq(statements.version, current.version)))
      .returning({ id: statements.id });
    await assertUpdated(tx, 'Statement', updated, current);

    if (input.treatyIds !== undefined || input.provisionIds !== undefined) {
      const oldProvisions = (before.provisions as string[]) ?? [];
      const provisions = input.provisionIds ?? oldProvisions;
      const treatyOf = await treatiesOfProvisions(tx, [...oldProvisions, ...provisions]);
      // Without treatyIds, keep the treaties named outright and drop those that only came with a
      // provision no longer listed.
      const treaties =
        input.treatyIds ??
        ((before.treaties as string[]) ?? []).filter(
          (treaty) => !oldProvisions.some((provision) => treatyOf(provision) === treaty),
        );
      await writeLinks(tx, id, treaties, provisions, treatyOf);
    }

    const after = await loadSnapshot(tx, 'Statement', id);
    if (changedFields(before, after).length === 0) throw new Unchanged();
    await appendRevisions(tx, writer.tokenName, [
      { typename: 'Statement', id, version: current.version + 1, operation: 'UPDATE', before, after },
    ]);
  });
  return { id, changed };
}
