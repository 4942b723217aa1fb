// `chancery webhook create|list|pause|resume|delete|deliveries|redeliver`: webhook endpoints and
// their delivery log, as the admin-only GraphQL fields manage them (on the database itself, or
// through the running server's socket). The server sends; these only record what to send. IDs are
// the API's (Webhook and WebhookDelivery IDs); `create` prints the signing secret alone on stdout.
import { migrate } from '@chancery/db/migrate';
import { webhookAllowPrivate } from '@chancery/db/webhook-address';
import {
  createWebhook,
  DELIVERY_STATUSES,
  type DeliveryStatus,
  deleteWebhook,
  describeGap,
  listDeliveries,
  listGaps,
  listWebhooks,
  redeliver,
  setWebhookPaused,
  WEBHOOK_EVENT_NAMES,
  type WebhookEndpoint,
} from '@chancery/db/webhooks';
import { badInput } from '@chancery/domain/errors';
import { decodeGlobalId, encodeGlobalId } from '@chancery/domain/global-id';
import { ValidationError } from '@chancery/domain/write-errors';
import { type Command, Option } from 'commander';
import { withDatabase } from '../database.ts';
import { printTable } from '../table.ts';

const FILTER_FIELDS = ['speakerId', 'treatyId', 'provisionId', 'kind', 'publisherId', 'actorId'];

/** The database id an API ID (or a bare UUID) names; a clear error for anything else. */
function idOf(id: string, typename: 'Webhook' | 'WebhookDelivery'): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return id;
  const decoded = decodeGlobalId(id);
  if (decoded?.typename === typename) return decoded.id;
  throw badInput(
    `${JSON.stringify(id.slice(0, 100))} is not a ${typename} ID; \`chancery webhook ${typename === 'Webhook' ? 'list' : 'deliveries <webhook>'}\` shows them.`,
  );
}

const day = (instant: string | null) =>
  instant ? new Date(instant).toISOString().slice(0, 19).replace('T', ' ') : '-';

const describe = (w: WebhookEndpoint) =>
  `${encodeGlobalId('Webhook', w.id)} ${w.url} (${w.paused ? 'paused' : 'active'})`;

/** Runs `work`; a ValidationError is printed one problem a line (the CLI's exit code is 1). */
async function reportingProblems(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof ValidationError) || error.fieldErrors.length < 2) throw error;
    throw badInput(
      `the webhook was not created:\n${error.fieldErrors.map((e) => `  ${e.path.join('.')}: ${e.message}`).join('\n')}`,
    );
  }
}

export function registerWebhookCommands(program: Command): void {
  const webhook = program
    .command('webhook')
    .description(
      'Manage webhook endpoints: signed POSTs (Standard Webhooks) of the changes readers can see, sent by the running server.',
    );

  webhook
    .command('create')
    .description(
      'Register an endpoint for the changes committed from now on, and print its signing secret once on stdout. ' +
        'Loopback, private and link-local addresses are refused unless CHANCERY_WEBHOOK_ALLOW_PRIVATE=1.',
    )
    .requiredOption('--url <url>', 'where to POST: an http:// or https:// URL on a public address')
    .addOption(
      new Option('--event <event...>', 'events to send (one or more)')
        .choices(WEBHOOK_EVENT_NAMES)
        .makeOptionMandatory(),
    )
    .option(
      '--filter <field=id...>',
      `narrow the events: ${FILTER_FIELDS.join(', ')} (API IDs; kind is DIRECT or INDIRECT)`,
    )
    .option('--secret <secret>', 'whsec_ and the base64 of 24 to 64 bytes; default: a new random one')
    .action(async (options: { url: string; event: string[]; filter?: string[]; secret?: string }) => {
      let allowPrivate: boolean;
      try {
        allowPrivate = webhookAllowPrivate(process.env.CHANCERY_WEBHOOK_ALLOW_PRIVATE);
      } catch (error) {
        throw badInput((error as Error).message);
      }
      const filter: Record<string, string> = {};
      for (const pair of options.filter ?? []) {
        const [field, ...rest] = pair.split('=');
        if (!field || rest.length === 0)
          throw badInput(
            `--filter takes field=value, e.g. --filter treatyId=<treaty ID>; got ${JSON.stringify(pair)}. Fields: ${FILTER_FIELDS.join(', ')}.`,
          );
        filter[field] = rest.join('=');
      }
      return withDatabase(async (database) => {
        await migrate(database);
        await reportingProblems(async () => {
          const { webhook: created, secret } = await createWebhook(
            database.db,
            { url: options.url, events: options.event, filter, secret: options.secret },
            { allowPrivate, createdBy: 'chancery webhook create' },
          );
          process.stdout.write(`${secret}\n`);
          console.error(
            `Created the webhook ${describe(created)} for ${created.events.join(', ')}. Store the secret now: it cannot be shown again.`,
          );
        });
      });
    });

  webhook
    .command('list')
    .description(
      'List endpoints: ID, URL, events, paused or active, pending and failed deliveries, and gaps (changes pruned from the change log before the endpoint had them; the last one is described below the table).',
    )
    .action(() =>
      withDatabase(async (database) => {
        await migrate(database);
        const endpoints = await listWebhooks(database.db);
        if (endpoints.length === 0) {
          console.log('No webhooks yet: `chancery webhook create --url URL --event EVENT…` registers one.');
          return;
        }
        printTable([
          ['ID', 'URL', 'EVENTS', 'STATUS', 'PENDING', 'FAILED', 'GAPS', 'CREATED'],
          ...endpoints.map((w) => [
            encodeGlobalId('Webhook', w.id),
            w.url,
            w.events.join(','),
            w.paused ? 'paused' : 'active',
            String(w.pending),
            String(w.failed),
            String(w.gaps),
            day(w.createdAt),
          ]),
        ]);
        for (const w of endpoints.filter((e) => e.gaps > 0)) {
          const [last] = await listGaps(database.db, w.id, 1);
          if (last) console.log(`Missed by ${encodeGlobalId('Webhook', w.id)}: ${describeGap(last)}`);
        }
      }),
    );

  for (const [name, paused, what] of [
    ['pause', true, 'Stop sending to an endpoint; its changes wait in the log until it is resumed.'],
    ['resume', false, 'Send to a paused endpoint again, from where it stopped.'],
  ] as const)
    webhook
      .command(name)
      .description(what)
      .argument('<id>', 'the webhook ID (`chancery webhook list`)')
      .action(async (id: string) => {
        const endpointId = idOf(id, 'Webhook');
        return withDatabase(async (database) => {
          await migrate(database);
          const updated = await setWebhookPaused(database.db, endpointId, paused, id);
          console.log(`${paused ? 'Paused' : 'Resumed'} the webhook ${describe(updated)}.`);
        });
      });

  webhook
    .command('delete')
    .description('Remove an endpoint and its delivery log.')
    .argument('<id>', 'the webhook ID (`chancery webhook list`)')
    .action((id: string) =>
      withDatabase(async (database) => {
        await migrate(database);
        const deleted = await deleteWebhook(database.db, idOf(id, 'Webhook'), id);
        console.log(`Deleted the webhook ${describe(deleted)}.`);
      }),
    );

  webhook
    .command('deliveries')
    .description("An endpoint's delivery log, newest first: event, status, attempts, last answer or error.")
    .argument('<id>', 'the webhook ID (`chancery webhook list`)')
    .addOption(new Option('--status <status>', 'only deliveries in this state').choices(DELIVERY_STATUSES))
    .option('--first <n>', 'how many, 1 to 1000', '20')
    .action((id: string, options: { status?: DeliveryStatus; first: string }) =>
      withDatabase(async (database) => {
        const first = Number(options.first);
        if (!Number.isInteger(first) || first < 1 || first > 1000)
          throw badInput(
            `--first must be a whole number from 1 to 1000; got ${JSON.stringify(options.first)}.`,
          );
        await migrate(database);
        const endpointId = idOf(id, 'Webhook');
        const page = await listDeliveries(database.db, endpointId, { first, status: options.status });
        if (page.deliveries.length === 0) {
          console.log('No deliveries.');
          return;
        }
        printTable([
          ['ID', 'EVENT', 'NODE', 'STATUS', 'ATTEMPTS', 'LAST', 'CREATED'],
          ...page.deliveries.map((d) => [
            encodeGlobalId('WebhookDelivery', d.id),
            d.eventType,
            encodeGlobalId(d.nodeType, d.nodeId),
            d.status,
            String(d.attempts),
            d.lastError ?? (d.lastStatus === null ? '-' : String(d.lastStatus)),
            day(d.createdAt),
          ]),
        ]);
        if (page.hasNextPage) console.log(`(more: --first ${Math.min(1000, first * 2)})`);
      }),
    );

  webhook
    .command('redeliver')
    .description(
      'Send a delivery again (a FAILED one, once the receiver is fixed), with the same id and body.',
    )
    .argument('<delivery>', 'the delivery ID (`chancery webhook deliveries <webhook>`)')
    .action(async (id: string) => {
      const deliveryId = idOf(id, 'WebhookDelivery');
      return withDatabase(async (database) => {
        await migrate(database);
        const delivery = await redeliver(database.db, deliveryId, id);
        console.log(
          `Queued the delivery ${id} (${delivery.eventType}) again; the server sends it before the endpoint's later ones.`,
        );
      });
    });
}
