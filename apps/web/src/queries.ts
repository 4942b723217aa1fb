// Server state for the pages: TanStack Query, each query keyed by the SDK operation it runs (its
// name) and its variables, so two pages asking the same thing share one answer. Pages hand in the
// operation's document from @chancery/sdk/documents, so the bundle holds only the operations
// that some page runs (and the editor's only in the editor's chunk). A page's states are read as
// `loading`, `error` (with `retry`) or `success`; lists that page use an infinite query.
// Writes invalidate (editor/writes.ts); a change of session resets everything read so far.
import type { SdkDocument } from '@chancery/sdk/core';
import { QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { client } from './api.ts';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The page shows the error with "Try again"; the SDK already retries unreachable servers.
      retry: false,
      // Going back to a page shows what it showed at once; after a minute it is read again too.
      staleTime: 60_000,
    },
  },
});

export type QueryState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown; retry: () => void }
  | { status: 'success'; data: T };

type AnyVariables = Record<string, unknown>;

/** The key of an operation's answer: its name and variables (a paged list adds `pages`). */
export const operationKey = <V>(document: SdkDocument<unknown, V>, variables: V) =>
  [document.name, variables] as const;

/** Runs one of the SDK's queries, read as loading, error (with retry) or success. */
export function useOperation<R, V extends AnyVariables>(
  document: SdkDocument<R, V, 'query'>,
  variables: V,
): QueryState<R> {
  const query = useQuery({
    queryKey: operationKey(document, variables),
    queryFn: ({ signal }) => client.request(document, variables as V, { signal }),
  });
  if (query.isPending) return { status: 'loading' };
  if (query.isError) return { status: 'error', error: query.error, retry: () => void query.refetch() };
  return { status: 'success', data: query.data };
}

export type Page<N> = {
  nodes: N[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
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

/**
 * A list read page by page with one of the SDK's paginated operations: the first page, then
 * `loadMore` appends the next (`after` is the last page's end cursor). `page` picks the connection
 * out of the operation's answer.
 */
export function usePagedOperation<
  R,
  V extends AnyVariables & { after?: string | null },
  P extends Page<unknown>,
>(
  document: SdkDocument<R, V, 'query', readonly string[]>,
  variables: Omit<V, 'after'>,
  page: (result: R) => P,
): PagedList<NodeOf<P>, P> {
  const query = useInfiniteQuery({
    queryKey: [document.name, variables, 'pages'] as const,
    queryFn: ({ pageParam, signal }) =>
      client.request(document, { ...variables, after: pageParam } as V, { signal }).then(page),
    initialPageParam: null as string | null,
    getNextPageParam: (last: P) => (last.pageInfo.hasNextPage ? (last.pageInfo.endCursor ?? null) : null),
  });
  if (query.isPending) return { status: 'loading' };
  // A failed first page fails the list; a failed further page is told beside "Show more".
  if (query.isError && !query.isFetchNextPageError)
    return { status: 'error', error: query.error, retry: () => void query.refetch() };
  const pages = query.data!.pages;
  const last = pages.at(-1)!;
  return {
    status: 'success',
    first: pages[0]!,
    nodes: pages.flatMap((p) => p.nodes as NodeOf<P>[]),
    totalCount: last.totalCount,
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    moreError: query.isFetchNextPageError ? query.error : null,
    loadMore: () => {
      if (query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
    },
  };
}
