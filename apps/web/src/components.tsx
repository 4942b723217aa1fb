// The pieces every page uses: headings that take focus after a navigation, the loading, error
// and empty states, statement cards and small badges.
import type { ReaderStatementFragment, StatementSummaryFragment } from '@chancery/sdk/graphql';
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { Link } from 'wouter';
import { describeError } from './api.ts';
import {
  actorKindLabel,
  count,
  formatDay,
  provisionLabel,
  statementKindLabel,
  treatyName,
  treatyStatusLabel,
} from './format.ts';
import { isInAppNavigation, useDocumentTitle } from './navigation.ts';
import type { PagedList } from './queries.ts';
import { paths } from './routes.ts';

/**
 * The page's <h1>. After an in-app navigation it takes the keyboard focus, so a screen reader
 * announces the new page and Tab continues from its top (as after a full page load).
 */
export function PageHeading({
  children,
  title,
  kicker,
}: {
  children: ReactNode;
  title: string;
  kicker?: ReactNode;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(title);
  useEffect(() => {
    if (isInAppNavigation()) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <header className="page-heading">
      {kicker ? <p className="kicker">{kicker}</p> : null}
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
    </header>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
  const { title, detail } = describeError(error);
  useDocumentTitle(title);
  return (
    <div className="state state-error" role="alert">
      <h2>{title}</h2>
      <p>{detail}</p>
      {retry ? (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

export function NotFound({ what, path }: { what: string; path: string }) {
  return (
    <div className="not-found">
      <PageHeading title="Not found" kicker="404">
        No {what} here
      </PageHeading>
      <p>
        Nothing published lives at <code>{path}</code>. It may have been withdrawn, or the link may be
        mistyped.
      </p>
      <p>
        <Link to={paths.home()}>Back to the latest articles</Link> or{' '}
        <Link to={paths.search({ query: '' })}>search</Link>.
      </p>
    </div>
  );
}

export function KindBadge({ kind }: { kind: 'DIRECT' | 'INDIRECT' }) {
  return <span className={`badge badge-${kind.toLowerCase()}`}>{statementKindLabel[kind]}</span>;
}

export function TreatyStatusBadge({ status }: { status: keyof typeof treatyStatusLabel }) {
  return (
    <span className={`badge status-${status.toLowerCase().replaceAll('_', '-')}`}>
      {treatyStatusLabel[status]}
    </span>
  );
}

export function ActorKindBadge({ kind }: { kind: keyof typeof actorKindLabel }) {
  return <span className="badge badge-neutral">{actorKindLabel[kind]}</span>;
}

export function DateText({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  return <time dateTime={value}>{formatDay(value)}</time>;
}

type CardStatement = StatementSummaryFragment &
  Partial<Pick<ReaderStatementFragment, 'about' | 'provisions' | 'occasion'>>;

/**
 * One statement out of its story: the words (a quotation for direct speech), who said them, when,
 * where they were printed, and what they are about.
 */
export function StatementCard({
  statement,
  showSpeaker = true,
  headingLevel = 3,
}: {
  statement: CardStatement;
  showSpeaker?: boolean;
  headingLevel?: 2 | 3 | 4;
}) {
  const labelId = useId();
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  const article = statement.source.article;
  const about = [
    ...(statement.provisions ?? []).map((provision) => (
      <li key={provision.id}>
        <Link to={paths.provision(provision.treaty.slug, provision.number)}>
          {provisionLabel(provision.number)}
          <span className="muted"> · {treatyName(provision.treaty)}</span>
        </Link>
      </li>
    )),
    ...(statement.about ?? [])
      .filter((treaty) => !statement.provisions?.some((provision) => provision.treaty.id === treaty.id))
      .map((treaty) => (
        <li key={treaty.id}>
          <Link to={paths.treaty(treaty.slug)}>{treatyName(treaty)}</Link>
        </li>
      )),
  ];
  return (
    <article className={`statement-card statement-${statement.kind.toLowerCase()}`} aria-labelledby={labelId}>
      <Heading className="visually-hidden" id={labelId}>
        {statementKindLabel[statement.kind]}
        {statement.speaker ? ` by ${statement.speaker.name}` : ''}, {formatDay(statement.saidOn)}
      </Heading>
      <div className="statement-meta">
        <KindBadge kind={statement.kind} />
        <DateText value={statement.saidOn} />
      </div>
      {statement.kind === 'DIRECT' ? (
        <blockquote className="statement-text">
          <p>{statement.text}</p>
        </blockquote>
      ) : (
        <p className="statement-text">{statement.text}</p>
      )}
      <p className="attribution">
        {showSpeaker ? (
          statement.speaker ? (
            <>
              <Link to={paths.actor(statement.speaker.slug)} className="speaker">
                {statement.speaker.name}
              </Link>
              {statement.speakerRole ? <span className="muted">, {statement.speakerRole}</span> : null}
            </>
          ) : (
            <span className="muted">Speaker not named</span>
          )
        ) : statement.speakerRole ? (
          <span className="muted">As “{statement.speakerRole}”</span>
        ) : null}
        {showSpeaker || statement.speakerRole ? <span aria-hidden="true"> · </span> : null}
        <span>
          In{' '}
          <Link to={paths.article(article.slug, statement.id)} className="source-link">
            {article.headline}
          </Link>
          <span className="muted">, paragraph {statement.source.paragraph + 1}</span>
        </span>
      </p>
      {about.length > 0 ? (
        <div className="about">
          <span className="about-label">About</span>
          <ul className="chips">{about}</ul>
        </div>
      ) : null}
    </article>
  );
}

/** "Showing 20 of 140 statements" and the button that loads the next page of a paged list. */
export function LoadMore({
  list,
  noun,
}: {
  list: Extract<PagedList<unknown>, { status: 'success' }>;
  /** Singular and plural: ['statement', 'statements']. */
  noun: [string, string];
}) {
  const { nodes, totalCount, hasMore, loadingMore: loading, moreError: error, loadMore } = list;
  return (
    <div className="load-more">
      <p className="muted" aria-live="polite">
        Showing {nodes.length.toLocaleString('en-GB')} of {count(totalCount, ...noun)}
      </p>
      {error ? <p role="alert">{describeError(error).title}. </p> : null}
      {hasMore ? (
        <button type="button" className="button" onClick={loadMore} disabled={loading} aria-busy={loading}>
          {loading ? 'Loading…' : error ? 'Try again' : `Show more ${noun[1]}`}
        </button>
      ) : null}
    </div>
  );
}
