// The read scenarios. Each has the GraphQL request Chancery serves and, for the floor, a `shape`
// that turns the rows of the very same SQL (captured from Chancery, see setup.ts) into the same
// JSON. The floor does nothing else: no parsing of the query, no validation, no planning.
//
// Scenario 4 (createStatement) is a write: write-scenario.ts and write.ts. Scenario 5 (import
// throughput) is not an HTTP request: import-bench.ts.
import { encodeGlobalId } from '@chancery/server/global-id';

export type Row = Record<string, any>;
/** The rows of each captured SQL statement, in the order Chancery issued them. */
export type StatementRows = { sql: string; rows: Row[] }[];

/** Runs a GraphQL operation on an in-process Chancery (used to find the measured variables). */
export type GraphQLRunner = (query: string, variables?: Record<string, unknown>) => Promise<any>;

export type ScenarioId = 'by-id' | 'nested' | 'deep-page';

export type Scenario = {
  id: ScenarioId;
  number: number;
  title: string;
  query: string;
  /** Finds the variables of the measured request (e.g. walks the cursors to page 50). */
  variables(run: GraphQLRunner, corpus: { busiestSpeakerSlug: string }): Promise<Record<string, unknown>>;
  /** The floor's whole job after the SQL: rows → the response's `data`. */
  shape(results: StatementRows): unknown;
};

const PAGE = 20;
const TARGET_PAGE = 50;

async function busiestSpeakerId(run: GraphQLRunner, slug: string): Promise<string> {
  const result = await run('query($slug: String!) { actor(slug: $slug) { id } }', { slug });
  const id = result.data?.actor?.id;
  if (!id) throw new Error(`The corpus has no actor ${slug}: ${JSON.stringify(result)}`);
  return id;
}

/** The Drizzle plugin's cursor for an ordering of (saidOn desc, id desc): base64 of tagged chunks. */
const statementCursor = (saidOn: string, id: string) =>
  Buffer.from(`DC:T:${JSON.stringify([`S:${saidOn}`, `S:${id}`])}`).toString('base64');

const isoInstant = (value: string) => new Date(value).toISOString();

const only = (results: StatementRows, what: string) => {
  if (results.length !== 1) throw new Error(`${what}: expected 1 SQL statement, got ${results.length}`);
  return (results[0] as StatementRows[number]).rows;
};

export const scenarios: Scenario[] = [
  {
    id: 'by-id',
    number: 1,
    title: 'one entity by id: statement(id) with speaker',
    query: `query StatementById($id: ID!) {
  statement(id: $id) { id text kind saidOn speakerRole speaker { id name kind } }
}`,
    async variables(run, corpus) {
      const speakerId = await busiestSpeakerId(run, corpus.busiestSpeakerSlug);
      const result = await run(
        'query($s: ID!) { statements(first: 1, filter: { speakerId: $s }) { nodes { id } } }',
        {
          s: speakerId,
        },
      );
      return { id: result.data.statements.nodes[0].id };
    },
    shape(results) {
      const row = only(results, 'by-id')[0];
      if (!row) return { statement: null };
      const speaker = row.speaker as Row | null;
      return {
        statement: {
          id: encodeGlobalId('Statement', row.id),
          text: row.text,
          kind: row.kind,
          saidOn: row.saidOn,
          speakerRole: row.speakerRole,
          speaker: speaker
            ? { id: encodeGlobalId('Actor', speaker.id), name: speaker.name, kind: speaker.kind }
            : null,
        },
      };
    },
  },
  {
    id: 'nested',
    number: 2,
    title: 'nested list, 3 levels: 20 treaties × provisions × 3 statements with speakers',
    query: `query NestedTreaties {
  treaties(first: 20) {
    nodes {
      id title
      provisions {
        number heading
        statements(first: 3) { totalCount nodes { id text speaker { name } } }
      }
    }
  }
}`,
    variables: async () => ({}),
    shape(results) {
      const rows = only(results, 'nested').slice(0, 20);
      return {
        treaties: {
          nodes: rows.map((treaty) => ({
            id: encodeGlobalId('Treaty', treaty.id),
            title: treaty.title,
            provisions: (treaty.provisions as Row[]).map((provision) => ({
              number: provision.number,
              heading: provision.heading,
              statements: {
                totalCount: Number(provision._statements_count),
                nodes: (provision.statements as Row[]).slice(0, 3).map((statement) => ({
                  id: encodeGlobalId('Statement', statement.id),
                  text: statement.text,
                  speaker: statement.speaker ? { name: statement.speaker.name } : null,
                })),
              },
            })),
          })),
        },
      };
    },
  },
  {
    id: 'deep-page',
    number: 3,
    title: `filtered, paginated: page ${TARGET_PAGE} of a speaker's statements (cursor)`,
    query: `query SpeakerStatements($speaker: ID!, $after: String) {
  statements(first: ${PAGE}, after: $after, filter: { speakerId: $speaker }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id text saidOn kind
      speaker { name }
      source { paragraph start end article { headline publishedAt } }
    }
  }
}`,
    async variables(run, corpus) {
      const speaker = await busiestSpeakerId(run, corpus.busiestSpeakerSlug);
      let after: string | null = null;
      // Walk the cursors once, as a client paging through would, to reach page 50.
      for (let page = 1; page < TARGET_PAGE; page++) {
        const result = await run(this.query, { speaker, after });
        const connection = result.data?.statements;
        if (!connection?.pageInfo.hasNextPage)
          throw new Error(`The busiest speaker has only ${page} pages of statements; load a larger corpus.`);
        after = connection.pageInfo.endCursor;
      }
      return { speaker, after };
    },
    shape(results) {
      const list = results.find((r) => !r.sql.startsWith('select count('));
      const count = results.find((r) => r.sql.startsWith('select count('));
      if (!list || !count || results.length !== 2) throw new Error('deep-page: expected a list and a count');
      const nodes = list.rows.slice(0, PAGE);
      const last = nodes[nodes.length - 1];
      return {
        statements: {
          totalCount: Number(count.rows[0]?.count),
          pageInfo: {
            hasNextPage: list.rows.length > PAGE,
            endCursor: last ? statementCursor(last.saidOn, last.id) : null,
          },
          nodes: nodes.map((row) => ({
            id: encodeGlobalId('Statement', row.id),
            text: row.text,
            saidOn: row.saidOn,
            kind: row.kind,
            speaker: row.speaker ? { name: row.speaker.name } : null,
            source: {
              paragraph: row.paragraph,
              start: row.start,
              end: row.end,
              article: { headline: row.article.headline, publishedAt: isoInstant(row.article.publishedAt) },
            },
          })),
        },
      };
    },
  },
];

export const scenarioById = (id: string): Scenario => {
  const scenario = scenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`No scenario ${id}; there are ${scenarios.map((s) => s.id).join(', ')}.`);
  return scenario;
};
