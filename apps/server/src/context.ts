import { randomUUID } from 'node:crypto';
import type { ChanceryDb } from '@chancery/db/database';
import { ANONYMOUS, canWrite, type Viewer } from '@chancery/domain/viewer';
import { viewerFromHeaders } from './auth.ts';

export type Context = {
  db: ChanceryDb;
  viewer: Viewer;
  requestId: string;
};

export function createContext(options: { db: ChanceryDb; viewer?: Viewer; requestId?: string }): Context {
  return {
    db: options.db,
    viewer: options.viewer ?? ANONYMOUS,
    requestId: options.requestId ?? randomUUID(),
  };
}

/**
 * The context of one HTTP request: the viewer its Authorization header names. Throws a 401
 * UNAUTHENTICATED GraphQL error for a malformed, unknown or revoked token, before anything runs.
 * With `readDb` (read replicas), a viewer who cannot write reads from what it gives; editors and
 * admins stay on the primary `db`, so they read their own writes, and so does every mutation that
 * runs (anyone else's is refused before it touches the database). The credential itself is always
 * checked on the primary: a token made or revoked a moment ago counts at once.
 */
export async function createRequestContext(options: {
  db: ChanceryDb;
  readDb?: () => { db: ChanceryDb; pool: string };
  /** Told which pool the request uses: 'primary', or a replica's name. */
  onPool?: (pool: string) => void;
  headers: { get(name: string): string | undefined };
  requestId?: string;
}): Promise<Context> {
  const viewer = await viewerFromHeaders(options.db, options.headers);
  const chosen = !canWrite(viewer) && options.readDb ? options.readDb() : { db: options.db, pool: 'primary' };
  options.onPool?.(chosen.pool);
  return createContext({ db: chosen.db, viewer, requestId: options.requestId });
}
