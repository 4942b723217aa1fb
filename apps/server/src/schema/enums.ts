import {
  ACTOR_KINDS,
  ARTICLE_STATUSES,
  ATTRIBUTION_METHODS,
  STATEMENT_KINDS,
  TREATY_ACTION_TYPES,
  TREATY_STATUSES,
} from '@chancery/domain/model';
import { builder } from '../builder.ts';

// The model's closed vocabularies, exposed as GraphQL enums with the same values.
export const ActorKind = builder.enumType('ActorKind', { values: ACTOR_KINDS });
export const TreatyStatus = builder.enumType('TreatyStatus', {
  values: TREATY_STATUSES,
  description: "Derived from the treaty's actions; never set by hand.",
});
export const TreatyActionType = builder.enumType('TreatyActionType', { values: TREATY_ACTION_TYPES });
export const ArticleStatus = builder.enumType('ArticleStatus', { values: ARTICLE_STATUSES });
export const StatementKind = builder.enumType('StatementKind', {
  values: STATEMENT_KINDS,
  description: 'DIRECT: the exact words inside quote marks. INDIRECT: reported speech.',
});
export const AttributionMethod = builder.enumType('AttributionMethod', { values: ATTRIBUTION_METHODS });
