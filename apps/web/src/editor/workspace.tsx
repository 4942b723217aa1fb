// The editorial workspace's frame: sign-in at /editor, and around every editor page a check that
// there is a session (no editor page is shown, and none of its data asked for, without one), a
// navigation of its own and sign-out.
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { Loading, PageHeading } from '../components.tsx';
import { navigate, useDocumentTitle } from '../navigation.ts';
import { type EditorPage, paths } from '../routes.ts';
import { type EditorSession, signIn, signOut, useSession } from './session.ts';

export function EditorFrame({ page, children }: { page: EditorPage; children: ReactNode }) {
  const state = useSession();
  useEffect(() => {
    if (page === 'editor' && state.status === 'signed-in') navigate(paths.editorReview(), { replace: true });
  }, [page, state.status]);
  if (state.status === 'checking') return <Loading label="Checking your session…" />;
  if (state.status === 'signed-out') return <SignIn />;
  return (
    <div className="editor">
      <EditorNav page={page} session={state.session} />
      {children}
    </div>
  );
}

function EditorNav({ page, session }: { page: EditorPage; session: EditorSession }) {
  const [leaving, setLeaving] = useState(false);
  return (
    <nav className="editor-nav" aria-label="Editorial workspace">
      <ul>
        <li>
          <Link to={paths.editorReview()} aria-current={page === 'editorReview' ? 'page' : undefined}>
            Review
          </Link>
        </li>
        <li>
          <Link to={paths.editorDrafts()} aria-current={page === 'editorDrafts' ? 'page' : undefined}>
            Drafts
          </Link>
        </li>
        <li>
          <Link to={paths.editorImport()} aria-current={page === 'editorImport' ? 'page' : undefined}>
            Import
          </Link>
        </li>
        <li>
          <Link to={paths.editorActors()} aria-current={page === 'editorActors' ? 'page' : undefined}>
            Duplicates
          </Link>
        </li>
      </ul>
      <p className="muted">
        Signed in as {session.tokenName} ({session.role}){' '}
        <button
          type="button"
          className="button button-small"
          disabled={leaving}
          onClick={async () => {
            setLeaving(true);
            await signOut();
            navigate(paths.editor());
          }}
        >
          Sign out
        </button>
      </p>
    </nav>
  );
}

function SignIn() {
  useDocumentTitle('Sign in to edit');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = inputRef.current!;
    const token = input.value.trim();
    if (!token) {
      setProblem('Paste an API token: `chancery token create --role editor` makes one.');
      return;
    }
    setBusy(true);
    const failure = await signIn(token);
    // The token is not kept anywhere in the page, the field included.
    input.value = '';
    setBusy(false);
    setProblem(failure);
    if (failure) input.focus();
  }

  return (
    <div className="sign-in">
      <PageHeading title="Sign in to edit" kicker="Editorial workspace">
        Sign in to edit
      </PageHeading>
      <p>
        Editors review what the importer found, fix it and publish. Sign in with an editor’s or admin’s API
        token; this browser then holds a session for 12 hours (or until you sign out), never the token.
      </p>
      <form onSubmit={submit} className="sign-in-form">
        <label htmlFor="api-token">API token</label>
        <input
          id="api-token"
          ref={inputRef}
          type="password"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={problem ? 'sign-in-problem' : undefined}
          aria-invalid={problem ? true : undefined}
        />
        <button type="submit" className="button" disabled={busy}>
          Sign in
        </button>
      </form>
      {problem ? (
        <p id="sign-in-problem" className="notice notice-error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
