import { randomUUID } from 'node:crypto';
import { type ArticleTransition, articleTransition } from '@chancery/domain/article-status';
import type {
  ArticleTransitionCommand,
  CreateArticleCommand,
  MentionInput,
  UpdateArticleCommand,
} from '@chancery/domain/inputs/article';
import type { ArticleStatus } from '@chancery/domain/model';
import type { SpanClaim } from '@chancery/domain/provenance';
import { changedFields, type RevisionOperation } from '@chancery/domain/revisions';
import {
  brokenCitations,
  type Citation,
  datelineProblem,
  quote,
  resolveSpan,
} from '@chancery/domain/span-rules';
import { type FieldError, invalid, ValidationError } from '@chancery/domain/write-errors';
import { and, eq, sql } from 'drizzle-orm';
import { articleMentions, articleParagraphs, articles } from '../schema.ts';
import { appendRevisions, assertUpdated, globalId, loadSnapshot, lockNode, nextVersion } from './nodes.ts';
import { type CheckedReferences, checkReferences, type Reference } from './references.ts';
import { chooseSlug, slugTaken } from './slugs.ts';
import { rows } from './sql.ts';
import { writeStatements } from './statements.ts';
import { inTransaction, inUpdateTransaction, type Tx, Unchanged, type Writer } from './transaction.ts';

const unique = { articles_slug_key: slugTaken('article') };

function mentionReferences(mentions: readonly MentionInput[]): Reference[] {
  return mentions.flatMap((mention, index): Reference[] => {
    const path = ['input', 'mentions', String(index)];
    if (mention.actorId)
      return [{ typename: 'Actor' as const, id: mention.actorId, path: [...path, 'actorId'] }];
    if (mention.treatyId)
      return [{ typename: 'Treaty' as const, id: mention.treatyId, path: [...path, 'treatyId'] }];
    if (mention.provisionId) {
      return [
        { typename: 'TreatyProvision' as const, id: mention.provisionId, path: [...path, 'provisionId'] },
      ];
    }
    return [];
  });
}

/** Replaces an article's mentions; the spans are checked against `paragraphs`. Returns the problems. */
async function writeMentions(
  tx: Tx,
  articleId: string,
  paragraphs: readonly string[],
  mentions: readonly MentionInput[],
  checked: CheckedReferences,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const resolved = mentions.map((mention, index) => {
    const span = resolveSpan(paragraphs, mention.span, ['input', 'mentions', String(index), 'span']);
    errors.push(...span.errors);
    return { mention, span: span.span };
  });
  if (errors.length > 0) return errors;
  await tx.delete(articleMentions).where(eq(articleMentions.articleId, articleId));
  if (resolved.length > 0) {
    await tx.insert(articleMentions).values(
      resolved.map(({ mention, span }) => ({
        id: randomUUID(),
        articleId,
        ...(span as SpanClaim),
        actorId: mention.actorId ? checked.resolve('Actor', mention.actorId) : null,
        treatyId: mention.treatyId ?? null,
        provisionId: mention.provisionId ?? null,
      })),
    );
  }
  await syncMentionedNodes(tx, articleId);
  return [];
}

/** Keeps `article_actors` and `article_treaties` (what `mentionedIn` and `Article.treaties` join) equal to the mentions. */
async function syncMentionedNodes(tx: Tx, articleId: string): Promise<void> {
  await tx.execute(sql`delete from article_actors where article_id = ${articleId}`);
  await tx.execute(sql`insert into article_actors (article_id, actor_id)
    select distinct article_id, actor_id from article_mentions where article_id = ${articleId} and actor_id is not null`);
  await tx.execute(sql`delete from article_treaties where article_id = ${articleId}`);
  await tx.execute(sql`insert into article_treaties (article_id, treaty_id)
    select distinct m.article_id, coalesce(m.treaty_id, p.treaty_id) from article_mentions m
    left join treaty_provisions p on p.id = m.provision_id
    where m.article_id = ${articleId} and coalesce(m.treaty_id, p.treaty_id) is not null`);
}

/**
 * Creates an article as a DRAFT, whole: its paragraphs, mentions and statements are written in
 * the same transaction, and any problem with any of them leaves nothing behind.
 */
export async function createArticle(writer: Writer, command: CreateArticleCommand): Promise<{ id: string }> {
  const { input } = command;
  return inTransaction(
    writer.db,
    async (tx) => {
      const checked = await checkReferences(tx, [
        ...(input.publisherId
          ? [{ typename: 'Actor' as const, id: input.publisherId, path: ['input', 'publisherId'] }]
          : []),
        ...mentionReferences(input.mentions),
      ]);
      if (input.dateline) {
        const problem = datelineProblem(input.dateline.text, input.paragraphs);
        if (problem) throw invalid(['input', 'dateline', 'text'], problem);
      }
      const slug = await chooseSlug(tx, 'Article', { requested: input.slug, title: input.headline });
      const [created] = await tx
        .insert(articles)
        .values({
          slug,
          headline: input.headline,
          standfirst: input.standfirst ?? null,
          datelinePlace: input.dateline?.place ?? null,
          datelineText: input.dateline?.text ?? null,
          publisherId: input.publisherId ? checked.resolve('Actor', input.publisherId) : null,
          byline: input.byline ?? null,
          publishedAt: input.publishedAt ?? sql`now()`,
          language: input.language,
          url: input.url ?? null,
          status: 'DRAFT',
        })
        .returning({ id: articles.id, publishedAt: articles.publishedAt });
      const { id } = created as { id: string };
      await tx
        .insert(articleParagraphs)
        .values(input.paragraphs.map((text, index) => ({ articleId: id, index, text })));
      const errors = await writeMentions(tx, id, input.paragraphs, input.mentions, checked);
      const [day] = await rows<{ day: string }>(
        tx,
        sql`select to_char(published_at at time zone 'UTC', 'YYYY-MM-DD') as day from articles where id = ${id}`,
      );
      const written = await writeStatements(
        tx,
        writer.tokenName,
        { id, paragraphs: input.paragraphs, publishedOn: day?.day as string },
        input.statements.map((request, index) => ({ request, path: ['input', 'statements', String(index)] })),
      );
      errors.push(...written.errors);
      if (errors.length > 0) throw new ValidationError(errors);
      await appendRevisions(tx, writer.tokenName, [
        {
          typename: 'Article',
          id,
          version: 1,
          operation: 'CREATE',
          before: null,
          after: await loadSnapshot(tx, 'Article', id),
        },
      ]);
      return { id };
    },
    unique,
  );
}

type ParagraphRow = { index: number; text: string };
type MentionRow = { id: string; paragraph: number; start: number; end: number; text: string };

/** Everything that quotes the article's paragraphs and would break if they changed under it. */
async function citationsOf(tx: Tx, articleId: string, withMentions: boolean): Promise<Citation[]> {
  const statementRows = await rows<SpanClaim & { id: string; deleted: boolean }>(
    tx,
    sql`select id, paragraph, start, "end", text, deleted_at is not null as deleted
        from statements where article_id = ${articleId} order by paragraph, start`,
  );
  const actionRows = await rows<SpanClaim & { id: string; deleted: boolean }>(
    tx,
    sql`select id, source_paragraph as paragraph, source_start as start, source_end as "end", source_text as text,
          deleted_at is not null as deleted
        from treaty_actions where source_article_id = ${articleId}`,
  );
  const label = (typename: 'Statement' | 'TreatyAction', row: { id: string; deleted: boolean }) =>
    `${typename === 'Statement' ? 'statement' : 'treaty action'} ${globalId(typename, row.id)}${row.deleted ? ' (deleted, still restorable: purge it to let go of the text)' : ''}`;
  const citations: Citation[] = [
    ...statementRows.map((row) => ({ describe: label('Statement', row), span: row })),
    ...actionRows.map((row) => ({ describe: `the source of ${label('TreatyAction', row)}`, span: row })),
  ];
  if (withMentions) {
    const mentionRows = await rows<MentionRow>(
      tx,
      sql`select id, paragraph, start, "end", text from article_mentions where article_id = ${articleId}`,
    );
    citations.push(
      ...mentionRows.map((row) => ({
        describe: `the mention ${quote(row.text)} (update the mentions in the same request)`,
        span: row,
      })),
    );
  }
  return citations;
}

/** Rewrites paragraph texts in place: rows that spans point at are never deleted under them. */
async function writeParagraphs(
  tx: Tx,
  articleId: string,
  before: ParagraphRow[],
  paragraphs: readonly string[],
) {
  const kept = paragraphs.slice(0, before.length);
  if (kept.length > 0) {
    const values = sql.join(
      kept.map((text, index) => sql`(${index}::int, ${text}::text)`),
      sql`, `,
    );
    await tx.execute(sql`update article_paragraphs p set text = v.text from (values ${values}) as v(index, text)
      where p.article_id = ${articleId} and p.index = v.index and p.text is distinct from v.text`);
  }
  const added = paragraphs.slice(before.length);
  if (added.length > 0) {
    await tx
      .insert(articleParagraphs)
      .values(added.map((text, i) => ({ articleId, index: before.length + i, text })));
  }
  if (before.length > paragraphs.length) {
    await tx.execute(
      sql`delete from article_paragraphs where article_id = ${articleId} and index >= ${paragraphs.length}`,
    );
  }
}

export async function updateArticle(
  writer: Writer,
  command: UpdateArticleCommand,
): Promise<{ id: string; changed: boolean }> {
  const { id, expectedVersion, input } = command;
  const { changed } = await inUpdateTransaction(
    writer.db,
    async (tx) => {
      const current = await lockNode(tx, 'Article', id, { expectedVersion });
      const before = await loadSnapshot(tx, 'Article', id);
      const checked = await checkReferences(tx, [
        ...(input.publisherId
          ? [{ typename: 'Actor' as const, id: input.publisherId, path: ['input', 'publisherId'] }]
          : []),
        ...mentionReferences(input.mentions ?? []),
      ]);
      const oldParagraphs = before.paragraphs as ParagraphRow[];
      const paragraphs = input.paragraphs ?? oldParagraphs.map((p) => p.text);
      const errors: FieldError[] = [];

      const datelineText =
        input.dateline !== undefined ? input.dateline?.text : (before.dateline_text as string | null);
      if (datelineText && (input.dateline !== undefined || input.paragraphs)) {
        const problem = datelineProblem(datelineText, paragraphs);
        if (problem) {
          errors.push(
            input.dateline
              ? { path: ['input', 'dateline', 'text'], message: problem }
              : {
                  path: ['input', 'paragraphs', '0'],
                  message: `would no longer begin with the dateline ${quote(datelineText)}; change the dateline in the same request`,
                },
          );
        }
      }
      if (input.paragraphs) {
        errors.push(
          ...brokenCitations(paragraphs, await citationsOf(tx, id, input.mentions === undefined), [
            'input',
            'paragraphs',
          ]),
        );
      }
      if (errors.length > 0) throw new ValidationError(errors);

      if (input.paragraphs) await writeParagraphs(tx, id, oldParagraphs, paragraphs);
      if (input.mentions) {
        const mentionErrors = await writeMentions(tx, id, paragraphs, input.mentions, checked);
        if (mentionErrors.length > 0) throw new ValidationError(mentionErrors);
      }
      const slug =
        input.slug !== undefined
          ? await chooseSlug(tx, 'Article', { requested: input.slug, title: '', self: id })
          : undefined;
      const updated = await tx
        .update(articles)
        .set({
          ...nextVersion(),
          slug,
          headline: input.headline,
          standfirst: input.standfirst,
          ...(input.dateline !== undefined
            ? { datelinePlace: input.dateline?.place ?? null, datelineText: input.dateline?.text ?? null }
            : {}),
          publisherId:
            input.publisherId === undefined
              ? undefined
              : input.publisherId && checked.resolve('Actor', input.publisherId),
          byline: input.byline,
          publishedAt: input.publishedAt,
          language: input.language,
          url: input.url,
        })
        .where(and(eq(articles.id, id), eq(articles.version, current.version)))
        .returning({ id: articles.id });
      await assertUpdated(tx, 'Article', updated, current);
      const after = await loadSnapshot(tx, 'Article', id);
      if (changedFields(before, after).length === 0) throw new Unchanged();
      await appendRevisions(tx, writer.tokenName, [
        { typename: 'Article', id, version: current.version + 1, operation: 'UPDATE', before, after },
      ]);
    },
    unique,
  );
  return { id, changed };
}

const OPERATIONS: Record<ArticleTransition, RevisionOperation> = {
  publish: 'PUBLISH',
  unpublish: 'UNPUBLISH',
  withdraw: 'WITHDRAW',
};

/** publishArticle, unpublishArticle, withdrawArticle. */
export async function transitionArticle(
  writer: Writer,
  command: ArticleTransitionCommand,
  transition: ArticleTransition,
): Promise<{ id: string }> {
  const { id, expectedVersion } = command;
  await inTransaction(writer.db, async (tx) => {
    const current = await lockNode(tx, 'Article', id, { expectedVersion });
    const next = articleTransition(current.status as ArticleStatus, transition);
    if (!next.status) throw invalid(['id'], next.problem);
    const before = await loadSnapshot(tx, 'Article', id);
    const updated = await tx
      .update(articles)
      .set({ ...nextVersion(), status: next.status })
      .where(and(eq(articles.id, id), eq(articles.version, current.version)))
      .returning({ id: articles.id });
    await assertUpdated(tx, 'Article', updated, current);
    await appendRevisions(tx, writer.tokenName, [
      {
        typename: 'Article',
        id,
        version: current.version + 1,
        operation: OPERATIONS[transition],
        before,
        after: await loadSnapshot(tx, 'Article', id),
      },
    ]);
  });
  return { id };
}
