import {
  actorNameMatches,
  actorSuggestionOrder,
  SEARCH_FIELDS,
  type SearchFacets,
  type SearchHighlight,
  type SearchHit,
  type SearchRequest,
  searchFacets,
  searchPage,
} from '@chancery/db/search';
import {
  decodeSearchCursor,
  encodeSearchCursor,
  parseActorName,
  parseSearchQuery,
  SEARCH_LIMITS,
  SEARCH_TYPES,
  type SearchFilter as SearchFilterIds,
  type SearchType as SearchTypeValue,
  searchedTypes,
  suggestionLimit,
} from '@chancery/domain/search';
import { resolveNodes } from '@pothos/plugin-relay';
import { and } from 'drizzle-orm';
import { type GraphQLResolveInfo, Kind, type SelectionNode } from 'graphql';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { parseNodeId } from '../global-id.ts';
import { live, visibleArticle, visibleStatement } from '../visibility.ts';
import { Actor } from './actor.ts';
import { Article } from './article.ts';
import { ActorKind as ActorKindEnum, StatementKind as StatementKindEnum } from './enums.ts';
import { Statement } from './statement.ts';
import { Treaty } from './treaty.ts';
import { TreatyProvision } from './treaty-provision.ts';

// search(query) and suggestActors(prefix). The query syntax, the checks on it and on the filters
// are domain rules (@chancery/domain/search); the SQL is @chancery/db/search; this file maps both
// to GraphQL. Hits are ranked ids: their nodes load afterwards, one batched query per type the
// client selected fields of, so a request's SQL statements never grow with the page size.

const SearchType = builder.enumType('SearchType', {
  values: SEARCH_TYPES,
  description: 'The kinds of record search finds.',
});

const TYPENAMES: Record<SearchTypeValue, string> = {
  ARTICLE: 'Article',
  STATEMENT: 'Statement',
  ACTOR: 'Actor',
  TREATY: 'Treaty',
};

const SearchResult = builder.unionType('SearchResult', {
  types: [Article, Statement, Actor, Treaty],
  description: 'A record search found.',
});

const SearchField = builder.enumType('SearchField', {
  values: SEARCH_FIELDS,
  description:
    'Where a match is. Article: HEADLINE, STANDFIRST, PARAGRAPH. Statement: TEXT, SPEAKER_ROLE, OCCASION. ' +
    'Actor: NAME, ALIAS, DESCRIPTION. Treaty: TITLE, SHORT_TITLE, PROVISION_HEADING, PROVISION_TEXT, PROVISION_SUMMARY.',
});

const TextRange = builder.objectRef<{ start: number; end: number }>('TextRange').implement({
  description: 'Characters `start`..`end` of a text (UTF-16 code units, as String.slice counts them).',
  fields: (t) => ({
    start: t.exposeInt('start'),
    end: t.exposeInt('end'),
  }),
});

const Highlight = builder.objectRef<SearchHighlight>('SearchHighlight').implement({
  description: 'The matched words of one field of a hit.',
  fields: (t) => ({
    field: t.expose('field', { type: SearchField }),
    index: t.exposeInt('index', {
      nullable: true,
      description:
        "PARAGRAPH: the paragraph's index (Article.paragraphs); ALIAS: the alias's (Actor.aliases).",
    }),
    provision: t.field({
      type: TreatyProvision,
      nullable: true,
      description: 'PROVISION_*: the provision the match is in.',
      resolve: async (highlight, _args, ctx, info) =>
        highlight.provision ? loadNode(ctx, info, 'TreatyProvision', highlight.provision.id) : null,
    }),
    snippet: t.exposeString('snippet', {
      description:
        'An excerpt of the field (about 200 characters, the whole field when short) around the densest run of ' +
        'matches, HTML-escaped, each matched word in <mark>…</mark>; "…" where the field goes on.',
    }),
    offsets: t.field({
      type: [TextRange],
      description: 'Every matched word in the whole field: field.slice(start, end).',
      resolve: (highlight) => highlight.offsets,
    }),
  }),
});

type SearchHitShape = SearchHit & { cursor: string };

const SearchHitRef = builder.objectRef<SearchHitShape>('SearchHit').implement({
  description: 'One result: the record, how well it matched and where.',
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({
      type: SearchResult,
      resolve: (hit, _args, ctx, info) => loadNode(ctx, info, TYPENAMES[hit.type], hit.id),
    }),
    score: t.exposeFloat('score', {
      description:
        'Relevance from 0 to 1: ts_rank of the matched words, weighted by field (titles and names over ' +
        'body text) and normalised by length. Comparable within one search.',
    }),
    highlights: t.field({
      type: [Highlight],
      description: `The fields that matched, in document order (at most 5 paragraphs or provisions).`,
      resolve: (hit) => hit.highlights,
    }),
  }),
});

type FacetsShape = SearchFacets;

const TypeCount = builder.objectRef<{ type: SearchTypeValue; count: number }>('SearchTypeCount').implement({
  fields: (t) => ({ type: t.expose('type', { type: SearchType }), count: t.exposeInt('count') }),
});
const SpeakerCount = builder.objectRef<{ actorId: string; count: number }>('SearchSpeakerCount').implement({
  fields: (t) => ({
    speaker: t.field({
      type: Actor,
      resolve: (bucket, _args, ctx, info) => loadNode(ctx, info, 'Actor', bucket.actorId),
    }),
    count: t.exposeInt('count'),
  }),
});
const TreatyCount = builder.objectRef<{ treatyId: string; count: number }>('SearchTreatyCount').implement({
  fields: (t) => ({
    treaty: t.field({
      type: Treaty,
      resolve: (bucket, _args, ctx, info) => loadNode(ctx, info, 'Treaty', bucket.treatyId),
    }),
    count: t.exposeInt('count'),
  }),
});
const YearCount = builder.objectRef<{ year: number; count: number }>('SearchYearCount').implement({
  fields: (t) => ({ year: t.exposeInt('year'), count: t.exposeInt('count') }),
});

const Facets = builder.objectRef<FacetsShape>('SearchFacets').implement({
  description: 'Counts over every hit of the search (not only one page), as the filters leave them.',
  fields: (t) => ({
    types: t.field({
      type: [TypeCount],
      description: 'Hits of each searched type, zero included.',
      resolve: (f) => f.types,
    }),
    speakers: t.field({
      type: [SpeakerCount],
      description: 'Statements by speaker, most first (the 20 most frequent). Same as filter.speakerId.',
      resolve: (f) => f.speakers,
    }),
    treaties: t.field({
      type: [TreatyCount],
      description:
        'Hits related to each treaty, most first (the 20 most frequent): statements about it, articles ' +
        'mentioning it, the treaty itself, its parties. Same as filter.treatyId.',
      resolve: (f) => f.treaties,
    }),
    years: t.field({
      type: [YearCount],
      description:
        'Hits by year, newest first: articles by publication (UTC), statements by when they were said, ' +
        'treaties by signature. Actors and unsigned treaties have no year.',
      resolve: (f) => f.years,
    }),
  }),
});

type SearchConnectionShape = {
  edges: SearchHitShape[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number | null;
  request: SearchRequest;
};

// A Relay connection whose edges are the hits. Written out rather than through the relay
// plugin's connectionObject, whose `nodes` would read `edge.node`: hits carry ids, and nodes load
// for the selection of the field that asks for them.
const SearchConnection = builder.objectRef<SearchConnectionShape>('SearchConnection').implement({
  description: 'Search hits, best first.',
  fields: (t) => ({
    edges: t.field({ type: [SearchHitRef], resolve: (connection) => connection.edges }),
    nodes: t.field({
      type: [SearchResult],
      resolve: (connection, _args, ctx, info) =>
        resolveNodes(
          builder,
          ctx,
          info,
          connection.edges.map((hit) => ({ typename: TYPENAMES[hit.type], id: hit.id })),
        ) as Promise<never[]>,
    }),
    pageInfo: t.field({ type: builder.pageInfoRef(), resolve: (connection) => connection.pageInfo }),
    totalCount: t.int({
      description: 'Every hit, across all pages.',
      resolve: (connection) => connection.totalCount ?? 0,
    }),
    facets: t.field({
      type: Facets,
      resolve: (connection, _args, ctx) => searchFacets(ctx.db, connection.request),
    }),
  }),
});

const SearchFilter = builder.inputType('SearchFilter', {
  description:
    'Narrows a search; every filter given must hold. A filter keeps only the types it can say something ' +
    'about: speakerId and kind only statements, actorKind only actors, from/to no actors, and so on.',
  fields: (t) => ({
    speakerId: t.id({ description: 'Statements by this actor.' }),
    treatyId: t.id({
      description:
        'Statements about the treaty or any of its provisions, articles mentioning it, the treaty itself and its parties.',
    }),
    provisionId: t.id({
      description: 'Statements about the provision, articles mentioning it, and the treaty that contains it.',
    }),
    publisherId: t.id({ description: 'Articles by this publisher and the statements taken from them.' }),
    from: t.field({
      type: 'Date',
      description:
        'On or after this day: articles by publication day (UTC), statements by the day said, treaties by signature.',
    }),
    to: t.field({ type: 'Date', description: 'On or before this day (as `from`).' }),
    kind: t.field({ type: StatementKindEnum, description: 'Statements of this kind.' }),
    actorKind: t.field({ type: ActorKindEnum, description: 'Actors of this kind.' }),
  }),
});

/** The GraphQL input: the domain's filter, with global IDs where it takes database IDs. */
type SearchFilterInput = SearchFilterIds;

function filterIds(filter: SearchFilterInput | null | undefined): SearchFilterIds {
  const f = filter ?? {};
  const id = (value: string | null | undefined, typename: string) =>
    value != null ? parseNodeId(value, typename) : null;
  return {
    speakerId: id(f.speakerId, 'Actor'),
    treatyId: id(f.treatyId, 'Treaty'),
    provisionId: id(f.provisionId, 'TreatyProvision'),
    publisherId: id(f.publisherId, 'Actor'),
    from: f.from ?? null,
    to: f.to ?? null,
    kind: f.kind ?? null,
    actorKind: f.actorKind ?? null,
  };
}

builder.queryFields((t) => ({
  search: t.field({
    type: SearchConnection,
    description:
      'Full-text search across articles, statements, actors and treaties, best match first. The query is read ' +
      'as a search box reads it: words (all of them must match, in any form: "ratified" finds "ratification", ' +
      '"federation" finds "Fédération"), "quoted phrases", -excluded words, and OR between alternatives. ' +
      'Stop words ("the", "of") are ignored. A query with nothing to look for is a BAD_USER_INPUT error ' +
      `saying why; at most ${SEARCH_LIMITS.queryLength} characters and ${SEARCH_LIMITS.queryWords} words.`,
    args: {
      query: t.arg.string({ required: true }),
      types: t.arg({ type: [SearchType], description: 'Only these types (default: all).' }),
      filter: t.arg({ type: SearchFilter }),
      first: t.arg.int(),
      after: t.arg.string(),
      last: t.arg.int(),
      before: t.arg.string(),
    },
    resolve: async (_root, args, ctx, info): Promise<SearchConnectionShape> => {
      const query = parseSearchQuery(args.query);
      const filter = filterIds(args.filter as SearchFilterInput | null);
      const request: SearchRequest = {
        query,
        types: searchedTypes(args.types as SearchTypeValue[] | null, filter),
        filter,
        visible: {
          article: visibleArticle(ctx),
          statement: visibleStatement(ctx),
          actor: live,
          treaty: live,
        },
      };
      const page = await searchPage(ctx.db, request, {
        first: args.first,
        last: args.last,
        after: args.after != null ? decodeSearchCursor(args.after, 'after') : null,
        before: args.before != null ? decodeSearchCursor(args.before, 'before') : null,
        totalCount: selects(info, ['totalCount']),
        highlights: selects(info, ['edges', 'highlights']),
      });
      const edges = page.hits.map((hit) => ({ ...hit, cursor: encodeSearchCursor(hit) }));
      return {
        edges,
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: page.hasPreviousPage,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
        totalCount: page.totalCount,
        request,
      };
    },
  }),
  suggestActors: t.drizzleField({
    type: [Actor],
    description:
      'Actors for a search box as the user types: names and aliases that start with `prefix` first, then ' +
      'those that contain it or resemble it despite typos and transliteration ("Rudenco", "Pyong-yang").',
    args: {
      prefix: t.arg.string({ required: true }),
      limit: t.arg.int({
        description: `1 to ${SEARCH_LIMITS.suggestions.max}; default ${SEARCH_LIMITS.suggestions.default}.`,
      }),
    },
    resolve: (query, _root, args, ctx) => {
      const prefix = parseActorName(args.prefix, 'prefix');
      if (!prefix) return [];
      return ctx.db.query.actors.findMany(
        query({
          where: {
            RAW: (table) =>
              and(live(table), actorNameMatches(prefix)(table)) as NonNullable<ReturnType<typeof and>>,
          },
          orderBy: actorSuggestionOrder(prefix),
          limit: suggestionLimit(args.limit),
        }),
      );
    },
  }),
}));

/**
 * A node of `typename` by database id, loaded for the selection of the field `info` resolves; the
 * loads of one tick batch into one query per type (the drizzle plugin's node loader).
 */
async function loadNode(
  ctx: Context,
  info: GraphQLResolveInfo,
  typename: string,
  id: string,
): Promise<never> {
  const [node] = await resolveNodes(builder, ctx, info, [{ typename, id }]);
  return node as never;
}

/** Whether the operation selects `path` below the field being resolved (through any fragments). */
function selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  const visit = (selections: readonly SelectionNode[], depth: number): boolean =>
    selections.some((selection) => {
      if (selection.kind === Kind.FIELD) {
        return (
          selection.name.value === path[depth] &&
          (depth === path.length - 1 || visit(selection.selectionSet?.selections ?? [], depth + 1))
        );
      }
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : info.fragments[selection.name.value];
      return fragment ? visit(fragment.selectionSet.selections, depth) : false;
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet?.selections ?? [], 0));
}
