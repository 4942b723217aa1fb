import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { ChanceryDb } from '@chancery/db/database';
import { rows } from '@chancery/db/repositories/sql';
import { canSeeUnpublished } from '@chancery/domain/viewer';
import { sql } from 'drizzle-orm';
import type { DocumentNode, FormattedExecutionResult, OperationDefinitionNode } from 'graphql';
import type { Context } from '../context.ts';
import { type CompiledRead, compileRead, type Statement, shapeOf, statementFor } from './compile.ts';

/** Shapes of variables compiled per operation (which are null, which fields of an input are). */
const MAX_SHAPES = 16;

/** A compiled statement and the `data` it answered with, as JSON text. */
export type CompiledAnswer = { statement: Statement; data: string };

export type CompiledReadsOptions = {
  /**
   * Told each time an operation is answered by its compiled statement, with its HTTP request;
   * `replayed` when the server ran it without Apollo (replays.ts).
   */
  onCompiled?: (httpRequest: object | undefined, answer: CompiledAnswer, replayed: boolean) => void;
};

/**
 * Runs a compiled statement: its answer, or null when the request must run as usual — the lookup
 * found nothing, or the statement failed (the resolvers then tell the error as they tell it: a NUL
 * in an argument is BAD_USER_INPUT, a broken database an internal error with its request id).
 */
export async function runCompiled(db: ChanceryDb, statement: Statement): Promise<CompiledAnswer | null> {
  try {
    const [row] = await rows<{ data: string; found: boolean }>(
      db,
      sql(statement.strings as unknown as TemplateStringsArray, ...statement.values),
    );
    return row?.found ? { statement, data: row.data } : null;
  } catch {
    return null;
  }
}

/**
 * Answers a reader's query (anyone who may not see unpublished records) with its compiled statement
 * (compile.ts) once every other plugin has accepted the operation (limits, trusted documents), so it
 * is refused, priced and logged as any other. Editors, and documents that do not compile, run
 * through the resolvers.
 */
export function compiledReadsPlugin(options: CompiledReadsOptions = {}): ApolloServerPlugin<Context> {
  // Apollo keeps one DocumentNode (and so one node per operation) per document text, so an
  // operation compiles once per shape of its variables (at most MAX_SHAPES; past them it runs as usual).
  const compiled = new WeakMap<OperationDefinitionNode, Map<string, CompiledRead | null>>();
  const compiledFor = (
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ) => {
    let byShape = compiled.get(operation);
    if (!byShape) {
      byShape = new Map();
      compiled.set(operation, byShape);
    }
    const { shape, key } = shapeOf(variables);
    let read = byShape.get(key);
    if (read === undefined) {
      if (byShape.size >= MAX_SHAPES) return null;
      read = compileRead(document, operation, shape);
      byShape.set(key, read);
    }
    return read;
  };
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ document, operation, request, contextValue }) {
          if (!operation || canSeeUnpublished(contextValue.viewer)) return null;
          const variables = request.variables ?? {};
          const read = compiledFor(document, operation, variables);
          if (!read) return null;
          const statement = statementFor(read, variables);
          if (!statement) return null;
          const answer = await runCompiled(contextValue.db, statement);
          if (!answer) return null;
          options.onCompiled?.(request.http, answer, false);
          // Over HTTP the text goes out as the database wrote it (stringifyResult); a caller of
          // executeOperation gets objects, as from the resolvers.
          const data = request.http
            ? new JsonText(answer.data)
            : (JSON.parse(answer.data) as Record<string, unknown>);
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: data as Record<string, unknown> } },
          };
        },
      };
    },
  };
}

/** A response's `data` that is JSON text already (the compiled statement wrote it). */
class JsonText {
  constructor(readonly text: string) {}
  /** Anything that serialises the result some other way still writes the same JSON. */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/**
 * Apollo's `stringifyResult`: a result whose data is JSON text is written around it, byte for byte
 * what JSON.stringify writes (keys in Apollo's order: errors, data, extensions); any other result
 * as Apollo writes it.
 */
export function stringifyResult(result: FormattedExecutionResult): string {
  const { errors, data, extensions } = result;
  if (!(data instanceof JsonText) || errors !== undefined) return `${JSON.stringify(result)}\n`;
  const rest = extensions === undefined ? '' : `,"extensions":${JSON.stringify(extensions)}`;
  return `{"data":${data.text}${rest}}\n`;
}
