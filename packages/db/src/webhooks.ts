// Webhooks (migration 0009): endpoints, their deliveries, and the steps of sending them that need
// the database: writing deliveries from the change log (an outbox: deliveries and the endpoint's new
// position commit together), claiming the next delivery of an endpoint (FOR UPDATE SKIP LOCKED and a
// lease, so two processes never send one delivery at once) and recording how an attempt went.
// Sending itself is the server's (apps/server/src/webhooks.ts); the CLI manages endpoints here too.
import { randomBytes } from 'node:crypto';
import { decodeGlobalId } from '@chancery/domain/global-id';
import { STATEMENT_KINDS } from '@chancery/domain/model';
import { type FieldError, NotFoundError, ValidationError } from '@chancery/domain/write-errors';
import { sql } from 'drizzle-orm';
import { type Change, type ChangePosition, decodeChangeCursor, readChangesAfter } from './change-log.ts';
import type { ChanceryDb } from './database.ts';
import { rows } from './repositories/sql.ts';
import { checkWebhookHost, parseWebhookUrl, WebhookAddressError } from './webhook-address.ts';

/**
 * What an endpoint may ask for. Only what readers (no token) can see is ever sent: a draft's
 * changes never leave. `…_PUBLISHED`: the node became visible to readers, or a visible one changed;
 * `…_UNPUBLISHED`: one readers saw is hidden again (withdrawn, unpublished, deleted);
 * `…_CHANGED`: any change to a treaty or actor readers see, its deletion included.
 */
export const WEBHOOK_EVENTS = {
  STATEMENT_PUBLISHED: 'statement.published',
  STATEMENT_UNPUBLISHED: 'statement.unpublished',
  ARTICLE_PUBLISHED: 'article.published',
  ARTICLE_UNPUBLISHED: 'article.unpublished',
  TREATY_CHANGED: 'treaty.changed',
  ACTOR_CHANGED: 'actor.changed',
} as const;
export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];

/** The event a change is, for readers; null for a change no reader could see. */
export function webhookEventOf(change: Change): WebhookEvent | null {
  if (!change.visible && !change.wasVisible) return null;
  switch (change.nodeType) {
    case 'Statement':
      return change.visible && change.operation !== 'DELETE'
        ? 'STATEMENT_PUBLISHED'
        : 'STATEMENT_UNPUBLISHED';
    case 'Article':
      return change.visible && change.operation !== 'DELETE' ? 'ARTICLE_PUBLISHED' : 'ARTICLE_UNPUBLISHED';
    case 'Treaty':
      return 'TREATY_CHANGED';
    case 'Actor':
      return 'ACTOR_CHANGED';
  }
}

/**
 * Which nodes an endpoint's events are about (global IDs, as the API hands them out). Each field
 * narrows the events it applies to and leaves the others alone: `speakerId`, `provisionId` and
 * `kind` statements; `publisherId` and `actorId` articles (mentioning the actor) and `actorId`
 * actor events too; `treatyId` statements about it, articles mentioning it and its own changes.
 */
export type WebhookFilter = {
  speakerId?: string;
  treatyId?: string;
  provisionId?: string;
  kind?: string;
  publisherId?: string;
  actorId?: string;
};
const FILTER_TYPES: Record<keyof WebhookFilter, string | null> = {
  speakerId: 'Actor',
  treatyId: 'Treaty',
  provisionId: 'TreatyProvision',
  kind: null,
  publisherId: 'Actor',
  actorId: 'Actor',
};

export type WebhookEndpoint = {
  id: string;
  url: string;
  events: WebhookEvent[];
  filter: WebhookFilter;
  paused: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** Deliveries waiting to be sent (or retried), and given up on. */
  pending: number;
  failed: number;
  /** Gaps: times changes were pruned from the change log before the endpoint had them. */
  gaps: number;
};

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type WebhookDelivery = {
  id: string;
  endpointId: string;
  /** The change's cursor: the `webhook-id` header and the body's `id`. */
  eventId: string;
  eventType: WebhookEvent;
  nodeType: Change['nodeType'];
  nodeId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  /** Where it stands in the log of its endpoint, for paging. */
  seq: string;
};

const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** A new signing secret as Standard Webhooks writes them: whsec_ and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

type EndpointRow = {
  id: string;
  url: string;
  events: WebhookEvent[];
  filter: WebhookFilter;
  paused: boolean;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  pending: number;
  failed: number;
  gaps: number;
};

const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  events: row.events,
  filter: typeof row.filter === 'string' ? JSON.parse(row.filter) : row.filter,
  paused: row.paused,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
  pending: Number(row.pending ?? 0),
  failed: Number(row.failed ?? 0),
  gaps: Number(row.gaps ?? 0),
});

const ENDPOINT_COLUMNS = sql`e.id, e.url, e.events, e.filter, e.paused, e.created_by,
  e.created_at::text as created_at, e.updated_at::text as updated_at,
  (select count(*)::int from webhook_deliveries d where d.endpoint_id = e.id and d.status = 'PENDING') as pending,
  (select count(*)::int from webhook_deliveries d where d.endpoint_id = e.id and d.status = 'FAILED') as failed,
  (select count(*)::int from webhook_gaps g where g.endpoint_id = e.id) as gaps`;

export type CreateWebhookInput = {
  url: string;
  events: readonly string[];
  filter?: Record<string, string | null | undefined> | null;
  secret?: string | null;
};

/**
 * Registers an endpoint; it receives the changes committed from now on. Returns it with its secret
 * (generated when not given), which is never shown again. Bad input is a ValidationError naming
 * each problem and what is allowed; `path` prefixes the field paths (the GraphQL argument).
 */
export async function createWebhook(
  db: ChanceryDb,
  input: CreateWebhookInput,
  options: { allowPrivate: boolean; createdBy?: string | null; path?: string[] },
): Promise<{ webhook: WebhookEndpoint; secret: string }> {
  const at = (field: string) => [...(options.path ?? []), field];
  const problems: FieldError[] = [];
  let url: URL | null = null;
  try {
    url = parseWebhookUrl(input.url);
    await checkWebhookHost(url, { allowPrivate: options.allowPrivate });
  } catch (error) {
    if (!(error instanceof WebhookAddressError)) throw error;
    problems.push({ path: at('url'), message: error.message });
  }
  const allowedEvents = WEBHOOK_EVENT_NAMES.join(', ');
  if (input.events.length === 0)
    problems.push({ path: at('events'), message: `Name at least one event: ${allowedEvents}.` });
  for (const [index, event] of input.events.entries())
    if (!(WEBHOOK_EVENT_NAMES as string[]).includes(event))
      problems.push({
        path: [...at('events'), String(index)],
        message: `${JSON.stringify(event)} is not a webhook event; allowed: ${allowedEvents}.`,
      });
  const filter: WebhookFilter = {};
  for (const [field, value] of Object.entries(input.filter ?? {})) {
    if (value == null) continue;
    if (!(field in FILTER_TYPES)) {
      problems.push({
        path: [...at('filter'), field],
        message: `Unknown filter field; allowed: ${Object.keys(FILTER_TYPES).join(', ')}.`,
      });
      continue;
    }
    const typename = FILTER_TYPES[field as keyof WebhookFilter];
    if (typename === null) {
      if (!(STATEMENT_KINDS as readonly string[]).includes(value))
        problems.push({
          path: [...at('filter'), field],
          message: `${JSON.stringify(value)} is not a statement kind; allowed: ${STATEMENT_KINDS.join(', ')}.`,
        });
    } else {
      const decoded = decodeGlobalId(value);
      const what = `${/^[AEIOU]/.test(typename) ? 'an' : 'a'} ${typename}`;
      if (decoded?.typename !== typename)
        problems.push({
          path: [...at('filter'), field],
          message: `${JSON.stringify(value.slice(0, 100))} is not the ID of ${what}.`,
        });
      // A filter that can never match is a mistake to hear about now, not a silence later.
      else if (!(await nodeExists(db, typename, decoded.id)))
        problems.push({
          path: [...at('filter'), field],
          message: `There is no ${typename} with the ID ${JSON.stringify(value)} (or it is deleted).`,
        });
    }
    filter[field as keyof WebhookFilter] = value;
  }
  const secret = input.secret?.trim() || generateWebhookSecret();
  const key = SECRET.exec(secret)?.[1];
  const keyBytes = key ? Buffer.from(key, 'base64').length : 0;
  if (keyBytes < 24 || keyBytes > 64)
    problems.push({
      path: at('secret'),
      message:
        'A secret must be whsec_ followed by the base64 of 24 to 64 random bytes (Standard Webhooks); leave it out to have one generated.',
    });
  if (problems.length > 0) throw new ValidationError(problems);

  const [row] = await rows<{ id: string }>(
    db,
    sql`insert into webhook_endpoints (url, events, filter, secret, created_by)
        values (${(url as URL).href}, array[${sql.join(
          input.events.map((event) => sql`${event}`),
          sql`, `,
        )}]::text[],
                ${JSON.stringify(filter)}::jsonb, ${secret}, ${options.createdBy ?? null})
        returning id`,
  );
  return { webhook: await getWebhook(db, (row as { id: string }).id), secret };
}

const FILTER_TABLES: Record<string, string> = {
  Actor: 'actors',
  Treaty: 'treaties',
  TreatyProvision: 'treaty_provisions',
};

async function nodeExists(db: ChanceryDb, typename: string, id: string): Promise<boolean> {
  const table = FILTER_TABLES[typename] as string;
  const [row] = await rows<{ found: boolean }>(
    db,
    sql`select exists (select 1 from ${sql.identifier(table)} where id = ${id} and deleted_at is null) as found`,
  );
  return row?.found === true;
}

export async function listWebhooks(db: ChanceryDb): Promise<WebhookEndpoint[]> {
  return (
    await rows<EndpointRow>(
      db,
      sql`select ${ENDPOINT_COLUMNS} from webhook_endpoints e order by e.created_at, e.id`,
    )
  ).map(toEndpoint);
}

export async function findWebhook(db: ChanceryDb, id: string): Promise<WebhookEndpoint | null> {
  if (!UUID.test(id)) return null;
  const [row] = await rows<EndpointRow>(
    db,
    sql`select ${ENDPOINT_COLUMNS} from webhook_endpoints e where e.id = ${id}`,
  );
  return row ? toEndpoint(row) : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function getWebhook(db: ChanceryDb, id: string, shownId = id): Promise<WebhookEndpoint> {
  const found = await findWebhook(db, id);
  if (!found) throw new NotFoundError('Webhook', shownId, `There is no webhook with the ID ${shownId}.`);
  return found;
}

/** Pauses (nothing is sent, changes wait in the log) or resumes an endpoint. */
export async function setWebhookPaused(
  db: ChanceryDb,
  id: string,
  paused: boolean,
  shownId = id,
): Promise<WebhookEndpoint> {
  if (UUID.test(id))
    await rows(db, sql`update webhook_endpoints set paused = ${paused}, updated_at = now() where id = ${id}`);
  return getWebhook(db, id, shownId);
}

/** Deletes an endpoint and its delivery log. */
export async function deleteWebhook(db: ChanceryDb, id: string, shownId = id): Promise<WebhookEndpoint> {
  const found = await getWebhook(db, id, shownId);
  await rows(db, sql`delete from webhook_endpoints where id = ${id}`);
  return found;
}

type DeliveryRow = {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: WebhookEvent;
  node_type: Change['nodeType'];
  node_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  seq: string;
};

const iso = (value: string | null) => (value ? new Date(value).toISOString() : null);

const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  endpointId: row.endpoint_id,
  eventId: row.event_id,
  eventType: row.event_type,
  nodeType: row.node_type,
  nodeId: row.node_id,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === 'PENDING' ? iso(row.next_attempt_at) : null,
  lastStatus: row.last_status,
  lastError: row.last_error,
  createdAt: iso(row.created_at) as string,
  updatedAt: iso(row.updated_at) as string,
  deliveredAt: iso(row.delivered_at),
  seq: row.seq,
});

const DELIVERY_COLUMNS = sql`id, endpoint_id, event_id, event_type, node_type, node_id, status, attempts,
  next_attempt_at::text as next_attempt_at, last_status, last_error, created_at::text as created_at,
  updated_at::text as updated_at, delivered_at::text as delivered_at, seq::text as seq`;

/** An endpoint's delivery log, newest first, `first` after the delivery numbered `afterSeq`. */
export async function listDeliveries(
  db: ChanceryDb,
  endpointId: string,
  options: { first: number; afterSeq?: string | null; status?: DeliveryStatus | null },
): Promise<{ deliveries: WebhookDelivery[]; hasNextPage: boolean }> {
  const after = options.afterSeq ? sql`and seq < ${options.afterSeq}::bigint` : sql``;
  const status = options.status ? sql`and status = ${options.status}` : sql``;
  const found = await rows<DeliveryRow>(
    db,
    sql`select ${DELIVERY_COLUMNS} from webhook_deliveries
        where endpoint_id = ${endpointId} ${after} ${status}
        order by seq desc limit ${options.first + 1}`,
  );
  return {
    deliveries: found.slice(0, options.first).map(toDelivery),
    hasNextPage: found.length > options.first,
  };
}

export async function findDelivery(db: ChanceryDb, id: string): Promise<WebhookDelivery | null> {
  if (!UUID.test(id)) return null;
  const [row] = await rows<DeliveryRow>(
    db,
    sql`select ${DELIVERY_COLUMNS} from webhook_deliveries where id = ${id}`,
  );
  return row ? toDelivery(row) : null;
}

/**
 * Sends a delivery again, from its first attempt (a FAILED one after the receiver is fixed, or a
 * DELIVERED one the receiver lost), with the same id and body. It goes before its endpoint's later
 * deliveries.
 */
export async function redeliver(db: ChanceryDb, id: string, shownId = id): Promise<WebhookDelivery> {
  if (UUID.test(id))
    await rows(
      db,
      sql`update webhook_deliveries
          set status = 'PENDING', attempts = 0, next_attempt_at = now(), updated_at = now()
          where id = ${id} and status <> 'PENDING'`,
    );
  const found = await findDelivery(db, id);
  if (!found)
    throw new NotFoundError(
      'WebhookDelivery',
      shownId,
      `There is no webhook delivery with the ID ${shownId}.`,
    );
  return found;
}

/** Pending and failed deliveries over every endpoint (for /metrics). */
export async function deliveryCounts(db: ChanceryDb): Promise<{ pending: number; failed: number }> {
  const [row] = await rows<{ pending: number; failed: number }>(
    db,
    sql`select count(*) filter (where status = 'PENDING')::int as pending,
               count(*) filter (where status = 'FAILED')::int as failed
        from webhook_deliveries where status <> 'DELIVERED'`,
  );
  return { pending: row?.pending ?? 0, failed: row?.failed ?? 0 };
}

// ---- The outbox: from the change log to deliveries ----

/** An endpoint the dispatcher writes deliveries for: what it asks for and where it is in the log. */
export type EndpointPosition = {
  id: string;
  events: WebhookEvent[];
  filter: WebhookFilter;
  position: ChangePosition;
  /** The snapshot (pg_snapshot as text) the endpoint was made in: what it showed committed is skipped. */
  createdSnapshot: string;
};

/**
 * Whether a transaction had committed (or ended) in `snapshot` ("xmin:xmax:xip,…", pg_snapshot's
 * text form): below xmin, or below xmax and not among the running ones.
 */
export function committedIn(snapshot: string, xid: string): boolean {
  const [xmin = '0', xmax = '0', running = ''] = snapshot.split(':');
  const x = BigInt(xid);
  if (x < BigInt(xmin)) return true;
  if (x >= BigInt(xmax)) return false;
  return !running.split(',').some((r) => r !== '' && BigInt(r) === x);
}

/** Endpoints that are not paused, with their positions. */
export async function activeEndpoints(db: ChanceryDb): Promise<EndpointPosition[]> {
  const found = await rows<{
    id: string;
    events: WebhookEvent[];
    filter: WebhookFilter | string;
    xid: string;
    pid: string;
    created_snapshot: string;
  }>(
    db,
    sql`select id, events, filter, position_xid::text as xid, position_id::text as pid, created_snapshot
        from webhook_endpoints where not paused order by created_at, id`,
  );
  return found.map((row) => ({
    id: row.id,
    events: row.events,
    filter: typeof row.filter === 'string' ? JSON.parse(row.filter) : row.filter,
    position: { xid: row.xid, id: row.pid },
    createdSnapshot: row.created_snapshot,
  }));
}

export type NewDelivery = {
  change: Change;
  eventType: WebhookEvent;
  body: string;
};

const SCHEDULE_PAGE = 200;

/**
 * Reads up to a page of the changes after the endpoint's position, turns those it wants into
 * deliveries (`select`: the server's filter and body), and writes them with the new position in one
 * transaction. The endpoint row is claimed with FOR UPDATE SKIP LOCKED and its position checked
 * again, so when several processes do this at once, one writes and the others leave it. Returns how
 * many were written, and whether more changes may wait.
 */
export async function writeDeliveries(
  db: ChanceryDb,
  endpoint: EndpointPosition,
  select: (changes: Change[]) => Promise<NewDelivery[]>,
  options: { pageSize?: number } = {},
): Promise<{ written: number; more: boolean }> {
  const pageSize = options.pageSize ?? SCHEDULE_PAGE;
  const changes = await readChangesAfter(db, endpoint.position, { first: pageSize, readersOnly: true });
  const last = changes.at(-1);
  if (!last) return { written: 0, more: false };
  // Changes that had committed when the endpoint was made are not its.
  const after = changes.filter(
    (change) => !committedIn(endpoint.createdSnapshot, decodeChangeCursor(change.cursor).xid),
  );
  const deliveries = after.length > 0 ? await select(after) : [];
  const { xid: lastXid, id: lastId } = decodeChangeCursor(last.cursor);
  const written = await db.transaction(async (tx) => {
    const [claimed] = await rows<{ xid: string; pid: string; paused: boolean }>(
      tx,
      sql`select position_xid::text as xid, position_id::text as pid, paused from webhook_endpoints
          where id = ${endpoint.id} for update skip locked`,
    );
    if (
      !claimed ||
      claimed.paused ||
      claimed.xid !== endpoint.position.xid ||
      claimed.pid !== endpoint.position.id
    )
      return -1;
    if (deliveries.length > 0)
      await rows(
        tx,
        sql`insert into webhook_deliveries (endpoint_id, event_id, event_type, node_type, node_id, body)
            values ${sql.join(
              deliveries.map(
                (d) =>
                  sql`(${endpoint.id}, ${d.change.cursor}, ${d.eventType}, ${d.change.nodeType}, ${d.change.nodeId}, ${d.body})`,
              ),
              sql`, `,
            )}
            on conflict (endpoint_id, event_id) do nothing`,
      );
    await rows(
      tx,
      sql`update webhook_endpoints set position_xid = ${lastXid}::xid8, position_id = ${lastId}::bigint
          where id = ${endpoint.id}`,
    );
    return deliveries.length;
  });
  if (written < 0) return { written: 0, more: false };
  endpoint.position = { xid: lastXid, id: lastId };
  return { written, more: changes.length === pageSize };
}

// ---- Sending: claim, then record the outcome ----

export type ClaimedDelivery = {
  id: string;
  endpointId: string;
  eventId: string;
  body: string;
  /** This attempt's number, from 1. */
  attempt: number;
  url: string;
  secret: string;
};

/**
 * The end of a claim: leases the deliveries the query's `due` selects for `leaseMs`, counts the
 * attempt, and returns each with its endpoint's URL and secret.
 */
const leaseDue = (leaseMs: number) =>
  sql`update webhook_deliveries d
        set leased_until = now() + make_interval(secs => ${leaseMs / 1000}),
            attempts = d.attempts + 1, updated_at = now()
        from due, webhook_endpoints e
        where d.id = due.id and e.id = d.endpoint_id
        returning d.id, d.endpoint_id, d.event_id, d.body, d.attempts, e.url, e.secret`;

/**
 * Claims up to `limit` deliveries to send now, at most one per endpoint: each endpoint's oldest
 * PENDING delivery (so an endpoint's events go out in log order), when due and not leased to a
 * sender already. The lease lasts `leaseMs` (longer than one request may take); a process killed
 * mid-request leaves it to run out, and another process sends the delivery again.
 */
export async function claimDeliveries(
  db: ChanceryDb,
  options: { limit: number; leaseMs: number },
): Promise<ClaimedDelivery[]> {
  const claimed = await rows<ClaimRow>(
    db,
    sql`with heads as (
          select distinct on (d.endpoint_id) d.id
          from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id and not e.paused
          where d.status = 'PENDING'
          order by d.endpoint_id, d.seq
        ), due as (
          select d.id from webhook_deliveries d
          where d.id in (select id from heads) and d.status = 'PENDING' and d.next_attempt_at <= now()
            and (d.leased_until is null or d.leased_until < now())
          order by d.next_attempt_at
          limit ${options.limit}
          for update of d skip locked
        )
        ${leaseDue(options.leaseMs)}`,
  );
  return claimed.map(toClaim);
}

type ClaimRow = {
  id: string;
  endpoint_id: string;
  event_id: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
};

const toClaim = (row: ClaimRow): ClaimedDelivery => ({
  id: row.id,
  endpointId: row.endpoint_id,
  eventId: row.event_id,
  body: row.body,
  attempt: row.attempts,
  url: row.url,
  secret: row.secret,
});

/**
 * Records an attempt: delivered, or failed and retried after `retryInMs`, or (`retryInMs` null)
 * failed for good. Only the claim that made the attempt records it. When the delivery is done with
 * (delivered or failed), the same statement claims its endpoint's next delivery if it is due, as
 * claimDeliveries would (one round trip a delivery instead of two, for an endpoint catching up).
 */
export async function recordAttempt(
  db: ChanceryDb,
  claim: ClaimedDelivery,
  outcome: { delivered: boolean; status: number | null; error: string | null; retryInMs: number | null },
  options: { leaseMs: number },
): Promise<ClaimedDelivery | null> {
  const status = outcome.delivered ? 'DELIVERED' : outcome.retryInMs === null ? 'FAILED' : 'PENDING';
  const [next] = await rows<ClaimRow>(
    db,
    sql`with done as (
          update webhook_deliveries
          set status = ${status}, leased_until = null, last_status = ${outcome.status},
              last_error = ${outcome.error?.slice(0, 1000) ?? null}, updated_at = now(),
              delivered_at = ${outcome.delivered ? sql`now()` : sql`delivered_at`},
              next_attempt_at = now() + make_interval(secs => ${(outcome.retryInMs ?? 0) / 1000})
          where id = ${claim.id} and status = 'PENDING' and attempts = ${claim.attempt}
          returning endpoint_id, status
        ), head as (
          -- The endpoint's oldest pending delivery once this one is done (the statement still
          -- sees this one as it was).
          select d.id from webhook_deliveries d
          join done on done.endpoint_id = d.endpoint_id and done.status <> 'PENDING'
          join webhook_endpoints e on e.id = d.endpoint_id and not e.paused
          where d.status = 'PENDING' and d.id <> ${claim.id}
          order by d.seq limit 1
        ), due as (
          select d.id from webhook_deliveries d
          where d.id in (select id from head) and d.next_attempt_at <= now()
            and (d.leased_until is null or d.leased_until < now())
          for update of d skip locked
        )
        ${leaseDue(options.leaseMs)}`,
  );
  return next ? toClaim(next) : null;
}

/**
 * Deletes deliveries DELIVERED more than `days` ago (the delivery log keeps what the change log
 * keeps), and FAILED ones last attempted (or redelivered) more than `days` ago: until then they can
 * be redelivered. Returns how many.
 */
export async function pruneDeliveries(db: ChanceryDb, days: number): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`with gone as (delete from webhook_deliveries
                      where (status = 'DELIVERED' and delivered_at < now() - make_interval(days => ${days}))
                         or (status = 'FAILED' and updated_at < now() - make_interval(days => ${days}))
                      returning 1)
        select count(*)::int as n from gone`,
  );
  return row?.n ?? 0;
}

// ---- Gaps: changes pruned from the log before an endpoint had them (migration 0010) ----

export type WebhookGap = {
  id: string;
  endpointId: string;
  /** How many changes of the events the endpoint asked for were pruned (its filter unchecked). */
  changes: number;
  /** The oldest and the newest of them. */
  from: string;
  through: string;
  recordedAt: string;
};

type GapRow = {
  id: string;
  endpoint_id: string;
  changes: number;
  from_at: string;
  through_at: string;
  recorded_at: string;
};

const toGap = (row: GapRow): WebhookGap => ({
  id: row.id,
  endpointId: row.endpoint_id,
  changes: Number(row.changes),
  from: new Date(row.from_at).toISOString(),
  through: new Date(row.through_at).toISOString(),
  recordedAt: new Date(row.recorded_at).toISOString(),
});

const GAP_COLUMNS = sql`id, endpoint_id, changes, from_at::text as from_at, through_at::text as through_at,
  recorded_at::text as recorded_at`;

/** What a gap means, in one sentence (the server's warning, the API's and the CLI's). */
export function describeGap(gap: WebhookGap): string {
  return `${gap.changes} change(s) between ${gap.from} and ${gap.through} were pruned from the change log before delivery; resync what changed then.`;
}

/** An endpoint's gaps, newest first. */
export async function listGaps(db: ChanceryDb, endpointId: string, first: number): Promise<WebhookGap[]> {
  return (
    await rows<GapRow>(
      db,
      sql`select ${GAP_COLUMNS} from webhook_gaps where endpoint_id = ${endpointId}
          order by recorded_at desc, through_at desc limit ${first}`,
    )
  ).map(toGap);
}

/**
 * Gaps no server has warned of yet, marked warned (so each is warned of once, by one process).
 * Looks before it writes: the update's change-feed notification would otherwise call it again.
 */
export async function claimUnwarnedGaps(db: ChanceryDb): Promise<WebhookGap[]> {
  const [unwarned] = await rows<{ any: boolean }>(
    db,
    sql`select exists (select 1 from webhook_gaps where not warned) as any`,
  );
  if (!unwarned?.any) return [];
  return (
    await rows<GapRow>(
      db,
      sql`update webhook_gaps set warned = true where not warned returning ${GAP_COLUMNS}`,
    )
  ).map(toGap);
}

/**
 * When the next delivery falls due: the earliest of each endpoint's oldest pending delivery (the
 * only one that may be sent; the ones behind it wait for it), at its retry time or when another
 * sender's lease on it runs out. Null when none waits.
 */
export async function nextDueAt(db: ChanceryDb): Promise<Date | null> {
  const [row] = await rows<{ at: string | null }>(
    db,
    sql`select min(greatest(h.next_attempt_at, coalesce(h.leased_until, h.next_attempt_at)))::text as at
        from (select distinct on (d.endpoint_id) d.next_attempt_at, d.leased_until
              from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id and not e.paused
              where d.status = 'PENDING'
              order by d.endpoint_id, d.seq) h`,
  );
  return row?.at ? new Date(row.at) : null;
}
