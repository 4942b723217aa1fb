import { randomUUID } from 'node:crypto';
import type { ChanceryDb } from '@chancery/db/database';
import { ANONYMOUS, type Viewer } from '@chancery/domain/viewer';

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
