// The read scenarios: the three reads of issue 13. Each has the GraphQL request Chancery serves,
// the floor's one hand-written SQL statement that builds the same `data` in the database (see
// floor-sql.ts), and PostGraphile's request for the same answer in its own naming.
//
// Scenario 4 (createStatement) is a write: write-scenario.ts and write.ts. Scenario 5 (import
// throughput) is not an HTTP request: import-bench.ts.
import type { floorSql } from './floor-sql.ts';

export type Row = Record<string, any>;
/** The rows of each SQL statement, in the order they ran (the write's floor). */
export type StatementRows = { sql: string; rows: Row[] }[];

export type ScenarioId = 'latest' | 'actor-page' | 'treaties';

export type Scenario = {
  id: ScenarioId;
  number: number;
  title: string;
  /** Chancery's request. */
  query: string;
  /** The measured request's variables (the busiest speaker's slug for the actor page). */
  variables(corpus: { busiestSpeakerSlug: string }): Record<string, unknown>;
  /**
   * The floor: one statement (floor-sql.ts, by name) returning the response's `data` as JSON text
   * in a column `data`, its parameters the named variables.
   */
  floor: { sql: keyof ReturnType<typeof floorSql>; params: string[] };
  /** PostGraphile v5 (Amber preset): its request for the same answer, with the same variables. */
  peer: { query: string };
};

const PAGE = 20;

export const scenarios: Scenario[] = [
  {
    id: 'latest',
    number: 1,
    title: `the ${PAGE} latest statements, each with its speaker's name and its article's headline`,
    query: `query Latest {
  statements(first: ${PAGE}) { nodes { id text saidOn speaker { name } source { article { headline } } } }
}`,
    variables: () => ({}),
    floor: { sql: 'latest', params: [] },
    peer: {
      query: `query Latest {
  allStatements(first: ${PAGE}, orderBy: [SAID_ON_DESC, ROW_ID_DESC]) {
    nodes { id text saidOn actorBySpeakerId { name } articleByArticleId { headline } }
  }
}`,
    },
  },
  {
    id: 'actor-page',
    number: 2,
    title: `an actor page: name, roles, ${PAGE} latest statements with totalCount and headlines (the busiest speaker)`,
    query: `query ActorPage($slug: String!) {
  actor(slug: $slug) {
    name
    roles { title }
    statements(first: ${PAGE}) { totalCount nodes { id text saidOn source { article { headline } } } }
  }
}`,
    variables: (corpus) => ({ slug: corpus.busiestSpeakerSlug }),
    floor: { sql: 'actorPage', params: ['slug'] },
    peer: {
      query: `query ActorPage($slug: String!) {
  actorBySlug(slug: $slug) {
    name
    actorRolesByActorId(orderBy: [POSITION_ASC]) { nodes { title } }
    statementsBySpeakerId(first: ${PAGE}, orderBy: [SAID_ON_DESC, ROW_ID_DESC]) {
      totalCount
      nodes { id text saidOn articleByArticleId { headline } }
    }
  }
}`,
    },
  },
  {
    id: 'treaties',
    number: 3,
    title: '10 treaties, their parties, every provision, 3 statements each with speaker',
    query: `query Treaties {
  treaties(first: 10) {
    nodes {
      title
      parties { name }
      provisions { number statements(first: 3) { nodes { text speaker { name } } } }
    }
  }
}`,
    variables: () => ({}),
    floor: { sql: 'treaties', params: [] },
    // PostGraphile orders only by indexed columns and reaches a provision's statements through
    // the link table, ordered by its key: the same treaties, parties and provisions, and as many
    // statements per provision, but not necessarily the 3 latest (answers.ts compares that much).
    peer: {
      query: `query Treaties {
  allTreaties(first: 10, orderBy: [TITLE_ASC, ROW_ID_ASC]) {
    nodes {
      title
      treatyPartiesByTreatyId { nodes { actorByActorId { name } } }
      treatyProvisionsByTreatyId(orderBy: [POSITION_ASC]) {
        nodes {
          number
          statementProvisionsByProvisionId(first: 3) {
            nodes { statementByStatementId { text actorBySpeakerId { name } } }
          }
        }
      }
    }
  }
}`,
    },
  },
];

export const scenarioById = (id: string): Scenario => {
  const scenario = scenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`No scenario ${id}; there are ${scenarios.map((s) => s.id).join(', ')}.`);
  return scenario;
};
