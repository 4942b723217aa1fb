// The editor's session: signed in at /editor with an API token, which the server exchanges for an
// HttpOnly cookie (apps/server/src/http/session.ts). The page never keeps the token: it is sent
// once, and from then on the browser sends the cookie with every same-origin request, the SDK's
// included. This store only knows whether there is a session, and whose.
import { useEffect, useSyncExternalStore } from 'react';
import { queryClient } from '../queries.ts';

export type EditorSession = { tokenName: string; role: 'editor' | 'admin'; expiresAt: string };
export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; session: EditorSession };

const SESSION_URL = '/auth/session';
let state: SessionState = { status: 'checking' };
let checked = false;
const listeners = new Set<() => void>();

function set(next: SessionState): void {
  state = next;
  // What was read with one session (drafts) must not be shown under another, or none: every
  // answer is dropped, and those on screen are read again.
  void queryClient.resetQueries();
  for (const listener of listeners) listener();
}

async function check(): Promise<void> {
  try {
    const response = await fetch(SESSION_URL, { credentials: 'same-origin' });
    const body = (await response.json()) as { session: EditorSession | null };
    set(body.session ? { status: 'signed-in', session: body.session } : { status: 'signed-out' });
  } catch {
    set({ status: 'signed-out' });
  }
}

export function useSession(): SessionState {
  const current = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
  useEffect(() => {
    if (checked) return;
    checked = true;
    void check();
  }, []);
  return current;
}

/** Exchanges an API token for a session; resolves with what went wrong, or null. */
export async function signIn(token: string): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(SESSION_URL, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
  } catch {
    return 'The Chancery server cannot be reached; check that it is running and try again.';
  }
  const body = (await response.json().catch(() => ({}))) as { session?: EditorSession; error?: string };
  if (!response.ok || !body.session) return body.error ?? `Signing in failed (HTTP ${response.status}).`;
  set({ status: 'signed-in', session: body.session });
  return null;
}

/** Ends the session on the server (the cookie stops working everywhere), then here. */
export async function signOut(): Promise<void> {
  await fetch(SESSION_URL, { method: 'DELETE', credentials: 'same-origin' }).catch(() => undefined);
  set({ status: 'signed-out' });
}

/** A request the server refused for want of a session (expired, ended elsewhere): sign in again. */
export function sessionLost(): void {
  set({ status: 'signed-out' });
}
