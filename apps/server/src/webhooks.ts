// Sending webhooks from one server process. Deliveries come from the change log (an outbox,
// @chancery/db/webhooks): when this process's follower of the log reads new changes (the same one
// that feeds subscriptions; it only says *when* to look), each endpoint's changes are read from the
// endpoint's own stored position, filtered, given their bodies and written as deliveries together
// with the new position. Then each endpoint's oldest due delivery is claimed (FOR UPDATE SKIP LOCKED
// and a lease: several processes on one PostgreSQL never send one delivery at once) and POSTed,
// signed per Standard Webhooks. A 2xx delivers it; anything else (a redirect too: none is followed,
// a timeout, a refused address) is retried with exponential backoff and jitter, and after the last
// attempt marked FAILED for a manual redelivery. Nothing is lost to a crash: what was not recorded
// as delivered is sent again, with the same id and body.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Change, ChangeLogFollower } from '@chancery/db/change-log';
import type { ChangeWatcher } from '@chancery/db/changes';
import type { Database } from '@chancery/db/database';
import { articles, statements } from '@chancery/db/schema';
import { checkedLookup, refusedRange } from '@chancery/db/webhook-address';
import {
  activeEndpoints,
  type ClaimedDelivery,
  claimDeliveries,
  claimUnwarnedGaps,
  describeGap,
  type EndpointPosition,
  type NewDelivery,
  nextDueAt,
  pruneDeliveries,
  recordAttempt,
  WEBHOOK_EVENTS,
  type WebhookEvent,
  webhookEventOf,
  writeDeliveries,
} from '@chancery/db/webhooks';
import { and, inArray } from 'drizzle-orm';
import { execute, parse } from 'graphql';
import { Webhook } from 'standardwebhooks';
import { createContext } from './context.ts';
import { encodeGlobalId } from './global-id.ts';
import type { Logger } from './logging.ts';
import { articleCondition } from './schema/article.ts';
import { schema } from './schema/index.ts';
import { statementCondition } from './schema/statement.ts';

export type WebhookSettings = {
  /** Send to loopback, private and link-local addresses too (CHANCERY_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** One request, connecting included. */
  timeoutMs: number;
  /** Attempts before a delivery is FAILED. */
  maxAttempts: number;
  /** The first retry's delay; each next one doubles, up to `retryMaxMs`, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Requests in flight at once from this process (one per endpoint at a time). */
  concurrency: number;
  /** How often to look for work nobody announced (retries falling due, another process's writes). */
  pollMs: number;
  /** Days delivered (and failed) deliveries stay in the log (0: for ever); the change log's retention. */
  logDays: number;
};

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowPrivate: false,
  timeoutMs: 10_000,
  maxAttempts: 10,
  retryBaseMs: 5_000,
  retryMaxMs: 60 * 60 * 1000,
  concurrency: 8,
  pollMs: 1_000,
  logDays: 30,
};

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * How long a claim is leased: the request's timeout and a margin to record its outcome (1 to 5 s).
 * A process killed mid-request holds its delivery that long; then another sends it again.
 */
const leaseMs = (settings: WebhookSettings) =>
  settings.timeoutMs + Math.min(5_000, Math.max(1_000, settings.timeoutMs));

/** The delay before attempt `attempt + 1`: exponential, capped, with "equal jitter" (half fixed, half random). */
export function retryDelayMs(settings: WebhookSettings, attempt: number): number {
  const full = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

// What a webhook carries of its node: what an anonymous reader may read, through the API itself.
const NODE_DOCUMENT = parse(`
  query WebhookNodes($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      id
      ... on Actor { name slug kind aliases description countryCode wikidataId updatedAt version }
      ... on Treaty {
        title shortTitle slug status signedOn signedPlace entryIntoForceOn updatedAt version
        parties { id name }
      }
      ... on Article {
        headline standfirst slug byline publishedAt language url status updatedAt version
        publisher { id name }
        paragraphs { index text }
      }
      ... on Statement {
        text kind cue speakerRole saidOn occasion updatedAt version
        speaker { id name }
        source { paragraph start end article { id headline } }
        about { id title }
        provisions { id number }
      }
    }
  }
`);

/** The nodes' public data by global ID (null: no reader may see it now). */
async function publicNodes(database: Database, ids: string[]): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  for (let start = 0; start < ids.length; start += 100) {
    const page = ids.slice(start, start + 100);
    const result = await execute({
      schema,
      document: NODE_DOCUMENT,
      variableValues: { ids: page },
      contextValue: createContext({ db: database.db }),
    });
    if (result.errors?.length) throw new Error(`Could not load webhook nodes: ${result.errors[0]?.message}`);
    const nodes = (result.data?.nodes ?? []) as unknown[];
    for (const [index, id] of page.entries()) found.set(id, nodes[index] ?? null);
  }
  return found;
}

/** Of the changes, those the endpoint asked for, filter applied, as deliveries with their bodies. */
async function deliveriesFor(
  database: Database,
  endpoint: EndpointPosition,
  changes: Change[],
): Promise<NewDelivery[]> {
  const admin = createContext({ db: database.db, viewer: { role: 'admin', tokenName: null } });
  const f = endpoint.filter;
  const wanted = changes
    .map((change) => ({ change, event: webhookEventOf(change) }))
    .filter(
      (c): c is { change: Change; event: WebhookEvent } =>
        c.event !== null && endpoint.events.includes(c.event),
    );
  // Filters on statements and articles need their rows; treaties and actors are matched by ID.
  const idsOf = (type: Change['nodeType']) => [
    ...new Set(wanted.filter((c) => c.change.nodeType === type).map((c) => c.change.nodeId)),
  ];
  const statementFilter = f.speakerId || f.treatyId || f.provisionId || f.kind;
  const articleFilter = f.publisherId || f.treatyId || f.actorId;
  const matchingStatements =
    statementFilter && idsOf('Statement').length > 0
      ? new Set(
          (
            await database.db
              .select({ id: statements.id })
              .from(statements)
              .where(
                and(
                  inArray(statements.id, idsOf('Statement')),
                  statementCondition(admin, {
                    speakerId: f.speakerId,
                    treatyId: f.treatyId,
                    provisionId: f.provisionId,
                    kind: f.kind as 'DIRECT' | 'INDIRECT' | undefined,
                  })(statements),
                ),
              )
          ).map((row) => row.id),
        )
      : null;
  const matchingArticles =
    articleFilter && idsOf('Article').length > 0
      ? new Set(
          (
            await database.db
              .select({ id: articles.id })
              .from(articles)
              .where(
                and(
                  inArray(articles.id, idsOf('Article')),
                  articleCondition(admin, {
                    publisherId: f.publisherId,
                    treatyId: f.treatyId,
                    mentionsActorId: f.actorId,
                  })(articles),
                ),
              )
          ).map((row) => row.id),
        )
      : null;
  const treatyId = f.treatyId ? decodeId(f.treatyId) : null;
  const actorId = f.actorId ? decodeId(f.actorId) : null;
  const kept = wanted.filter(({ change }) => {
    switch (change.nodeType) {
      case 'Statement':
        return !statementFilter || (matchingStatements?.has(change.nodeId) ?? false);
      case 'Article':
        return !articleFilter || (matchingArticles?.has(change.nodeId) ?? false);
      case 'Treaty':
        return !treatyId || change.nodeId === treatyId;
      default:
        return !actorId || change.nodeId === actorId;
    }
  });
  const nodes = await publicNodes(database, [
    ...new Set(kept.map(({ change }) => encodeGlobalId(change.nodeType, change.nodeId))),
  ]);
  return kept.map(({ change, event }) => {
    const nodeId = encodeGlobalId(change.nodeType, change.nodeId);
    return {
      change,
      eventType: event,
      body: JSON.stringify({
        id: change.cursor,
        type: WEBHOOK_EVENTS[event],
        timestamp: change.changedAt,
        data: {
          nodeType: change.nodeType,
          nodeId,
          operation: change.operation,
          visible: change.visible,
          wasVisible: change.wasVisible,
          node: nodes.get(nodeId) ?? null,
        },
      }),
    };
  });
}

const decodeId = (globalId: string) =>
  Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1] ?? null;

type AttemptOutcome = { delivered: boolean; status: number | null; error: string | null };

/** POSTs one delivery, signed; never follows a redirect; gives up after the timeout. */
export function sendDelivery(
  claim: ClaimedDelivery,
  settings: Pick<WebhookSettings, 'allowPrivate' | 'timeoutMs'>,
): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(claim.url);
    } catch {
      return resolve({ delivered: false, status: null, error: `Not a URL: ${claim.url}` });
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const range = settings.allowPrivate ? null : refusedRange(host);
    if (range && range !== 'not an IP address')
      return resolve({
        delivered: false,
        status: null,
        error: `${host} is a ${range} address: webhooks are only sent to public addresses (CHANCERY_WEBHOOK_ALLOW_PRIVATE=1 allows it).`,
      });
    const timestamp = new Date();
    const signature = new Webhook(claim.secret).sign(claim.eventId, timestamp, claim.body);
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: checkedLookup({ allowPrivate: settings.allowPrivate }) as never,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(claim.body),
          'user-agent': 'Chancery-Webhooks/1',
          'webhook-id': claim.eventId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        // The receiver's body is not read beyond what arrives; the answer is its status.
        res.resume();
        res.on('error', () => undefined);
        const delivered = status >= 200 && status < 300;
        const error = delivered
          ? null
          : status >= 300 && status < 400
            ? `Answered ${status} (a redirect${res.headers.location ? ` to ${String(res.headers.location).slice(0, 200)}` : ''}); redirects are not followed: register the final URL.`
            : `Answered ${status}.`;
        finish({ delivered, status, error });
        res.destroy();
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`No answer within ${settings.timeoutMs} ms.`));
    }, settings.timeoutMs);
    req.on('error', (error) => finish({ delivered: false, status: null, error: error.message }));
    req.end(claim.body);
  });
}

export type WebhookDispatcher = {
  /** Look for work now (new endpoints, redeliveries). */
  wake(): void;
  /** For the change feed: an endpoint was made, resumed or deleted, here or by another process. */
  watcher: ChangeWatcher;
  /** Stops claiming; waits for requests in flight (each at most the timeout) to be recorded. */
  stop(): Promise<void>;
};

/** Starts sending this process's share of the webhooks; `follower` says when the log grew. */
export function startWebhookDispatcher(options: {
  database: Database;
  follower: ChangeLogFollower;
  logger: Logger;
  settings?: Partial<WebhookSettings>;
}): WebhookDispatcher {
  const given = Object.entries(options.settings ?? {}).filter(([, value]) => value !== undefined);
  const settings: WebhookSettings = { ...DEFAULT_WEBHOOK_SETTINGS, ...Object.fromEntries(given) };
  const { database, logger } = options;
  const db = database.db;
  let stopped = false;
  let inFlight = 0;
  const sending = new Set<Promise<void>>();
  let writing: Promise<void> | null = null;
  let writeAgain = false;
  let pumping = false;
  let pumpAgain = false;
  let timer: NodeJS.Timeout | null = null;
  /** Whether the last look found an active endpoint: with none, neither the log growing nor a timer costs a query. */
  let anyEndpoint = true;

  const warn = (error: unknown, what: string) => {
    if (!stopped) logger.warn({ err: error }, what);
  };

  /** Writes deliveries for every active endpoint from its position, up to the end of the log. */
  const writeAll = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (writing) {
      writeAgain = true;
      return writing;
    }
    writing = (async () => {
      let written = 0;
      const endpoints = await activeEndpoints(db);
      anyEndpoint = endpoints.length > 0;
      for (const endpoint of endpoints) {
        for (;;) {
          if (stopped) return;
          const page = await writeDeliveries(db, endpoint, (changes) =>
            deliveriesFor(database, endpoint, changes),
          );
          written += page.written;
          if (!page.more) break;
        }
      }
      if (written > 0) pump();
    })()
      .catch((error) =>
        warn(error, 'Could not write webhook deliveries from the change log; trying again soon'),
      )
      .finally(() => {
        writing = null;
        if (writeAgain) {
          writeAgain = false;
          void writeAll();
        }
      });
    return writing;
  };

  /** Claims what is due, as long as there is room, and sends it. */
  const pump = (): void => {
    if (stopped) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    void (async () => {
      try {
        do {
          pumpAgain = false;
          while (!stopped && inFlight < settings.concurrency) {
            const claims = await claimDeliveries(db, {
              limit: settings.concurrency - inFlight,
              leaseMs: leaseMs(settings),
            });
            if (claims.length === 0) break;
            for (const claim of claims) send(claim);
          }
        } while (pumpAgain && !stopped);
      } catch (error) {
        warn(error, 'Could not claim webhook deliveries; trying again soon');
      } finally {
        pumping = false;
        // Nothing more to send now: sleep until the next retry falls due.
        if (inFlight === 0) schedule();
      }
    })();
  };

  const send = (claim: ClaimedDelivery): void => {
    inFlight++;
    const done = (async () => {
      const outcome = await sendDelivery(claim, settings);
      const retryInMs =
        outcome.delivered || claim.attempt >= settings.maxAttempts
          ? null
          : retryDelayMs(settings, claim.attempt);
      if (!outcome.delivered)
        logger[retryInMs === null ? 'warn' : 'info'](
          { webhook: claim.endpointId, delivery: claim.id, attempt: claim.attempt, error: outcome.error },
          retryInMs === null
            ? `Webhook delivery ${claim.id} failed ${claim.attempt} time(s): given up (redeliver it by hand).`
            : `Webhook delivery ${claim.id} failed (attempt ${claim.attempt}); retrying in ${retryInMs} ms.`,
        );
      return recordAttempt(
        db,
        claim,
        { ...outcome, retryInMs: outcome.delivered ? 0 : retryInMs },
        { leaseMs: leaseMs(settings) },
      );
    })()
      .catch((error) => {
        warn(error, 'Could not record a webhook attempt; it will be sent again');
        return null;
      })
      .then((next) => {
        inFlight--;
        sending.delete(done);
        // The endpoint's next delivery, claimed as this one was recorded: sent at once.
        if (next && !stopped) send(next);
        else pump();
      });
    sending.add(done);
  };

  /**
   * Sleeps until the next retry falls due, or the poll interval, whichever is sooner; with no
   * active endpoint and nothing pending, until woken.
   */
  const schedule = (): void => {
    if (stopped) return;
    void nextDueAt(db)
      .then((at) => {
        if (stopped) return;
        // Nothing to send and nobody to send to: sleep until an endpoint is made or resumed (the
        // change feed reports webhook_endpoints, from any process).
        if (!at && !anyEndpoint) return;
        // With every slot taken, what falls due waits for a send to finish (which pumps).
        const wait =
          at && inFlight < settings.concurrency
            ? Math.max(0, Math.min(settings.pollMs, at.getTime() - Date.now()))
            : settings.pollMs;
        if (timer) clearTimeout(timer);
        timer = setTimeout(tick, wait + 5).unref();
      })
      .catch((error) => {
        warn(error, 'Could not read when the next webhook falls due');
        if (!stopped && !timer) timer = setTimeout(tick, settings.pollMs).unref();
      });
  };

  const tick = (): void => {
    timer = null;
    void writeAll().then(() => {
      pump();
      // A pump already running schedules the next tick when it is done; make sure one comes.
      if (!timer) schedule();
    });
  };

  // With no active endpoint there is nobody to write deliveries for: the log growing costs no query.
  // An endpoint made or resumed (the change feed reports webhook_endpoints, from any process) wakes
  // the writer, which reads the log from the endpoint's own position.
  const unlisten = options.follower.listen((changes: readonly Change[]) => {
    if (anyEndpoint && changes.some((change) => change.visible || change.wasVisible)) void writeAll();
  });
  const prune = () => {
    void pruneDeliveries(db, settings.logDays)
      .then((pruned) => {
        if (pruned > 0)
          logger.info(
            { pruned },
            `Pruned ${pruned} webhook delivery(s) delivered, or failed, over ${settings.logDays} days ago.`,
          );
      })
      .catch((error) => warn(error, 'Could not prune the webhook delivery log'));
  };
  const pruning = settings.logDays > 0 ? setInterval(prune, PRUNE_EVERY_MS).unref() : null;
  const wake = () => {
    void writeAll().then(pump);
  };
  /** Warns of changes pruned before an endpoint had them (recorded by the database as they go). */
  const warnOfGaps = () => {
    void claimUnwarnedGaps(db)
      .then((gaps) => {
        for (const gap of gaps)
          logger.warn(
            { webhook: gap.endpointId, changes: gap.changes, from: gap.from, through: gap.through },
            `Webhook ${encodeGlobalId('Webhook', gap.endpointId)}: ${describeGap(gap)} (It was paused or behind for longer than the change log keeps changes.)`,
          );
      })
      .catch((error) => warn(error, 'Could not read the webhook gaps to warn of'));
  };
  tick();
  warnOfGaps();

  return {
    wake,
    watcher: {
      // Deliveries are not watched: this process's own attempts write them all the time.
      changed: (table) => {
        if (table === 'webhook_endpoints') wake();
        else if (table === 'webhook_gaps') warnOfGaps();
      },
      lost: () => undefined,
      live: wake,
    },
    async stop() {
      stopped = true;
      unlisten();
      if (pruning) clearInterval(pruning);
      if (timer) clearTimeout(timer);
      await writing;
      await Promise.all([...sending]);
    },
  };
}
