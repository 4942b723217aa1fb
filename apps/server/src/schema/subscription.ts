// Subscriptions (at /graphql over WebSocket, graphql-ws: subscriptions.ts; or Server-Sent Events: sse.ts). Events come from the
// change log as this process follows it (live-updates.ts); each carries the log's cursor, so a
// client that reconnects resumes with `changes(after:)`. Whether an event reaches a subscriber is
// decided with the same conditions as the root lists (visibility.ts), under the subscriber's own
// viewer, when the change is read: a draft never reaches a reader or an anonymous subscriber.
import type { Change } from '@chancery/db/change-log';
import { rows } from '@chancery/db/repositories/sql';
import { articles, statements } from '@chancery/db/schema';
import { DomainError } from '@chancery/domain/errors';
import { canSeeUnpublished } from '@chancery/domain/viewer';
import { and, inArray, type SQL, sql } from 'drizzle-orm';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { parseNodeId } from '../global-id.ts';
import { changeEvents, followerOf, liveEvent, sharedPerBatch } from '../live-updates.ts';
import { visibleArticle, visibleStatement } from '../visibility.ts';
import { Article, articleCondition } from './article.ts';
import { StatementKind } from './enums.ts';
import { Statement, statementCondition } from './statement.ts';
import { Treaty } from './treaty.ts';

builder.subscriptionType({
  description:
    'Live updates at /graphql, over WebSocket with the graphql-ws protocol or over Server-Sent Events (graphql-sse, distinct connections: send with `Accept: text/event-stream`). Each event has the cursor of its change: after a reconnect, `changes(after:)` gives what was missed.',
});

type NodeEvent = { cursor: string; id: string };

const StatementPublishedFilter = builder.inputType('StatementPublishedFilter', {
  fields: (t) => ({
    speakerId: t.id(),
    treatyId: t.id({ description: 'Statements about the treaty or any of its provisions.' }),
    provisionId: t.id(),
    kind: t.field({ type: StatementKind }),
  }),
});

const ArticlePublishedFilter = builder.inputType('ArticlePublishedFilter', {
  fields: (t) => ({
    publisherId: t.id(),
    treatyId: t.id({ description: 'Articles that mention the treaty.' }),
    actorId: t.id({ description: 'Articles that mention the actor.' }),
  }),
});

const StatementPublished = builder.objectRef<NodeEvent>('StatementPublished').implement({
  description: 'A statement readers can see was published or changed.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'The change’s cursor, for `changes(after:)`.' }),
    statement: t.drizzleField({
      type: Statement,
      nullable: true,
      description: 'As you may see it now; null if it was hidden again before the event was sent.',
      resolve: (query, event, _args, ctx) =>
        ctx.db.query.statements
          .findFirst(query({ where: { id: event.id, RAW: visibleStatement(ctx) } }))
          .then((row) => row ?? null),
    }),
  }),
});

const ArticlePublished = builder.objectRef<NodeEvent>('ArticlePublished').implement({
  description: 'An article readers can see was published or changed.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'The change’s cursor, for `changes(after:)`.' }),
    article: t.drizzleField({
      type: Article,
      nullable: true,
      description: 'As you may see it now; null if it was hidden again before the event was sent.',
      resolve: (query, event, _args, ctx) =>
        ctx.db.query.articles
          .findFirst(query({ where: { id: event.id, RAW: visibleArticle(ctx) } }))
          .then((row) => row ?? null),
    }),
  }),
});

const TreatyChanged = builder.objectRef<NodeEvent>('TreatyChanged').implement({
  description: 'A treaty, its parties, provisions or actions (and so its status) changed.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'The change’s cursor, for `changes(after:)`.' }),
    treaty: t.drizzleField({
      type: Treaty,
      nullable: true,
      description: 'The treaty now; null once it is deleted.',
      resolve: (query, event, _args, ctx) =>
        ctx.db.query.treaties
          .findFirst(query({ where: { id: event.id, deletedAt: { isNull: true } } }))
          .then((row) => row ?? null),
    }),
  }),
});

const KNOWN = {
  Actor: { table: 'actors', what: 'actor' },
  Treaty: { table: 'treaties', what: 'treaty' },
  TreatyProvision: { table: 'treaty_provisions', what: 'treaty provision' },
} as const;

/**
 * The database id a filter's ID names, refusing an ID of nothing that exists: a subscription that
 * can never match is a mistake the client should hear about now, not a silence.
 */
async function knownId(
  ctx: Context,
  field: string,
  globalId: string | null | undefined,
  typename: keyof typeof KNOWN,
): Promise<string | null> {
  if (globalId == null) return null;
  const id = parseNodeId(globalId, typename);
  const { table, what } = KNOWN[typename];
  const [row] = await rows<{ id: string }>(
    ctx.db,
    sql`select id from ${sql.identifier(table)} where id = ${id} and deleted_at is null`,
  );
  if (!row)
    throw new DomainError(
      'NOT_FOUND',
      `${field}: there is no ${what} with the ID ${JSON.stringify(globalId)}.`,
    );
  return id;
}

/** The changes that made a node of `type` visible to readers, or changed one they see. */
const publishedChanges = (changes: readonly Change[], type: Change['nodeType']) =>
  changes.filter((c) => c.nodeType === type && c.visible && c.operation !== 'DELETE');

/**
 * Of `candidates`, the events of those whose node passes `condition` now, in log order. Asked once
 * per batch for every subscriber with the same `key` (field, filter and visibility).
 */
async function eventsWhere(
  ctx: Context,
  changes: readonly Change[],
  candidates: Change[],
  key: string,
  table: typeof statements | typeof articles,
  condition: SQL,
): Promise<NodeEvent[]> {
  if (candidates.length === 0) return [];
  const found = await sharedPerBatch(changes, key, async () => {
    const ids = [...new Set(candidates.map((c) => c.nodeId))];
    return new Set(
      (
        await ctx.db
          .select({ id: table.id })
          .from(table)
          .where(and(inArray(table.id, ids), condition))
      ).map((row) => row.id),
    );
  });
  return candidates.filter((c) => found.has(c.nodeId)).map((c) => ({ cursor: c.cursor, id: c.nodeId }));
}

/** What decides which events a subscriber gets: the field, its filter, and what the viewer may see. */
const selectionKey = (ctx: Context, field: string, filter: unknown) =>
  `${field}\n${canSeeUnpublished(ctx.viewer)}\n${JSON.stringify(filter ?? {})}`;

builder.subscriptionFields((t) => ({
  statementPublished: t.field({
    type: StatementPublished,
    description:
      'Each time a statement matching the filter becomes visible to readers (its article is published) or a published one is changed.',
    args: { filter: t.arg({ type: StatementPublishedFilter }) },
    subscribe: async (_root, args, ctx) => {
      const follower = followerOf(ctx);
      const f = args.filter ?? {};
      await Promise.all([
        knownId(ctx, 'filter.speakerId', f.speakerId, 'Actor'),
        knownId(ctx, 'filter.treatyId', f.treatyId, 'Treaty'),
        knownId(ctx, 'filter.provisionId', f.provisionId, 'TreatyProvision'),
      ]);
      const condition = statementCondition(ctx, f)(statements);
      const key = selectionKey(ctx, 'statementPublished', f);
      return changeEvents(follower, (changes) =>
        eventsWhere(ctx, changes, publishedChanges(changes, 'Statement'), key, statements, condition),
      );
    },
    resolve: liveEvent,
  }),
  articlePublished: t.field({
    type: ArticlePublished,
    description: 'Each time an article matching the filter is published, or a published one is changed.',
    args: { filter: t.arg({ type: ArticlePublishedFilter }) },
    subscribe: async (_root, args, ctx) => {
      const follower = followerOf(ctx);
      const f = args.filter ?? {};
      await Promise.all([
        knownId(ctx, 'filter.publisherId', f.publisherId, 'Actor'),
        knownId(ctx, 'filter.treatyId', f.treatyId, 'Treaty'),
        knownId(ctx, 'filter.actorId', f.actorId, 'Actor'),
      ]);
      const condition = articleCondition(ctx, {
        publisherId: f.publisherId,
        treatyId: f.treatyId,
        mentionsActorId: f.actorId,
      })(articles);
      const key = selectionKey(ctx, 'articlePublished', f);
      return changeEvents(follower, (changes) =>
        eventsWhere(ctx, changes, publishedChanges(changes, 'Article'), key, articles, condition),
      );
    },
    resolve: liveEvent,
  }),
  treatyChanged: t.field({
    type: TreatyChanged,
    description:
      'Each change to the treaty: its record, parties, provisions or actions (a new action, a new status).',
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const follower = followerOf(ctx);
      const id = (await knownId(ctx, 'id', args.id, 'Treaty')) as string;
      return changeEvents(follower, async (changes) =>
        changes
          .filter((c) => c.nodeType === 'Treaty' && c.nodeId === id)
          .map((c) => ({ cursor: c.cursor, id: c.nodeId })),
      );
    },
    resolve: liveEvent,
  }),
}));
