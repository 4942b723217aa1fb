// Loading data for a page: one request per key (a page's URL, in effect), cancelled when the page
// goes away, remembered for the session so going back is instant, and retried on demand.
import { useCallback, useEffect, useRef, useState } from 'react';

export type QueryState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown; retry: () => void }
  | { status: 'success'; data: T };

const CACHE_SIZE = 50;
const cache = new Map<string, unknown>();

/**
 * Forgets every remembered answer: after a write (an edited statement shows on the reader's pages
 * too), and when the session changes (drafts read by an editor are not for a reader).
 */
export function forgetQueries(): void {
  cache.clear();
}

function remember(key: string, value: unknown): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
}

export function useQuery<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): QueryState<T> {
  const [state, setState] = useState<{ key: string | null; result: QueryState<T> }>(() => initial<T>(key));
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (key === null) return;
    if (cache.has(key) && attempt === 0) {
      setState({ key, result: { status: 'success', data: cache.get(key) as T } });
      return;
    }
    const controller = new AbortController();
    setState({ key, result: { status: 'loading' } });
    loadRef.current(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        remember(key, data);
        setState({ key, result: { status: 'success', data } });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          key,
          result: { status: 'error', error, retry: () => setAttempt((n) => n + 1) },
        });
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  // Until the effect has run for a new key, never show the previous key's data.
  return state.key === key ? state.result : initial<T>(key).result;
}

function initial<T>(key: string | null): { key: string | null; result: QueryState<T> } {
  if (key !== null && cache.has(key))
    return { key, result: { status: 'success', data: cache.get(key) as T } };
  return { key, result: { status: 'loading' } };
}

export type Page<N> = {
  nodes: N[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

export type PagedList<N, P = Page<N>> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown; retry: () => void }
  | {
      status: 'success';
      /** The first page as loaded, with anything else it carries (search facets). */
      first: P;
      nodes: N[];
      totalCount: number;
      hasMore: boolean;
      loadingMore: boolean;
      moreError: unknown;
      loadMore: () => void;
    };

type NodeOf<P> = P extends Page<infer N> ? N : never;

/** A list read page by page: the first page by `key`, then `loadMore` appends the next. */
export function usePagedList<P extends Page<unknown>>(
  key: string | null,
  loadPage: (after: string | null, signal: AbortSignal) => Promise<P>,
): PagedList<NodeOf<P>, P> {
  type N = NodeOf<P>;
  const first = useQuery(key, (signal) => loadPage(null, signal));
  const [more, setMore] = useState<{ key: string | null; pages: P[] }>({ key, pages: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const loadPageRef = useRef(loadPage);
  loadPageRef.current = loadPage;
  const controllerRef = useRef<AbortController | null>(null);

  useEffect(() => {
    controllerRef.current?.abort();
    setMore({ key, pages: [] });
    setLoadingMore(false);
    setMoreError(null);
  }, [key]);
  useEffect(() => () => controllerRef.current?.abort(), []);

  const pages: P[] = first.status === 'success' ? [first.data, ...(more.key === key ? more.pages : [])] : [];
  const last = pages.at(-1);

  const loadMore = useCallback(() => {
    if (!last?.pageInfo.hasNextPage || loadingMore) return;
    const controller = new AbortController();
    controllerRef.current = controller;
    setLoadingMore(true);
    setMoreError(null);
    loadPageRef.current(last.pageInfo.endCursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setMore((current) => ({ key: current.key, pages: [...current.pages, page] }));
        setLoadingMore(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setMoreError(error);
        setLoadingMore(false);
      },
    );
  }, [last, loadingMore]);

  if (first.status !== 'success') return first;
  return {
    status: 'success',
    first: first.data,
    nodes: pages.flatMap((page) => page.nodes as N[]),
    totalCount: last!.totalCount,
    hasMore: last!.pageInfo.hasNextPage,
    loadingMore,
    moreError,
    loadMore,
  };
}
