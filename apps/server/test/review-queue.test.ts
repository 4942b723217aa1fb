// What the editors' review queue reads: statements by how they were attributed, least confident
// first, and articles by status (drafts for editors only).
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTokens, type Tokens } from './editorial.ts';
import { startTestServer, type TestServer } from './http.ts';

describe.each(testEngines)('the review queue on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    api = await startTestServer(database);
    tokens = await createTokens(database);
    // Two of the seed's four statements as the importer's rules would leave them.
    await database.db.execute(sql`update statements set attribution_method = 'RULES',
      attribution_confidence = case when text like 'Article 4%' then 0.4 else 0.7 end
      where id in (select id from statements order by paragraph, start limit 2)`);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  const queue = (filter: Record<string, unknown>) =>
    api.graphql(
      `query ($filter: StatementFilter) { statements(filter: $filter, orderBy: CONFIDENCE_ASC) {
        totalCount nodes { text attribution { method confidence } } } }`,
      { filter },
    );

  it('lists the statements the rules attributed, least confident first, down to a confidence', async () => {
    const all = await queue({ attributionMethod: 'RULES' });
    const confidences = all.data?.statements.nodes.map((n: any) => n.attribution.confidence);
    expect(all.data?.statements.totalCount).toBe(2);
    expect(confidences).toEqual([...confidences].sort((a: number, b: number) => a - b));
    expect(all.data?.statements.nodes.every((n: any) => n.attribution.method === 'RULES')).toBe(true);
    const unsure = await queue({ attributionMethod: 'RULES', maxConfidence: 0.5 });
    expect(unsure.data?.statements.totalCount).toBe(1);
    expect((await queue({ attributionMethod: 'MANUAL' })).data?.statements.totalCount).toBe(2);
  });

  it('refuses a confidence outside 0 to 1, saying what is allowed', async () => {
    const response = await queue({ maxConfidence: 1.5 });
    expect(response.errors?.[0]?.message).toBe('filter.maxConfidence must be from 0 to 1; it was 1.5.');
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('filters articles by status, drafts for editors only', async () => {
    await database.db.execute(sql`update articles set status = 'DRAFT'`);
    const drafts = `{ articles(filter: { status: DRAFT }) { totalCount } }`;
    expect((await api.graphql(drafts)).data?.articles.totalCount).toBe(0);
    expect((await api.graphql(drafts, undefined, bearer(tokens.editor))).data?.articles.totalCount).toBe(1);
    const published = `{ articles(filter: { status: PUBLISHED }) { totalCount } }`;
    expect((await api.graphql(published, undefined, bearer(tokens.editor))).data?.articles.totalCount).toBe(
      0,
    );
  });
});
