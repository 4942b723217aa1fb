// Tokens on the wire: no Authorization header is an anonymous reader; a header that does not carry
// a valid, active token is refused with 401 before anything runs, reads included.

import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { revokeToken } from '@chancery/db/tokens';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTokens, ERROR_FIELDS, type Tokens } from './editorial.ts';
import { startTestServer, type TestServer } from './http.ts';

describe.each(testEngines)('authentication on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    api = await startTestServer(database);
    tokens = await createTokens(database);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const actorCount = async () =>
    (await rows<{ n: number }>(sql`select count(*)::int as n from actors`))[0]?.n;

  const read = `{ actors { totalCount } }`;
  const write = `mutation { createActor(input: { name: "Intruder", kind: PERSON }) { ${ERROR_FIELDS} } }`;

  it('reads anonymously without an Authorization header', async () => {
    const response = await api.graphql(read);
    expect(response.status).toBe(200);
    expect(response.data?.actors.totalCount).toBe(6);
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz', /must be `Bearer <token>`/],
    ['an empty header', '', /must be `Bearer <token>`/],
    ['Bearer with nothing after it', 'Bearer ', /must be `Bearer <token>`/],
    ['something that is not a token', 'Bearer hunter2', /not a Chancery API token/],
    ['a token cut short', `Bearer TOKEN_CUT`, /not a Chancery API token/],
    ['a well-formed token nobody issued', `Bearer chy_${'A'.repeat(43)}`, /unknown or has been revoked/],
  ])(
    'refuses %s with 401 UNAUTHENTICATED, for reads and writes, writing nothing',
    async (_name, header, message) => {
      const authorization = header.replace('TOKEN_CUT', tokens.editor.slice(0, -1));
      const before = await actorCount();
      for (const query of [read, write]) {
        const response = await api.graphql(query, undefined, { authorization });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="chancery"');
        expect(response.data ?? null).toBeNull();
        expect(response.errors).toEqual([
          expect.objectContaining({
            message: expect.stringMatching(message),
            extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
          }),
        ]);
      }
      expect(await actorCount()).toBe(before);
    },
  );

  it('refuses a revoked token with 401 from the moment it is revoked', async () => {
    const { createToken } = await import('@chancery/db/tokens');
    const { token } = await createToken(database.db, { name: 'short-lived', role: 'editor' });
    expect((await as(api, token)(read)).status).toBe(200);
    await revokeToken(database.db, 'short-lived');
    const response = await as(api, token)(write);
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.message).toMatch(/unknown or has been revoked/);
  });

  it('accepts the scheme in any case, and notes when a token was last used', async () => {
    const response = await api.graphql(read, undefined, { authorization: `bearer ${tokens.reader}` });
    expect(response.status).toBe(200);
    const [used] = await rows<{ used: boolean }>(
      sql`select last_used_at is not null as used from api_tokens where name = 'reader'`,
    );
    expect(used?.used).toBe(true);
  });

  it('stores only a hash of each token', async () => {
    const stored = await rows<Record<string, unknown>>(sql`select * from api_tokens`);
    const dump = JSON.stringify(stored);
    for (const token of Object.values(tokens)) {
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(token.slice(4));
    }
    expect(stored.every((row) => /^[0-9a-f]{64}$/.test(String(row.token_hash)))).toBe(true);
  });

  it('a mutation without a token is UNAUTHENTICATED, with a reader token FORBIDDEN (HTTP 200, GraphQL errors)', async () => {
    const anonymous = await api.graphql(write);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.errors?.[0]?.message).toMatch(/needs an editor or admin token/);
    const reader = await as(api, tokens.reader)(write);
    expect(reader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(reader.errors?.[0]?.message).toMatch(/"reader" has the reader role/);
  });
});
