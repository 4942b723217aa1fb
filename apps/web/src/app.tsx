// The frame of every page — skip link, masthead with navigation and search, main, footer — and
// the page the URL names, chosen by wouter against the path as the browser spells it.
import { QueryClientProvider } from '@tanstack/react-query';
import { type FormEvent, lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { Link, Route, Router, Switch } from 'wouter';
import { usePathname, useSearch } from 'wouter/use-browser-location';
import { Loading, NotFound } from './components.tsx';
import { aroundNav, navigate, useHash } from './navigation.ts';
import { ActorPage } from './pages/actor.tsx';
import { ActorsPage } from './pages/actors.tsx';
import { ArticlePage } from './pages/article.tsx';
import { HomePage } from './pages/home.tsx';
import { ProvisionPage } from './pages/provision.tsx';
import { SearchPage } from './pages/search.tsx';
import { TreatiesPage } from './pages/treaties.tsx';
import { TreatyPage } from './pages/treaty.tsx';
import { queryClient } from './queries.ts';
import {
  decodeSegment,
  type EditorPage,
  parseActorKind,
  parseSearchParams,
  parseStatementOrder,
  paths,
  routePatterns,
  statementFromHash,
} from './routes.ts';

const EditorPages = lazy(() => import('./editor/pages.tsx'));

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Router aroundNav={aroundNav}>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Masthead />
        <main id="main" tabIndex={-1}>
          <Pages />
        </main>
        <footer className="site-footer">
          <p>
            Chancery — treaties, statements and the stories that report them, each statement traced to the
            exact words of its source.
          </p>
          <p>
            Data: <a href="/graphql">the GraphQL API</a>
          </p>
        </footer>
      </Router>
    </QueryClientProvider>
  );
}

/** A page whose path segments decode; a malformed escape (`%E0%A4%A`) names no page. */
function Decoded<K extends string>({
  names,
  params,
  children,
}: {
  names: readonly K[];
  params: Partial<Record<K, string>>;
  children: (values: Record<K, string>) => ReactNode;
}) {
  const pathname = usePathname();
  const values = {} as Record<K, string>;
  for (const name of names) {
    const value = decodeSegment(params[name] ?? '');
    if (value === null) return <NotFound what="page" path={pathname} />;
    values[name] = value;
  }
  return children(values);
}

function Pages() {
  // wouter's own location is decoded with decodeURI, which leaves %2F and friends as they are;
  // matching the path as the browser spells it and decoding each segment once is exact.
  const pathname = usePathname();
  const search = useSearch();
  const hash = useHash();
  const editor = (page: EditorPage) => (
    <Suspense fallback={<Loading label="Loading the editorial workspace…" />}>
      <EditorPages page={page} search={search} />
    </Suspense>
  );
  return (
    <Switch location={pathname}>
      <Route path={routePatterns.home}>
        <HomePage />
      </Route>
      <Route path={routePatterns.article}>
        {(params) => (
          <Decoded names={['slug']} params={params}>
            {({ slug }) => <ArticlePage key={slug} slug={slug} statementId={statementFromHash(hash)} />}
          </Decoded>
        )}
      </Route>
      <Route path={routePatterns.actors}>
        <ActorsPage kind={parseActorKind(search)} />
      </Route>
      <Route path={routePatterns.actor}>
        {(params) => (
          <Decoded names={['slug']} params={params}>
            {({ slug }) => <ActorPage key={slug} slug={slug} order={parseStatementOrder(search)} />}
          </Decoded>
        )}
      </Route>
      <Route path={routePatterns.treaties}>
        <TreatiesPage />
      </Route>
      <Route path={routePatterns.treaty}>
        {(params) => (
          <Decoded names={['slug']} params={params}>
            {({ slug }) => <TreatyPage key={slug} slug={slug} />}
          </Decoded>
        )}
      </Route>
      <Route path={routePatterns.provision}>
        {(params) => (
          <Decoded names={['treatySlug', 'number']} params={params}>
            {({ treatySlug, number }) => (
              <ProvisionPage key={`${treatySlug}/${number}`} treatySlug={treatySlug} number={number} />
            )}
          </Decoded>
        )}
      </Route>
      <Route path={routePatterns.search}>
        <SearchPage params={parseSearchParams(search)} />
      </Route>
      <Route path={routePatterns.editor}>{editor('editor')}</Route>
      <Route path={routePatterns.editorReview}>{editor('editorReview')}</Route>
      <Route path={routePatterns.editorDrafts}>{editor('editorDrafts')}</Route>
      <Route path={routePatterns.editorImport}>{editor('editorImport')}</Route>
      <Route path={routePatterns.editorActors}>{editor('editorActors')}</Route>
      <Route>
        <NotFound what="page" path={pathname} />
      </Route>
    </Switch>
  );
}

/** The masthead's sections, each current on its list and the pages under it. */
const SECTIONS = [
  { to: paths.home(), label: 'Latest', under: ['/articles/'] },
  { to: paths.treaties(), label: 'Treaties', under: ['/treaties/'] },
  { to: paths.actors(), label: 'People & organizations', under: ['/actors/'] },
];

function Masthead() {
  const pathname = usePathname();
  const search = useSearch();
  const current = pathname === routePatterns.search ? parseSearchParams(search).query : '';
  const [query, setQuery] = useState(current);
  useEffect(() => setQuery(current), [current]);

  function submit(event: FormEvent) {
    event.preventDefault();
    navigate(paths.search({ query: query.trim() }));
  }

  return (
    <header className="masthead">
      <div className="masthead-inner">
        <Link to={paths.home()} className="brand">
          <span className="brand-mark" aria-hidden="true">
            ¶
          </span>
          Chancery
        </Link>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map((section) => (
              <li key={section.to}>
                <Link
                  to={section.to}
                  aria-current={
                    pathname.replace(/(.)\/$/, '$1') === section.to
                      ? 'page'
                      : section.under.some((prefix) => pathname.startsWith(prefix))
                        ? 'true'
                        : undefined
                  }
                >
                  {section.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <search className="site-search" aria-label="Site">
          <form onSubmit={submit} action="/search">
            <label htmlFor="site-search-input" className="visually-hidden">
              Search articles, statements, people and treaties
            </label>
            <input
              id="site-search-input"
              name="q"
              type="search"
              placeholder="Search statements, treaties…"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              autoComplete="off"
            />
            <button type="submit" className="button">
              Search
            </button>
          </form>
        </search>
      </div>
    </header>
  );
}
