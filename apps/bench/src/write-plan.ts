// Running a write's floor plan (floor-plan.ts): the statements before the transaction, BEGIN, the
// transaction's statements on one connection, COMMIT, the statements after. Shared by the floor
// (servers/floor.ts) and by write.ts, which runs it once in-process to check it writes what
// Chancery writes.
import { randomUUID } from 'node:crypto';
import type { PGliteInterface } from '@electric-sql/pglite';
import type pg from 'pg';
import {
  bindWriteParams,
  type FloorStatement,
  type FloorWritePlan,
  type WriteBindings,
} from './floor-plan.ts';

type Row = Record<string, any>;
export type RunSql = (statement: FloorStatement, params: unknown[]) => Promise<Row[]>;

export type WriteEngine = {
  run: RunSql;
  /** Runs `work` between BEGIN and COMMIT on one connection (ROLLBACK if it throws). */
  transaction<T>(work: (run: RunSql) => Promise<T>): Promise<T>;
};

/**
 * PostgreSQL through a pg pool. `prepared`: named prepared statements (the floor); otherwise
 * unnamed, as Drizzle sends them.
 */
export function pgWriteEngine(pool: pg.Pool, prepared: boolean): WriteEngine {
  const on =
    (client: pg.Pool | pg.PoolClient): RunSql =>
    async (statement, values) =>
      (
        await client.query(
          prepared
            ? { name: statement.name, text: statement.text, values }
            : { text: statement.text, values },
        )
      ).rows;
  return {
    run: on(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(on(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** PGlite: its transaction() sends BEGIN and COMMIT (or ROLLBACK) itself, as Drizzle's uses it. */
export function pgliteWriteEngine(pglite: PGliteInterface): WriteEngine {
  return {
    run: async (statement, params) => (await pglite.query<Row>(statement.text, params)).rows,
    transaction: (work) =>
      pglite.transaction((tx) =>
        work(async (statement, params) => (await tx.query<Row>(statement.text, params)).rows),
      ),
  };
}

/** A statement that writes (the transaction validates before the first). */
export const writes = /^\s*(insert|update|delete)\b/i;

/**
 * Runs a write plan for one request and returns the rows of every statement, in plan order.
 * `validate` runs inside the transaction just before its first write, with the rows read so far:
 * what a server must check before it writes (it throws to roll back).
 */
export async function runWritePlan(
  plan: FloorWritePlan,
  engine: WriteEngine,
  request: { decoded: Map<string, unknown>; bearerSha256: string | null },
  validate?: (results: Row[][]) => void,
): Promise<Row[][]> {
  const bindings: WriteBindings = {
    decoded: request.decoded,
    bearerSha256: request.bearerSha256,
    results: [],
    fresh: new Map(),
    newId: randomUUID,
  };
  const results = bindings.results as Row[][];
  for (const statement of plan.before)
    results.push(await engine.run(statement, bindWriteParams(statement.params, bindings)));
  await engine.transaction(async (run) => {
    let validated = !validate;
    for (const statement of plan.transaction) {
      if (!validated && writes.test(statement.text)) {
        validate?.(results);
        validated = true;
      }
      results.push(await run(statement, bindWriteParams(statement.params, bindings)));
    }
  });
  for (const statement of plan.after)
    results.push(await engine.run(statement, bindWriteParams(statement.params, bindings)));
  return results;
}
