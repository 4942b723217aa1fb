// Every page of the reader has a URL. `parseRoute` reads one; `paths` writes them, so links and
// the router agree. Pure: no DOM, no React.

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

export type Route =
  | { page: 'home' }
  | { page: 'article'; slug: string; statementId: string | null }
  | { page: 'actors'; kind: ActorKindParam | null }
  | { page: 'actor'; slug: string; order: StatementOrderParam }
  | { page: 'treaties' }
  | { page: 'treaty'; slug: string }
  | { page: 'provision'; treatySlug: string; number: string }
  | { page: 'search'; params: SearchParams }
  | { page: 'editor-sign-in' }
  | { page: 'editor-review'; filter: ReviewFilter }
  | { page: 'editor-drafts' }
  | { page: 'editor-import' }
  | { page: 'editor-actors' }
  | { page: 'not-found'; path: string };

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

/** The page a URL shows. Anything unknown is `not-found` (the page says so; the URL stays). */
export function parseRoute(url: { pathname: string; search: string; hash: string }): Route {
  const parts = url.pathname.split('/').filter((part) => part !== '');
  let names: string[];
  try {
    names = parts.map((part) => decodeURIComponent(part));
  } catch {
    return { page: 'not-found', path: url.pathname };
  }
  const query = new URLSearchParams(url.search);
  const [first, second, third, fourth] = names;
  switch (names.length) {
    case 0:
      return { page: 'home' };
    case 1:
      if (first === 'actors') {
        const kind = query.get('kind') as ActorKindParam | null;
        return { page: 'actors', kind: kind && ACTOR_KINDS.includes(kind) ? kind : null };
      }
      if (first === 'treaties') return { page: 'treaties' };
      if (first === 'search') return { page: 'search', params: parseSearchParams(query) };
      if (first === 'editor') return { page: 'editor-sign-in' };
      break;
    case 2:
      if (first === 'articles')
        return { page: 'article', slug: second!, statementId: statementFromHash(url.hash) };
      if (first === 'actors')
        return { page: 'actor', slug: second!, order: query.get('order') === 'oldest' ? 'oldest' : 'newest' };
      if (first === 'treaties') return { page: 'treaty', slug: second! };
      if (first === 'editor' && second === 'review')
        return { page: 'editor-review', filter: parseReviewFilter(query) };
      if (first === 'editor' && second === 'drafts') return { page: 'editor-drafts' };
      if (first === 'editor' && second === 'import') return { page: 'editor-import' };
      if (first === 'editor' && second === 'actors') return { page: 'editor-actors' };
      break;
    case 4:
      if (first === 'treaties' && third === 'provisions')
        return { page: 'provision', treatySlug: second!, number: fourth! };
      break;
  }
  return { page: 'not-found', path: url.pathname };
}

function parseReviewFilter(query: URLSearchParams): ReviewFilter {
  const max = Number(query.get('max') ?? Number.NaN);
  return {
    articleId: query.get('article') || null,
    speakerId: query.get('speaker') || null,
    maxConfidence: query.has('max') && max >= 0 && max <= 1 ? max : null,
  };
}

function parseSearchParams(query: URLSearchParams): SearchParams {
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
