// People, states and organizations, by name, narrowed by kind.
import { ActorsDocument } from '@chancery/sdk/documents/Actors';
import { Link } from 'wouter';
import { ActorKindBadge, Empty, ErrorNotice, Loading, LoadMore, PageHeading } from '../components.tsx';
import { actorKindLabel } from '../format.ts';
import { navigate } from '../navigation.ts';
import { usePagedOperation } from '../queries.ts';
import { type ActorKindParam, paths } from '../routes.ts';

const KINDS = Object.keys(actorKindLabel) as ActorKindParam[];
const KIND_PLURAL: Record<ActorKindParam, string> = {
  PERSON: 'People',
  STATE: 'States',
  ORGANIZATION: 'Organizations',
};

export function ActorsPage({ kind }: { kind: ActorKindParam | null }) {
  const actors = usePagedOperation(
    ActorsDocument,
    { first: 50, orderBy: 'NAME_ASC', filter: kind ? { kind } : null },
    (data) => data.actors,
  );
  return (
    <div className="narrow">
      <PageHeading title="People & organizations">People, states & organizations</PageHeading>
      <fieldset className="segmented">
        <legend className="visually-hidden">Show</legend>
        {[null, ...KINDS].map((option) => (
          <label key={option ?? 'all'}>
            <input
              type="radio"
              name="actor-kind"
              checked={kind === option}
              onChange={() => navigate(paths.actors(option), { replace: true })}
            />
            <span>{option ? KIND_PLURAL[option] : 'All'}</span>
          </label>
        ))}
      </fieldset>
      {actors.status === 'loading' ? <Loading label="Loading…" /> : null}
      {actors.status === 'error' ? <ErrorNotice error={actors.error} retry={actors.retry} /> : null}
      {actors.status === 'success' ? (
        actors.nodes.length === 0 ? (
          <Empty>Nobody of this kind has been recorded yet.</Empty>
        ) : (
          <>
            <ul className="entity-list compact">
              {actors.nodes.map((actor) => (
                <li key={actor.id}>
                  <Link to={paths.actor(actor.slug)} className="entity-title">
                    {actor.name}
                  </Link>{' '}
                  <ActorKindBadge kind={actor.kind} />
                </li>
              ))}
            </ul>
            <LoadMore list={actors} noun={['entry', 'entries']} />
          </>
        )
      ) : null}
    </div>
  );
}
