// Every treaty, by title, with its status.
import { TreatiesDocument } from '@chancery/sdk/documents/Treaties';
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
import { usePagedOperation } from '../queries.ts';
import { paths } from '../routes.ts';

export function TreatiesPage() {
  const treaties = usePagedOperation(
    TreatiesDocument,
    { first: 50, orderBy: 'TITLE_ASC' },
    (data) => data.treaties,
  );
  return (
    <div className="narrow">
      <PageHeading title="Treaties">Treaties</PageHeading>
      {treaties.status === 'loading' ? <Loading label="Loading treaties…" /> : null}
      {treaties.status === 'error' ? <ErrorNotice error={treaties.error} retry={treaties.retry} /> : null}
      {treaties.status === 'success' ? (
        treaties.nodes.length === 0 ? (
          <Empty>No treaties have been recorded yet.</Empty>
        ) : (
          <>
            <ul className="entity-list">
              {treaties.nodes.map((treaty) => (
                <li key={treaty.id}>
                  <h2 className="entity-title">
                    <Link to={paths.treaty(treaty.slug)}>{treaty.title}</Link>
                  </h2>
                  <p className="entity-meta">
                    <TreatyStatusBadge status={treaty.status} />
                    {treaty.signedOn ? (
                      <span>
                        Signed <DateText value={treaty.signedOn} />
                      </span>
                    ) : null}
                  </p>
                </li>
              ))}
            </ul>
            <LoadMore list={treaties} noun={['treaty', 'treaties']} />
          </>
        )
      ) : null}
    </div>
  );
}
