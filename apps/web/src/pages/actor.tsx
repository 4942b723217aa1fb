// A person, state or organization: who they are, their roles, what they said over time (page by
// page, newest or oldest first), the treaties they are party to and the stories that name them.
import { ActorDocument } from '@chancery/sdk/documents/Actor';
import { ReaderStatementsDocument } from '@chancery/sdk/documents/ReaderStatements';
import type { ActorQuery, ReaderStatementFragment } from '@chancery/sdk/graphql';
import { Link } from 'wouter';
import {
  ActorKindBadge,
  DateText,
  Empty,
  ErrorNotice,
  Loading,
  LoadMore,
  NotFound,
  PageHeading,
  StatementCard,
  TreatyStatusBadge,
} from '../components.tsx';
import { count, formatDay, treatyName } from '../format.ts';
import { useOperation, usePagedOperation } from '../queries.ts';
import { paths, type StatementOrderParam } from '../routes.ts';
import { ArticleTeaser } from './home.tsx';

type Actor = NonNullable<ActorQuery['actor']>;

const STATEMENT_PAGE_SIZE = 10;

export function ActorPage({ slug, order }: { slug: string; order: StatementOrderParam }) {
  const state = useOperation(ActorDocument, { slug, listSize: 10 });
  if (state.status === 'loading') return <Loading label="Loading…" />;
  if (state.status === 'error') return <ErrorNotice error={state.error} retry={state.retry} />;
  const { actor } = state.data;
  if (!actor) return <NotFound what="person or organization" path={paths.actor(slug)} />;
  return <ActorView actor={actor} order={order} />;
}

function ActorView({ actor, order }: { actor: Actor; order: StatementOrderParam }) {
  return (
    <div className="with-sidebar">
      <div>
        <PageHeading title={actor.name} kicker={<ActorKindBadge kind={actor.kind} />}>
          {actor.name}
        </PageHeading>
        {actor.description ? <p className="lede">{actor.description}</p> : null}
        {actor.aliases.length > 0 ? (
          <p className="muted">
            Also called{' '}
            {actor.aliases.map((alias, i) => (
              <span key={alias}>
                {i > 0 ? ', ' : ''}
                <q>{alias}</q>
              </span>
            ))}
          </p>
        ) : null}
        <Roles actor={actor} />
        <StatementTimeline actor={actor} order={order} />
      </div>
      <aside className="sidebar" aria-label={`More about ${actor.name}`}>
        <section aria-labelledby="actor-treaties">
          <h2 id="actor-treaties">Party to</h2>
          {actor.treaties.nodes.length === 0 ? (
            <Empty>No treaties recorded.</Empty>
          ) : (
            <ul className="sidebar-list">
              {actor.treaties.nodes.map((treaty) => (
                <li key={treaty.id}>
                  <Link to={paths.treaty(treaty.slug)}>{treatyName(treaty)}</Link>
                  <TreatyStatusBadge status={treaty.status} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="actor-articles">
          <h2 id="actor-articles">In the news</h2>
          {actor.mentionedIn.nodes.length === 0 ? (
            <Empty>No stories name them yet.</Empty>
          ) : (
            <ul className="sidebar-list plain">
              {actor.mentionedIn.nodes.map((article) => (
                <li key={article.id}>
                  <ArticleTeaser article={article} level={3} />
                </li>
              ))}
            </ul>
          )}
          {actor.mentionedIn.totalCount > actor.mentionedIn.nodes.length ? (
            <p className="muted">
              and{' '}
              {count(
                actor.mentionedIn.totalCount - actor.mentionedIn.nodes.length,
                'more story',
                'more stories',
              )}
            </p>
          ) : null}
        </section>
      </aside>
    </div>
  );
}

function Roles({ actor }: { actor: Actor }) {
  if (actor.roles.length === 0) return null;
  return (
    <section className="roles" aria-labelledby="actor-roles">
      <h2 id="actor-roles">Roles</h2>
      <ul>
        {actor.roles.map((role) => (
          <li key={`${role.title}-${role.startDate ?? ''}-${role.organization?.id ?? ''}`}>
            <span className="role-title">{role.title}</span>
            {role.organization ? (
              <>
                {' · '}
                <Link to={paths.actor(role.organization.slug)}>{role.organization.name}</Link>
              </>
            ) : null}
            <span className="muted"> {roleDates(role.startDate, role.endDate)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function roleDates(start: string | null, end: string | null): string {
  if (start && end) return `${formatDay(start)} – ${formatDay(end)}`;
  if (start) return `since ${formatDay(start)}`;
  if (end) return `until ${formatDay(end)}`;
  return '';
}

function StatementTimeline({ actor, order }: { actor: Actor; order: StatementOrderParam }) {
  const statements = usePagedOperation(
    ReaderStatementsDocument,
    {
      first: STATEMENT_PAGE_SIZE,
      filter: { speakerId: actor.id },
      orderBy: order === 'oldest' ? 'SAID_ON_ASC' : 'SAID_ON_DESC',
    },
    (data) => data.statements,
  );
  return (
    <section className="timeline" aria-labelledby="actor-statements">
      <div className="section-head">
        <h2 id="actor-statements">
          Statements
          {statements.status === 'success' ? <span className="muted"> ({statements.totalCount})</span> : null}
        </h2>
        <nav aria-label="Order of statements" className="order-switch">
          <Link to={paths.actor(actor.slug, 'newest')} aria-current={order === 'newest' ? 'true' : undefined}>
            Newest first
          </Link>
          <Link to={paths.actor(actor.slug, 'oldest')} aria-current={order === 'oldest' ? 'true' : undefined}>
            Oldest first
          </Link>
        </nav>
      </div>
      {statements.status === 'loading' ? <Loading label="Loading statements…" /> : null}
      {statements.status === 'error' ? (
        <ErrorNotice error={statements.error} retry={statements.retry} />
      ) : null}
      {statements.status === 'success' ? (
        statements.nodes.length === 0 ? (
          <Empty>No statements by {actor.name} have been recorded.</Empty>
        ) : (
          <>
            <ol className="timeline-days">
              {byDay(statements.nodes).map(([day, items]) => (
                <li key={day}>
                  <h3 className="timeline-day">
                    <DateText value={day} />
                  </h3>
                  <ul className="statement-list">
                    {items.map((statement) => (
                      <li key={statement.id}>
                        <StatementCard statement={statement} showSpeaker={false} headingLevel={4} />
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
            <LoadMore list={statements} noun={['statement', 'statements']} />
          </>
        )
      ) : null}
    </section>
  );
}

/**
 * Consecutive statements grouped by the day they were said, days in the order given; within a day,
 * in the order the stories printed them (the API orders by day only).
 */
function byDay(statements: ReaderStatementFragment[]): [string, ReaderStatementFragment[]][] {
  const days: [string, ReaderStatementFragment[]][] = [];
  for (const statement of statements) {
    const last = days.at(-1);
    if (last && last[0] === statement.saidOn) last[1].push(statement);
    else days.push([statement.saidOn, [statement]]);
  }
  for (const [, items] of days) items.sort(readingOrder);
  return days;
}

function readingOrder(a: ReaderStatementFragment, b: ReaderStatementFragment): number {
  const x = a.source;
  const y = b.source;
  return (
    x.article.publishedAt.localeCompare(y.article.publishedAt) ||
    x.article.id.localeCompare(y.article.id) ||
    x.paragraph - y.paragraph ||
    x.start - y.start
  );
}
