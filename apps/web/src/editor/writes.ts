// Every write of the workspace goes through `write`: whatever it came to, what the pages read
// before it may be out of date (an accepted statement leaves the queue and shows on the reader's
// pages; a conflict means someone else wrote), so every query is invalidated — those on screen
// are read again at once, the others when next shown.
import { ChanceryError } from '@chancery/sdk/errors';
import { describeError } from '../api.ts';
import { queryClient } from '../queries.ts';
import { sessionLost } from './session.ts';

export type WriteOutcome = { ok: true; version: number } | { ok: false; conflict: boolean; message: string };

/** Runs one mutation (or a few that belong together), then invalidates every query. */
export async function write<T>(mutation: () => Promise<T>): Promise<T> {
  try {
    return await mutation();
  } finally {
    void queryClient.invalidateQueries();
  }
}

/** A thrown write error as one sentence; a lost session sends the editor back to sign in. */
export function writeProblem(error: unknown): string {
  if (error instanceof ChanceryError && error.code === 'UNAUTHENTICATED') {
    sessionLost();
    return 'Your session has ended; sign in again.';
  }
  const { title, detail } = describeError(error);
  return `${title}: ${detail}`;
}
