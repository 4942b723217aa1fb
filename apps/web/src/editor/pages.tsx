// The editorial workspace's pages, loaded only when an /editor URL is opened: readers never
// download them.
import type { Route } from '../routes.ts';
import { ActorsPage } from './actors.tsx';
import { DraftsPage } from './drafts.tsx';
import { ImportPage } from './import.tsx';
import { ReviewPage } from './review.tsx';
import { EditorFrame } from './workspace.tsx';

export default function EditorPages({ route }: { route: Route }) {
  return (
    <EditorFrame route={route}>
      {route.page === 'editor-review' ? <ReviewPage filter={route.filter} /> : null}
      {route.page === 'editor-drafts' ? <DraftsPage /> : null}
      {route.page === 'editor-import' ? <ImportPage /> : null}
      {route.page === 'editor-actors' ? <ActorsPage /> : null}
    </EditorFrame>
  );
}
