// What a write came to, and what to tell the editor when it failed outright.
import { ChanceryError } from '@chancery/sdk/errors';
import { describeError } from '../api.ts';
import { sessionLost } from './session.ts';

export type WriteOutcome = { ok: true; version: number } | { ok: false; conflict: boolean; message: string };

/** A thrown write error as one sentence; a lost session sends the editor back to sign in. */
export function writeProblem(error: unknown): string {
  if (error instanceof ChanceryError && error.code === 'UNAUTHENTICATED') {
    sessionLost();
    return 'Your session has ended; sign in again.';
  }
  const { title, detail } = describeError(error);
  return `${title}: ${detail}`;
}
