// A treaty: its parties and status, the timeline of what was done to it, and each provision with
// what it refers to, what refers to it, and what was said about it.
import { ReaderTreatyDocument } from '@chancery/sdk/documents/ReaderTreaty';
import type { ReaderTreatyQuery, StatementSummaryFragment } from '@chancery/sdk/graphql';
import { Link } from 'wouter';
import {
  ActorKindBadge,
  DateText,
  Empty,
  ErrorNotice,
  KindBadge,
  Loading,
  NotFound,
  PageHeading,
  TreatyStatusBadge,
} from '../components.tsx';
import { count, provisionLabel, treatyActionLabel, treatyName } from '../format.ts';
import { useOperation } from '../queries.ts';
import { paths } from '../routes.ts';
import { ArticleTeaser } from './home.tsx';

type Treaty = NonNullable<ReaderTreatyQuery['treaty']>;
type Provision = Treaty['provisions'][number];
type Action = Treaty['actions'][number];

export function TreatyPage({ slug }: { slug: string }) {
  const state = useOperation(ReaderTreatyDocument, { slug });
  if (state.status === 'loading') return <Loading label="Loading the treaty…" />;
  if (state.status === 'error') return <ErrorNotice error={state.error} retry={state.retry} />;
  const { treaty } = state.data;
  if (!treaty) return <NotFound what="treaty" path={paths.treaty(slug)} />;
  return <TreatyView treaty={treaty} />;
}

function TreatyView({ treaty }: { treaty: Treaty }) {
  return (
    <div className="with-sidebar">
      <div>
        <PageHeading title={treatyName(treaty)} kicker={<TreatyStatusBadge status={treaty.status} />}>
          {treaty.title}
        </PageHeading>
        {treaty.shortTitle && treaty.shortTitle !== treaty.title ? (
          <p className="lede">{treaty.shortTitle}</p>
        ) : null}
        <dl className="facts facts-inline">
          <div>
            <dt>Signed</dt>
            <dd>
              {treaty.signedOn ? (
                <DateText value={treaty.signedOn} />
              ) : (
                <span className="muted">Not recorded</span>
              )}
              {treaty.signedPlace ? `, ${treaty.signedPlace}` : ''}
            </dd>
          </div>
          <div>
            <dt>In force</dt>
            <dd>
              {treaty.entryIntoForceOn ? (
                <>
                  since <DateText value={treaty.entryIntoForceOn} />
                </>
              ) : (
                <span className="muted">Not yet</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Parties</dt>
            <dd>
              {treaty.parties.length === 0 ? (
                <span className="muted">Open to all states</span>
              ) : (
                <ul className="inline-list">
                  {treaty.parties.map((party) => (
                    <li key={party.id}>
                      <Link to={paths.actor(party.slug)}>{party.name}</Link>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
        <Timeline actions={treaty.actions} />
        <Provisions treaty={treaty} />
      </div>
      <aside className="sidebar" aria-label="About this treaty">
        <section aria-labelledby="treaty-parties">
          <h2 id="treaty-parties">Parties</h2>
          {treaty.parties.length === 0 ? (
            <Empty>None listed.</Empty>
          ) : (
            <ul className="sidebar-list">
              {treaty.parties.map((party) => (
                <li key={party.id}>
                  <Link to={paths.actor(party.slug)}>{party.name}</Link> <ActorKindBadge kind={party.kind} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="treaty-articles">
          <h2 id="treaty-articles">In the news</h2>
          {treaty.articles.nodes.length === 0 ? (
            <Empty>No stories mention it yet.</Empty>
          ) : (
            <ul className="sidebar-list plain">
              {treaty.articles.nodes.map((article) => (
                <li key={article.id}>
                  <ArticleTeaser article={article} level={3} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </aside>
    </div>
  );
}

function Timeline({ actions }: { actions: Action[] }) {
  return (
    <section className="treaty-timeline" aria-labelledby="treaty-timeline">
      <h2 id="treaty-timeline">Timeline</h2>
      {actions.length === 0 ? (
        <Empty>No signature, ratification or other action has been recorded.</Empty>
      ) : (
        <ol className="action-list">
          {actions.map((action) => (
            <li key={action.id} className="action">
              <p className="action-date">
                <DateText value={action.date} />
              </p>
              <div className="action-body">
                <h3>{treatyActionLabel[action.type]}</h3>
                <p className="action-who">
                  {action.actor ? (
                    <>
                      by <Link to={paths.actor(action.actor.slug)}>{action.actor.name}</Link>
                    </>
                  ) : null}
                  {action.body ? (
                    <>
                      {action.actor ? ' ' : ''}
                      to <Link to={paths.actor(action.body.slug)}>{action.body.name}</Link>
                    </>
                  ) : null}
                  {action.place ? `, ${action.place}` : ''}
                </p>
                {action.description ? <p>{action.description}</p> : null}
                {action.source ? (
                  <figure className="source-quote">
                    <blockquote>
                      <p>{action.source.text}</p>
                    </blockquote>
                    <figcaption>
                      Source:{' '}
                      <Link to={paths.article(action.source.article.slug)}>
                        {action.source.article.headline}
                      </Link>
                      {action.source.article.publisher ? `, ${action.source.article.publisher.name}` : ''}
                    </figcaption>
                  </figure>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Provisions({ treaty }: { treaty: Treaty }) {
  return (
    <section className="provisions" aria-labelledby="treaty-provisions">
      <h2 id="treaty-provisions">Provisions</h2>
      {treaty.provisions.length === 0 ? (
        <Empty>No provisions of this treaty have been recorded.</Empty>
      ) : (
        treaty.provisions.map((provision) => (
          <ProvisionSection key={provision.id} treatySlug={treaty.slug} provision={provision} />
        ))
      )}
    </section>
  );
}

function ProvisionSection({ treatySlug, provision }: { treatySlug: string; provision: Provision }) {
  const headingId = `provision-${provision.number}-heading`;
  return (
    <section className="provision" id={`provision-${provision.number}`} aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Link to={paths.provision(treatySlug, provision.number)}>{provisionLabel(provision.number)}</Link>
        {provision.heading ? <span className="provision-heading"> — {provision.heading}</span> : null}
      </h3>
      {provision.summary ? <p className="summary">{provision.summary}</p> : null}
      {provision.text ? <blockquote className="provision-text">{provision.text}</blockquote> : null}
      <ProvisionLinks label="Refers to" provisions={provision.refersTo} />
      <ProvisionLinks label="Referred to by" provisions={provision.referencedBy} />
      <div className="provision-statements">
        <h4>
          What was said about it
          <span className="muted"> ({provision.statements.totalCount})</span>
        </h4>
        {provision.statements.nodes.length === 0 ? (
          <Empty>No statements about this provision yet.</Empty>
        ) : (
          <ul className="quote-list">
            {provision.statements.nodes.map((statement) => (
              <li key={statement.id}>
                <StatementQuote statement={statement} />
              </li>
            ))}
          </ul>
        )}
        {provision.statements.totalCount > provision.statements.nodes.length ? (
          <p>
            <Link to={paths.provision(treatySlug, provision.number)}>
              All {count(provision.statements.totalCount, 'statement')} about{' '}
              {provisionLabel(provision.number)}
            </Link>
          </p>
        ) : null}
      </div>
    </section>
  );
}

export function ProvisionLinks({
  label,
  provisions,
  headingLevel = 4,
}: {
  label: string;
  provisions: {
    id: string;
    number: string;
    summary: string | null;
    treaty: { slug: string; title: string; shortTitle: string | null };
  }[];
  headingLevel?: 2 | 4;
}) {
  if (provisions.length === 0) return null;
  const Heading = `h${headingLevel}` as 'h2' | 'h4';
  return (
    <div className="provision-links">
      <Heading className="provision-links-heading">{label}</Heading>
      <ul>
        {provisions.map((target) => (
          <li key={target.id}>
            <Link to={paths.provision(target.treaty.slug, target.number)}>
              {provisionLabel(target.number)} of the {treatyName(target.treaty)}
            </Link>
            {target.summary ? <p className="summary">{target.summary}</p> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A statement in a list about something else: the words, and who said them, where. */
export function StatementQuote({ statement }: { statement: StatementSummaryFragment }) {
  return (
    <figure className={`quote statement-${statement.kind.toLowerCase()}`}>
      <blockquote>
        <p>{statement.text}</p>
      </blockquote>
      <figcaption>
        <KindBadge kind={statement.kind} />{' '}
        {statement.speaker ? (
          <Link to={paths.actor(statement.speaker.slug)}>{statement.speaker.name}</Link>
        ) : (
          <span className="muted">Unnamed speaker</span>
        )}
        , <DateText value={statement.saidOn} /> ·{' '}
        <Link to={paths.article(statement.source.article.slug, statement.id)}>In context</Link>
      </figcaption>
    </figure>
  );
}
