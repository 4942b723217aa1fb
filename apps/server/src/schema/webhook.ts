// Webhooks, for admins: endpoints that receive the changes readers can see, signed per Standard
// Webhooks (apps/server/src/webhooks.ts sends them; @chancery/db/webhooks stores them). The secret
// is shown once, in createWebhook's payload; the delivery log shows every event and how sending it
// went, and a FAILED (or any) delivery can be sent again.

import {
  createWebhook,
  DELIVERY_STATUSES,
  deleteWebhook,
  describeGap,
  findDelivery,
  findWebhook,
  listDeliveries,
  listGaps,
  listWebhooks,
  redeliver,
  setWebhookPaused,
  WEBHOOK_EVENT_NAMES,
  WEBHOOK_EVENTS,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookFilter,
  type WebhookGap,
} from '@chancery/db/webhooks';
import { badInput } from '@chancery/domain/errors';
import type { STATEMENT_KINDS } from '@chancery/domain/model';
import { assertPageArgs, PAGE_SIZE } from '@chancery/domain/pagination';
import { NotFoundError } from '@chancery/domain/write-errors';
import { requireAdmin } from '../auth.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { decodeGlobalId, encodeGlobalId } from '../global-id.ts';
import { ChangeNodeType } from './change.ts';
import { StatementKind } from './enums.ts';
import { mutationResult } from './mutation.ts';

/** What the request's server tells resolvers about webhooks (set in server.ts). */
export type WebhookContext = Context & { webhooks?: { allowPrivate: boolean; wake(): void } };

const webhooksOf = (ctx: Context) => (ctx as WebhookContext).webhooks ?? { allowPrivate: false, wake() {} };

const WebhookEventRef = builder.enumType('WebhookEvent', {
  description:
    'What an endpoint receives; only what readers (no token) can see is ever sent. In the body, `type` is the lower-case dotted name (statement.published).',
  values: Object.fromEntries(
    WEBHOOK_EVENT_NAMES.map((name) => [
      name,
      {
        description: {
          STATEMENT_PUBLISHED: 'A statement became visible to readers, or a visible one changed.',
          STATEMENT_UNPUBLISHED: 'A statement readers saw is hidden again (withdrawn, deleted).',
          ARTICLE_PUBLISHED: 'An article was published, or a published one changed.',
          ARTICLE_UNPUBLISHED: 'A published article was withdrawn or deleted.',
          TREATY_CHANGED: 'A treaty, its parties, provisions or actions changed, or it was deleted.',
          ACTOR_CHANGED: 'An actor or its roles changed, or it was deleted.',
        }[name],
      },
    ]),
  ) as Record<(typeof WEBHOOK_EVENT_NAMES)[number], { description: string }>,
});

const WebhookDeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  values: DELIVERY_STATUSES,
  description: 'PENDING: waiting to be sent or retried; DELIVERED: answered 2xx; FAILED: given up.',
});

const WebhookFilterRef = builder.objectRef<WebhookFilter>('WebhookFilter').implement({
  description: 'Which nodes the endpoint hears about; each field narrows the events it applies to.',
  fields: (t) => ({
    speakerId: t.id({ nullable: true, resolve: (f) => f.speakerId ?? null }),
    treatyId: t.id({ nullable: true, resolve: (f) => f.treatyId ?? null }),
    provisionId: t.id({ nullable: true, resolve: (f) => f.provisionId ?? null }),
    kind: t.field({
      type: StatementKind,
      nullable: true,
      resolve: (f) => (f.kind as (typeof STATEMENT_KINDS)[number] | undefined) ?? null,
    }),
    publisherId: t.id({ nullable: true, resolve: (f) => f.publisherId ?? null }),
    actorId: t.id({ nullable: true, resolve: (f) => f.actorId ?? null }),
  }),
});

const WebhookFilterInput = builder.inputType('WebhookFilterInput', {
  description:
    'Each field narrows the events it applies to and leaves the others alone: speakerId, provisionId and kind statement events; publisherId article events; actorId articles mentioning the actor and the actor’s own events; treatyId statements about the treaty, articles mentioning it and its own events.',
  fields: (t) => ({
    speakerId: t.id(),
    treatyId: t.id(),
    provisionId: t.id(),
    kind: t.field({ type: StatementKind }),
    publisherId: t.id(),
    actorId: t.id(),
  }),
});

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    url: t.string({
      required: true,
      description: 'http:// or https://; it must resolve to a public address. Redirects are not followed.',
    }),
    events: t.field({ type: [WebhookEventRef], required: true }),
    filter: t.field({ type: WebhookFilterInput }),
    secret: t.string({
      description:
        'whsec_ and the base64 of 24 to 64 random bytes (Standard Webhooks); left out, one is generated. Returned once.',
    }),
  }),
});

const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery').implement({
  description: 'One event sent (or to be sent) to one endpoint, and how it went.',
  fields: (t) => ({
    id: t.id({ resolve: (d) => encodeGlobalId('WebhookDelivery', d.id) }),
    eventId: t.exposeString('eventId', {
      description:
        'The `webhook-id` header and the body’s `id`: the change’s cursor. Retries carry the same.',
    }),
    event: t.field({ type: WebhookEventRef, resolve: (d) => d.eventType }),
    type: t.string({ description: 'The body’s `type`.', resolve: (d) => WEBHOOK_EVENTS[d.eventType] }),
    nodeType: t.field({ type: ChangeNodeType, resolve: (d) => d.nodeType }),
    nodeId: t.id({ resolve: (d) => encodeGlobalId(d.nodeType, d.nodeId) }),
    status: t.field({ type: WebhookDeliveryStatus, resolve: (d) => d.status }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.nextAttemptAt }),
    lastResponseStatus: t.int({
      nullable: true,
      description: 'The HTTP status of the last answer; null when none came (timeout, refused).',
      resolve: (d) => d.lastStatus,
    }),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (d) => d.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (d) => d.updatedAt }),
    deliveredAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.deliveredAt }),
  }),
});

type DeliveryPage = { deliveries: WebhookDelivery[]; hasNextPage: boolean };

const WebhookDeliveryConnection = builder.objectRef<DeliveryPage>('WebhookDeliveryConnection').implement({
  fields: (t) => ({
    nodes: t.field({ type: [WebhookDeliveryRef], resolve: (page) => page.deliveries }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      resolve: (page) => ({
        hasNextPage: page.hasNextPage,
        hasPreviousPage: false,
        startCursor: page.deliveries[0] ? deliveryCursor(page.deliveries[0]) : null,
        endCursor: page.deliveries.at(-1) ? deliveryCursor(page.deliveries.at(-1) as WebhookDelivery) : null,
      }),
    }),
  }),
});

const deliveryCursor = (d: WebhookDelivery) => Buffer.from(`delivery:${d.seq}`).toString('base64url');

function deliverySeq(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = /^delivery:(\d{1,19})$/.exec(text)?.[1];
  if (!seq)
    throw badInput(
      `Invalid deliveries cursor ${JSON.stringify(cursor.slice(0, 100))}: pass a pageInfo.endCursor of webhook deliveries.`,
    );
  return seq;
}

const WebhookGapRef = builder.objectRef<WebhookGap>('WebhookGap').implement({
  description:
    'Changes pruned from the change log (kept CHANCERY_CHANGE_LOG_DAYS) before the endpoint had them, because it was paused or far behind: they were never sent. Sending went on with the oldest change kept; resync what changed between `from` and `through`.',
  fields: (t) => ({
    changes: t.exposeInt('changes', {
      description:
        'How many changes of the events the endpoint asked for were pruned; its filter could not be checked, so some may not have been sent anyway.',
    }),
    from: t.field({
      type: 'DateTime',
      description: 'When the oldest of them was made.',
      resolve: (g) => g.from,
    }),
    through: t.field({
      type: 'DateTime',
      description: 'When the newest of them was made.',
      resolve: (g) => g.through,
    }),
    recordedAt: t.field({
      type: 'DateTime',
      description: 'When they were pruned.',
      resolve: (g) => g.recordedAt,
    }),
    message: t.string({ resolve: (g) => describeGap(g) }),
  }),
});

const WebhookRef = builder.objectRef<WebhookEndpoint>('Webhook').implement({
  description: 'An endpoint that receives changes as signed POST requests (Standard Webhooks).',
  fields: (t) => ({
    id: t.id({ resolve: (w) => encodeGlobalId('Webhook', w.id) }),
    url: t.exposeString('url'),
    events: t.field({ type: [WebhookEventRef], resolve: (w) => w.events }),
    filter: t.field({ type: WebhookFilterRef, resolve: (w) => w.filter }),
    paused: t.exposeBoolean('paused', {
      description: 'Nothing is sent while paused; changes wait in the log.',
    }),
    createdBy: t.exposeString('createdBy', { nullable: true, description: 'The token that registered it.' }),
    createdAt: t.field({ type: 'DateTime', resolve: (w) => w.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (w) => w.updatedAt }),
    pendingDeliveries: t.exposeInt('pending', { description: 'Deliveries waiting to be sent or retried.' }),
    failedDeliveries: t.exposeInt('failed', { description: 'Deliveries given up on (redeliver them).' }),
    gaps: t.field({
      type: [WebhookGapRef],
      description:
        'Times changes were pruned from the change log before this endpoint had them (never sent), newest first. Empty when nothing was missed.',
      args: {
        first: t.arg.int({ description: `From 1 to ${PAGE_SIZE.max}; default ${PAGE_SIZE.default}.` }),
      },
      resolve: (w, args, ctx) => {
        assertPageArgs({ first: args.first });
        return w.gaps === 0 ? [] : listGaps(ctx.db, w.id, args.first ?? PAGE_SIZE.default);
      },
    }),
    deliveries: t.field({
      type: WebhookDeliveryConnection,
      description: 'The delivery log, newest first.',
      args: {
        first: t.arg.int({
          description: `From ${PAGE_SIZE.min} to ${PAGE_SIZE.max}; default ${PAGE_SIZE.default}.`,
        }),
        after: t.arg.string(),
        status: t.arg({ type: WebhookDeliveryStatus }),
      },
      resolve: (w, args, ctx) =>
        listDeliveries(ctx.db, w.id, {
          first: args.first ?? PAGE_SIZE.default,
          afterSeq: args.after ? deliverySeq(args.after) : null,
          status: args.status,
        }),
    }),
  }),
});

const CreateWebhookPayload = builder
  .objectRef<{ webhook: WebhookEndpoint; secret: string }>('CreateWebhookPayload')
  .implement({
    fields: (t) => ({
      webhook: t.field({ type: WebhookRef, resolve: (p) => p.webhook }),
      secret: t.exposeString('secret', {
        description: 'The signing secret: store it now, it is never shown again.',
      }),
    }),
  });

const WebhookPayload = builder.objectRef<{ webhook: WebhookEndpoint }>('WebhookPayload').implement({
  fields: (t) => ({ webhook: t.field({ type: WebhookRef, resolve: (p) => p.webhook }) }),
});

const DeleteWebhookPayload = builder.objectRef<{ deletedId: string }>('DeleteWebhookPayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId') }),
});

const WebhookDeliveryPayload = builder
  .objectRef<{ delivery: WebhookDelivery }>('WebhookDeliveryPayload')
  .implement({
    fields: (t) => ({ delivery: t.field({ type: WebhookDeliveryRef, resolve: (p) => p.delivery }) }),
  });

/** The database id of a Webhook (or WebhookDelivery) ID; a NotFoundError for anything else. */
function idOf(globalId: string, typename: 'Webhook' | 'WebhookDelivery'): string {
  const decoded = decodeGlobalId(globalId);
  if (decoded.typename !== typename)
    throw new NotFoundError(
      typename,
      globalId,
      `${JSON.stringify(globalId)} is not the ID of a ${typename}.`,
    );
  return decoded.id;
}

builder.queryFields((t) => ({
  webhooks: t.field({
    type: [WebhookRef],
    description: 'Admins only: every registered webhook endpoint, oldest first.',
    resolve: (_root, _args, ctx) => listWebhooks(requireAdmin(ctx).db),
  }),
  webhook: t.field({
    type: WebhookRef,
    nullable: true,
    description: 'Admins only: one webhook endpoint, with its delivery log.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => {
      const { db } = requireAdmin(ctx);
      const decoded = decodeGlobalId(String(args.id));
      return decoded.typename === 'Webhook' ? findWebhook(db, decoded.id) : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: CreateWebhookPayload,
    description:
      'Admins only: registers an endpoint for the changes committed from now on. The payload holds the signing secret, shown this once.',
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    errors: mutationResult('CreateWebhook'),
    resolve: async (_root, args, ctx) => {
      const admin = requireAdmin(ctx);
      const webhooks = webhooksOf(ctx);
      const created = await createWebhook(
        admin.db,
        {
          url: args.input.url,
          events: args.input.events,
          filter: args.input.filter,
          secret: args.input.secret,
        },
        { allowPrivate: webhooks.allowPrivate, createdBy: admin.tokenName, path: ['input'] },
      );
      webhooks.wake();
      return created;
    },
  }),
  pauseWebhook: t.field({
    type: WebhookPayload,
    description:
      'Admins only: stops sending to the endpoint; its changes wait, and resumeWebhook sends them.',
    args: { id: t.arg.id({ required: true }) },
    errors: mutationResult('PauseWebhook'),
    resolve: async (_root, args, ctx) => ({
      webhook: await setWebhookPaused(
        requireAdmin(ctx).db,
        idOf(String(args.id), 'Webhook'),
        true,
        String(args.id),
      ),
    }),
  }),
  resumeWebhook: t.field({
    type: WebhookPayload,
    description: 'Admins only: sends to the endpoint again, from where it was paused.',
    args: { id: t.arg.id({ required: true }) },
    errors: mutationResult('ResumeWebhook'),
    resolve: async (_root, args, ctx) => {
      const webhook = await setWebhookPaused(
        requireAdmin(ctx).db,
        idOf(String(args.id), 'Webhook'),
        false,
        String(args.id),
      );
      webhooksOf(ctx).wake();
      return { webhook };
    },
  }),
  deleteWebhook: t.field({
    type: DeleteWebhookPayload,
    description: 'Admins only: removes the endpoint and its delivery log.',
    args: { id: t.arg.id({ required: true }) },
    errors: mutationResult('DeleteWebhook'),
    resolve: async (_root, args, ctx) => {
      await deleteWebhook(requireAdmin(ctx).db, idOf(String(args.id), 'Webhook'), String(args.id));
      return { deletedId: String(args.id) };
    },
  }),
  redeliverWebhookDelivery: t.field({
    type: WebhookDeliveryPayload,
    description:
      'Admins only: sends a delivery again from its first attempt, with the same id and body, before the endpoint’s later ones.',
    args: { id: t.arg.id({ required: true }) },
    errors: mutationResult('RedeliverWebhookDelivery'),
    resolve: async (_root, args, ctx) => {
      const { db } = requireAdmin(ctx);
      const id = idOf(String(args.id), 'WebhookDelivery');
      const delivery = await redeliver(db, id, String(args.id));
      webhooksOf(ctx).wake();
      return { delivery: (await findDelivery(db, id)) ?? delivery };
    },
  }),
}));
