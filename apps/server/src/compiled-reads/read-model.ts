// What the fields a compiled read can answer mean in SQL, for an anonymous reader (readers see
// what is published; visibility.ts). A field not listed here makes its document run through the
// schema's resolvers as usual. Every entry must answer exactly as the schema's resolver does:
// test/compiled-reads.test.ts runs documents selecting every field below both ways and compares.
import {
  actorRoles,
  actors,
  articleActors,
  articleMentions,
  articleParagraphs,
  articles,
  articleTreaties,
  provisionReferences,
  statementProvisions,
  statements,
  statementTreaties,
  treaties,
  treatyActions,
  treatyParties,
  treatyProvisions,
} from '@chancery/db/schema';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';

/** `alias.column`; the column is named as the database names it. */
export type Column = PgColumn;

/** A condition on the row `alias` of a table, as SQL text. */
export type Condition = (alias: string) => string;

/** SQL over some columns of the row: `sql` is given a reference to each column, in order. */
export type Computed = { columns: Column[]; sql: (...columns: string[]) => string };

export type Order = [Column, 'asc' | 'desc'][];

/**
 * How rows of a type are reached from a parent row: `target.to = parent.from`, or through a link
 * table, `link.from = parent.from and target.to = link.to`.
 */
export type Link = { from: Column; to: Column; through?: { table: PgTable; from: Column; to: Column } };

export type Field =
  /** A column of the row, as PostgreSQL renders it in JSON (text, dates as YYYY-MM-DD, integers, arrays of text). */
  | { kind: 'column'; column: Column }
  /** A timestamp, as the DateTime scalar writes it: ISO 8601 in UTC with milliseconds. */
  | { kind: 'instant'; column: Column }
  /** The node's global ID: base64url of "Typename:uuid" (packages/domain/src/global-id.ts). */
  | { kind: 'id'; typename: string; column: Column }
  /** A value computed from the row (a scalar subquery, say). */
  | { kind: 'computed'; value: Computed }
  /** An object made from the same row (no table of its own); null where `onlyIf` is not true. */
  | { kind: 'embedded'; type: string; onlyIf?: Computed }
  /** One row of another table, or null. */
  | { kind: 'one'; type: string; link: Link }
  /** Every matching row of another table, in order. */
  | { kind: 'many'; type: string; link: Link; where?: Condition; order: Order }
  /** A forward page of rows (`first`, `after`) with `nodes`, `edges`, `pageInfo` and `totalCount`; without a link, a root list. */
  | {
      kind: 'connection';
      type: string;
      link?: Link;
      where: Condition;
      order: Order;
      /** The `orderBy` value `order` stands for: any other runs as usual. */
      orderName?: string;
      /** `filter` fields by node ID: each a condition on the row with the node's database id. */
      filters?: Record<string, NodeFilter>;
    }
  /** One row found by its `slug`; null (not found, or merged away) runs the document as usual. */
  | { kind: 'bySlug'; type: string; where: Condition };

/** A filter field naming a node: its type, and the condition `id` (SQL, a uuid) puts on the row `alias`. */
export type NodeFilter = { typename: string; condition: (alias: string, id: string) => string };

export type ObjectModel = { typename: string; table?: PgTable; fields: Record<string, Field> };

const col = (column: Column) => ({ kind: 'column', column }) as const;
const id = (typename: string, column: Column) => ({ kind: 'id', typename, column }) as const;
const instant = (column: Column) => ({ kind: 'instant', column }) as const;

/** Readers see published statements only (visibility.ts: `published` carries the article's state too). */
const publishedStatement: Condition = (s) => `${s}.${name(statements.published)}`;
/** Readers see published articles only (visibility.ts). */
const publishedArticle: Condition = (a) => `${a}.${name(articles.published)}`;
/** Soft-deleted rows are gone for every ordinary read. */
const live =
  (column: Column): Condition =>
  (a) =>
    `${a}.${name(column)} is null`;

/** Statements newest first, the primary key breaking ties (the connections' order). */
const newestStatementsFirst: Order = [
  [statements.saidOn, 'desc'],
  [statements.id, 'desc'],
];
const newestArticlesFirst: Order = [
  [articles.publishedAt, 'desc'],
  [articles.id, 'desc'],
];
const treatiesByTitle: Order = [
  [treaties.title, 'asc'],
  [treaties.id, 'asc'],
];

/** The text of paragraph `paragraph` of article `article` (SourceSpan.paragraphText). */
const paragraphText = (article: Column, paragraph: Column): Field => ({
  kind: 'computed',
  value: {
    columns: [article, paragraph],
    sql: (a, p) =>
      `(select ${name(articleParagraphs.text)} from ${tableName(articleParagraphs)} where ${name(articleParagraphs.articleId)} = ${a} and ${name(articleParagraphs.index)} = ${p})`,
  },
});

/** Provisions reached by `link`, in document order; deleted ones are gone. */
const provisionsAt = (link: Link): Field => ({
  kind: 'many',
  type: 'TreatyProvision',
  link,
  where: live(treatyProvisions.deletedAt),
  order: [[treatyProvisions.position, 'asc']],
});

/** A filter by a node the row names in `column`. */
const nodeIn = (typename: string, column: Column): NodeFilter => ({
  typename,
  condition: (alias, id) => `${alias}.${name(column)} = ${id}`,
});

/** A filter by a node a link table ties to the row: `key` is among the link's `from` where its `to` is the node. */
const linkedTo = (typename: string, key: Column, link: Required<Link>['through']): NodeFilter => ({
  typename,
  condition: (alias, id) =>
    `${alias}.${name(key)} in (select ${name(link.from)} from ${tableName(link.table)} where ${name(link.to)} = ${id})`,
});

export const readModel: Record<string, ObjectModel> = {
  Query: {
    typename: 'Query',
    fields: {
      statements: {
        kind: 'connection',
        type: 'Statement',
        where: publishedStatement,
        order: newestStatementsFirst,
        orderName: 'SAID_ON_DESC',
        // statementCondition in schema/statement.ts.
        filters: {
          speakerId: nodeIn('Actor', statements.speakerId),
          articleId: nodeIn('Article', statements.articleId),
          treatyId: linkedTo('Treaty', statements.id, {
            table: statementTreaties,
            from: statementTreaties.statementId,
            to: statementTreaties.treatyId,
          }),
          provisionId: linkedTo('TreatyProvision', statements.id, {
            table: statementProvisions,
            from: statementProvisions.statementId,
            to: statementProvisions.provisionId,
          }),
        },
      },
      treaties: {
        kind: 'connection',
        type: 'Treaty',
        where: live(treaties.deletedAt),
        order: treatiesByTitle,
        orderName: 'TITLE_ASC',
      },
      articles: {
        kind: 'connection',
        type: 'Article',
        where: publishedArticle,
        order: newestArticlesFirst,
        orderName: 'PUBLISHED_AT_DESC',
        // articleCondition in schema/article.ts.
        filters: {
          publisherId: nodeIn('Actor', articles.publisherId),
          mentionsActorId: linkedTo('Actor', articles.id, {
            table: articleActors,
            from: articleActors.articleId,
            to: articleActors.actorId,
          }),
          treatyId: linkedTo('Treaty', articles.id, {
            table: articleTreaties,
            from: articleTreaties.articleId,
            to: articleTreaties.treatyId,
          }),
        },
      },
      actors: {
        kind: 'connection',
        type: 'Actor',
        where: live(actors.deletedAt),
        order: [
          [actors.name, 'asc'],
          [actors.id, 'asc'],
        ],
        orderName: 'NAME_ASC',
      },
      actor: { kind: 'bySlug', type: 'Actor', where: live(actors.deletedAt) },
      treaty: { kind: 'bySlug', type: 'Treaty', where: live(treaties.deletedAt) },
      article: { kind: 'bySlug', type: 'Article', where: publishedArticle },
    },
  },
  Statement: {
    typename: 'Statement',
    table: statements,
    fields: {
      id: id('Statement', statements.id),
      text: col(statements.text),
      kind: col(statements.kind),
      speakerRole: col(statements.speakerRole),
      cue: col(statements.cue),
      saidOn: col(statements.saidOn),
      occasion: col(statements.occasion),
      version: col(statements.version),
      createdAt: instant(statements.createdAt),
      updatedAt: instant(statements.updatedAt),
      speaker: { kind: 'one', type: 'Actor', link: { from: statements.speakerId, to: actors.id } },
      source: { kind: 'embedded', type: 'SourceSpan' },
      about: {
        kind: 'many',
        type: 'Treaty',
        link: {
          from: statements.id,
          to: treaties.id,
          through: {
            table: statementTreaties,
            from: statementTreaties.statementId,
            to: statementTreaties.treatyId,
          },
        },
        where: live(treaties.deletedAt),
        order: [[treaties.title, 'asc']],
      },
      provisions: provisionsAt({
        from: statements.id,
        to: treatyProvisions.id,
        through: {
          table: statementProvisions,
          from: statementProvisions.statementId,
          to: statementProvisions.provisionId,
        },
      }),
    },
  },
  SourceSpan: {
    typename: 'SourceSpan',
    fields: {
      paragraph: col(statements.paragraph),
      start: col(statements.start),
      end: col(statements.end),
      text: col(statements.text),
      paragraphText: paragraphText(statements.articleId, statements.paragraph),
      article: { kind: 'one', type: 'Article', link: { from: statements.articleId, to: articles.id } },
    },
  },
  Actor: {
    typename: 'Actor',
    table: actors,
    fields: {
      id: id('Actor', actors.id),
      name: col(actors.name),
      slug: col(actors.slug),
      kind: col(actors.kind),
      aliases: col(actors.aliases),
      description: col(actors.description),
      countryCode: col(actors.countryCode),
      wikidataId: col(actors.wikidataId),
      version: col(actors.version),
      createdAt: instant(actors.createdAt),
      updatedAt: instant(actors.updatedAt),
      roles: {
        kind: 'many',
        type: 'ActorRole',
        link: { from: actors.id, to: actorRoles.actorId },
        order: [[actorRoles.position, 'asc']],
      },
      statements: {
        kind: 'connection',
        type: 'Statement',
        link: { from: actors.id, to: statements.speakerId },
        where: publishedStatement,
        order: newestStatementsFirst,
      },
      treaties: {
        kind: 'connection',
        type: 'Treaty',
        link: {
          from: actors.id,
          to: treaties.id,
          through: { table: treatyParties, from: treatyParties.actorId, to: treatyParties.treatyId },
        },
        where: live(treaties.deletedAt),
        order: treatiesByTitle,
      },
      mentionedIn: {
        kind: 'connection',
        type: 'Article',
        link: {
          from: actors.id,
          to: articles.id,
          through: { table: articleActors, from: articleActors.actorId, to: articleActors.articleId },
        },
        where: publishedArticle,
        order: newestArticlesFirst,
      },
    },
  },
  ActorRole: {
    typename: 'ActorRole',
    table: actorRoles,
    fields: {
      title: col(actorRoles.title),
      organization: { kind: 'one', type: 'Actor', link: { from: actorRoles.organizationId, to: actors.id } },
      startDate: col(actorRoles.startDate),
      endDate: col(actorRoles.endDate),
    },
  },
  Article: {
    typename: 'Article',
    table: articles,
    fields: {
      id: id('Article', articles.id),
      headline: col(articles.headline),
      publishedAt: instant(articles.publishedAt),
      standfirst: col(articles.standfirst),
      slug: col(articles.slug),
      byline: col(articles.byline),
      language: col(articles.language),
      url: col(articles.url),
      status: col(articles.status),
      publisher: { kind: 'one', type: 'Actor', link: { from: articles.publisherId, to: actors.id } },
      dateline: {
        kind: 'embedded',
        type: 'Dateline',
        onlyIf: { columns: [articles.datelineText], sql: (text) => `${text} is not null` },
      },
      paragraphs: {
        kind: 'many',
        type: 'Paragraph',
        link: { from: articles.id, to: articleParagraphs.articleId },
        order: [[articleParagraphs.index, 'asc']],
      },
      mentions: {
        kind: 'many',
        type: 'Mention',
        link: { from: articles.id, to: articleMentions.articleId },
        order: [
          [articleMentions.paragraph, 'asc'],
          [articleMentions.start, 'asc'],
          [articleMentions.id, 'asc'],
        ],
      },
      treaties: {
        kind: 'many',
        type: 'Treaty',
        link: {
          from: articles.id,
          to: treaties.id,
          through: { table: articleTreaties, from: articleTreaties.articleId, to: articleTreaties.treatyId },
        },
        where: live(treaties.deletedAt),
        order: [[treaties.title, 'asc']],
      },
      statements: {
        kind: 'connection',
        type: 'Statement',
        link: { from: articles.id, to: statements.articleId },
        where: publishedStatement,
        order: [
          [statements.paragraph, 'asc'],
          [statements.start, 'asc'],
          [statements.id, 'asc'],
        ],
      },
      version: col(articles.version),
      createdAt: instant(articles.createdAt),
      updatedAt: instant(articles.updatedAt),
    },
  },
  Dateline: {
    typename: 'Dateline',
    fields: { place: col(articles.datelinePlace), text: col(articles.datelineText) },
  },
  Paragraph: {
    typename: 'Paragraph',
    table: articleParagraphs,
    fields: { index: col(articleParagraphs.index), text: col(articleParagraphs.text) },
  },
  Mention: {
    typename: 'Mention',
    table: articleMentions,
    fields: {
      span: { kind: 'embedded', type: 'TextSpan' },
      actor: { kind: 'one', type: 'Actor', link: { from: articleMentions.actorId, to: actors.id } },
      treaty: { kind: 'one', type: 'Treaty', link: { from: articleMentions.treatyId, to: treaties.id } },
      provision: {
        kind: 'one',
        type: 'TreatyProvision',
        link: { from: articleMentions.provisionId, to: treatyProvisions.id },
      },
    },
  },
  TextSpan: {
    typename: 'TextSpan',
    fields: {
      paragraph: col(articleMentions.paragraph),
      start: col(articleMentions.start),
      end: col(articleMentions.end),
      text: col(articleMentions.text),
    },
  },
  Treaty: {
    typename: 'Treaty',
    table: treaties,
    fields: {
      id: id('Treaty', treaties.id),
      title: col(treaties.title),
      status: col(treaties.status),
      shortTitle: col(treaties.shortTitle),
      slug: col(treaties.slug),
      signedOn: col(treaties.signedOn),
      signedPlace: col(treaties.signedPlace),
      entryIntoForceOn: col(treaties.entryIntoForceOn),
      version: col(treaties.version),
      createdAt: instant(treaties.createdAt),
      updatedAt: instant(treaties.updatedAt),
      parties: {
        kind: 'many',
        type: 'Actor',
        link: {
          from: treaties.id,
          to: actors.id,
          through: { table: treatyParties, from: treatyParties.treatyId, to: treatyParties.actorId },
        },
        order: [[treatyParties.position, 'asc']],
      },
      provisions: provisionsAt({ from: treaties.id, to: treatyProvisions.treatyId }),
      actions: {
        kind: 'many',
        type: 'TreatyAction',
        link: { from: treaties.id, to: treatyActions.treatyId },
        where: live(treatyActions.deletedAt),
        order: [
          [treatyActions.date, 'asc'],
          [treatyActions.createdAt, 'asc'],
          [treatyActions.id, 'asc'],
        ],
      },
      articles: {
        kind: 'connection',
        type: 'Article',
        link: {
          from: treaties.id,
          to: articles.id,
          through: { table: articleTreaties, from: articleTreaties.treatyId, to: articleTreaties.articleId },
        },
        where: publishedArticle,
        order: newestArticlesFirst,
      },
    },
  },
  TreatyAction: {
    typename: 'TreatyAction',
    table: treatyActions,
    fields: {
      id: id('TreatyAction', treatyActions.id),
      treaty: { kind: 'one', type: 'Treaty', link: { from: treatyActions.treatyId, to: treaties.id } },
      type: col(treatyActions.type),
      date: col(treatyActions.date),
      actor: { kind: 'one', type: 'Actor', link: { from: treatyActions.actorId, to: actors.id } },
      body: { kind: 'one', type: 'Actor', link: { from: treatyActions.bodyId, to: actors.id } },
      place: col(treatyActions.place),
      description: col(treatyActions.description),
      // A draft story's span stays hidden from readers, like the story (schema/treaty-action.ts).
      source: {
        kind: 'embedded',
        type: 'TreatyActionSource',
        onlyIf: {
          columns: [treatyActions.sourceArticleId, treatyActions.sourceParagraph],
          sql: (article, paragraph) =>
            `exists (select from ${tableName(articles)} where ${name(articles.id)} = ${article} and ${name(articles.published)}) and exists (select from ${tableName(articleParagraphs)} where ${name(articleParagraphs.articleId)} = ${article} and ${name(articleParagraphs.index)} = ${paragraph})`,
        },
      },
      version: col(treatyActions.version),
      createdAt: instant(treatyActions.createdAt),
      updatedAt: instant(treatyActions.updatedAt),
    },
  },
  TreatyActionSource: {
    typename: 'SourceSpan',
    fields: {
      paragraph: col(treatyActions.sourceParagraph),
      start: col(treatyActions.sourceStart),
      end: col(treatyActions.sourceEnd),
      text: col(treatyActions.sourceText),
      paragraphText: paragraphText(treatyActions.sourceArticleId, treatyActions.sourceParagraph),
      article: {
        kind: 'one',
        type: 'Article',
        link: { from: treatyActions.sourceArticleId, to: articles.id },
      },
    },
  },
  TreatyProvision: {
    typename: 'TreatyProvision',
    table: treatyProvisions,
    fields: {
      id: id('TreatyProvision', treatyProvisions.id),
      treaty: { kind: 'one', type: 'Treaty', link: { from: treatyProvisions.treatyId, to: treaties.id } },
      number: col(treatyProvisions.number),
      heading: col(treatyProvisions.heading),
      text: col(treatyProvisions.text),
      summary: col(treatyProvisions.summary),
      refersTo: provisionsAt({
        from: treatyProvisions.id,
        to: treatyProvisions.id,
        through: {
          table: provisionReferences,
          from: provisionReferences.fromProvisionId,
          to: provisionReferences.toProvisionId,
        },
      }),
      referencedBy: provisionsAt({
        from: treatyProvisions.id,
        to: treatyProvisions.id,
        through: {
          table: provisionReferences,
          from: provisionReferences.toProvisionId,
          to: provisionReferences.fromProvisionId,
        },
      }),
      version: col(treatyProvisions.version),
      createdAt: instant(treatyProvisions.createdAt),
      updatedAt: instant(treatyProvisions.updatedAt),
      statements: {
        kind: 'connection',
        type: 'Statement',
        link: {
          from: treatyProvisions.id,
          to: statements.id,
          through: {
            table: statementProvisions,
            from: statementProvisions.provisionId,
            to: statementProvisions.statementId,
          },
        },
        where: publishedStatement,
        order: newestStatementsFirst,
      },
    },
  },
};

/** The column's name in the database, quoted. */
export const name = (column: Column): string => `"${column.name}"`;

/** The table's name in the database. */
export function tableName(table: PgTable): string {
  return `"${getTableConfig(table).name}"`;
}
