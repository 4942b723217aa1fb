// Carries out a story plan inside the caller's transaction: multi-row INSERTs for what is new, a
// new version of the article when the story changed, and one revision for every record created or
// changed, appended with the write path's own appendRevisions so that history reads the same
// whichever way a record came in.
import type { RevisedNodeType, Snapshot } from '@chancery/domain/revisions';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  appendRevisions,
  assertUpdated,
  loadSnapshots,
  nextVersion,
  type RevisionEntry,
} from '../repositories/nodes.ts';
import type { Queryable } from '../repositories/sql.ts';
import type { Tx } from '../repositories/transaction.ts';
import * as t from '../schema.ts';
import type { PlannedStatement, StoryPlan } from './plan.ts';

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const CHUNK = 1000;

async function insertChunks<Row>(
  rows: readonly Row[],
  insert: (chunk: Row[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

async function snapshots(
  db: Queryable,
  typename: RevisedNodeType,
  ids: readonly string[],
): Promise<Map<string, Snapshot>> {
  return ids.length === 0 ? new Map() : loadSnapshots(db, typename, ids);
}

function statementRow(articleId: string, s: PlannedStatement) {
  return {
    id: s.id,
    text: s.text,
    kind: s.kind,
    speakerId: s.speakerId,
    speakerRole: s.speakerRole,
    cue: s.cue,
    saidOn: s.saidOn,
    occasion: null,
    articleId,
    paragraph: s.paragraph,
    start: s.start,
    end: s.end,
    attributionMethod: s.method,
    attributionConfidence: s.confidence,
  };
}

async function linkStatements(tx: Tx, statements: readonly PlannedStatement[]): Promise<void> {
  const treaties = statements.flatMap((s) =>
    s.treatyIds.map((treatyId) => ({ statementId: s.id, treatyId })),
  );
  const provisions = statements.flatMap((s) =>
    s.provisionIds.map((provisionId) => ({ statementId: s.id, provisionId })),
  );
  await insertChunks(treaties, (chunk) => tx.insert(t.statementTreaties).values(chunk));
  await insertChunks(provisions, (chunk) => tx.insert(t.statementProvisions).values(chunk));
}

/** Writes a plan; `tokenName` is recorded on every revision. Does nothing for an unchanged story. */
export async function writePlan(tx: Tx, tokenName: string | null, plan: StoryPlan): Promise<void> {
  if (plan.outcome === 'unchanged') return;
  const { article } = plan;
  const updating = plan.outcome === 'updated';
  const newActors = plan.actors.filter((a) => a.created);
  const newTreaties = plan.treaties.filter((tr) => tr.created);
  const newProvisions = plan.provisions.filter((p) => p.created);
  const newStatements = plan.statements.filter((s) => s.change === 'create');
  const changedStatements = plan.statements.filter((s) => s.change === 'update');

  // What changes is recorded as it was before.
  const before = {
    article: updating ? await snapshots(tx, 'Article', [article.id]) : new Map<string, Snapshot>(),
    statements: await snapshots(
      tx,
      'Statement',
      changedStatements.map((s) => s.id),
    ),
    actions: await snapshots(
      tx,
      'TreatyAction',
      plan.relocatedActions.map((a) => a.id),
    ),
  };

  await insertChunks(newActors, (chunk) =>
    tx
      .insert(t.actors)
      .values(chunk.map((a) => ({ id: a.id, slug: a.slug, name: a.name, kind: a.kind, aliases: a.aliases }))),
  );
  const roles = newActors.flatMap((a) =>
    a.roles.map((role, position) => ({
      actorId: a.id,
      position,
      title: role.title,
      organizationId: role.organizationId,
    })),
  );
  await insertChunks(roles, (chunk) => tx.insert(t.actorRoles).values(chunk));
  await insertChunks(newTreaties, (chunk) =>
    tx
      .insert(t.treaties)
      .values(chunk.map((tr) => ({ id: tr.id, slug: tr.slug, title: tr.title, status: tr.status }))),
  );
  const parties = newTreaties.flatMap((tr) =>
    tr.partyIds.map((actorId, position) => ({ treatyId: tr.id, actorId, position })),
  );
  await insertChunks(parties, (chunk) => tx.insert(t.treatyParties).values(chunk));
  await insertChunks(newProvisions, (chunk) =>
    tx
      .insert(t.treatyProvisions)
      .values(chunk.map((p) => ({ id: p.id, treatyId: p.treatyId, number: p.number, position: p.position }))),
  );

  const articleColumns = {
    headline: article.headline,
    standfirst: article.standfirst,
    datelinePlace: article.datelinePlace,
    datelineText: article.datelineText,
    publisherId: article.publisherId,
    publishedAt: article.publishedAt,
    contentHash: article.contentHash,
  };
  const paragraphRows = article.paragraphs.map((text, index) => ({ articleId: article.id, index, text }));
  if (!updating) {
    await tx.insert(t.articles).values({
      id: article.id,
      slug: article.slug,
      language: 'en',
      status: article.status,
      ...articleColumns,
    });
    await insertChunks(paragraphRows, (chunk) => tx.insert(t.articleParagraphs).values(chunk));
  } else {
    const previous = plan.previous as { version: number; paragraphs: string[] };
    const updated = await tx
      .update(t.articles)
      .set({ ...nextVersion(), ...articleColumns })
      .where(and(eq(t.articles.id, article.id), eq(t.articles.version, previous.version)))
      .returning({ id: t.articles.id });
    await assertUpdated(tx, 'Article', updated, { id: article.id, version: previous.version });
    // Mentions and derived links are the new version's; they point into paragraphs, so they go first.
    await tx.delete(t.articleMentions).where(eq(t.articleMentions.articleId, article.id));
    await tx.delete(t.articleActors).where(eq(t.articleActors.articleId, article.id));
    await tx.delete(t.articleTreaties).where(eq(t.articleTreaties.articleId, article.id));
    const purged = plan.purgedStatements.map((s) => s.id);
    if (purged.length > 0) {
      await tx.delete(t.statements).where(inArray(t.statements.id, purged));
      await tx.delete(t.revisions).where(inArray(t.revisions.nodeId, purged));
    }
    const kept = Math.min(previous.paragraphs.length, article.paragraphs.length);
    const rewritten = paragraphRows.slice(0, kept).filter((p) => p.text !== previous.paragraphs[p.index]);
    if (rewritten.length > 0) {
      const values = sql.join(
        rewritten.map((p) => sql`(${p.index}::int, ${p.text}::text)`),
        sql`, `,
      );
      await tx.execute(
        sql`update article_paragraphs p set text = v.text from (values ${values}) as v(index, text)
            where p.article_id = ${article.id} and p.index = v.index`,
      );
    }
    await insertChunks(paragraphRows.slice(kept), (chunk) => tx.insert(t.articleParagraphs).values(chunk));
    for (const s of changedStatements) {
      const result = await tx
        .update(t.statements)
        .set({ ...nextVersion(), ...statementRow(article.id, s), id: undefined, articleId: undefined })
        .where(and(eq(t.statements.id, s.id), eq(t.statements.version, s.version)))
        .returning({ id: t.statements.id });
      await assertUpdated(tx, 'Statement', result, s);
    }
    if (changedStatements.length > 0) {
      const ids = changedStatements.map((s) => s.id);
      await tx.delete(t.statementTreaties).where(inArray(t.statementTreaties.statementId, ids));
      await tx.delete(t.statementProvisions).where(inArray(t.statementProvisions.statementId, ids));
      await linkStatements(tx, changedStatements);
    }
    for (const action of plan.relocatedActions) {
      const result = await tx
        .update(t.treatyActions)
        .set({
          ...nextVersion(),
          sourceParagraph: action.paragraph,
          sourceStart: action.start,
          sourceEnd: action.end,
          sourceText: action.text,
        })
        .where(and(eq(t.treatyActions.id, action.id), eq(t.treatyActions.version, action.version)))
        .returning({ id: t.treatyActions.id });
      await assertUpdated(tx, 'TreatyAction', result, action);
    }
    if (previous.paragraphs.length > article.paragraphs.length) {
      await tx.execute(
        sql`delete from article_paragraphs where article_id = ${article.id} and index >= ${article.paragraphs.length}`,
      );
    }
  }

  await insertChunks(plan.mentions, (chunk) =>
    tx.insert(t.articleMentions).values(
      chunk.map((m) => ({
        id: m.id,
        articleId: article.id,
        paragraph: m.paragraph,
        start: m.start,
        end: m.end,
        text: m.text,
        actorId: m.actorId,
        treatyId: m.treatyId,
        provisionId: m.provisionId,
      })),
    ),
  );
  await insertChunks(plan.articleActorIds, (chunk) =>
    tx.insert(t.articleActors).values(chunk.map((actorId) => ({ articleId: article.id, actorId }))),
  );
  await insertChunks(plan.articleTreatyIds, (chunk) =>
    tx.insert(t.articleTreaties).values(chunk.map((treatyId) => ({ articleId: article.id, treatyId }))),
  );
  await insertChunks(newStatements, (chunk) =>
    tx.insert(t.statements).values(chunk.map((s) => statementRow(article.id, s))),
  );
  await linkStatements(tx, newStatements);

  // One revision per record created or changed, with the record as it now is.
  const after = async (typename: RevisedNodeType, ids: readonly string[]) => snapshots(tx, typename, ids);
  const entries: RevisionEntry[] = [];
  const created = async (typename: RevisedNodeType, ids: readonly string[]) => {
    const found = await after(typename, ids);
    for (const id of ids)
      entries.push({
        typename,
        id,
        version: 1,
        operation: 'CREATE',
        before: null,
        after: found.get(id) ?? null,
      });
  };
  await created(
    'Actor',
    newActors.map((a) => a.id),
  );
  await created(
    'Treaty',
    newTreaties.map((tr) => tr.id),
  );
  await created(
    'TreatyProvision',
    newProvisions.map((p) => p.id),
  );
  if (updating) {
    const articleAfter = await after('Article', [article.id]);
    entries.push({
      typename: 'Article',
      id: article.id,
      version: article.version,
      operation: 'UPDATE',
      before: before.article.get(article.id) ?? null,
      after: articleAfter.get(article.id) ?? null,
    });
  } else {
    await created('Article', [article.id]);
  }
  const statementIds = [...newStatements, ...changedStatements].map((s) => s.id);
  const statementsAfter = await after('Statement', statementIds);
  for (const s of newStatements) {
    entries.push({
      typename: 'Statement',
      id: s.id,
      version: 1,
      operation: 'CREATE',
      before: null,
      after: statementsAfter.get(s.id) ?? null,
    });
  }
  for (const s of changedStatements) {
    entries.push({
      typename: 'Statement',
      id: s.id,
      version: s.version + 1,
      operation: 'UPDATE',
      before: before.statements.get(s.id) ?? null,
      after: statementsAfter.get(s.id) ?? null,
    });
  }
  // A purged statement leaves a tombstone, as a purge through the API does.
  for (const s of plan.purgedStatements) {
    entries.push({
      typename: 'Statement',
      id: s.id,
      version: s.version + 1,
      operation: 'PURGE',
      before: null,
      after: null,
    });
  }
  const actionsAfter = await after(
    'TreatyAction',
    plan.relocatedActions.map((a) => a.id),
  );
  for (const action of plan.relocatedActions) {
    entries.push({
      typename: 'TreatyAction',
      id: action.id,
      version: action.version + 1,
      operation: 'UPDATE',
      before: before.actions.get(action.id) ?? null,
      after: actionsAfter.get(action.id) ?? null,
    });
  }
  await appendRevisions(tx, tokenName, entries);
}
