// Likely duplicate actors, and merging one into the other: the preview says what would move
// (statements, treaties, stories) before anything does. A merge names the versions it was shown.
import { EditorActorsDocument } from '@chancery/sdk/documents/EditorActors';
import { MergeActorsDocument } from '@chancery/sdk/documents/MergeActors';
import type { EditorActorsQuery } from '@chancery/sdk/graphql';
import { useState } from 'react';
import { client } from '../api.ts';
import { ActorKindBadge, Empty, ErrorNotice, Loading, PageHeading } from '../components.tsx';
import { count } from '../format.ts';
import { useDocumentTitle } from '../navigation.ts';
import { useOperation } from '../queries.ts';
import { likelyDuplicates } from './duplicates.ts';
import { write, writeProblem } from './writes.ts';

type Actor = EditorActorsQuery['actors']['nodes'][number];

export function ActorsPage() {
  useDocumentTitle('Duplicate actors');
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const state = useOperation(EditorActorsDocument, { first: 100 });

  async function merge(source: Actor, target: Actor) {
    setNotice(null);
    try {
      const result = (
        await write(() =>
          client.request(MergeActorsDocument, {
            sourceId: source.id,
            targetId: target.id,
            expectedSourceVersion: source.version,
            expectedTargetVersion: target.version,
          }),
        )
      ).mergeActors;
      setNotice(
        result.__typename === 'MergeActorsPayload'
          ? { text: `Merged “${source.name}” into “${target.name}”.`, error: false }
          : result.__typename === 'ConflictError'
            ? {
                text: `“${source.name}” or “${target.name}” changed since this list was loaded; nothing was merged. The list is read again: check the preview and try again.`,
                error: true,
              }
            : { text: result.message, error: true },
      );
    } catch (error) {
      setNotice({ text: writeProblem(error), error: true });
    }
  }

  return (
    <>
      <PageHeading title="Duplicate actors" kicker="Editorial workspace">
        Duplicate actors
      </PageHeading>
      <p className="muted">
        People, states and organizations that are likely one: a name or alias in common, or names a letter or
        two apart. Merging moves everything that refers to one onto the other, which keeps the other’s names
        as aliases.
      </p>
      <div role="status" aria-live="polite">
        {notice ? (
          <p className={`notice ${notice.error ? 'notice-error' : 'notice-info'}`}>{notice.text}</p>
        ) : null}
      </div>
      {state.status === 'loading' ? <Loading label="Looking for duplicates…" /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} retry={state.retry} /> : null}
      {state.status === 'success' ? <Pairs actors={state.data.actors.nodes} onMerge={merge} /> : null}
    </>
  );
}

const references = (actor: Actor) =>
  actor.statements.totalCount + actor.treaties.totalCount + actor.mentionedIn.totalCount;

function Pairs({ actors, onMerge }: { actors: Actor[]; onMerge: (source: Actor, target: Actor) => void }) {
  const pairs = likelyDuplicates(actors);
  if (pairs.length === 0) return <Empty>No likely duplicates among {count(actors.length, 'actor')}.</Empty>;
  return (
    <ul className="editor-articles">
      {pairs.map(({ a, b, reason }) => {
        // Suggested: keep the one more records refer to.
        const [source, target] = references(a) > references(b) ? [b, a] : [a, b];
        return (
          <li key={`${a.id}:${b.id}`}>
            <h2 className="review-speaker">
              {a.name} <span className="muted">and</span> {b.name}
            </h2>
            <p className="muted">
              <ActorKindBadge kind={a.kind} /> Likely one: {reason}.
            </p>
            <MergePreview source={source} target={target} onMerge={onMerge} />
            <MergePreview source={target} target={source} onMerge={onMerge} />
          </li>
        );
      })}
    </ul>
  );
}

function MergePreview({
  source,
  target,
  onMerge,
}: {
  source: Actor;
  target: Actor;
  onMerge: (source: Actor, target: Actor) => void;
}) {
  const moves = [
    count(source.statements.totalCount, 'statement'),
    count(source.treaties.totalCount, 'treaty', 'treaties'),
    count(source.mentionedIn.totalCount, 'story', 'stories'),
  ].join(', ');
  const names = [source.name, ...source.aliases].map((name) => `“${name}”`);
  const becoming = names.length === 1 ? `${names[0]} becomes an alias` : `${names.join(', ')} become aliases`;
  return (
    <div className="merge-preview">
      <p>
        Into “{target.name}”: moves {moves}; {becoming}; “{source.name}”’s address leads to it.
      </p>
      <button type="button" className="button button-small" onClick={() => onMerge(source, target)}>
        Merge “{source.name}” into “{target.name}”
      </button>
    </div>
  );
}
