// What the floor runs. A read: one hand-written statement (floor-sql.ts) whose parameters are the
// request's variables by name. A write: the SQL statements Chancery issued for it, captured, with
// each parameter a constant, a request variable (a global ID's database id), a new id the server
// makes per request, a column an earlier statement returned (the treaty of a provision, the
// snapshot a revision stores) or the hash of the bearer token. Built by setup.ts (reads) and
// write.ts (writes), written to a JSON file, read by servers/floor.ts.
import type { ScenarioId } from './scenarios.ts';

export type ParamSource =
  | { variable: string }
  | { value: unknown }
  /** A new uuid per request; statements that share a slot share the value (the new row's id). */
  | { fresh: number }
  /** A column of the first row statement `result` (an index into the write's statements) returned. */
  | { result: number; column: string; json?: boolean }
  /** The SHA-256 (hex) of the request's bearer token, as the token lookup takes it. */
  | { bearerSha256: true };
export type FloorStatement = { name: string; text: string; params: ParamSource[] };
/** A read: one prepared statement, its parameters the named request variables, in order. */
export type FloorReadPlan = { id: ScenarioId; name: string; sql: string; params: string[] };
/**
 * A write: statements before the transaction (the token lookup), in it (BEGIN … COMMIT, on one
 * connection), and after it (the payload's read), numbered in that order for `result` sources.
 */
export type FloorWritePlan = {
  id: string;
  before: FloorStatement[];
  transaction: FloorStatement[];
  after: FloorStatement[];
};
export type FloorPlan = { reads: FloorReadPlan[]; writes?: FloorWritePlan[] };

const GLOBAL_ID = /^([A-Z][A-Za-z]*):([0-9a-f-]{36})$/;

function decodeCursorChunk(chunk: string): unknown {
  const tag = chunk.slice(0, 2);
  const body = chunk.slice(2);
  switch (tag) {
    case 'S:':
      return body;
    case 'N:':
      return Number(body);
    case 'Z:':
      return null;
    case 'T:':
      return (JSON.parse(body) as (string | null)[]).map((part) =>
        part === null ? null : decodeCursorChunk(part),
      );
    default:
      return chunk;
  }
}

/**
 * The values a request's variables stand for in SQL: a global ID becomes its database id
 * (`id`), a Drizzle cursor its ordering values (`after.0`, `after.1`). What the floor has to do
 * with a request before it can bind parameters — the least any server must do.
 */
export function decodeVariables(
  variables: Record<string, unknown> | undefined,
  decoded = new Map<string, unknown>(),
  prefix = '',
): Map<string, unknown> {
  for (const [key, value] of Object.entries(variables ?? {})) {
    const name = `${prefix}${key}`;
    // A write's input object: its fields by path (`input.source.articleId`, `input.provisionIds.0`).
    if (value !== null && typeof value === 'object') {
      decodeVariables(value as Record<string, unknown>, decoded, `${name}.`);
      continue;
    }
    if (typeof value !== 'string') {
      decoded.set(name, value);
      continue;
    }
    const text = Buffer.from(value, 'base64').toString('utf8');
    const globalId = GLOBAL_ID.exec(text);
    if (globalId) {
      decoded.set(name, globalId[2]);
    } else if (text.startsWith('DC:')) {
      const values = decodeCursorChunk(text.slice(3));
      if (Array.isArray(values)) for (const [i, v] of values.entries()) decoded.set(`${name}.${i}`, v);
      else decoded.set(`${name}.0`, values);
    } else decoded.set(name, value);
  }
  return decoded;
}

/** What a write's parameters are bound from, besides the variables. */
export type WriteBindings = {
  decoded: Map<string, unknown>;
  /** Rows of the statements run so far, in plan order. */
  results: Record<string, unknown>[][];
  fresh: Map<number, string>;
  bearerSha256: string | null;
  newId(): string;
};

export function bindWriteParams(template: readonly ParamSource[], b: WriteBindings): unknown[] {
  return template.map((source) => {
    if ('value' in source) return source.value;
    if ('variable' in source) {
      if (!b.decoded.has(source.variable)) throw new Error(`The request has no variable ${source.variable}.`);
      return b.decoded.get(source.variable);
    }
    if ('fresh' in source) {
      let id = b.fresh.get(source.fresh);
      if (id === undefined) {
        id = b.newId();
        b.fresh.set(source.fresh, id);
      }
      return id;
    }
    if ('bearerSha256' in source) {
      if (b.bearerSha256 === null) throw new Error('The request has no bearer token.');
      return b.bearerSha256;
    }
    const row = b.results[source.result]?.[0];
    if (!row) throw new Error(`Statement ${source.result} returned no row to take ${source.column} from.`);
    const value = row[source.column];
    return source.json ? JSON.stringify(value) : value;
  });
}
