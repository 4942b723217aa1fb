// One provision of a treaty — "Article 4" — with its text, what it refers to (Article 51 of the UN
// Charter), what refers to it, and every statement about it, page by page.
import { ReaderStatementsDocument } from '@chancery/sdk/documents/ReaderStatements';
import { TreatyProvisionDocument } from '@chancery/sdk/documents/TreatyProvision';
import type { TreatyProvisionQuery } from '@chancery/sdk/graphql';
import { Link } from 'wouter';
import {
  Empty,
  ErrorNotice,
  Loading,
  LoadMore,
  NotFound,
  PageHeading,
  StatementCard,
  TreatyStatusBadge,
} from '../components.tsx';
import { provisionLabel, treatyName } from '../format.ts';
import { useOperation, usePagedOperation } from '../queries.ts';
import { paths } from '../routes.ts';
import { ProvisionLinks } from './treaty.tsx';

type Treaty = NonNullable<TreatyProvisionQuery['treaty']>;
type Provision = NonNullable<Treaty['provision']>;

export function ProvisionPage({ treatySlug, number }: { treatySlug: string; number: string }) {
  const state = useOperation(TreatyProvisionDocument, { treatySlug, number, listSize: 1 });
  if (state.status === 'loading') return <Loading label="Loading the provision…" />;
  if (state.status === 'error') return <ErrorNotice error={state.error} retry={state.retry} />;
  const { treaty } = state.data;
  if (!treaty?.provision)
    return (
      <NotFound
        what={treaty ? `${provisionLabel(number)} in this treaty` : 'treaty'}
        path={paths.provision(treatySlug, number)}
      />
    );
  return <ProvisionView treaty={treaty} provision={treaty.provision} />;
}

function ProvisionView({ treaty, provision }: { treaty: Treaty; provision: Provision }) {
  const label = provisionLabel(provision.number);
  return (
    <div className="narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to={paths.treaties()}>Treaties</Link>
          </li>
          <li>
            <Link to={paths.treaty(treaty.slug)}>{treatyName(treaty)}</Link>
          </li>
          <li>
            <span aria-current="page">{label}</span>
          </li>
        </ol>
      </nav>
      <PageHeading
        title={`${label} — ${treatyName(treaty)}`}
        kicker={
          <>
            {treatyName(treaty)} <TreatyStatusBadge status={treaty.status} />
          </>
        }
      >
        {label}
        {provision.heading ? <span className="provision-heading"> — {provision.heading}</span> : null}
      </PageHeading>
      {provision.summary ? <p className="lede">{provision.summary}</p> : null}
      {provision.text ? (
        <blockquote className="provision-text">{provision.text}</blockquote>
      ) : (
        <p className="muted">The full text of this provision has not been recorded.</p>
      )}
      <div className="provision-relations">
        <ProvisionLinks label="Refers to" provisions={provision.refersTo} headingLevel={2} />
        <ProvisionLinks label="Referred to by" provisions={provision.referencedBy} headingLevel={2} />
      </div>
      <ProvisionStatements provision={provision} />
    </div>
  );
}

function ProvisionStatements({ provision }: { provision: Provision }) {
  const statements = usePagedOperation(
    ReaderStatementsDocument,
    { first: 10, filter: { provisionId: provision.id }, orderBy: 'SAID_ON_DESC' },
    (data) => data.statements,
  );
  return (
    <section aria-labelledby="provision-statements">
      <h2 id="provision-statements">
        What was said about it
        {statements.status === 'success' ? <span className="muted"> ({statements.totalCount})</span> : null}
      </h2>
      {statements.status === 'loading' ? <Loading label="Loading statements…" /> : null}
      {statements.status === 'error' ? (
        <ErrorNotice error={statements.error} retry={statements.retry} />
      ) : null}
      {statements.status === 'success' ? (
        statements.nodes.length === 0 ? (
          <Empty>Nobody has been recorded speaking about {provisionLabel(provision.number)} yet.</Empty>
        ) : (
          <>
            <ul className="statement-list">
              {statements.nodes.map((statement) => (
                <li key={statement.id}>
                  <StatementCard statement={statement} />
                </li>
              ))}
            </ul>
            <LoadMore list={statements} noun={['statement', 'statements']} />
          </>
        )
      ) : null}
    </section>
  );
}
