// Every mutation is one short transaction: all of it is written or none of it.
import type { FieldError } from '@chancery/domain/write-errors';
import { ValidationError } from '@chancery/domain/write-errors';
import type { ChanceryDb } from '../database.ts';
import { postgresError } from './sql.ts';

export type Tx = Parameters<Parameters<ChanceryDb['transaction']>[0]>[0];

/** Who is writing: recorded on every revision. */
export type Writer = { db: ChanceryDb; tokenName: string | null };

/** Thrown inside a transaction to roll it back when a write would change nothing. */
export class Unchanged extends Error {
  constructor() {
    super('nothing to change');
  }
}

// Deadlocks and serialization failures are PostgreSQL asking the client to try again.
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 3;

/**
 * Runs `work` in a transaction. A unique-constraint violation that a concurrent writer caused
 * after the checks passed becomes a ValidationError at the field `unique` names for that
 * constraint; a deadlock is retried.
 */
export async function inTransaction<T>(
  db: ChanceryDb,
  work: (tx: Tx) => Promise<T>,
  unique: Record<string, FieldError> = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const failure = postgresError(error);
      if (failure && RETRYABLE.has(failure.code) && attempt < ATTEMPTS) continue;
      if (failure?.code === '23505' && failure.constraint && unique[failure.constraint]) {
        throw new ValidationError([unique[failure.constraint] as FieldError]);
      }
      throw error;
    }
  }
}

/** Like inTransaction, for updates: a write that changes nothing is rolled back and reported as such. */
export async function inUpdateTransaction(
  db: ChanceryDb,
  work: (tx: Tx) => Promise<void>,
  unique: Record<string, FieldError> = {},
): Promise<{ changed: boolean }> {
  try {
    await inTransaction(db, work, unique);
    return { changed: true };
  } catch (error) {
    if (error instanceof Unchanged) return { changed: false };
    throw error;
  }
}
