// The frame of every page — skip link, masthead with navigation and search, main, footer — and
// the page the URL names.
import { type FormEvent, lazy, Suspense, useEffect, useState } from 'react';
import { Loading, NotFound } from './components.tsx';
import { ActorPage } from './pages/actor.tsx';
import { ActorsPage } from './pages/actors.tsx';
import { ArticlePage } from './pages/article.tsx';
import { HomePage } from './pages/home.tsx';
import { ProvisionPage } from './pages/provision.tsx';
import { SearchPage } from './pages/search.tsx';
import { TreatiesPage } from './pages/treaties.tsx';
import { TreatyPage } from './pages/treaty.tsx';
import { Link, navigate, useLocation } from './router.tsx';
import { paths, type Route } from './routes.ts';

const EditorPages = lazy(() => import('./editor/pages.tsx'));

export function App() {
  const { route } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Masthead route={route} />
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
      <footer className="site-footer">
        <p>
          Chancery — treaties, statements and the stories that report them, each statement traced to the exact
          words of its source.
        </p>
        <p>
          Data: <a href="/graphql">the GraphQL API</a>
        </p>
      </footer>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'article':
      return <ArticlePage key={route.slug} slug={route.slug} statementId={route.statementId} />;
    case 'actors':
      return <ActorsPage kind={route.kind} />;
    case 'actor':
      return <ActorPage key={route.slug} slug={route.slug} order={route.order} />;
    case 'treaties':
      return <TreatiesPage />;
    case 'treaty':
      return <TreatyPage key={route.slug} slug={route.slug} />;
    case 'provision':
      return (
        <ProvisionPage
          key={`${route.treatySlug}/${route.number}`}
          treatySlug={route.treatySlug}
          number={route.number}
        />
      );
    case 'search':
      return <SearchPage params={route.params} />;
    case 'editor-sign-in':
    case 'editor-review':
    case 'editor-drafts':
    case 'editor-import':
    case 'editor-actors':
      return (
        <Suspense fallback={<Loading label="Loading the editorial workspace…" />}>
          <EditorPages route={route} />
        </Suspense>
      );
    case 'not-found':
      return <NotFound what="page" path={route.path} />;
  }
}

const SECTIONS = [
  {
    to: paths.home(),
    label: 'Latest',
    active: (route: Route) => route.page === 'home' || route.page === 'article',
    exact: (route: Route) => route.page === 'home',
  },
  {
    to: paths.treaties(),
    label: 'Treaties',
    active: (route: Route) =>
      route.page === 'treaties' || route.page === 'treaty' || route.page === 'provision',
    exact: (route: Route) => route.page === 'treaties',
  },
  {
    to: paths.actors(),
    label: 'People & organizations',
    active: (route: Route) => route.page === 'actors' || route.page === 'actor',
    exact: (route: Route) => route.page === 'actors',
  },
];

function Masthead({ route }: { route: Route }) {
  const current = route.page === 'search' ? route.params.query : '';
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
                  aria-current={section.active(route) ? (section.exact(route) ? 'page' : 'true') : undefined}
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
