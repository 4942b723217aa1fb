// The editorial workspace's pages, loaded only when an /editor URL is opened: readers never
// download them.
import { type EditorPage, parseReviewFilter } from '../routes.ts';
import { ActorsPage } from './actors.tsx';
import { DraftsPage } from './drafts.tsx';
import { ImportPage } from './import.tsx';
import { ReviewPage } from './review.tsx';
import { EditorFrame } from './workspace.tsx';

export default function EditorPages({ page, search }: { page: EditorPage; search: string }) {
  return (
    <EditorFrame page={page}>
      {page === 'editorReview' ? <ReviewPage filter={parseReviewFilter(search)} /> : null}
      {page === 'editorDrafts' ? <DraftsPage /> : null}
      {page === 'editorImport' ? <ImportPage /> : null}
      {page === 'editorActors' ? <ActorsPage /> : null}
    </EditorFrame>
  );
}
