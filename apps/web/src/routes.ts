// Every page of the app has a URL: `paths` writes them, `routePatterns` are what the router
// (wouter, in app.tsx) matches them against, and the parse functions read their query strings and
// fragments. Pure: no DOM, no React.

export type SearchParams = {
  query: string;
  type: SearchTypeParam | null;
  speakerId: string | null;
  treatyId: string | null;
  year: number | null;
};

/** The review queue's filters (`/editor/review?article=…&speaker=…&max=0.5`). */
export type ReviewFilter = {
  articleId: string | null;
  speakerId: string | null;
  maxConfidence: number | null;
};

export type SearchTypeParam = 'ARTICLE' | 'STATEMENT' | 'ACTOR' | 'TREATY';
export type StatementOrderParam = 'newest' | 'oldest';
export type ActorKindParam = 'PERSON' | 'STATE' | 'ORGANIZATION';

const SEARCH_TYPES: readonly SearchTypeParam[] = ['ARTICLE', 'STATEMENT', 'ACTOR', 'TREATY'];
const ACTOR_KINDS: readonly ActorKindParam[] = ['PERSON', 'STATE', 'ORGANIZATION'];

const segment = (value: string) => encodeURIComponent(value);

export const paths = {
  home: () => '/',
  article: (slug: string, statementId?: string) =>
    `/articles/${segment(slug)}${statementId ? `#statement-${segment(statementId)}` : ''}`,
  actors: (kind?: ActorKindParam | null) => (kind ? `/actors?kind=${kind}` : '/actors'),
  actor: (slug: string, order: StatementOrderParam = 'newest') =>
    `/actors/${segment(slug)}${order === 'oldest' ? '?order=oldest' : ''}`,
  treaties: () => '/treaties',
  treaty: (slug: string) => `/treaties/${segment(slug)}`,
  provision: (treatySlug: string, number: string) =>
    `/treaties/${segment(treatySlug)}/provisions/${segment(number)}`,
  search: (params: Partial<SearchParams> & { query: string }) => {
    const query = new URLSearchParams({ q: params.query });
    if (params.type) query.set('type', params.type);
    if (params.speakerId) query.set('speaker', params.speakerId);
    if (params.treatyId) query.set('treaty', params.treatyId);
    if (params.year) query.set('year', String(params.year));
    return `/search?${query.toString()}`;
  },
  editor: () => '/editor',
  editorReview: (filter: Partial<ReviewFilter> = {}) => {
    const query = new URLSearchParams();
    if (filter.articleId) query.set('article', filter.articleId);
    if (filter.speakerId) query.set('speaker', filter.speakerId);
    if (filter.maxConfidence != null) query.set('max', String(filter.maxConfidence));
    const search = query.toString();
    return search ? `/editor/review?${search}` : '/editor/review';
  },
  editorDrafts: () => '/editor/drafts',
  editorImport: () => '/editor/import',
  editorActors: () => '/editor/actors',
};

/**
 * The pages' paths as wouter matches them (regexparam: `:name` is one segment, still
 * percent-encoded, since the app matches against `location.pathname`; see decodeSegment).
 */
export const routePatterns = {
  home: '/',
  article: '/articles/:slug',
  actors: '/actors',
  actor: '/actors/:slug',
  treaties: '/treaties',
  treaty: '/treaties/:slug',
  provision: '/treaties/:treatySlug/provisions/:number',
  search: '/search',
  editor: '/editor',
  editorReview: '/editor/review',
  editorDrafts: '/editor/drafts',
  editorImport: '/editor/import',
  editorActors: '/editor/actors',
} as const;

/** The editorial workspace's pages, by the name their pattern has in `routePatterns`. */
export type EditorPage = 'editor' | 'editorReview' | 'editorDrafts' | 'editorImport' | 'editorActors';

/** A path segment as the URL spells it, decoded; null when it is not valid percent-encoding. */
export function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** `/actors?kind=STATE`: one kind of actor, or all. */
export function parseActorKind(search: string): ActorKindParam | null {
  const kind = new URLSearchParams(search).get('kind') as ActorKindParam | null;
  return kind && ACTOR_KINDS.includes(kind) ? kind : null;
}

/** `/actors/<slug>?order=oldest`: the order of an actor's statements. */
export function parseStatementOrder(search: string): StatementOrderParam {
  return new URLSearchParams(search).get('order') === 'oldest' ? 'oldest' : 'newest';
}

/** `/editor/review?article=…&speaker=…&max=0.5`; a confidence out of 0–1 is dropped. */
export function parseReviewFilter(search: string): ReviewFilter {
  const query = new URLSearchParams(search);
  const max = Number(query.get('max') ?? Number.NaN);
  return {
    articleId: query.get('article') || null,
    speakerId: query.get('speaker') || null,
    maxConfidence: query.has('max') && max >= 0 && max <= 1 ? max : null,
  };
}

/** `/search?q=…&type=…&speaker=…&treaty=…&year=…`; what is not understood is dropped. */
export function parseSearchParams(search: string): SearchParams {
  const query = new URLSearchParams(search);
  const type = query.get('type');
  const year = Number(query.get('year'));
  return {
    query: query.get('q')?.trim() ?? '',
    type: SEARCH_TYPES.includes(type as SearchTypeParam) ? (type as SearchTypeParam) : null,
    speakerId: query.get('speaker') || null,
    treatyId: query.get('treaty') || null,
    year: Number.isInteger(year) && year > 0 ? year : null,
  };
}

/** `#statement-<id>` selects that statement of an article. */
export function statementFromHash(hash: string): string | null {
  const match = /^#statement-(.+)$/.exec(hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}
