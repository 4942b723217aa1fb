// Search across articles, statements, people and treaties, best match first, narrowed by the
// facets the API counts over every hit (type, speaker, treaty, year). Every narrowing is part of
// the URL, so a search can be shared as it stands.
import { ReaderSearchDocument } from '@chancery/sdk/documents/ReaderSearch';
import type { ReaderSearchQuery } from '@chancery/sdk/graphql';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { Link } from 'wouter';
import {
  DateText,
  Empty,
  ErrorNotice,
  Loading,
  LoadMore,
  PageHeading,
  TreatyStatusBadge,
} from '../components.tsx';
import {
  actorKindLabel,
  count,
  parseSnippet,
  provisionLabel,
  searchTypeLabel,
  statementKindLabel,
  treatyName,
} from '../format.ts';
import { navigate } from '../navigation.ts';
import { usePagedOperation } from '../queries.ts';
import { paths, type SearchParams } from '../routes.ts';

type Search = ReaderSearchQuery['search'];
type Hit = Search['edges'][number];
type SearchPage = {
  nodes: Hit[];
  totalCount: number;
  pageInfo: Search['pageInfo'];
  facets: Search['facets'];
};

const PAGE_SIZE = 20;

export function SearchPage({ params }: { params: SearchParams }) {
  return (
    <div>
      <PageHeading title={params.query ? `“${params.query}”` : 'Search'}>
        {params.query ? (
          <>
            Results for <q>{params.query}</q>
          </>
        ) : (
          'Search'
        )}
      </PageHeading>
      <SearchForm initial={params.query} />
      {params.query ? (
        <Results params={params} />
      ) : (
        <div className="search-help">
          <p>
            Search the exact words of every article and statement, the names of people, states and
            organizations, and the titles and provisions of treaties. Words match in any form (“ratified”
            finds “ratification”); use <q>quotes</q> for a phrase, <code>-word</code> to leave a word out, and{' '}
            <code>OR</code> between alternatives.
          </p>
          <p>
            Try <Link to={paths.search({ query: 'Article 51' })}>Article 51</Link>,{' '}
            <Link to={paths.search({ query: 'defensive' })}>defensive</Link> or{' '}
            <Link to={paths.search({ query: 'State Duma' })}>State Duma</Link>.
          </p>
        </div>
      )}
    </div>
  );
}

function SearchForm({ initial }: { initial: string }) {
  const [query, setQuery] = useState(initial);
  useEffect(() => setQuery(initial), [initial]);
  function submit(event: FormEvent) {
    event.preventDefault();
    navigate(paths.search({ query: query.trim() }));
  }
  return (
    <search aria-label="Refine">
      <form className="search-form" onSubmit={submit} action="/search">
        <label htmlFor="search-page-input">Search for</label>
        <div className="search-row">
          <input
            id="search-page-input"
            name="q"
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            autoComplete="off"
          />
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </form>
    </search>
  );
}

function Results({ params }: { params: SearchParams }) {
  const results = usePagedOperation(
    ReaderSearchDocument,
    {
      query: params.query,
      first: PAGE_SIZE,
      types: params.type ? [params.type] : null,
      filter: {
        speakerId: params.speakerId,
        treatyId: params.treatyId,
        from: params.year ? `${params.year}-01-01` : null,
        to: params.year ? `${params.year}-12-31` : null,
      },
    },
    ({ search }): SearchPage => ({ ...search, nodes: search.edges }),
  );
  if (results.status === 'loading') return <Loading label="Searching…" />;
  if (results.status === 'error') return <ErrorNotice error={results.error} retry={results.retry} />;
  const { facets } = results.first;
  return (
    <div className="search-layout">
      <aside className="facets" aria-label="Narrow the results">
        <Facet
          title="Type"
          all={params.type ? paths.search({ ...params, type: null }) : null}
          items={facets.types
            .filter((item) => item.count > 0 || item.type === params.type)
            .map((item) => ({
              key: item.type,
              label: searchTypeLabel[item.type],
              count: item.count,
              to: paths.search({ ...params, type: item.type }),
              active: params.type === item.type,
            }))}
        />
        <Facet
          title="Speaker"
          all={params.speakerId ? paths.search({ ...params, speakerId: null }) : null}
          items={facets.speakers.map((item) => ({
            key: item.speaker.id,
            label: item.speaker.name,
            count: item.count,
            to: paths.search({ ...params, speakerId: item.speaker.id }),
            active: params.speakerId === item.speaker.id,
          }))}
        />
        <Facet
          title="Treaty"
          all={params.treatyId ? paths.search({ ...params, treatyId: null }) : null}
          items={facets.treaties.map((item) => ({
            key: item.treaty.id,
            label: treatyName(item.treaty),
            count: item.count,
            to: paths.search({ ...params, treatyId: item.treaty.id }),
            active: params.treatyId === item.treaty.id,
          }))}
        />
        <Facet
          title="Year"
          all={params.year ? paths.search({ ...params, year: null }) : null}
          items={facets.years.map((item) => ({
            key: String(item.year),
            label: String(item.year),
            count: item.count,
            to: paths.search({ ...params, year: item.year }),
            active: params.year === item.year,
          }))}
        />
      </aside>
      <section className="results" aria-labelledby="results-heading">
        <h2 id="results-heading" className="results-count" aria-live="polite">
          {count(results.totalCount, 'result')}
        </h2>
        {results.nodes.length === 0 ? (
          <Empty>
            Nothing matches <q>{params.query}</q>
            {params.type || params.speakerId || params.treatyId || params.year ? ' with these filters' : ''}.
            Try fewer or other words.
          </Empty>
        ) : (
          <>
            <ol className="hit-list">
              {results.nodes.map((hit) => (
                <li key={hit.cursor}>
                  <HitView hit={hit} />
                </li>
              ))}
            </ol>
            <LoadMore list={results} noun={['result', 'results']} />
          </>
        )}
      </section>
    </div>
  );
}

type FacetItem = { key: string; label: string; count: number; to: string; active: boolean };

function Facet({ title, items, all }: { title: string; items: FacetItem[]; all: string | null }) {
  if (items.length === 0 && !all) return null;
  return (
    <nav className="facet" aria-label={`Filter by ${title.toLowerCase()}`}>
      <h2>{title}</h2>
      <ul>
        {all ? (
          <li>
            <Link to={all} className="facet-clear">
              Any {title.toLowerCase()}
            </Link>
          </li>
        ) : null}
        {items.map((item) => (
          <li key={item.key}>
            <Link to={item.to} aria-current={item.active ? 'true' : undefined} className="facet-item">
              <span>{item.label}</span>
              <span className="facet-count">
                {item.count}
                <span className="visually-hidden"> results</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function HitView({ hit }: { hit: Hit }) {
  const node = hit.node;
  switch (node.__typename) {
    case 'Statement':
      return (
        <article className="hit">
          <p className="hit-type">
            Statement · {statementKindLabel[node.statementKind]} · <DateText value={node.saidOn} />
          </p>
          <h3 className="hit-title">
            <Link to={paths.article(node.source.article.slug, node.id)}>
              {node.speaker ? node.speaker.name : 'Unnamed speaker'}
              {node.speakerRole ? <span className="muted">, {node.speakerRole}</span> : null}
            </Link>
          </h3>
          <Highlights hit={hit} fallback={node.text} />
          <p className="hit-meta">In {node.source.article.headline}</p>
        </article>
      );
    case 'Article':
      return (
        <article className="hit">
          <p className="hit-type">
            Article{node.publisher ? ` · ${node.publisher.name}` : ''} · <DateText value={node.publishedAt} />
          </p>
          <h3 className="hit-title">
            <Link to={paths.article(node.slug)}>{node.headline}</Link>
          </h3>
          <Highlights hit={hit} fallback={node.standfirst} skip={['HEADLINE']} />
        </article>
      );
    case 'Actor':
      return (
        <article className="hit">
          <p className="hit-type">{actorKindLabel[node.kind]}</p>
          <h3 className="hit-title">
            <Link to={paths.actor(node.slug)}>{node.name}</Link>
          </h3>
          <Highlights hit={hit} fallback={node.description} skip={['NAME']} />
        </article>
      );
    case 'Treaty':
      return (
        <article className="hit">
          <p className="hit-type">
            Treaty <TreatyStatusBadge status={node.status} />
          </p>
          <h3 className="hit-title">
            <Link to={paths.treaty(node.slug)}>{node.title}</Link>
          </h3>
          <Highlights hit={hit} fallback={null} skip={['TITLE']} treatySlug={node.slug} />
        </article>
      );
    default:
      return null;
  }
}

const FIELD_LABEL: Partial<Record<Hit['highlights'][number]['field'], string>> = {
  STANDFIRST: 'Standfirst',
  ALIAS: 'Also called',
  DESCRIPTION: 'Description',
  SHORT_TITLE: 'Short title',
  SPEAKER_ROLE: 'Role',
  OCCASION: 'Occasion',
};

function Highlights({
  hit,
  fallback,
  skip = [],
  treatySlug,
}: {
  hit: Hit;
  fallback: string | null;
  skip?: string[];
  treatySlug?: string;
}) {
  const shown = hit.highlights.filter((highlight) => !skip.includes(highlight.field));
  if (shown.length === 0) return fallback ? <p className="hit-snippet">{fallback}</p> : null;
  return (
    <ul className="hit-snippets">
      {shown.map((highlight) => {
        let label: ReactNode = FIELD_LABEL[highlight.field] ?? null;
        if (highlight.field === 'PARAGRAPH' && highlight.index !== null) label = `¶ ${highlight.index + 1}`;
        if (highlight.provision)
          label = (
            <Link
              to={paths.provision(treatySlug ?? highlight.provision.treaty.slug, highlight.provision.number)}
            >
              {provisionLabel(highlight.provision.number)}
            </Link>
          );
        return (
          <li
            key={`${highlight.field}-${highlight.index ?? ''}-${highlight.provision?.id ?? ''}`}
            className="hit-snippet"
          >
            {label ? <span className="snippet-label">{label}</span> : null}
            {parseSnippet(highlight.snippet).map((part, i) =>
              part.match ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never move.
                <mark key={i} className="hit-match">
                  {part.text}
                </mark>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: as above.
                <span key={i}>{part.text}</span>
              ),
            )}
          </li>
        );
      })}
    </ul>
  );
}
