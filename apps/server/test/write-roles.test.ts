// Who may change what: every mutation, with no token and with a token of every role. A refused
// request writes nothing at all.

import { rows } from '@chancery/db/repositories/sql';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../src/global-id.ts';
import { schema } from '../src/schema/index.ts';
import { as, builders, createTokens, ERROR_FIELDS, type Role, type Tokens, unique } from './editorial.ts';
import { startTestServer, type TestServer } from './http.ts';

type Build = ReturnType<typeof builders>;
type Call = { query: string; variables: Record<string, unknown> };

const payload = (field: string) => `${ERROR_FIELDS} ... on ${field} { __typename }`;

// Each mutation with a way to make what it needs (a fresh target for every call).
const MUTATIONS: { name: string; adminOnly?: boolean; prepare(build: Build): Promise<Call> }[] = [
  {
    name: 'createActor',
    prepare: async () => ({
      query: `mutation ($n: String!) { createActor(input: { name: $n, kind: PERSON }) { ${payload('ActorPayload')} } }`,
      variables: { n: unique('Person') },
    }),
  },
  {
    name: 'updateActor',
    prepare: async (b) => {
      const a = await b.actor();
      return {
        query: `mutation ($id: ID!, $v: Int!) { updateActor(id: $id, expectedVersion: $v, input: { description: "changed" }) { ${payload('ActorPayload')} } }`,
        variables: { id: a.id, v: a.version },
      };
    },
  },
  {
    name: 'deleteActor',
    prepare: async (b) => {
      const a = await b.actor();
      return {
        query: `mutation ($id: ID!, $v: Int!) { deleteActor(id: $id, expectedVersion: $v) { ${payload('ActorPayload')} } }`,
        variables: { id: a.id, v: a.version },
      };
    },
  },
  {
    name: 'mergeActors',
    prepare: async (b) => {
      const [source, target] = [await b.actor(), await b.actor()];
      return {
        query: `mutation ($s: ID!, $t: ID!) { mergeActors(sourceId: $s, targetId: $t) { ${payload('MergeActorsPayload')} } }`,
        variables: { s: source.id, t: target.id },
      };
    },
  },
  {
    name: 'createTreaty',
    prepare: async () => ({
      query: `mutation ($t: String!) { createTreaty(input: { title: $t }) { ${payload('TreatyPayload')} } }`,
      variables: { t: unique('Treaty') },
    }),
  },
  {
    name: 'updateTreaty',
    prepare: async (b) => {
      const t = await b.treaty();
      return {
        query: `mutation ($id: ID!, $v: Int!) { updateTreaty(id: $id, expectedVersion: $v, input: { signedPlace: "Pyongyang" }) { ${payload('TreatyPayload')} } }`,
        variables: { id: t.id, v: t.version },
      };
    },
  },
  {
    name: 'deleteTreaty',
    prepare: async (b) => {
      const t = await b.treaty();
      return {
        query: `mutation ($id: ID!, $v: Int!) { deleteTreaty(id: $id, expectedVersion: $v) { ${payload('TreatyPayload')} } }`,
        variables: { id: t.id, v: t.version },
      };
    },
  },
  {
    name: 'createTreatyProvision',
    prepare: async (b) => {
      const t = await b.treaty();
      return {
        query: `mutation ($t: ID!) { createTreatyProvision(input: { treatyId: $t, number: "1" }) { ${payload('TreatyProvisionPayload')} } }`,
        variables: { t: t.id },
      };
    },
  },
  {
    name: 'updateTreatyProvision',
    prepare: async (b) => {
      const p = await b.provision((await b.treaty()).id);
      return {
        query: `mutation ($id: ID!, $v: Int!) { updateTreatyProvision(id: $id, expectedVersion: $v, input: { summary: "s" }) { ${payload('TreatyProvisionPayload')} } }`,
        variables: { id: p.id, v: p.version },
      };
    },
  },
  {
    name: 'deleteTreatyProvision',
    prepare: async (b) => {
      const p = await b.provision((await b.treaty()).id);
      return {
        query: `mutation ($id: ID!, $v: Int!) { deleteTreatyProvision(id: $id, expectedVersion: $v) { ${payload('TreatyProvisionPayload')} } }`,
        variables: { id: p.id, v: p.version },
      };
    },
  },
  {
    name: 'createTreatyAction',
    prepare: async (b) => {
      const t = await b.treaty();
      return {
        query: `mutation ($t: ID!) { createTreatyAction(input: { treatyId: $t, type: SIGNATURE, date: "2024-06-19" }) { ${payload('TreatyActionPayload')} } }`,
        variables: { t: t.id },
      };
    },
  },
  {
    name: 'updateTreatyAction',
    prepare: async (b) => {
      const x = await b.action((await b.treaty()).id);
      return {
        query: `mutation ($id: ID!, $v: Int!) { updateTreatyAction(id: $id, expectedVersion: $v, input: { place: "Moscow" }) { ${payload('TreatyActionPayload')} } }`,
        variables: { id: x.id, v: x.version },
      };
    },
  },
  {
    name: 'deleteTreatyAction',
    prepare: async (b) => {
      const x = await b.action((await b.treaty()).id);
      return {
        query: `mutation ($id: ID!, $v: Int!) { deleteTreatyAction(id: $id, expectedVersion: $v) { ${payload('TreatyActionPayload')} } }`,
        variables: { id: x.id, v: x.version },
      };
    },
  },
  {
    name: 'createArticle',
    prepare: async () => ({
      query: `mutation ($h: String!) { createArticle(input: { headline: $h, paragraphs: ["One."] }) { ${payload('ArticlePayload')} } }`,
      variables: { h: unique('Headline') },
    }),
  },
  {
    name: 'updateArticle',
    prepare: async (b) => {
      const a = await b.article();
      return {
        query: `mutation ($id: ID!, $v: Int!) { updateArticle(id: $id, expectedVersion: $v, input: { byline: "By us" }) { ${payload('ArticlePayload')} } }`,
        variables: { id: a.id, v: a.version },
      };
    },
  },
  {
    name: 'deleteArticle',
    prepare: async (b) => {
      const a = await b.article();
      return {
        query: `mutation ($id: ID!, $v: Int!) { deleteArticle(id: $id, expectedVersion: $v) { ${payload('ArticlePayload')} } }`,
        variables: { id: a.id, v: a.version },
      };
    },
  },
  {
    name: 'publishArticle',
    prepare: async (b) => {
      const a = await b.article();
      return {
        query: `mutation ($id: ID!, $v: Int!) { publishArticle(id: $id, expectedVersion: $v) { ${payload('ArticlePayload')} } }`,
        variables: { id: a.id, v: a.version },
      };
    },
  },
  {
    name: 'unpublishArticle',
    prepare: async (b) => {
      const a = await b.publish(await b.article());
      return {
        query: `mutation ($id: ID!, $v: Int!) { unpublishArticle(id: $id, expectedVersion: $v) { ${payload('ArticlePayload')} } }`,
        variables: { id: a.id, v: a.version },
      };
    },
  },
  {
    name: 'withdrawArticle',
    prepare: async (b) => {
      const a = await b.publish(await b.article());
      return {
        query: `mutation ($id: ID!, $v: Int!) { withdrawArticle(id: $id, expectedVersion: $v) { ${payload('ArticlePayload')} } }`,
        variables: { id: a.id, v: a.version },
      };
    },
  },
  {
    name: 'createStatement',
    prepare: async (b) => {
      const a = await b.article();
      return {
        query: `mutation ($a: ID!) { createStatement(input: { source: { articleId: $a, paragraph: 0, text: "We will sign" }, kind: DIRECT }) { ${payload('StatementPayload')} } }`,
        variables: { a: a.id },
      };
    },
  },
  {
    name: 'updateStatement',
    prepare: async (b) => {
      const s = await b.statement((await b.article()).id);
      return {
        query: `mutation ($id: ID!, $v: Int!) { updateStatement(id: $id, expectedVersion: $v, input: { cue: "said" }) { ${payload('StatementPayload')} } }`,
        variables: { id: s.id, v: s.version },
      };
    },
  },
  {
    name: 'deleteStatement',
    prepare: async (b) => {
      const s = await b.statement((await b.article()).id);
      return {
        query: `mutation ($id: ID!, $v: Int!) { deleteStatement(id: $id, expectedVersion: $v) { ${payload('StatementPayload')} } }`,
        variables: { id: s.id, v: s.version },
      };
    },
  },
  {
    name: 'restore',
    prepare: async (b) => {
      const a = await b.remove('Actor', await b.actor());
      return {
        query: `mutation ($id: ID!) { restore(id: $id) { ${payload('RestorePayload')} } }`,
        variables: { id: a.id },
      };
    },
  },
  {
    // The importer's mutation (schema/import.ts): writes through the same path, so the same rules.
    name: 'importStory',
    prepare: async () => ({
      query: `mutation ($text: String!) { importStory(text: $text, publishedAt: "2024-10-24") { ${payload('ImportStoryPayload')} } }`,
      variables: {
        text: `${unique('Moscow says it is ready')}\nA standfirst.\nMOSCOW, October 24. /TASS/. "We are ready," Foreign Minister Sergey Lavrov said.\n`,
      },
    }),
  },
  {
    name: 'createWebhook',
    adminOnly: true,
    prepare: async () => ({
      query: `mutation { createWebhook(input: { url: "https://93.184.216.34/hook", events: [TREATY_CHANGED] }) { ${payload('CreateWebhookPayload')} } }`,
      variables: {},
    }),
  },
  {
    name: 'pauseWebhook',
    adminOnly: true,
    prepare: async () => ({
      query: `mutation ($id: ID!) { pauseWebhook(id: $id) { ${payload('WebhookPayload')} } }`,
      variables: { id: await storedWebhook({ paused: false }) },
    }),
  },
  {
    name: 'resumeWebhook',
    adminOnly: true,
    prepare: async () => ({
      query: `mutation ($id: ID!) { resumeWebhook(id: $id) { ${payload('WebhookPayload')} } }`,
      variables: { id: await storedWebhook({ paused: true }) },
    }),
  },
  {
    name: 'deleteWebhook',
    adminOnly: true,
    prepare: async () => ({
      query: `mutation ($id: ID!) { deleteWebhook(id: $id) { ${payload('DeleteWebhookPayload')} } }`,
      variables: { id: await storedWebhook({ paused: false }) },
    }),
  },
  {
    name: 'redeliverWebhookDelivery',
    adminOnly: true,
    prepare: async () => ({
      query: `mutation ($id: ID!) { redeliverWebhookDelivery(id: $id) { ${payload('WebhookDeliveryPayload')} } }`,
      variables: { id: await storedWebhook({ paused: false, failedDelivery: true }) },
    }),
  },
  {
    name: 'purge',
    adminOnly: true,
    prepare: async (b) => {
      const a = await b.remove('Actor', await b.actor());
      return {
        query: `mutation ($id: ID!) { purge(id: $id) { ${payload('PurgePayload')} } }`,
        variables: { id: a.id },
      };
    },
  },
];

// The suite's database, for the webhook mutations' targets (stored directly: this suite's server
// sends no webhooks, and its endpoints' changes are the test's only).
let current: TestDatabase;

/** A webhook endpoint's ID, or with `failedDelivery` the ID of a FAILED delivery to it. */
async function storedWebhook(options: { paused: boolean; failedDelivery?: boolean }): Promise<string> {
  const [endpoint] = await rows<{ id: string }>(
    current.db,
    sql`insert into webhook_endpoints (url, events, secret, paused)
        values ('https://93.184.216.34/hook', '{TREATY_CHANGED}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', ${options.paused})
        returning id`,
  );
  if (!options.failedDelivery) return encodeGlobalId('Webhook', endpoint?.id as string);
  const [delivery] = await rows<{ id: string }>(
    current.db,
    sql`insert into webhook_deliveries (endpoint_id, event_id, event_type, node_type, node_id, body, status, attempts)
        values (${endpoint?.id}, ${unique('event')}, 'TREATY_CHANGED', 'Treaty', gen_random_uuid(), '{}', 'FAILED', 3)
        returning id`,
  );
  return encodeGlobalId('WebhookDelivery', delivery?.id as string);
}

describe.each(testEngines)('who may write, on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;
  let build: Build;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    current = database;
    api = await startTestServer(database, { webhooks: false });
    tokens = await createTokens(database);
    build = builders(as(api, tokens.admin));
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  /** Everything a write could leave behind: rows, versions, revisions. */
  const fingerprint = async () => {
    const result = await database.db.execute(sql`select
      (select count(*) from revisions) || '/' ||
      (select count(*) || ':' || coalesce(sum(version), 0) from actors) || '/' ||
      (select count(*) || ':' || coalesce(sum(version), 0) from treaties) || '/' ||
      (select count(*) || ':' || coalesce(sum(version), 0) from treaty_provisions) || '/' ||
      (select count(*) || ':' || coalesce(sum(version), 0) from treaty_actions) || '/' ||
      (select count(*) || ':' || coalesce(sum(version), 0) from articles) || '/' ||
      (select count(*) || ':' || coalesce(sum(version), 0) from statements) || '/' ||
      (select count(*) || ':' || count(*) filter (where paused) from webhook_endpoints) || '/' ||
      (select count(*) || ':' || count(*) filter (where status = 'PENDING') from webhook_deliveries) as print`);
    return (result as unknown as { rows: { print: string }[] }).rows[0]?.print;
  };

  it('covers every mutation in the schema', () => {
    const fields = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(MUTATIONS.map((m) => m.name).sort()).toEqual(fields.sort());
  });

  describe.each(MUTATIONS)('$name', (mutation) => {
    it.each<[Role | 'anonymous', string]>([
      ['anonymous', 'UNAUTHENTICATED'],
      ['reader', 'FORBIDDEN'],
    ])('%s is refused with %s, and nothing is written', async (role, code) => {
      const call = await mutation.prepare(build);
      const before = await fingerprint();
      const response = await as(api, role === 'anonymous' ? null : tokens[role])(call.query, call.variables);
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
      expect(response.data?.[mutation.name] ?? null).toBeNull();
      expect(await fingerprint()).toBe(before);
    });

    it.each<Role>(['editor', 'admin'])('%s may (purge: admins only)', async (role) => {
      const call = await mutation.prepare(build);
      const before = await fingerprint();
      const response = await as(api, tokens[role])(call.query, call.variables);
      if (mutation.adminOnly && role === 'editor') {
        expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(response.errors?.[0]?.message).toMatch(/needs an admin token/);
        expect(await fingerprint()).toBe(before);
      } else {
        expect(response.errors).toBeUndefined();
        expect(response.data?.[mutation.name].__typename).toMatch(/Payload$/);
        expect(await fingerprint()).not.toBe(before);
      }
    });
  });
});
