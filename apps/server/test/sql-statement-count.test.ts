import { testEngines } from '@chancery/db/testing';
import { describe, expect, it } from 'vitest';
import { insertTreatyTree, type Shape } from './fixtures.ts';
import { startTestServer } from './http.ts';

// Nested selections are planned into one SQL statement by the Drizzle plugin, not resolved one
// item at a time: the number of statements a request issues must not grow with the data.
describe.each(testEngines)('SQL statements per request on $name', (engine) => {
  const nestedQuery = `{
    treaties(first: 20) { nodes {
      title
      parties { name }
      provisions { number statements(first: 3) { totalCount nodes { text speaker { name } source { paragraph article { headline } } } } }
    } }
  }`;

  async function countFor(shape: Shape): Promise<{ statements: number; items: number }> {
    const database = await engine.open();
    const api = await startTestServer(database);
    try {
      await insertTreatyTree(database.db, shape);
      const response = await api.graphql(nestedQuery);
      expect(response.errors).toBeUndefined();
      const items = response.data?.treaties.nodes.flatMap((tr: any) =>
        tr.provisions.flatMap((p: any) => p.statements.nodes),
      );
      return { statements: response.sqlStatements, items: items.length };
    } finally {
      await api.stop();
      await database.close();
    }
  }

  it('a 3-level query over 20 × 5 × 3 items issues as many statements as one over 2 × 1 × 1', async () => {
    const small = await countFor({ treaties: 2, provisionsPerTreaty: 1, statementsPerProvision: 1 });
    const large = await countFor({ treaties: 20, provisionsPerTreaty: 5, statementsPerProvision: 3 });
    expect(small.items).toBe(2);
    expect(large.items).toBe(300);
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBe(1);
  });
});
