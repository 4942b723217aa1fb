// The closed vocabularies of Chancery's model. Storage, the GraphQL schema and validation all read
// these lists, so a new value is added in exactly one place.

export const ACTOR_KINDS = ['PERSON', 'STATE', 'ORGANIZATION'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const TREATY_STATUSES = [
  'NEGOTIATING',
  'SIGNED',
  'PENDING_RATIFICATION',
  'IN_FORCE',
  'TERMINATED',
] as const;
export type TreatyStatus = (typeof TREATY_STATUSES)[number];

export const TREATY_ACTION_TYPES = [
  'SIGNATURE',
  'SUBMISSION_FOR_RATIFICATION',
  'RATIFICATION',
  'ACCESSION',
  'EXCHANGE_OF_INSTRUMENTS',
  'ENTRY_INTO_FORCE',
  'DENUNCIATION',
  'WITHDRAWAL',
] as const;
export type TreatyActionType = (typeof TREATY_ACTION_TYPES)[number];

export const ARTICLE_STATUSES = ['DRAFT', 'PUBLISHED', 'WITHDRAWN'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export const STATEMENT_KINDS = ['DIRECT', 'INDIRECT'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

export const ATTRIBUTION_METHODS = ['MANUAL', 'RULES'] as const;
export type AttributionMethod = (typeof ATTRIBUTION_METHODS)[number];

/** Where a fact came from: a character range of one paragraph of an article. */
export type SourceSpan = {
  articleId: string;
  paragraph: number;
  start: number;
  end: number;
  text: string;
};
