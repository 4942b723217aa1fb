// The storage model. The SQL in ../migrations is the source of truth for the database; this file
// describes the same tables to Drizzle. A test compares the two (schema-drift.test.ts).
import type {
  ActorKind,
  ArticleStatus,
  AttributionMethod,
  StatementKind,
  TreatyActionType,
  TreatyStatus,
} from '@chancery/domain/model';
import type { RevisedNodeType, RevisionOperation } from '@chancery/domain/revisions';
import type { TokenRole } from '@chancery/domain/viewer';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

// Timestamps travel as ISO strings: cursors keep the database's full precision that way.
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });
const day = (name: string) => date(name, { mode: 'string' });
// Full-text search vectors (migration 0003), kept current by the database: never written by hand.
const tsvector = customType<{ data: string; driverData: string }>({ dataType: () => 'tsvector' });
/** to_tsvector with Chancery's configuration (English stemming, accents folded), as in 0003_search.sql. */
const englishVector = (weight: string, column: string) =>
  sql.raw(`setweight(to_tsvector('chancery_english'::regconfig, coalesce(${column}, '')), '${weight}')`);

/** Columns every node has: identity, audit times, optimistic-concurrency version, soft delete. */
const nodeColumns = () => ({
  id: uuid('id').primaryKey().defaultRandom(),
  createdAt: instant('created_at').notNull().default(sql`now()`),
  updatedAt: instant('updated_at').notNull().default(sql`now()`),
  version: integer('version').notNull().default(1),
  deletedAt: instant('deleted_at'),
});

export const actors = pgTable('actors', {
  ...nodeColumns(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind').$type<ActorKind>().notNull(),
  aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
  description: text('description'),
  countryCode: text('country_code'),
  wikidataId: text('wikidata_id'),
  searchVector: tsvector('search_vector')
    .notNull()
    .generatedAlwaysAs(
      sql`${englishVector('A', 'name')} || ${englishVector('A', 'chancery_join_words(aliases)')} || ${englishVector('C', 'description')}`,
    ),
  /** Every name and alias in the form trigram lookup compares (chancery_name_key). */
  nameKey: text('name_key')
    .notNull()
    .generatedAlwaysAs(sql`chancery_name_key(name || ' ' || chancery_join_words(aliases))`),
  // Set when the actor was merged into another (migration 0002): its old ID resolves to that one.
  mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => actors.id),
});

export const actorRoles = pgTable('actor_roles', {
  id: uuid('id').primaryKey().defaultRandom(),
  actorId: uuid('actor_id')
    .notNull()
    .references(() => actors.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  title: text('title').notNull(),
  organizationId: uuid('organization_id').references(() => actors.id),
  startDate: day('start_date'),
  endDate: day('end_date'),
});

export const treaties = pgTable('treaties', {
  ...nodeColumns(),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  shortTitle: text('short_title'),
  // Derived from treaty_actions by treatyStatusFromActions on every write; stored so it can be filtered.
  status: text('status').$type<TreatyStatus>().notNull(),
  signedOn: day('signed_on'),
  signedPlace: text('signed_place'),
  entryIntoForceOn: day('entry_into_force_on'),
  // Titles and live provisions; set by a trigger on every write to the treaty or its provisions.
  searchVector: tsvector('search_vector').notNull().default(sql`''::tsvector`),
});

export const treatyParties = pgTable(
  'treaty_parties',
  {
    treatyId: uuid('treaty_id')
      .notNull()
      .references(() => treaties.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => actors.id),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.treatyId, t.actorId] })],
);

export const treatyProvisions = pgTable('treaty_provisions', {
  ...nodeColumns(),
  treatyId: uuid('treaty_id')
    .notNull()
    .references(() => treaties.id, { onDelete: 'cascade' }),
  number: text('number').notNull(),
  position: integer('position').notNull(),
  heading: text('heading'),
  text: text('text'),
  summary: text('summary'),
  searchVector: tsvector('search_vector')
    .notNull()
    .generatedAlwaysAs(
      sql`${englishVector('B', 'heading')} || ${englishVector('C', 'text')} || ${englishVector('C', 'summary')}`,
    ),
});

export const provisionReferences = pgTable(
  'provision_references',
  {
    fromProvisionId: uuid('from_provision_id')
      .notNull()
      .references(() => treatyProvisions.id, { onDelete: 'cascade' }),
    toProvisionId: uuid('to_provision_id')
      .notNull()
      .references(() => treatyProvisions.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.fromProvisionId, t.toProvisionId] })],
);

/** A source span: which words of which article paragraph a record was taken from. */
const sourceSpanColumns = (prefix: string) => ({
  sourceArticleId: uuid(`${prefix}article_id`),
  sourceParagraph: integer(`${prefix}paragraph`),
  sourceStart: integer(`${prefix}start`),
  sourceEnd: integer(`${prefix}end`),
  sourceText: text(`${prefix}text`),
});

export const treatyActions = pgTable('treaty_actions', {
  ...nodeColumns(),
  treatyId: uuid('treaty_id')
    .notNull()
    .references(() => treaties.id, { onDelete: 'cascade' }),
  type: text('type').$type<TreatyActionType>().notNull(),
  date: day('date'),
  actorId: uuid('actor_id').references(() => actors.id),
  bodyId: uuid('body_id').references(() => actors.id),
  place: text('place'),
  description: text('description'),
  ...sourceSpanColumns('source_'),
});

export const articles = pgTable('articles', {
  ...nodeColumns(),
  slug: text('slug').notNull().unique(),
  headline: text('headline').notNull(),
  standfirst: text('standfirst'),
  datelinePlace: text('dateline_place'),
  datelineText: text('dateline_text'),
  publisherId: uuid('publisher_id').references(() => actors.id),
  byline: text('byline'),
  publishedAt: instant('published_at').notNull(),
  language: text('language').notNull().default('en'),
  url: text('url'),
  status: text('status').$type<ArticleStatus>().notNull().default('DRAFT'),
  /** Not deleted; and PUBLISHED too (migration 0005): what the visibility rules read. */
  live: boolean('live').notNull().generatedAlwaysAs(sql`deleted_at is null`),
  published: boolean('published')
    .notNull()
    .generatedAlwaysAs(sql`deleted_at is null and status = 'PUBLISHED'`),
  contentHash: text('content_hash'),
  // Headline, standfirst and paragraphs; set by a trigger on every write to the article or its paragraphs.
  searchVector: tsvector('search_vector').notNull().default(sql`''::tsvector`),
});

export const articleParagraphs = pgTable(
  'article_paragraphs',
  {
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    index: integer('index').notNull(),
    text: text('text').notNull(),
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('chancery_english'::regconfig, text)`),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.index] })],
);

/** A span of an article that names an actor, a treaty or one provision (exactly one of them). */
export const articleMentions = pgTable('article_mentions', {
  id: uuid('id').primaryKey().defaultRandom(),
  articleId: uuid('article_id')
    .notNull()
    .references(() => articles.id, { onDelete: 'cascade' }),
  paragraph: integer('paragraph').notNull(),
  start: integer('start').notNull(),
  end: integer('end').notNull(),
  text: text('text').notNull(),
  actorId: uuid('actor_id').references(() => actors.id),
  treatyId: uuid('treaty_id').references(() => treaties.id),
  provisionId: uuid('provision_id').references(() => treatyProvisions.id),
});

// The distinct actors and treaties an article mentions, kept beside the spans so that
// `Actor.mentionedIn` and `Article.treaties` are plain joins the planner can nest.
export const articleActors = pgTable(
  'article_actors',
  {
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => actors.id),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.actorId] })],
);

export const articleTreaties = pgTable(
  'article_treaties',
  {
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    treatyId: uuid('treaty_id')
      .notNull()
      .references(() => treaties.id),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.treatyId] })],
);

export const statements = pgTable('statements', {
  ...nodeColumns(),
  text: text('text').notNull(),
  kind: text('kind').$type<StatementKind>().notNull(),
  speakerId: uuid('speaker_id').references(() => actors.id),
  speakerRole: text('speaker_role'),
  cue: text('cue'),
  saidOn: day('said_on').notNull(),
  occasion: text('occasion'),
  articleId: uuid('article_id')
    .notNull()
    .references(() => articles.id, { onDelete: 'cascade' }),
  paragraph: integer('paragraph').notNull(),
  start: integer('start').notNull(),
  end: integer('end').notNull(),
  attributionMethod: text('attribution_method').$type<AttributionMethod>().notNull(),
  attributionConfidence: real('attribution_confidence').notNull().default(1),
  // Not deleted, nor is its article; and that article PUBLISHED too: kept by triggers from the
  // statement and its article (migration 0005), never written by hand (maintained-columns.ts).
  live: boolean('live').notNull().default(true),
  published: boolean('published').notNull().default(false),
  searchVector: tsvector('search_vector')
    .notNull()
    .generatedAlwaysAs(
      sql`${englishVector('A', 'text')} || ${englishVector('C', 'speaker_role')} || ${englishVector('C', 'occasion')}`,
    ),
});

export const statementTreaties = pgTable(
  'statement_treaties',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'cascade' }),
    treatyId: uuid('treaty_id')
      .notNull()
      .references(() => treaties.id),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.treatyId] })],
);

export const statementProvisions = pgTable(
  'statement_provisions',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => statements.id, { onDelete: 'cascade' }),
    provisionId: uuid('provision_id')
      .notNull()
      .references(() => treatyProvisions.id),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.provisionId] })],
);

// Editorial tables (migration 0002).

/** An API token: only the SHA-256 of the token is stored. */
export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  role: text('role').$type<TokenRole>().notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: instant('created_at').notNull().default(sql`now()`),
  lastUsedAt: instant('last_used_at'),
  revokedAt: instant('revoked_at'),
});

/** A signed-in editor's session (migration 0008): the hash of its id, the token it acts as. */
export const editorSessions = pgTable('editor_sessions', {
  id: uuid('id').primaryKey().defaultRandom(),
  sessionHash: text('session_hash').notNull().unique(),
  tokenId: uuid('token_id')
    .notNull()
    .references(() => apiTokens.id, { onDelete: 'cascade' }),
  createdAt: instant('created_at').notNull().default(sql`now()`),
  expiresAt: instant('expires_at').notNull(),
});

/** One change to one node: the record before and after, who changed it and when. */
export const revisions = pgTable('revisions', {
  id: uuid('id').primaryKey().defaultRandom(),
  nodeType: text('node_type').$type<RevisedNodeType>().notNull(),
  nodeId: uuid('node_id').notNull(),
  version: integer('version').notNull(),
  operation: text('operation').$type<RevisionOperation>().notNull(),
  tokenName: text('token_name'),
  createdAt: instant('created_at').notNull().default(sql`now()`),
  before: jsonb('before').$type<Record<string, unknown>>(),
  after: jsonb('after').$type<Record<string, unknown>>(),
});

// Import sources (migration 0007).

/** A feed or agency item (guid, uri, URL) and the article it became. */
export const sourceItems = pgTable('source_items', {
  itemId: text('item_id').primaryKey(),
  articleId: uuid('article_id')
    .notNull()
    .references(() => articles.id, { onDelete: 'cascade' }),
  format: text('format').notNull(),
  source: text('source').notNull(),
  contentHash: text('content_hash').notNull(),
  place: text('place'),
  publishedAt: instant('published_at'),
  firstSeenAt: instant('first_seen_at').notNull().default(sql`now()`),
  lastSeenAt: instant('last_seen_at').notNull().default(sql`now()`),
});

/** What `chancery watch` remembers of a polled source between polls and restarts. */
export const sourceStates = pgTable('source_states', {
  source: text('source').primaryKey(),
  etag: text('etag'),
  lastModified: text('last_modified'),
  bodyHash: text('body_hash'),
  failures: integer('failures').notNull().default(0),
  lastError: text('last_error'),
  checkedAt: instant('checked_at'),
  nextCheckAt: instant('next_check_at'),
});

// The change log (migration 0006): one row per node changed per transaction, written by triggers.
// Read and pruned with SQL of its own (change-log.ts); `xid` is an xid8, read as text.
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/** A committed change to a node, for subscriptions and `changes(after:)`. */
export const changeLog = pgTable('change_log', {
  id: bigserial('id', { mode: 'bigint' }).primaryKey(),
  xid: xid8('xid').notNull(),
  nodeType: text('node_type').notNull(),
  nodeId: uuid('node_id').notNull(),
  operation: text('operation').notNull(),
  wasVisible: boolean('was_visible').notNull(),
  visible: boolean('visible').notNull(),
  changedAt: instant('changed_at').notNull().default(sql`now()`),
});

// Webhooks (migration 0009): endpoints and their deliveries, read and written with SQL of their
// own (webhooks.ts).

/** An endpoint an admin registered: where, which events, and its position in the change log. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  events: text('events').array().notNull(),
  filter: jsonb('filter').$type<Record<string, string>>().notNull(),
  secret: text('secret').notNull(),
  paused: boolean('paused').notNull().default(false),
  positionXid: xid8('position_xid').notNull(),
  positionId: bigint('position_id', { mode: 'bigint' }).notNull(),
  createdSnapshot: text('created_snapshot').notNull(),
  createdBy: text('created_by'),
  createdAt: instant('created_at').notNull().default(sql`now()`),
  updatedAt: instant('updated_at').notNull().default(sql`now()`),
});

/**
 * Changes pruned from the change log before an endpoint had them (migration 0010 records them as
 * they are deleted): how many of the events it asked for, and between which times.
 */
export const webhookGaps = pgTable('webhook_gaps', {
  id: uuid('id').primaryKey().defaultRandom(),
  endpointId: uuid('endpoint_id')
    .notNull()
    .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
  changes: integer('changes').notNull(),
  fromAt: instant('from_at').notNull(),
  throughAt: instant('through_at').notNull(),
  recordedAt: instant('recorded_at').notNull().default(sql`now()`),
  warned: boolean('warned').notNull().default(false),
});

/** One event to send to one endpoint, and how sending it went. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  seq: bigserial('seq', { mode: 'bigint' }).notNull(),
  endpointId: uuid('endpoint_id')
    .notNull()
    .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
  eventId: text('event_id').notNull(),
  eventType: text('event_type').notNull(),
  nodeType: text('node_type').notNull(),
  nodeId: uuid('node_id').notNull(),
  body: text('body').notNull(),
  status: text('status').notNull().default('PENDING'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: instant('next_attempt_at').notNull().default(sql`now()`),
  leasedUntil: instant('leased_until'),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  createdAt: instant('created_at').notNull().default(sql`now()`),
  updatedAt: instant('updated_at').notNull().default(sql`now()`),
  deliveredAt: instant('delivered_at'),
});
