// Scenario 4's request: what an editor sends to createStatement (the k-th distinct span of the
// bench's write article, a speaker, a provision), and the floor's part of it: check the span,
// rows → JSON. The fixture, the capture and the checks of the floor's plan are in write.ts; this
// module is all the floor loads.
import { createHash } from 'node:crypto';
import { encodeGlobalId } from '@chancery/server/global-id';
import type { Row, StatementRows } from './scenarios.ts';

/** The bench editor's token: deterministic, so every run and process knows it (only its hash is stored). */
export const WRITE_TOKEN = `chy_${createHash('sha256').update('chancery-bench-writer').digest('base64url')}`;

const SPAN_MIN = 40;
const SPAN_MAX = 120;

export type WriteFixture = {
  articleId: string;
  speakerId: string;
  provisionId: string;
  paragraphs: string[];
};

export type Span = { paragraph: number; start: number; end: number };

/** The k-th distinct span: paragraph, then length, then start vary (~300 000 before any repeats). */
export function spanFor(k: number, paragraphs: readonly string[]): Span {
  const paragraph = k % paragraphs.length;
  const j = Math.floor(k / paragraphs.length);
  const lengths = SPAN_MAX - SPAN_MIN;
  const length = SPAN_MIN + (j % lengths);
  const body = paragraphs[paragraph] as string;
  const start = Math.floor(j / lengths) % (body.length - SPAN_MAX);
  return { paragraph, start, end: start + length };
}

export const createStatementScenario = {
  id: 'create-statement',
  number: 4,
  title: 'write: createStatement (validation, links, revision), an editor token',
  query: `mutation CreateStatement($input: CreateStatementInput!) {
  createStatement(input: $input) {
    __typename
    ... on StatementPayload {
      statement { id version text kind saidOn source { paragraph start end } speaker { name } }
    }
    ... on Error { message }
  }
}`,
  headers: { authorization: `Bearer ${WRITE_TOKEN}` },

  variables(fixture: WriteFixture, span: Span): Record<string, unknown> {
    const text = (fixture.paragraphs[span.paragraph] as string).slice(span.start, span.end);
    return {
      input: {
        source: { articleId: encodeGlobalId('Article', fixture.articleId), ...span, text },
        kind: 'DIRECT',
        cue: 'said',
        speakerId: encodeGlobalId('Actor', fixture.speakerId),
        provisionIds: [encodeGlobalId('TreatyProvision', fixture.provisionId)],
      },
    };
  },

  /** What a server must check before it writes: the quoted words are there, the references exist. */
  validate(results: Row[][], decoded: Map<string, unknown>): void {
    for (const rows of results) if (rows.length === 0) throw new Error('A referenced record does not exist.');
    const article = results.flat().find((row) => Array.isArray(row.paragraphs));
    const body = (article?.paragraphs as string[] | undefined)?.[
      decoded.get('input.source.paragraph') as number
    ];
    const start = decoded.get('input.source.start') as number;
    const end = decoded.get('input.source.end') as number;
    if (body === undefined || body.slice(start, end) !== decoded.get('input.source.text'))
      throw new Error('The quoted text is not at that span.');
  },

  /** The floor's whole job after the SQL: the rows of the payload's read → the response's `data`. */
  shape(results: StatementRows): unknown {
    const row = results[results.length - 1]?.rows[0];
    if (!row) throw new Error('create-statement: the payload read returned no row');
    return {
      createStatement: {
        __typename: 'StatementPayload',
        statement: {
          id: encodeGlobalId('Statement', row.id),
          version: row.version,
          text: row.text,
          kind: row.kind,
          saidOn: row.saidOn,
          source: { paragraph: row.paragraph, start: row.start, end: row.end },
          speaker: row.speaker ? { name: row.speaker.name } : null,
        },
      },
    };
  },

  /** Chancery's answer to `variables`, from its answer to the captured request: only the span differs. */
  expected(template: any, variables: Record<string, any>): any {
    const source = variables.input.source;
    const statement = template.createStatement.statement;
    return {
      createStatement: {
        ...template.createStatement,
        statement: {
          ...statement,
          text: source.text,
          source: { paragraph: source.paragraph, start: source.start, end: source.end },
        },
      },
    };
  },
};

/** The new statement's id in an answer (it is the one thing that differs between two answers). */
export const newStatementId = (data: any): string | undefined => data?.createStatement?.statement?.id;

/** `data` with the new statement's global id replaced, to compare answers to the same input. */
export const withoutNewId = (data: any) => {
  const id = newStatementId(data);
  return id ? JSON.parse(JSON.stringify(data).replaceAll(id, '<new>')) : data;
};
