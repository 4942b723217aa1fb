// The admin webhook operations through the SDK, against a real server that sends webhooks: an
// endpoint registered, listed, its delivery log read (a delivery to a port nobody listens on fails
// for good and is redelivered), paused, resumed and deleted; bad input and unknown IDs come back
// as typed errors and change nothing, and only admins may call them.
import { createTokens, type TestDatabase, testEngines } from '@chancery/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChanceryClient, createChanceryClient } from '../src/client.ts';
import { ChanceryError } from '../src/errors.ts';
import { type RunningServer, startServer } from './server.ts';

describe.each(testEngines)('webhook operations through the SDK on $name', (engine) => {
  let database: TestDatabase;
  let running: RunningServer;
  let admin: ChanceryClient;
  let editor: ChanceryClient;

  beforeAll(async () => {
    database = await engine.open();
    // One attempt and the delivery is FAILED; 127.0.0.1 is allowed as a receiver.
    running = await startServer(database, {
      webhooks: { allowPrivate: true, maxAttempts: 1, timeoutMs: 2_000, pollMs: 50 },
    });
    const tokens = await createTokens(database);
    admin = createChanceryClient({ url: running.url, token: tokens.admin });
    editor = createChanceryClient({ url: running.url, token: tokens.editor });
  });
  afterAll(async () => {
    await running?.stop();
    await database?.close();
  });

  it('registers, lists, reads the delivery log, redelivers, pauses, resumes and deletes', async () => {
    const { createWebhook: created } = await admin.createWebhook({
      input: { url: 'http://127.0.0.1:9/hook', events: ['TREATY_CHANGED'] },
    });
    if (created.__typename !== 'CreateWebhookPayload') throw new Error(JSON.stringify(created));
    expect(created.secret).toMatch(/^whsec_/);
    const { id } = created.webhook;
    expect((await admin.webhooks()).webhooks.map((w) => [w.id, w.paused])).toEqual([[id, false]]);

    await editor.createTreaty({ input: { title: 'Treaty for a webhook' } });
    let webhook: Awaited<ReturnType<ChanceryClient['webhook']>>['webhook'] = null;
    for (let i = 0; i < 400 && webhook?.deliveries.nodes[0]?.status !== 'FAILED'; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      webhook = (await admin.webhook({ id, status: 'FAILED' })).webhook;
    }
    expect(webhook).toMatchObject({ failedDeliveries: 1, pendingDeliveries: 0, gaps: [] });
    const [failed] = webhook?.deliveries.nodes ?? [];
    expect(failed).toMatchObject({ event: 'TREATY_CHANGED', type: 'treaty.changed', attempts: 1 });
    expect(failed?.lastError).toMatch(/ECONNREFUSED|refused/i);

    // Paused, the redelivered one waits.
    const { pauseWebhook: paused } = await admin.pauseWebhook({ id });
    expect(paused.__typename === 'WebhookPayload' && paused.webhook.paused).toBe(true);
    const { redeliverWebhookDelivery: again } = await admin.redeliverWebhookDelivery({
      id: failed?.id ?? '',
    });
    if (again.__typename !== 'WebhookDeliveryPayload') throw new Error(JSON.stringify(again));
    expect(again.delivery).toMatchObject({ id: failed?.id, status: 'PENDING', attempts: 0 });
    const { resumeWebhook: resumed } = await admin.resumeWebhook({ id });
    expect(resumed.__typename === 'WebhookPayload' && resumed.webhook.paused).toBe(false);

    const { deleteWebhook: deleted } = await admin.deleteWebhook({ id });
    expect(deleted).toEqual({ __typename: 'DeleteWebhookPayload', deletedId: id });
    expect((await admin.webhook({ id })).webhook).toBeNull();
    expect((await admin.webhooks()).webhooks).toEqual([]);
  });

  it('answers bad input and unknown IDs with typed errors, storing nothing; only admins may call', async () => {
    const { createWebhook: invalid } = await admin.createWebhook({
      input: { url: 'ftp://example.com/hook', events: ['TREATY_CHANGED'] },
    });
    expect(invalid).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'url'], message: expect.stringMatching(/http:\/\/ or https:\/\//) }],
    });
    const unknown = 'V2ViaG9vazowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA';
    const { resumeWebhook: missing } = await admin.resumeWebhook({ id: unknown });
    expect(missing).toMatchObject({
      __typename: 'NotFoundError',
      message: expect.stringMatching(/There is no webhook with the ID/),
    });
    // A Webhook ID is no delivery's.
    const { redeliverWebhookDelivery: wrongKind } = await admin.redeliverWebhookDelivery({ id: unknown });
    expect(wrongKind).toMatchObject({
      __typename: 'NotFoundError',
      message: expect.stringMatching(/is not the ID of a WebhookDelivery/),
    });
    expect((await admin.webhooks()).webhooks).toEqual([]);
    const refused = await editor.webhooks().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ChanceryError);
    expect((refused as ChanceryError).code).toBe('FORBIDDEN');
  });
});
