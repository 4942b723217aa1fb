// Every SDK operation, run for real: the queries with variables on the seed story, anonymously;
// the mutations as a script of writes, with an editor's token (an admin's to purge), on records of
// its own that it removes for good at the end, so the seed story is left as it was and the script
// can run again on the same database. The types name each operation, so adding one to
// src/operations fails the typecheck until it is here — and then the tests run it.
import { randomBytes } from 'node:crypto';
import type {
  ChanceryClient,
  OperationName,
  OperationResult,
  Operations,
  OperationVariables,
  RequestOptions,
} from '../src/client.ts';
import { operations } from '../src/generated/operations.ts';

export const SEED = {
  article: 'tass-2024-10-24-russia-dprk-treaty',
  partnership: 'russia-dprk-comprehensive-strategic-partnership-treaty',
  charter: 'charter-of-the-united-nations',
  rudenko: 'andrey-rudenko',
  northKorea: 'north-korea',
} as const;

export type SeedIds = { actorId: string; treatyId: string; statementId: string; articleId: string };

export type QueryName = {
  [N in OperationName]: Operations[N]['type'] extends 'query' ? N : never;
}[OperationName];
export type MutationName = {
  [N in OperationName]: Operations[N]['type'] extends 'mutation' ? N : never;
}[OperationName];
/** The operations that go over HTTP, as runEveryOperation runs them. */
export const httpOperations = Object.values(operations).filter((o) => o.type !== 'subscription');

/** API tokens for the writes: the script writes as the editor and purges as the admin. */
export type Tokens = { editor: string; admin: string };

/** Looks up the global ids the samples need, through the SDK itself. */
export async function seedIds(client: ChanceryClient): Promise<SeedIds> {
  const { actor } = await client.actor({ slug: SEED.rudenko, listSize: 1 });
  const { treaty } = await client.treaty({ slug: SEED.partnership, listSize: 1 });
  return {
    actorId: actor!.id,
    treatyId: treaty!.id,
    statementId: actor!.statements.nodes[0]!.id,
    articleId: actor!.mentionedIn.nodes[0]!.id,
  };
}

export function queryVariables(ids: SeedIds): { [N in QueryName]: OperationVariables<N> } {
  return {
    actor: { slug: SEED.rudenko },
    actors: { first: 10, filter: { kind: 'PERSON' }, orderBy: 'NAME_ASC' },
    article: { slug: SEED.article },
    articles: { first: 10, filter: { mentionsActorId: ids.actorId } },
    editorArticles: { status: 'PUBLISHED', first: 10 },
    editorActors: { first: 20 },
    node: { id: ids.treatyId },
    nodes: { ids: [ids.actorId, ids.statementId, ids.articleId] },
    readerArticle: { slug: SEED.article },
    readerSearch: { query: 'Article 4', first: 10, filter: { treatyId: ids.treatyId } },
    readerStatements: { first: 10, filter: { speakerId: ids.actorId }, orderBy: 'SAID_ON_DESC' },
    readerTreaty: { slug: SEED.partnership },
    reviewQueue: {
      filter: { attributionMethod: 'MANUAL', maxConfidence: 1, articleId: ids.articleId },
      first: 10,
    },
    search: {
      query: 'defensive treaty',
      first: 10,
      types: ['STATEMENT', 'ARTICLE'],
      filter: { from: '2024-10-01', to: '2024-10-31' },
    },
    statement: { id: ids.statementId },
    statements: { first: 10, filter: { speakerId: ids.actorId }, orderBy: 'READING_ORDER' },
    suggestActors: { prefix: 'rud', limit: 5 },
    treaties: { first: 10, filter: { partyId: ids.actorId } },
    treaty: { slug: SEED.partnership },
    treatyProvision: { treatySlug: SEED.partnership, number: '4' },
    webhooks: {},
    webhook: { id: NO_WEBHOOK },
  };
}

/** A Webhook ID no endpoint has. */
const NO_WEBHOOK = Buffer.from('Webhook:00000000-0000-4000-8000-000000000000').toString('base64url');
/** Queries for admins only (the others run anonymously). */
const ADMIN_QUERIES: ReadonlySet<QueryName> = new Set(['webhooks', 'webhook']);

/** The member of a mutation's result union named `typename`; any other member fails, saying which. */
export function member<R extends { __typename: string }, T extends R['__typename']>(
  result: R,
  typename: T,
): Extract<R, { __typename: T }> {
  if (result.__typename !== typename) {
    throw new Error(`Expected a ${typename}, got ${JSON.stringify(result)}`);
  }
  return result as Extract<R, { __typename: T }>;
}

type Versioned = { id: string; version: number };
type Role = 'speaker' | 'duplicate' | 'treaty' | 'provision' | 'action' | 'article' | 'statement';
/** What the script has made so far: each record as the API last returned it, and the run's tag. */
type Made = { tag: string; webhookId?: string } & Partial<Record<Role, Versioned>>;

type Step<N extends MutationName> = {
  name: N;
  /** Purges and webhooks need an admin; every other write is an editor's. */
  as?: keyof Tokens;
  variables: (made: Made) => OperationVariables<N>;
  /** Checks the result is the member expected, and notes what later steps need. */
  check: (result: OperationResult<N>, made: Made) => void;
};
type AnyStep = { [N in MutationName]: Step<N> }[MutationName];
const step = <N extends MutationName>(definition: Step<N>): Step<N> => definition;

const current = ({ id, version }: Versioned): Versioned => ({ id, version });
const at = (record: Versioned | undefined) => ({ id: record!.id, expectedVersion: record!.version });

// The order a newsroom would write in: actors, a treaty with a provision and an action, an article
// with a statement, edits to each, the article through its states, a merge, a dry-run import; then
// a delete and restore, and every record deleted and purged (what a purged record owned goes too).
const mutationScript = [
  step({
    name: 'createActor',
    variables: ({ tag }) => ({
      input: {
        name: `Sample Envoy ${tag}`,
        kind: 'PERSON',
        aliases: [`Envoy ${tag}`],
        roles: [{ title: 'Special Envoy', startDate: '2024-01-01' }],
      },
    }),
    check: (r, made) => {
      made.speaker = current(member(r.createActor, 'ActorPayload').actor);
    },
  }),
  step({
    name: 'createActor',
    variables: ({ tag }) => ({ input: { name: `S. Envoy ${tag}`, kind: 'PERSON', countryCode: 'CH' } }),
    check: (r, made) => {
      made.duplicate = current(member(r.createActor, 'ActorPayload').actor);
    },
  }),
  step({
    name: 'updateActor',
    variables: (made) => ({ ...at(made.speaker), input: { description: 'Envoy for the sample accord.' } }),
    check: (r, made) => {
      made.speaker = current(member(r.updateActor, 'ActorPayload').actor);
    },
  }),
  step({
    name: 'mergeActors',
    variables: (made) => ({
      sourceId: made.duplicate!.id,
      targetId: made.speaker!.id,
      expectedSourceVersion: made.duplicate!.version,
      expectedTargetVersion: made.speaker!.version,
    }),
    check: (r, made) => {
      made.speaker = current(member(r.mergeActors, 'MergeActorsPayload').actor);
    },
  }),
  step({
    name: 'createTreaty',
    variables: ({ tag }) => ({ input: { title: `Sample Accord ${tag}`, shortTitle: 'Sample Accord' } }),
    check: (r, made) => {
      made.treaty = current(member(r.createTreaty, 'TreatyPayload').treaty);
    },
  }),
  step({
    name: 'updateTreaty',
    variables: (made) => ({ ...at(made.treaty), input: { signedPlace: 'Geneva' } }),
    check: (r, made) => {
      made.treaty = current(member(r.updateTreaty, 'TreatyPayload').treaty);
    },
  }),
  step({
    name: 'createTreatyProvision',
    variables: (made) => ({ input: { treatyId: made.treaty!.id, number: '1', heading: 'Purpose' } }),
    check: (r, made) => {
      made.provision = current(member(r.createTreatyProvision, 'TreatyProvisionPayload').provision);
    },
  }),
  step({
    name: 'updateTreatyProvision',
    variables: (made) => ({ ...at(made.provision), input: { summary: 'What the accord is for.' } }),
    check: (r, made) => {
      made.provision = current(member(r.updateTreatyProvision, 'TreatyProvisionPayload').provision);
    },
  }),
  step({
    name: 'createTreatyAction',
    variables: (made) => ({
      input: { treatyId: made.treaty!.id, type: 'SIGNATURE', date: '2024-06-01', actorId: made.speaker!.id },
    }),
    check: (r, made) => {
      const { action } = member(r.createTreatyAction, 'TreatyActionPayload');
      made.action = current(action);
      made.treaty = current(action.treaty); // signed: a new status, a new version
    },
  }),
  step({
    name: 'updateTreatyAction',
    variables: (made) => ({ ...at(made.action), input: { place: 'Geneva' } }),
    check: (r, made) => {
      const { action } = member(r.updateTreatyAction, 'TreatyActionPayload');
      made.action = current(action);
      made.treaty = current(action.treaty);
    },
  }),
  step({
    name: 'createArticle',
    variables: ({ tag }) => ({
      input: {
        headline: `Sample envoy expects accord ${tag}`,
        paragraphs: ['"We will sign the accord," the envoy said on Monday.', 'Talks continue.'],
        publishedAt: '2024-06-03T09:00:00.000Z',
      },
    }),
    check: (r, made) => {
      made.article = current(member(r.createArticle, 'ArticlePayload').article);
    },
  }),
  step({
    name: 'updateArticle',
    variables: (made) => ({ ...at(made.article), input: { standfirst: 'An envoy speaks.' } }),
    check: (r, made) => {
      made.article = current(member(r.updateArticle, 'ArticlePayload').article);
    },
  }),
  step({
    name: 'createStatement',
    variables: (made) => ({
      input: {
        source: { articleId: made.article!.id, paragraph: 0, text: 'We will sign the accord' },
        kind: 'DIRECT',
        speakerId: made.speaker!.id,
        cue: 'said',
        treatyIds: [made.treaty!.id],
        provisionIds: [made.provision!.id],
      },
    }),
    check: (r, made) => {
      made.statement = current(member(r.createStatement, 'StatementPayload').statement);
    },
  }),
  step({
    name: 'updateStatement',
    variables: (made) => ({ ...at(made.statement), input: { occasion: 'a press briefing' } }),
    check: (r, made) => {
      made.statement = current(member(r.updateStatement, 'StatementPayload').statement);
    },
  }),
  step({
    name: 'publishArticle',
    variables: (made) => at(made.article),
    check: (r, made) => {
      made.article = current(member(r.publishArticle, 'ArticlePayload').article);
    },
  }),
  step({
    name: 'unpublishArticle',
    variables: (made) => at(made.article),
    check: (r, made) => {
      made.article = current(member(r.unpublishArticle, 'ArticlePayload').article);
    },
  }),
  step({
    name: 'publishArticle',
    variables: (made) => at(made.article),
    check: (r, made) => {
      made.article = current(member(r.publishArticle, 'ArticlePayload').article);
    },
  }),
  step({
    name: 'withdrawArticle',
    variables: (made) => at(made.article),
    check: (r, made) => {
      made.article = current(member(r.withdrawArticle, 'ArticlePayload').article);
    },
  }),
  step({
    name: 'importStory',
    variables: ({ tag }) => ({
      text: [
        `Envoy says accord ${tag} is ready`,
        'The accord could be signed within weeks.',
        'GENEVA, June 3 (Sample Wire) — The accord is ready to be signed, the envoy said on Monday.',
        '"We have done our part," he added.',
      ].join('\n'),
      publishedAt: '2024',
      dryRun: true,
    }),
    check: (r) => {
      if (!member(r.importStory, 'ImportStoryPayload').dryRun) throw new Error('importStory: not a dry run');
    },
  }),
  step({
    name: 'deleteStatement',
    variables: (made) => at(made.statement),
    check: (r, made) => {
      made.statement = current(member(r.deleteStatement, 'StatementPayload').statement);
    },
  }),
  step({
    name: 'restore',
    variables: (made) => at(made.statement),
    check: (r, made) => {
      made.statement = current(member(r.restore, 'RestorePayload').node);
    },
  }),
  step({
    name: 'deleteArticle',
    variables: (made) => at(made.article),
    check: (r, made) => {
      made.article = current(member(r.deleteArticle, 'ArticlePayload').article);
    },
  }),
  step({
    name: 'purge', // the article, and its statement with it
    as: 'admin',
    variables: (made) => at(made.article),
    check: (r) => void member(r.purge, 'PurgePayload'),
  }),
  step({
    name: 'deleteTreatyProvision',
    variables: (made) => at(made.provision),
    check: (r) => void member(r.deleteTreatyProvision, 'TreatyProvisionPayload'),
  }),
  step({
    name: 'deleteTreatyAction',
    variables: (made) => at(made.action),
    check: (r, made) => {
      made.treaty = current(member(r.deleteTreatyAction, 'TreatyActionPayload').action.treaty);
    },
  }),
  step({
    name: 'deleteTreaty',
    variables: (made) => at(made.treaty),
    check: (r, made) => {
      made.treaty = current(member(r.deleteTreaty, 'TreatyPayload').treaty);
    },
  }),
  step({
    name: 'purge', // the treaty, with its provision and action
    as: 'admin',
    variables: (made) => at(made.treaty),
    check: (r) => void member(r.purge, 'PurgePayload'),
  }),
  step({
    name: 'purge', // the merged duplicate, before the actor it was merged into
    as: 'admin',
    variables: (made) => ({ id: made.duplicate!.id }),
    check: (r) => void member(r.purge, 'PurgePayload'),
  }),
  step({
    name: 'deleteActor',
    variables: (made) => at(made.speaker),
    check: (r, made) => {
      made.speaker = current(member(r.deleteActor, 'ActorPayload').actor);
    },
  }),
  step({
    name: 'purge',
    as: 'admin',
    variables: (made) => at(made.speaker),
    check: (r) => void member(r.purge, 'PurgePayload'),
  }),
  // Webhooks, for admins: an endpoint made and removed with no content written meanwhile, so
  // nothing is ever sent to it.
  step({
    name: 'createWebhook',
    as: 'admin',
    variables: () => ({ input: { url: 'https://93.184.215.14/chancery', events: ['TREATY_CHANGED'] } }),
    check: (r, made) => {
      made.webhookId = member(r.createWebhook, 'CreateWebhookPayload').webhook.id;
    },
  }),
  step({
    name: 'pauseWebhook',
    as: 'admin',
    variables: (made) => ({ id: made.webhookId! }),
    check: (r) => void member(r.pauseWebhook, 'WebhookPayload'),
  }),
  step({
    name: 'resumeWebhook',
    as: 'admin',
    variables: (made) => ({ id: made.webhookId! }),
    check: (r) => void member(r.resumeWebhook, 'WebhookPayload'),
  }),
  step({
    name: 'redeliverWebhookDelivery', // none was made: the ID names no delivery
    as: 'admin',
    variables: () => ({
      id: Buffer.from('WebhookDelivery:00000000-0000-4000-8000-000000000000').toString('base64url'),
    }),
    check: (r) => void member(r.redeliverWebhookDelivery, 'NotFoundError'),
  }),
  step({
    name: 'deleteWebhook',
    as: 'admin',
    variables: (made) => ({ id: made.webhookId! }),
    check: (r) => void member(r.deleteWebhook, 'DeleteWebhookPayload'),
  }),
] satisfies AnyStep[];

/** Compiles only while the script runs every mutation; otherwise the error names those it misses. */
export const everyMutationIsScripted: [
  Exclude<MutationName, (typeof mutationScript)[number]['name']>,
] extends [never]
  ? true
  : { missing: Exclude<MutationName, (typeof mutationScript)[number]['name']> } = true;

/**
 * Runs every SDK query and mutation at least once: each query with its sample variables
 * (anonymously), then the mutation script (with the tokens, sent per call). Returns the last data
 * by operation. Subscriptions go over WebSocket: subscriptions.test.ts runs each of them.
 */
export async function runEveryOperation(
  client: ChanceryClient,
  ids: SeedIds,
  tokens: Tokens,
): Promise<Record<QueryName | MutationName, unknown>> {
  const results = {} as Record<QueryName | MutationName, unknown>;
  const variables = queryVariables(ids);
  for (const name of Object.keys(variables) as QueryName[]) {
    const call = client[name] as (variables: unknown, options?: RequestOptions) => Promise<unknown>;
    const options = ADMIN_QUERIES.has(name)
      ? { headers: { authorization: `Bearer ${tokens.admin}` } }
      : undefined;
    results[name] = await call(variables[name], options);
  }
  const made: Made = { tag: randomBytes(4).toString('hex') };
  for (const { name, as = 'editor', variables, check } of mutationScript as AnyStep[]) {
    const call = client[name] as (variables: unknown, options: RequestOptions) => Promise<never>;
    const options = { headers: { authorization: `Bearer ${tokens[as]}` } };
    const result = await call(variables(made), options);
    (check as (result: unknown, made: Made) => void)(result, made);
    results[name] = result;
  }
  return results;
}
