import { randomUUID } from 'node:crypto';
import type { ChanceryDb } from '@chancery/db/database';
import { ANONYMOUS, type Viewer } from '@chancery/domain/viewer';
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
 */
export async function createRequestContext(options: {
  db: ChanceryDb;
  headers: { get(name: string): string | undefined };
  requestId?: string;
}): Promise<Context> {
  const viewer = await viewerFromHeaders(options.db, options.headers);
  return createContext({ db: options.db, viewer, requestId: options.requestId });
}
