// Named prepared statements on PostgreSQL. node-postgres sends a query without a name as an
// unnamed statement, which the server parses and plans every time; for the reads the API issues
// (one SQL text per GraphQL document, run again and again) that is a large part of PostgreSQL's
// work per request. This client names every parameterised query, and every SELECT, by a hash of
// its text, so each connection parses it once and PostgreSQL may keep its plan (what PostGraphile
// and the hand-written floor in apps/bench do). Measured on the bench's imported corpus, `latest`'s
// SQL: 0.8 → 0.6 ms of PostgreSQL CPU per run.
//
// Only for connections to a real PostgreSQL server, where each client has a session of its own
// (not PGlite's shared socket). Behind PgBouncer in transaction mode this needs PgBouncer ≥ 1.21
// with max_prepared_statements set.
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Statements one connection keeps prepared at most; further texts go unnamed (parsed each time). */
export const MAX_PREPARED_PER_CONNECTION = 256;
/** Texts whose names are remembered (computing one is a hash of the text). */
const MAX_REMEMBERED_NAMES = 4_096;
const names = new Map<string, string>();

/** The statement name for a SQL text: stable, and different for every text. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `chancery_${createHash('sha1').update(text).digest('hex')}`;
    if (names.size < MAX_REMEMBERED_NAMES) names.set(text, name);
  }
  return name;
}

type QueryConfig = { text?: unknown; name?: unknown; values?: unknown };
type Callback = (error: Error | null, result?: unknown) => void;

/**
 * A prepared statement whose result columns changed under it (a migration altered a table it
 * reads): PostgreSQL refuses it from then on, and this connection runs that text unnamed.
 */
const isStalePlan = (error: unknown) =>
  (error as { code?: string } | null)?.code === '0A000' &&
  /cached plan must not change result type/.test((error as Error).message);

/**
 * A SELECT without parameters is prepared too: the compiled reads write their page sizes into the
 * text (a generic plan for `limit $1` assumes a tenth of the table and reads it all, so PostgreSQL
 * plans such a statement again on every run: a quarter of its time for the latest statements). Other
 * unparameterised statements (BEGIN, SET, DDL) stay unnamed.
 */
const SELECT = /^\s*select\b/i;

/** A pg.Client that runs parameterised queries and SELECTs as named prepared statements (pass as the Pool's `Client`). */
export class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();
  private readonly stale = new Set<string>();

  // node-postgres' query() is heavily overloaded: only the config form with values gets a name.
  override query(config: any, values?: any, callback?: any): any {
    const given = config as QueryConfig | null;
    const params = typeof values === 'function' ? given?.values : (values ?? given?.values);
    if (
      typeof given !== 'object' ||
      given === null ||
      typeof given.text !== 'string' ||
      given.name !== undefined ||
      !Array.isArray(params) ||
      (params.length === 0 && !SELECT.test(given.text))
    )
      return super.query(config, values, callback);
    const name = statementName(given.text);
    if (this.stale.has(name)) return super.query(config, values, callback);
    if (!this.prepared.has(name)) {
      if (this.prepared.size >= MAX_PREPARED_PER_CONNECTION) return super.query(config, values, callback);
      this.prepared.add(name);
    }
    const named: any = { ...given, name };
    const noteStale = (error: unknown) => {
      if (isStalePlan(error)) this.stale.add(name);
    };
    if (typeof values === 'function' || typeof callback === 'function') {
      const done: Callback = typeof values === 'function' ? values : callback;
      const wrapped = (error: Error | null, result?: unknown) => {
        if (error) noteStale(error);
        done(error, result);
      };
      return typeof values === 'function' ? super.query(named, wrapped) : super.query(named, values, wrapped);
    }
    return (super.query(named, values) as Promise<unknown>).catch((error: unknown) => {
      noteStale(error);
      throw error;
    });
  }
}

/**
 * A PGlite that runs SELECTs as prepared statements. PGlite has one session and plans every
 * statement it is sent again (its `query` sends an unnamed statement), which for the compiled reads
 * costs more than running them: 1–2 ms of planning to 1 ms of execution. Wrapping the instance
 * drizzle reads through, a SELECT is prepared once (`PREPARE`, named by a hash of its text) and run
 * with `EXECUTE`, its values written in as quoted literals: PostgreSQL reads each as the type
 * `PREPARE` inferred for its parameter, as it reads a parameter sent apart. drizzle still logs the
 * text it asked for (statement counts, the response cache's tables). A value that cannot be written
 * so (a NUL, which PostgreSQL refuses in text; bytes, arrays, objects) runs the statement as usual.
 */
export function preparingPglite<T extends PGliteQueries>(pglite: T): T {
  const prepared = new Set<string>();
  const stale = new Set<string>();
  const run = async (name: string, text: string, literals: string[], options: unknown) => {
    if (!prepared.has(name)) {
      prepared.add(name);
      try {
        await pglite.query(`prepare ${name} as ${text}`);
      } catch (error) {
        // It runs as usual, and fails there as it would have.
        stale.add(name);
        throw error;
      }
    }
    return pglite.query(
      `execute ${name}${literals.length > 0 ? `(${literals.join(', ')})` : ''}`,
      [],
      options,
    );
  };
  const query = async (text: unknown, params?: unknown[], options?: unknown) => {
    const literals = typeof text === 'string' && SELECT.test(text) ? (params ?? []).map(literal) : null;
    if (literals === null || literals.includes(null) || typeof text !== 'string')
      return pglite.query(text as string, params, options);
    const name = statementName(text);
    if (stale.has(name) || (!prepared.has(name) && prepared.size >= MAX_PREPARED_PER_CONNECTION))
      return pglite.query(text, params, options);
    try {
      return await run(name, text, literals as string[], options);
    } catch (error) {
      const code = (error as { code?: string } | null)?.code;
      if (code === '26000') {
        // Deallocated under us (the session is shared with the socket's clients): prepare again.
        prepared.delete(name);
        return run(name, text, literals as string[], options);
      }
      if (isStalePlan(error) || stale.has(name)) {
        stale.add(name);
        return pglite.query(text, params, options);
      }
      throw error;
    }
  };
  return new Proxy(pglite, {
    get(target, key) {
      if (key === 'query') return query;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** What preparingPglite needs of a PGlite instance. */
type PGliteQueries = { query(text: string, params?: unknown[], options?: any): Promise<any> };

/** A value as an SQL literal for EXECUTE, or null when it must be sent apart. */
function literal(value: unknown): string | null {
  if (value === null || value === undefined) return 'null';
  // As PGlite's own serializers write them.
  if (typeof value === 'boolean' || typeof value === 'number') return `'${String(value)}'`;
  // standard_conforming_strings is on (PostgreSQL's default since 9.1): only quotes are doubled.
  if (typeof value === 'string') return value.includes('\0') ? null : `'${value.replaceAll("'", "''")}'`;
  return null;
}
