// Editor sessions (src/http/session.ts): an API token exchanged for an HttpOnly, SameSite=Strict
// cookie that the API accepts as it accepts the token, only on requests no other site can make,
// and that signing out (or revoking the token) ends in the database.
import { createHash } from 'node:crypto';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { revokeToken } from '@chancery/db/tokens';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.ts';
import { createTokens, ERROR_FIELDS, type Tokens } from './editorial.ts';
import { startTestServer, type TestServer } from './http.ts';

describe.each(testEngines)('editor sessions on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;
  let base: string;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    api = await startTestServer(database);
    tokens = await createTokens(database);
    base = api.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const sessionHashes = async () =>
    (await rows<{ session_hash: string }>(sql`select session_hash from editor_sessions`)).map(
      (r) => r.session_hash,
    );
  const actorNamed = async (name: string) =>
    (await rows<{ n: number }>(sql`select count(*)::int as n from actors where name = ${name}`))[0]?.n;

  const signIn = (token: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ token }),
    });
  const cookieOf = (response: Response) =>
    /^chancery_session=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  const create = (name: string) =>
    `mutation { createActor(input: { name: "${name}", kind: PERSON }) { __typename ${ERROR_FIELDS} } }`;

  it('refuses a reader token with “this token cannot edit”, and opens no session', async () => {
    const response = await signIn(tokens.reader);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^This token cannot edit: "[^"]+" has the reader role\. Sign in with an editor or admin token\.$/,
    );
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await sessionHashes()).toEqual([]);
  });

  it.each([
    ['an unknown token', () => signIn(`chy_${'B'.repeat(43)}`), 401, /unknown or has been revoked/],
    ['something that is not a token', () => signIn('hunter2'), 401, /not a Chancery API token/],
    [
      'a form post (what another site could send)',
      () =>
        fetch(`${base}/auth/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `token=${tokens.editor}`,
        }),
      415,
      /JSON body/,
    ],
    [
      'a sign-in from another origin',
      () => signIn(tokens.editor, { origin: 'https://evil.example' }),
      403,
      /this site’s own pages/,
    ],
  ])('refuses %s', async (_name, send, status, message) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await sessionHashes()).toEqual([]);
  });

  it('opens a session for an editor token: a cookie scripts cannot read, stored only as a hash, accepted by the API until sign-out', async () => {
    const response = await signIn(tokens.editor);
    expect(response.status).toBe(201);
    const body = (await response.json()) as { session: { role: string; expiresAt: string } };
    expect(body.session.role).toBe('editor');
    const hoursLeft = (Date.parse(body.session.expiresAt) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(11);
    expect(hoursLeft).toBeLessThanOrEqual(12);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^chancery_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/,
    );
    const session = cookieOf(response)!;
    expect(await sessionHashes()).toEqual([createHash('sha256').update(session).digest('hex')]);
    const cookie = { cookie: `theme=dark; chancery_session=${session}` };

    const who = await fetch(`${base}/auth/session`, { headers: cookie });
    expect(((await who.json()) as { session: { role: string } }).session.role).toBe('editor');

    // The cookie writes as the token does…
    const written = await api.graphql(create('Session Editor'), undefined, cookie);
    expect(written.data?.createActor.__typename).toBe('ActorPayload');
    expect(await actorNamed('Session Editor')).toBe(1);

    // …but not on requests another site's page could make: nothing is written.
    const formPost = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...cookie },
      body: JSON.stringify({ query: create('Cross Site 1') }),
    });
    expect(formPost.status).toBeGreaterThanOrEqual(400);
    const fromElsewhere = await api.graphql(create('Cross Site 2'), undefined, {
      ...cookie,
      origin: 'https://evil.example',
    });
    expect(fromElsewhere.status).toBe(403);
    expect(fromElsewhere.errors?.[0]?.message).toMatch(/must come from this site’s own pages/);
    const crossSite = await api.graphql(create('Cross Site 3'), undefined, {
      ...cookie,
      'sec-fetch-site': 'cross-site',
    });
    expect(crossSite.status).toBe(403);
    const plainGet = await fetch(`${api.url}?query=${encodeURIComponent('{ actors { totalCount } }')}`, {
      headers: cookie,
    });
    expect(plainGet.status).toBe(400);
    for (const name of ['Cross Site 1', 'Cross Site 2', 'Cross Site 3'])
      expect(await actorNamed(name)).toBe(0);

    // Signing out ends it in the database: the same cookie is anonymous from then on.
    const forcedOut = await fetch(`${base}/auth/session`, {
      method: 'DELETE',
      headers: { ...cookie, origin: 'https://evil.example' },
    });
    expect(forcedOut.status).toBe(403);
    const out = await fetch(`${base}/auth/session`, { method: 'DELETE', headers: cookie });
    expect(await out.json()).toEqual({ signedOut: true });
    expect(out.headers.get('set-cookie')).toMatch(/^chancery_session=; Path=\/; Max-Age=0;/);
    expect(await sessionHashes()).toEqual([]);
    const after = await api.graphql(create('After Sign Out'), undefined, cookie);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await actorNamed('After Sign Out')).toBe(0);
    const whoAfter = await fetch(`${base}/auth/session`, { headers: cookie });
    expect(await whoAfter.json()).toEqual({ session: null });
  });

  it('marks the cookie Secure behind a trusted https proxy, and never answers a session from the response cache', async () => {
    const proxied = await createServer({ database, trustProxy: 1, responseCache: { maxBytes: 1_000_000 } });
    const url = await proxied.listen(0, '127.0.0.1');
    try {
      const response = await fetch(url.replace(/\/graphql$/, '/auth/session'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ token: tokens.editor }),
      });
      expect(response.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
      const drafts = async (headers: Record<string, string>) => {
        const answer = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: '{ articles(filter: { status: DRAFT }) { totalCount } }' }),
        });
        return ((await answer.json()) as { data: { articles: { totalCount: number } } }).data.articles
          .totalCount;
      };
      await database.db.execute(sql`update articles set status = 'DRAFT'`);
      const cookie = { cookie: `chancery_session=${cookieOf(response)}` };
      expect(await drafts(cookie)).toBe(1);
      expect(await drafts({})).toBe(0);
      expect(await drafts(cookie)).toBe(1);
    } finally {
      await proxied.stop();
      await database.db.execute(sql`update articles set status = 'PUBLISHED'`);
    }
  });

  it('ends the sessions of a revoked token', async () => {
    const response = await signIn(tokens.admin);
    const cookie = { cookie: `chancery_session=${cookieOf(response)}` };
    const name = (await rows<{ name: string }>(sql`select name from api_tokens where role = 'admin'`))[0]!
      .name;
    await revokeToken(database.db, name);
    const after = await api.graphql(create('Revoked Admin'), undefined, cookie);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await actorNamed('Revoked Admin')).toBe(0);
  });
});
