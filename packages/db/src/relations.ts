import { defineRelations } from 'drizzle-orm';
import * as schema from './schema.ts';

export const relations = defineRelations(schema, (r) => ({
  actors: {
    roles: r.many.actorRoles({ from: r.actors.id, to: r.actorRoles.actorId }),
    statements: r.many.statements({ from: r.actors.id, to: r.statements.speakerId }),
    treaties: r.many.treaties({
      from: r.actors.id.through(r.treatyParties.actorId),
      to: r.treaties.id.through(r.treatyParties.treatyId),
    }),
    mentionedIn: r.many.articles({
      from: r.actors.id.through(r.articleActors.actorId),
      to: r.articles.id.through(r.articleActors.articleId),
    }),
    revisions: r.many.revisions({ from: r.actors.id, to: r.revisions.nodeId }),
  },
  actorRoles: {
    actor: r.one.actors({ from: r.actorRoles.actorId, to: r.actors.id, optional: false }),
    organization: r.one.actors({ from: r.actorRoles.organizationId, to: r.actors.id }),
  },
  treaties: {
    parties: r.many.actors({
      from: r.treaties.id.through(r.treatyParties.treatyId),
      to: r.actors.id.through(r.treatyParties.actorId),
    }),
    partyLinks: r.many.treatyParties({ from: r.treaties.id, to: r.treatyParties.treatyId }),
    provisions: r.many.treatyProvisions({ from: r.treaties.id, to: r.treatyProvisions.treatyId }),
    actions: r.many.treatyActions({ from: r.treaties.id, to: r.treatyActions.treatyId }),
    statements: r.many.statements({
      from: r.treaties.id.through(r.statementTreaties.treatyId),
      to: r.statements.id.through(r.statementTreaties.statementId),
    }),
    articles: r.many.articles({
      from: r.treaties.id.through(r.articleTreaties.treatyId),
      to: r.articles.id.through(r.articleTreaties.articleId),
    }),
    revisions: r.many.revisions({ from: r.treaties.id, to: r.revisions.nodeId }),
  },
  treatyParties: {
    actor: r.one.actors({ from: r.treatyParties.actorId, to: r.actors.id, optional: false }),
  },
  treatyProvisions: {
    treaty: r.one.treaties({
      from: r.treatyProvisions.treatyId,
      to: r.treaties.id,
      optional: false,
    }),
    refersTo: r.many.treatyProvisions({
      from: r.treatyProvisions.id.through(r.provisionReferences.fromProvisionId),
      to: r.treatyProvisions.id.through(r.provisionReferences.toProvisionId),
      alias: 'provision_references',
    }),
    referencedBy: r.many.treatyProvisions({
      from: r.treatyProvisions.id.through(r.provisionReferences.toProvisionId),
      to: r.treatyProvisions.id.through(r.provisionReferences.fromProvisionId),
      alias: 'provision_referenced_by',
    }),
    statements: r.many.statements({
      from: r.treatyProvisions.id.through(r.statementProvisions.provisionId),
      to: r.statements.id.through(r.statementProvisions.statementId),
    }),
    revisions: r.many.revisions({ from: r.treatyProvisions.id, to: r.revisions.nodeId }),
  },
  treatyActions: {
    treaty: r.one.treaties({ from: r.treatyActions.treatyId, to: r.treaties.id, optional: false }),
    actor: r.one.actors({ from: r.treatyActions.actorId, to: r.actors.id, alias: 'action_actor' }),
    body: r.one.actors({ from: r.treatyActions.bodyId, to: r.actors.id, alias: 'action_body' }),
    sourceArticle: r.one.articles({ from: r.treatyActions.sourceArticleId, to: r.articles.id }),
    sourceParagraphRow: r.one.articleParagraphs({
      from: [r.treatyActions.sourceArticleId, r.treatyActions.sourceParagraph],
      to: [r.articleParagraphs.articleId, r.articleParagraphs.index],
    }),
    revisions: r.many.revisions({ from: r.treatyActions.id, to: r.revisions.nodeId }),
  },
  articles: {
    publisher: r.one.actors({ from: r.articles.publisherId, to: r.actors.id, alias: 'publisher' }),
    paragraphs: r.many.articleParagraphs({
      from: r.articles.id,
      to: r.articleParagraphs.articleId,
    }),
    mentions: r.many.articleMentions({ from: r.articles.id, to: r.articleMentions.articleId }),
    treaties: r.many.treaties({
      from: r.articles.id.through(r.articleTreaties.articleId),
      to: r.treaties.id.through(r.articleTreaties.treatyId),
    }),
    statements: r.many.statements({ from: r.articles.id, to: r.statements.articleId }),
    revisions: r.many.revisions({ from: r.articles.id, to: r.revisions.nodeId }),
  },
  articleMentions: {
    actor: r.one.actors({ from: r.articleMentions.actorId, to: r.actors.id }),
    treaty: r.one.treaties({ from: r.articleMentions.treatyId, to: r.treaties.id }),
    provision: r.one.treatyProvisions({
      from: r.articleMentions.provisionId,
      to: r.treatyProvisions.id,
    }),
  },
  statements: {
    speaker: r.one.actors({ from: r.statements.speakerId, to: r.actors.id }),
    article: r.one.articles({ from: r.statements.articleId, to: r.articles.id, optional: false }),
    sourceParagraphRow: r.one.articleParagraphs({
      from: [r.statements.articleId, r.statements.paragraph],
      to: [r.articleParagraphs.articleId, r.articleParagraphs.index],
      optional: false,
    }),
    about: r.many.treaties({
      from: r.statements.id.through(r.statementTreaties.statementId),
      to: r.treaties.id.through(r.statementTreaties.treatyId),
    }),
    provisions: r.many.treatyProvisions({
      from: r.statements.id.through(r.statementProvisions.statementId),
      to: r.treatyProvisions.id.through(r.statementProvisions.provisionId),
    }),
    revisions: r.many.revisions({ from: r.statements.id, to: r.revisions.nodeId }),
  },
}));

export type ChanceryRelations = typeof relations;
