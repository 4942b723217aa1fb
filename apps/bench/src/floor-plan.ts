// What the floor runs: the SQL statements Chancery issued for a scenario's request, with each
// parameter either a constant (a LIMIT, a status) or taken from the request's variables (a global
// ID's database id, a cursor's ordering values). Built by capture.ts, written to a JSON file, read
// by servers/floor.ts.
import type { ScenarioId } from './scenarios.ts';

export type ParamSource = { variable: string } | { value: unknown };
export type FloorStatement = { name: string; text: string; params: ParamSource[] };
export type FloorScenarioPlan = { id: ScenarioId; statements: FloorStatement[] };
export type FloorPlan = { scenarios: FloorScenarioPlan[] };

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
export function decodeVariables(variables: Record<string, unknown> | undefined): Map<string, unknown> {
  const decoded = new Map<string, unknown>();
  for (const [name, value] of Object.entries(variables ?? {})) {
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

/** Marks each captured parameter as a constant or as one of the decoded variables. */
export function paramTemplate(params: readonly unknown[], decoded: Map<string, unknown>): ParamSource[] {
  return params.map((param) => {
    for (const [name, value] of decoded) if (value === param) return { variable: name };
    return { value: param };
  });
}

export function bindParams(template: readonly ParamSource[], decoded: Map<string, unknown>): unknown[] {
  return template.map((source) => {
    if ('value' in source) return source.value;
    if (!decoded.has(source.variable)) throw new Error(`The request has no variable ${source.variable}.`);
    return decoded.get(source.variable);
  });
}
