// Full-text search over the stored vectors of migration 0003, and trigram actor lookup: every piece
// of search SQL lives here. One statement returns a page of ranked hits (with highlights and the
// total when asked), one more the facets; neither grows with the number of hits.
//
// Ranking: ts_rank over each record's weighted vector (A: headline, title, name, a statement's
// words; B: standfirst, provision heading; C: body text, descriptions), normalised by document
// length and into [0, 1) (flags 1|32), so an article, a statement, an actor and a treaty compete
// on one scale. Ties go by type, then id: a total order, so cursors are exact.
import {
  type FieldHighlight,
  highlightField,
  type ParsedSearchQuery,
  SEARCH_TYPES,
  type SearchFilter,
  type SearchPosition,
  type SearchType,
} from '@chancery/domain/search';
import { asc, desc, type SQL, sql } from 'drizzle-orm';
import type { ChanceryDb } from './database.ts';
import {
  actors,
  articleMentions,
  articles,
  articleTreaties,
  statementProvisions,
  statements,
  statementTreaties,
  treaties,
  treatyParties,
  treatyProvisions,
} from './schema.ts';

/** The rows the caller may read, as conditions on each table (the server's visibility rules). */
export type SearchVisibility = {
  article: (table: typeof articles) => SQL;
  statement: (table: typeof statements) => SQL;
  actor: (table: typeof actors) => SQL;
  treaty: (table: typeof treaties) => SQL;
};

export type SearchRequest = {
  query: ParsedSearchQuery;
  /** The types to search, already narrowed to those every filter applies to (searchedTypes). */
  types: readonly SearchType[];
  filter: SearchFilter;
  visible: SearchVisibility;
};

export type SearchPageOptions = {
  first?: number | null;
  last?: number | null;
  after?: SearchPosition | null;
  before?: SearchPosition | null;
  /** Count every match (the connection's totalCount). */
  totalCount: boolean;
  /** Mark the matched words of each hit's fields. */
  highlights: boolean;
};

export const SEARCH_FIELDS = [
  'HEADLINE',
  'STANDFIRST',
  'PARAGRAPH',
  'TEXT',
  'SPEAKER_ROLE',
  'OCCASION',
  'NAME',
  'ALIAS',
  'DESCRIPTION',
  'TITLE',
  'SHORT_TITLE',
  'PROVISION_HEADING',
  'PROVISION_TEXT',
  'PROVISION_SUMMARY',
] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export type SearchHighlight = FieldHighlight & {
  field: SearchField;
  /** PARAGRAPH: the paragraph's index; ALIAS: the alias's position among the actor's aliases. */
  index: number | null;
  /** PROVISION_*: the provision. */
  provision: { id: string; number: string } | null;
};

export type SearchHit = SearchPosition & { highlights: SearchHighlight[] };

export type SearchPage = {
  hits: SearchHit[];
  totalCount: number | null;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
};

export type SearchFacets = {
  types: { type: SearchType; count: number }[];
  speakers: { actorId: string; count: number }[];
  treaties: { treatyId: string; count: number }[];
  years: { year: number; count: number }[];
};

/** Most-frequent speakers and treaties listed in facets. */
export const FACET_BUCKETS = 20;
/** Paragraphs of an article (provisions of a treaty) highlighted at most, in document order. */
export const HIGHLIGHTED_PARTS = 5;
export const DEFAULT_PAGE_SIZE = 20;

// Codes double as the tie-break order within equal scores.
const TYPE_CODE: Record<SearchType, number> = { ACTOR: 1, TREATY: 2, ARTICLE: 3, STATEMENT: 4 };
const TYPE_OF_CODE = new Map(SEARCH_TYPES.map((type) => [TYPE_CODE[type], type]));
/** Type codes as SQL integer literals. */
const code = Object.fromEntries(
  SEARCH_TYPES.map((type) => [type, sql.raw(String(TYPE_CODE[type]))]),
) as Record<SearchType, SQL>;

const CONFIG = sql.raw(`'chancery_english'`);
// ts_headline marks with two control characters that stored text never contains (see MATCH_START).
const MARK_ALL = sql.raw(`'HighlightAll=true, StartSel=' || chr(2) || ', StopSel=' || chr(3)`);
// English stemmers keep "ratified" (ratifi) and "ratification" (ratif) apart; so for every -ify
// verb and -ification noun (ratify, clarify, notify, unify...) a query looks for both stems.
const IFY_STEM = sql.raw(`'''([^'' ]{3,})ifi?'''`);
const IFY_BOTH = sql.raw(String.raw`'(''\1if'' | ''\1ifi'')'`);

/**
 * A query as a tsquery: websearch_to_tsquery (words, "phrases", -exclusions, OR) with Chancery's
 * configuration, both stems of -ify words. All of it is immutable, so PostgreSQL evaluates it once,
 * while planning, and plans with the real selectivity of the words.
 */
export function searchTsquery(text: string): SQL {
  return sql`regexp_replace(websearch_to_tsquery(${CONFIG}, ${text})::text, ${IFY_STEM}, ${IFY_BOTH}, 'g')::tsquery`;
}

// A query the index cannot answer — empty (only stop words, as the dictionaries see them) or
// only negations ("-treaty", or "ït -treaty" once "ït" is folded to a stop word) — would match
// nothing or scan everything: it matches nothing. Folded while planning, so the scan is never made.
const usable = (query: SQL) => sql`querytree(${query}) not in ('', 'T')`;

const rank = (vector: SQL | unknown, query: SQL) => sql`ts_rank(${vector}, ${query}, 33)::float8`;

const onOrAfter = (from: string | null | undefined, column: unknown) =>
  from ? sql` and ${column} >= ${from}::date` : sql``;
const onOrBefore = (to: string | null | undefined, column: unknown) =>
  to ? sql` and ${column} <= ${to}::date` : sql``;

/**
 * Each type's matches: (type, id, score, year, speaker_id), visible to the caller and passing the
 * filters. Tables are named as themselves (no aliases): the visibility conditions refer to them so.
 */
const MATCHES: Record<SearchType, (query: SQL, request: SearchRequest) => SQL> = {
  ARTICLE: (query, { filter: f, visible }) => sql`
    select ${code.ARTICLE} as type, ${articles.id} as id, ${rank(articles.searchVector, query)} as score,
      extract(year from ${articles.publishedAt} at time zone 'UTC')::int as year, null::uuid as speaker_id
    from ${articles}
    where ${articles.searchVector} @@ ${query} and ${usable(query)} and ${visible.article(articles)}
      ${f.publisherId ? sql` and ${articles.publisherId} = ${f.publisherId}` : sql``}
      ${f.from ? sql` and ${articles.publishedAt} >= (${f.from}::date)::timestamp at time zone 'UTC'` : sql``}
      ${f.to ? sql` and ${articles.publishedAt} < (${f.to}::date + 1)::timestamp at time zone 'UTC'` : sql``}
      ${
        f.treatyId
          ? sql` and exists (select 1 from ${articleTreaties} where ${articleTreaties.articleId} = ${articles.id} and ${articleTreaties.treatyId} = ${f.treatyId})`
          : sql``
      }
      ${
        f.provisionId
          ? sql` and exists (select 1 from ${articleMentions} where ${articleMentions.articleId} = ${articles.id} and ${articleMentions.provisionId} = ${f.provisionId})`
          : sql``
      }`,
  STATEMENT: (query, { filter: f, visible }) => sql`
    select ${code.STATEMENT} as type, ${statements.id} as id, ${rank(statements.searchVector, query)} as score,
      extract(year from ${statements.saidOn})::int as year, ${statements.speakerId} as speaker_id
    from ${statements}
    where ${statements.searchVector} @@ ${query} and ${usable(query)} and ${visible.statement(statements)}
      ${f.speakerId ? sql` and ${statements.speakerId} = ${f.speakerId}` : sql``}
      ${f.kind ? sql` and ${statements.kind} = ${f.kind}` : sql``}
      ${onOrAfter(f.from, statements.saidOn)}${onOrBefore(f.to, statements.saidOn)}
      ${
        f.treatyId
          ? sql` and exists (select 1 from ${statementTreaties} where ${statementTreaties.statementId} = ${statements.id} and ${statementTreaties.treatyId} = ${f.treatyId})`
          : sql``
      }
      ${
        f.provisionId
          ? sql` and exists (select 1 from ${statementProvisions} where ${statementProvisions.statementId} = ${statements.id} and ${statementProvisions.provisionId} = ${f.provisionId})`
          : sql``
      }
      ${
        f.publisherId
          ? sql` and exists (select 1 from ${articles} where ${articles.id} = ${statements.articleId} and ${articles.publisherId} = ${f.publisherId})`
          : sql``
      }`,
  ACTOR: (query, { filter: f, visible }) => sql`
    select ${code.ACTOR} as type, ${actors.id} as id, ${rank(actors.searchVector, query)} as score,
      null::int as year, null::uuid as speaker_id
    from ${actors}
    where ${actors.searchVector} @@ ${query} and ${usable(query)} and ${visible.actor(actors)}
      ${f.actorKind ? sql` and ${actors.kind} = ${f.actorKind}` : sql``}
      ${
        f.treatyId
          ? sql` and exists (select 1 from ${treatyParties} where ${treatyParties.actorId} = ${actors.id} and ${treatyParties.treatyId} = ${f.treatyId})`
          : sql``
      }`,
  TREATY: (query, { filter: f, visible }) => sql`
    select ${code.TREATY} as type, ${treaties.id} as id, ${rank(treaties.searchVector, query)} as score,
      extract(year from ${treaties.signedOn})::int as year, null::uuid as speaker_id
    from ${treaties}
    where ${treaties.searchVector} @@ ${query} and ${usable(query)} and ${visible.treaty(treaties)}
      ${f.treatyId ? sql` and ${treaties.id} = ${f.treatyId}` : sql``}
      ${onOrAfter(f.from, treaties.signedOn)}${onOrBefore(f.to, treaties.signedOn)}
      ${
        f.provisionId
          ? sql` and exists (select 1 from ${treatyProvisions} where ${treatyProvisions.treatyId} = ${treaties.id} and ${treatyProvisions.id} = ${f.provisionId} and ${treatyProvisions.deletedAt} is null)`
          : sql``
      }`,
};

function matchesOf(request: SearchRequest): SQL {
  const query = searchTsquery(request.query.text);
  return sql.join(
    request.types.map((type) => sql`(${MATCHES[type](query, request)})`),
    sql` union all `,
  );
}

// Highlights of one page row (`page.id`): the whole field marked by ts_headline, for the fields
// that can hold a match; fields where nothing matched are dropped afterwards (highlightField).
// `any_word` (the wanted words OR-ed) picks the paragraphs and provisions worth marking.
const headline = (field: SearchField, text: string, extra = sql``) =>
  sql`json_build_object('f', ${sql.raw(`'${field}'`)}, 'm', ts_headline(${CONFIG}, ${sql.raw(text)}, terms.any_word, ${MARK_ALL})${extra})`;

const HIGHLIGHTS: Record<SearchType, SQL> = {
  ARTICLE: sql`(select json_agg(x.h order by x.o) from (
      select 0 as o, ${headline('HEADLINE', 'a.headline')} as h from articles a where a.id = page.id
      union all
      select 1, ${headline('STANDFIRST', 'a.standfirst')} from articles a where a.id = page.id and a.standfirst is not null
      union all
      (select 2 + p.index, ${headline('PARAGRAPH', 'p.text', sql`, 'i', p.index`)}
       from article_paragraphs p where p.article_id = page.id and p.search_vector @@ terms.any_word
       order by p.index limit ${sql.raw(String(HIGHLIGHTED_PARTS))})
    ) x)`,
  STATEMENT: sql`(select json_build_array(
      ${headline('TEXT', 's.text')},
      ${headline('SPEAKER_ROLE', "coalesce(s.speaker_role, '')")},
      ${headline('OCCASION', "coalesce(s.occasion, '')")}
    ) from statements s where s.id = page.id)`,
  ACTOR: sql`(select json_agg(x.h order by x.o) from (
      select 0 as o, ${headline('NAME', 'a.name')} as h from actors a where a.id = page.id
      union all
      select 1 + al.n, ${headline('ALIAS', 'al.alias', sql`, 'i', al.n - 1`)}
      from actors a, unnest(a.aliases) with ordinality as al(alias, n)
      where a.id = page.id and to_tsvector(${CONFIG}, al.alias) @@ terms.any_word
      union all
      select 1000, ${headline('DESCRIPTION', 'a.description')} from actors a where a.id = page.id and a.description is not null
    ) x)`,
  TREATY: sql`(select json_agg(x.h order by x.o) from (
      select 0 as o, ${headline('TITLE', 't.title')} as h from treaties t where t.id = page.id
      union all
      select 1, ${headline('SHORT_TITLE', 't.short_title')} from treaties t where t.id = page.id and t.short_title is not null
      union all
      select 2 + 3 * p.ord + f.o, json_build_object('f', f.field, 'm', ts_headline(${CONFIG}, f.text, terms.any_word, ${MARK_ALL}), 'p', p.id, 'n', p.number)
      from (select p.*, row_number() over (order by p.position) as ord
            from treaty_provisions p
            where p.treaty_id = page.id and p.deleted_at is null and p.search_vector @@ terms.any_word
            order by p.position limit ${sql.raw(String(HIGHLIGHTED_PARTS))}) p,
        lateral (values (0, 'PROVISION_HEADING', p.heading), (1, 'PROVISION_TEXT', p.text), (2, 'PROVISION_SUMMARY', p.summary)) as f(o, field, text)
      where f.text is not null
    ) x)`,
};

type HitRow = {
  type: number;
  id: string;
  score: number;
  highlights?:
    | { f: SearchField; m: string; i?: number | null; p?: string | null; n?: string | null }[]
    | null;
};

/** The SQL of one page of hits (searchPage runs it); null when no type can match. */
export function searchPageSql(request: SearchRequest, options: SearchPageOptions): SQL | null {
  if (request.types.length === 0) return null;
  const { backward, size } = pageShape(options);
  // Position in the ranking as a row that sorts ascending: (-score, type, id).
  const bound = (position: SearchPosition, operator: '>' | '<') =>
    sql`(-score, type, id) ${sql.raw(operator)} (${-position.score}::float8, ${code[position.type]}, ${position.id}::uuid)`;
  const bounds = [
    options.after ? bound(options.after, '>') : null,
    options.before ? bound(options.before, '<') : null,
  ].filter((b): b is SQL => b !== null);
  const order = backward ? sql`score asc, type desc, id desc` : sql`score desc, type asc, id asc`;
  // Highlights for the page's rows, not for the one more fetched to tell whether a next page exists.
  const highlights = options.highlights
    ? sql`, 'highlights', case when page.n <= ${size} then case page.type ${sql.join(
        request.types.map((type) => sql` when ${code[type]} then ${HIGHLIGHTS[type]}`),
      )} end end`
    : sql``;
  return sql`
    with matches as (${matchesOf(request)}),
    terms as (select ${searchTsquery(request.query.anyWord)} as any_word),
    page as (
      select type, id, score from matches
      ${bounds.length > 0 ? sql`where ${sql.join(bounds, sql` and `)}` : sql``}
      order by ${order} limit ${size + 1}
    )
    select
      ${options.totalCount ? sql`(select count(*)::int from matches)` : sql`null::int`} as total,
      coalesce((
        select json_agg(json_build_object('type', page.type, 'id', page.id, 'score', page.score${highlights}) order by ${order})
        from (select page.*, row_number() over (order by ${order}) as n from page) page, terms
      ), '[]'::json) as hits`;
}

const pageShape = (options: SearchPageOptions) => {
  const backward = options.first == null && options.last != null;
  return { backward, size: (backward ? options.last : options.first) ?? DEFAULT_PAGE_SIZE };
};

/**
 * One page of hits, best first: `first` after a cursor or `last` before one, as Relay pages.
 * One SQL statement, whatever the page size.
 */
export async function searchPage(
  db: ChanceryDb,
  request: SearchRequest,
  options: SearchPageOptions,
): Promise<SearchPage> {
  const query = searchPageSql(request, options);
  if (!query) {
    return {
      hits: [],
      totalCount: options.totalCount ? 0 : null,
      hasNextPage: false,
      hasPreviousPage: false,
    };
  }
  const { backward, size } = pageShape(options);
  const [row] = await rows<{ total: number | null; hits: HitRow[] }>(db, query);
  const found = row?.hits ?? [];
  const full = found.length > size;
  const pageRows = full ? found.slice(0, size) : found;
  if (backward) pageRows.reverse();
  return {
    hits: pageRows.map(toHit),
    totalCount: row?.total ?? null,
    hasNextPage: options.before ? true : backward ? false : full,
    hasPreviousPage: options.after ? true : backward ? full : false,
  };
}

function toHit(row: HitRow): SearchHit {
  const highlights: SearchHighlight[] = [];
  for (const h of row.highlights ?? []) {
    const highlight = highlightField(h.m);
    if (!highlight) continue;
    highlights.push({
      field: h.f,
      index: h.i ?? null,
      provision: h.p && h.n != null ? { id: h.p, number: h.n } : null,
      ...highlight,
    });
  }
  return { type: TYPE_OF_CODE.get(row.type) as SearchType, id: row.id, score: row.score, highlights };
}

/**
 * Counts over every match (not one page): by type, by speaker (statements), by treaty (statements
 * about it, articles mentioning it, the treaty itself, its parties — what the treaty filter keeps)
 * and by year (publication, saying, signature). One SQL statement.
 */
export async function searchFacets(db: ChanceryDb, request: SearchRequest): Promise<SearchFacets> {
  const types = request.types.map((type) => ({ type, count: 0 }));
  const query = searchFacetsSql(request);
  if (!query) return { types, speakers: [], treaties: [], years: [] };
  const [row] = await rows<{
    types: [number, number][];
    speakers: [string, number][];
    treaties: [string, number][];
    years: [number, number][];
  }>(db, query);
  for (const [code, count] of row?.types ?? []) {
    const entry = types.find((t) => t.type === TYPE_OF_CODE.get(code));
    if (entry) entry.count = count;
  }
  return {
    types,
    speakers: (row?.speakers ?? []).map(([actorId, count]) => ({ actorId, count })),
    treaties: (row?.treaties ?? []).map(([treatyId, count]) => ({ treatyId, count })),
    years: (row?.years ?? []).map(([year, count]) => ({ year, count })),
  };
}

/** The SQL of searchFacets; null when no type can match. */
export function searchFacetsSql(request: SearchRequest): SQL | null {
  if (request.types.length === 0) return null;
  const buckets = sql.raw(String(FACET_BUCKETS));
  return sql`
    with matches as materialized (${matchesOf(request)})
    select
      (select coalesce(json_agg(json_build_array(type, n)), '[]'::json)
       from (select type, count(*)::int as n from matches group by type) t) as types,
      (select coalesce(json_agg(json_build_array(id, n) order by n desc, name, id), '[]'::json)
       from (select a.id, a.name, count(*)::int as n from matches m
             join actors a on a.id = m.speaker_id and a.deleted_at is null
             where m.type = ${code.STATEMENT}
             group by a.id order by n desc, a.name, a.id limit ${buckets}) s) as speakers,
      (select coalesce(json_agg(json_build_array(id, n) order by n desc, title, id), '[]'::json)
       from (select t.id, t.title, count(*)::int as n from (
               select st.treaty_id from matches m join statement_treaties st
                 on m.type = ${code.STATEMENT} and st.statement_id = m.id
               union all
               select at.treaty_id from matches m join article_treaties at
                 on m.type = ${code.ARTICLE} and at.article_id = m.id
               union all
               select m.id from matches m where m.type = ${code.TREATY}
               union all
               select tp.treaty_id from matches m join treaty_parties tp
                 on m.type = ${code.ACTOR} and tp.actor_id = m.id
             ) x join treaties t on t.id = x.treaty_id and t.deleted_at is null
             group by t.id order by n desc, t.title, t.id limit ${buckets}) s) as treaties,
      (select coalesce(json_agg(json_build_array(year, n) order by year desc), '[]'::json)
       from (select year, count(*)::int as n from matches where year is not null group by year) y) as years`;
}

async function rows<Row>(db: ChanceryDb, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

// ---------------------------------------------------------------------------------------------
// Actors by name, tolerant of typos and transliteration: names are compared as name keys
// (chancery_name_key: "Pyong-yang" and "Pyongyang" are one key, "Rudenco" is "rudenko"), by
// substring and by pg_trgm word similarity, through the trigram index on actors.name_key.

type ActorTable = Pick<typeof actors, 'id' | 'name' | 'nameKey'>;

/** Actors one of whose names contains `name` or resembles it (soft-deleted ones included). */
export const actorNameMatches =
  (name: string) =>
  (table: ActorTable): SQL =>
    sql`${table.id} in (select chancery_actors_matching_name(${name}))`;

/** How well the actor's best-matching name matches `name`, from 0 to 1. */
export const actorNameScore =
  (name: string) =>
  (table: ActorTable): SQL<number> =>
    sql<number>`word_similarity(chancery_name_key(${name}), ${table.nameKey})::float8`;

/**
 * Autocompletion order: names that start with `prefix` first, then names with a word that does,
 * then by similarity; ties by name.
 */
export const actorSuggestionOrder = (prefix: string) => (table: ActorTable) => [
  desc(sql`chancery_name_key(${table.name}) like chancery_name_key(${prefix}) || '%'`),
  desc(sql`${table.nameKey} ~ ('(^| )' || chancery_name_key(${prefix}))`),
  desc(actorNameScore(prefix)(table)),
  asc(table.name),
  asc(table.id),
];
