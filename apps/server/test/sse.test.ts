// Subscriptions over Server-Sent Events as a client sees them: a real listening server, streams read
// with fetch as `curl -N` reads them, statements published through the API, an anonymous subscriber
// who never hears of a draft, nonsense refused with a clear error, and stop() ending open streams.
import type { TestDatabase } from '@chancery/db/testing';
import { testEngines } from '@chancery/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.ts';
import { as, builders, createTokens, gid, type Tokens } from './editorial.ts';
import { eventually, startTestServer, type TestServer } from './http.ts';

type StreamEvent = { event: string; data: any };

/**
 * Opens an event stream at `url`: POST of `request` as JSON, or GET (as curl and EventSource) with
 * the URL's parameters when it is null. Its events are taken one at a time, `end` once it is over.
 */
async function openStream(
  url: string,
  request: { query: string; variables?: unknown } | null,
  headers: Record<string, string> = {},
) {
  const controller = new AbortController();
  const response = await fetch(
    url,
    request
      ? {
          method: 'POST',
          headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...headers },
          body: JSON.stringify(request),
          signal: controller.signal,
        }
      : { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal },
  );
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .getReader();
  let buffer = '';
  const take = async (): Promise<StreamEvent | 'end'> => {
    for (;;) {
      const boundary = buffer.indexOf('\n\n');
      if (boundary >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const lines = block.split('\n').filter((line) => !line.startsWith(':'));
        if (lines.length === 0) continue; // a keep-alive comment
        const field = (name: string) =>
          lines
            .find((line) => line.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim() ?? '';
        const data = field('data');
        return { event: field('event'), data: data === '' ? null : JSON.parse(data) };
      }
      const { value, done } = await reader.read();
      if (done) return 'end';
      buffer += value;
    }
  };
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    take,
    close: () => controller.abort(),
  };
}

/** A refused request's JSON answer. */
async function refusedRequest(url: string, init: RequestInit) {
  const response = await fetch(url, {
    ...init,
    headers: { accept: 'text/event-stream', ...(init.headers as Record<string, string>) },
  });
  return { status: response.status, body: (await response.json()) as { errors: any[] } };
}

const STATEMENTS = `subscription ($filter: StatementPublishedFilter) {
  statementPublished(filter: $filter) { cursor statement { id text } }
}`;

describe.each(testEngines)('subscriptions over Server-Sent Events on $name', (engine) => {
  let database: TestDatabase;
  let api: TestServer;
  let tokens: Tokens;
  const listening = () => api.server.live.follower.listening;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    tokens = await createTokens(database);
    api = await startTestServer(database);
  });
  afterAll(async () => {
    await api?.stop();
    await database?.close();
  });

  it('streams a statement published through the API, and never a draft to an anonymous subscriber', async () => {
    const editor = builders(as(api, tokens.editor));
    const speaker = await editor.actor();
    const anonymous = await openStream(api.url, { query: STATEMENTS });
    const params = new URLSearchParams({
      query: STATEMENTS,
      variables: JSON.stringify({ filter: { speakerId: speaker.id } }),
    });
    const reader = await openStream(`${api.url}?${params}`, null, {
      authorization: `Bearer ${tokens.reader}`,
    });
    expect([anonymous.status, anonymous.type]).toEqual([200, 'text/event-stream; charset=utf-8']);
    await eventually(
      async () => listening(),
      (n) => n === 2,
    );

    // A draft's statement first: in log order, it would come before the published one.
    const draft = await editor.article();
    const hidden = await editor.statement(draft.id, { speakerId: speaker.id });
    const story = await editor.article();
    const said = await editor.statement(story.id, { speakerId: speaker.id });
    await editor.publish(story);

    for (const stream of [anonymous, reader]) {
      const event = await stream.take();
      expect(event).toMatchObject({
        event: 'next',
        data: { data: { statementPublished: { statement: { id: said.id } } } },
      });
      expect(JSON.stringify(event)).not.toContain(hidden.id);
      stream.close();
    }
    await eventually(
      async () => listening(),
      (n) => n === 0,
    );
  });

  it('refuses nonsense with a clear error, and changes nothing', async () => {
    // A document refused before it runs: one `next` event with the errors, then `complete`.
    const refusedDocument = async (query: string, variables?: Record<string, unknown>) => {
      const stream = await openStream(api.url, { query, variables });
      expect(stream.status).toBe(200);
      const event = await stream.take();
      expect(await stream.take()).toMatchObject({ event: 'complete' });
      expect(await stream.take()).toBe('end');
      expect(event).toMatchObject({ event: 'next' });
      return (event as StreamEvent).data.errors[0];
    };
    expect(await refusedDocument('subscription { statementPublished {')).toMatchObject({
      message: expect.stringMatching(/^Syntax Error: Expected Name, found <EOF>/),
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    expect(await refusedDocument('subscription { nope }')).toMatchObject({
      message: 'Cannot query field "nope" on type "Subscription".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(await refusedDocument('{ treaties { totalCount } }')).toMatchObject({
      message: 'Only subscriptions go over Server-Sent Events; send queries with POST /graphql.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await refusedDocument(STATEMENTS, { filter: { treatyId: 'nonsense' } })).toMatchObject({
      message: expect.stringContaining('Invalid ID "nonsense"'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(
      await refusedDocument(STATEMENTS, {
        filter: { speakerId: gid('Actor', '00000000-0000-4000-8000-000000000009') },
      }),
    ).toMatchObject({
      message: expect.stringMatching(/^filter.speakerId: there is no actor with the ID/),
      extensions: { code: 'NOT_FOUND' },
    });
    const mutation = await refusedDocument(
      'mutation { createActor(input: { name: "Nobody", kind: PERSON }) { __typename } }',
    );
    expect(mutation.message).toBe(
      'Only subscriptions go over Server-Sent Events; send mutations with POST /graphql.',
    );

    // A request refused as a whole: its HTTP status and a JSON error.
    const post = (body: string, headers: Record<string, string> = {}) =>
      refusedRequest(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    expect(await post('{"query": ')).toMatchObject({
      status: 400,
      body: { errors: [{ message: expect.stringMatching(/^The request body is not valid JSON/) }] },
    });
    expect(await post('{"variables": {}}')).toMatchObject({
      status: 400,
      body: { errors: [{ message: expect.stringMatching(/^Send the subscription document as `query`/) }] },
    });
    expect(await post(JSON.stringify({ query: STATEMENTS, variables: [1] }))).toMatchObject({
      status: 400,
      body: { errors: [{ message: expect.stringMatching(/^`variables` must be a JSON object/) }] },
    });
    const get = await refusedRequest(`${api.url}?query=${encodeURIComponent(STATEMENTS)}&variables=%7B`, {});
    expect(get).toMatchObject({
      status: 400,
      body: { errors: [{ message: expect.stringMatching(/^The `variables` parameter is not valid JSON/) }] },
    });
    expect(
      await post(JSON.stringify({ query: STATEMENTS }), { authorization: `Bearer chy_${'x'.repeat(43)}` }),
    ).toMatchObject({
      status: 401,
      body: {
        errors: [
          {
            message: expect.stringMatching(/^The API token is unknown or has been revoked/),
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      },
    });
    // An editor's session cookie counts only on requests no other site can make, as over HTTP.
    const signedIn = await fetch(api.url.replace(/graphql$/, 'auth/session'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: tokens.editor }),
    });
    const cookie = /^(chancery_session=[^;]*)/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1] as string;
    const fromElsewhere = await post(JSON.stringify({ query: STATEMENTS }), {
      cookie,
      origin: 'https://elsewhere.example',
    });
    expect(fromElsewhere).toMatchObject({
      status: 403,
      body: { errors: [{ message: expect.stringMatching(/session cookie must come from this site/) }] },
    });
    const fromOurPage = await openStream(api.url, { query: STATEMENTS }, { cookie });
    expect(fromOurPage.status).toBe(200);
    fromOurPage.close();

    // Without the Accept header, a subscription is a plain request: told where subscriptions go.
    expect((await api.graphql(STATEMENTS)).errors?.[0]?.message).toMatch(
      /^Subscriptions are served at \/graphql over WebSocket .* or Server-Sent Events \(send `Accept: text\/event-stream`\)/,
    );

    // Nothing was made: no actor named Nobody.
    const actors = await as(api, tokens.editor)('{ actors(first: 100) { nodes { name } } }');
    expect(JSON.stringify(actors.data)).not.toContain('Nobody');
    await eventually(
      async () => listening(),
      (n) => n === 0,
    );
  });

  it('caps the streams of one address, and stop() ends open streams at once', async () => {
    // A grace period no test outlasts: stop() must not wait for open streams to finish.
    const server = await createServer({
      database,
      live: { maxSocketsPerAddress: 1 },
      shutdownGraceMs: 3_600_000,
      webhooks: false,
    });
    const url = await server.listen(0);
    const stream = await openStream(url, { query: STATEMENTS });
    expect(stream.status).toBe(200);
    await eventually(
      async () => server.live.follower.listening,
      (n) => n === 1,
    );
    const second = await refusedRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: STATEMENTS }),
    });
    expect(second).toMatchObject({
      status: 429,
      body: {
        errors: [{ message: expect.stringMatching(/^Too many WebSocket connections and event streams/) }],
      },
    });
    await server.stop();
    expect(await stream.take()).toBe('end');
    expect(server.live.follower.listening).toBe(0);
  });
});
