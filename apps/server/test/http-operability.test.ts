// What operators rely on: a JSON log line per request (never a token or variables), Prometheus
// metrics, liveness and readiness, request ids on masked errors, rate limits, and a graceful stop.

import type { ServerResponse } from 'node:http';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { createToken } from '@chancery/db/tokens';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createProbes } from '../src/http/probes.ts';
import { codes, GRAPHQL_RESPONSE, type HardenedServer, startHardenedServer } from './hostile-client.ts';
import { openSocket, readUntilClosed, refusedSoon } from './http.ts';

const accept = { accept: GRAPHQL_RESPONSE };

describe.each(testEngines)('operability on $name', (engine) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
  });
  afterAll(async () => {
    await database?.close();
  });

  describe('request log, metrics and probes', () => {
    let api: HardenedServer;
    beforeAll(async () => {
      api = await startHardenedServer(database, { metricsToken: 'metrics-token-0123456789' });
    });
    afterAll(() => api?.stop());

    it('writes one JSON line per request: id, operation, duration, status, cost, SQL statements', async () => {
      const response = await api.post(
        {
          query: 'query Treaties { treaties(first: 5) { totalCount nodes { title } } }',
          operationName: 'Treaties',
        },
        accept,
      );
      expect(response.status).toBe(200);
      const id = response.headers['x-request-id'];
      const lines = api.logs.filter((line) => line.reqId === id);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'info',
        msg: 'request',
        reqId: id,
        method: 'POST',
        path: '/graphql',
        status: 200,
        operationName: 'Treaties',
        operationType: 'query',
        cost: response.json.extensions.cost.requested,
        ip: '127.0.0.1',
      });
      expect(lines[0]?.sqlStatements).toBeGreaterThan(0);
      expect(typeof lines[0]?.durationMs).toBe('number');
    });

    it('never logs a token or the variables', async () => {
      const before = api.logs.length;
      await api.post(
        {
          query: 'query Secretive($slug: String) { actor(slug: $slug) { name } }',
          variables: { slug: 'hunter2-variable-value' },
        },
        { ...accept, authorization: 'Bearer chy_live_token_that_must_not_leak' },
      );
      await api.post(
        { query: '{ broken' },
        { ...accept, authorization: 'Bearer chy_live_token_that_must_not_leak' },
      );
      const written = JSON.stringify(api.logs.slice(before));
      expect(written).toContain('"msg":"request"');
      expect(written).not.toMatch(/chy_live_token_that_must_not_leak|hunter2-variable-value|authorization/i);
    });

    it('logs refusals with their codes, and probes at debug level', async () => {
      const refused = await api.post({ query: `{ ${'__typename '.repeat(11)}}` }, accept);
      const line = api.logs.find((l) => l.reqId === refused.headers['x-request-id']);
      expect(line).toMatchObject({ status: 400, errorCodes: ['FIELD_REPEAT_LIMIT_EXCEEDED'], level: 'info' });
      const probe = await api.raw({ method: 'GET', path: '/healthz' });
      expect(api.logs.find((l) => l.reqId === probe.headers['x-request-id'])?.level).toBe('debug');
    });

    it('serves Prometheus metrics: requests and latency by operation, errors by code, pool, event loop', async () => {
      await api.post({ query: 'query Treaties { treaties { totalCount } }' }, accept);
      await api.post({ query: '{ treaties { nope } }' }, accept);
      const denied = await api.raw({ method: 'GET', path: '/metrics' });
      expect(denied.status).toBe(401);
      const response = await api.raw({
        method: 'GET',
        path: '/metrics',
        headers: { authorization: 'Bearer metrics-token-0123456789' },
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      const text = response.text;
      expect(text).toMatch(
        /chancery_graphql_requests_total\{operation="Treaties",type="query",status="200"\} [1-9]/,
      );
      expect(text).toMatch(
        /chancery_graphql_request_duration_seconds_bucket\{le="[\d.]+",operation="Treaties",type="query"\}/,
      );
      expect(text).toMatch(/chancery_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} [1-9]/);
      expect(text).toMatch(/chancery_graphql_query_cost_count [1-9]/);
      expect(text).toMatch(/chancery_db_pool_connections\{state="total"\} [1-9]/);
      expect(text).toMatch(/chancery_db_info\{engine="(pglite|postgres)",via="\w+"\} 1/);
      expect(text).toMatch(/nodejs_eventloop_lag_seconds [\d.e-]+/);
      expect(text).toMatch(/chancery_http_requests_total\{route="metrics",method="GET",status="401"\} 1/);
    });

    it('GET /healthz: alive; GET /readyz: migrations applied and the database answering', async () => {
      const health = await api.raw({ method: 'GET', path: '/healthz' });
      expect(health.status).toBe(200);
      expect(health.json).toEqual({ status: 'ok', database: 'ok' });
      const ready = await api.raw({ method: 'GET', path: '/readyz' });
      expect(ready.status).toBe(200);
      expect(ready.json).toEqual({ status: 'ready', database: 'ok', migrations: 'applied' });
    });

    it('/readyz is 503 while the server stops, and when the database does not answer', async () => {
      const stopping = createProbes({ database, isDraining: () => true });
      expect(await answer((res) => stopping.readyz(res))).toEqual({
        status: 503,
        body: { status: 'stopping' },
      });
      const broken = createProbes({
        database: {
          ...database,
          db: { execute: () => Promise.reject(new Error('connection refused')) } as never,
        },
        isDraining: () => false,
      });
      expect(await answer((res) => broken.readyz(res))).toEqual({
        status: 503,
        body: { status: 'unready', database: 'unreachable' },
      });
      // Liveness does not fail for the database: restarting the server would not bring it back.
      expect(await answer((res) => broken.healthz(res))).toEqual({
        status: 200,
        body: { status: 'ok', database: 'unreachable' },
      });
    });
  });

  describe('an unexpected error', () => {
    let api: HardenedServer;
    beforeAll(async () => {
      api = await startHardenedServer(database);
      await database.withRawTransaction((raw) =>
        raw.exec(
          'ALTER TABLE treaty_parties RENAME TO treaty_parties_gone; ALTER TABLE api_tokens RENAME TO api_tokens_gone',
        ),
      );
    });
    afterAll(async () => {
      await database.withRawTransaction((raw) =>
        raw.exec(
          'ALTER TABLE treaty_parties_gone RENAME TO treaty_parties; ALTER TABLE api_tokens_gone RENAME TO api_tokens',
        ),
      );
      await api?.stop();
    });

    it('is masked in production, with the request id the log files it under', async () => {
      const response = await api.post({ query: '{ treaties { nodes { title parties { name } } } }' }, accept);
      expect(codes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
      const [error] = response.json.errors;
      expect(error.message).toBe('Internal server error');
      const id = response.headers['x-request-id'];
      expect(error.extensions.requestId).toBe(id);
      expect(response.text).not.toMatch(/treaty_parties|select|stack/i);
      const logged = api.logs.find((l) => l.reqId === id && l.msg === 'Unexpected error');
      expect(logged?.level).toBe('error');
      expect(JSON.stringify(logged?.err)).toMatch(/treaty_parties/);
    });

    it('is masked with its request id also when it happens before the operation (finding the viewer)', async () => {
      // A well-formed token: looking it up fails, the tokens table being gone.
      const token = `chy_${'x'.repeat(43)}`;
      const response = await api.post(
        { query: '{ __typename }' },
        { ...accept, authorization: `Bearer ${token}` },
      );
      expect(response.status).toBe(500);
      expect(codes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
      const id = response.headers['x-request-id'];
      expect(response.json.errors[0].extensions.requestId).toBe(id);
      expect(response.text).not.toMatch(/api_tokens|select|chy_x/i);
      expect(JSON.stringify(api.logs)).not.toContain(token);
      const logged = api.logs.find((l) => l.reqId === id && l.msg === 'Unexpected error');
      expect(JSON.stringify(logged?.err)).toMatch(/api_tokens/);
    });
  });

  describe('rate limits', () => {
    let api: HardenedServer;
    // The counts' windows run on Date: the test moves it, nothing else.
    let now = 1_000_000;
    beforeAll(async () => {
      vi.useFakeTimers({ toFake: ['Date'], now });
      api = await startHardenedServer(database, { rateLimit: { perIp: 3, perToken: 2 } });
    });
    afterAll(async () => {
      vi.useRealTimers();
      await api?.stop();
    });

    it('per address: 429 with Retry-After past the allowance, served again once the window closes', async () => {
      for (let i = 0; i < 3; i++)
        expect((await api.post({ query: '{ __typename }' }, accept)).status).toBe(200);
      const refused = await api.post({ query: '{ __typename }' }, accept);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('60');
      expect(codes(refused)).toEqual(['RATE_LIMITED']);
      expect(refused.json.errors[0].message).toMatch(/at most 3 per 60 s\. Retry in 60 s/);
      now += 60_001;
      vi.setSystemTime(now);
      expect((await api.post({ query: '{ __typename }' }, accept)).status).toBe(200);
      // Probes are not limited: a load balancer must always reach them; they say where limits are counted.
      expect((await api.raw({ method: 'GET', path: '/healthz' })).status).toBe(200);
      expect((await api.raw({ method: 'GET', path: '/readyz' })).json).toMatchObject({
        rateLimits: 'memory',
      });
    });

    it('per token, wherever it comes from', async () => {
      now += 60_001;
      vi.setSystemTime(now);
      const withToken = { ...accept, authorization: 'Bearer chy_some_token' };
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await api.post({ query: '{ __typename }' }, withToken)).status);
      expect(statuses[0]).not.toBe(429);
      expect(statuses[1]).not.toBe(429);
      expect(statuses[2]).toBe(429);
      const metrics = await api.raw({ method: 'GET', path: '/metrics' });
      expect(metrics.text).toMatch(/chancery_rate_limited_total\{limit="token"\} 1/);
      expect(metrics.text).toMatch(/chancery_rate_limited_total\{limit="ip"\} 1/);
    });

    it('per token for requests signed in by an editor session: every session of the token shares its count', async () => {
      const { token } = await createToken(database.db, { name: 'rate-limited-editor', role: 'editor' });
      const signIn = async () => {
        const response = await api.raw({
          path: '/auth/session',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        });
        expect(response.status).toBe(201);
        const setCookie = String(response.headers['set-cookie']);
        return { ...accept, cookie: /^(chancery_session=[^;]*)/.exec(setCookie)![1] };
      };
      const [first, second] = [await signIn(), await signIn()];
      now += 60_001;
      vi.setSystemTime(now);
      // Two requests with one session use up the token's allowance (2); the address's (3) is not.
      for (let i = 0; i < 2; i++)
        expect((await api.post({ query: '{ __typename }' }, first)).status).toBe(200);
      const refused = await api.post({ query: '{ __typename }' }, second);
      expect(refused.status).toBe(429);
      expect(refused.json.errors[0].message).toMatch(
        /^Too many requests with this token: at most 2 per 60 s/,
      );

      // A cookie that names no live session is an anonymous reader's: counted by address only.
      now += 60_001;
      vi.setSystemTime(now);
      const unknown = { ...accept, cookie: `chancery_session=${'x'.repeat(43)}` };
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await api.post({ query: '{ __typename }' }, unknown)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const metrics = await api.raw({ method: 'GET', path: '/metrics' });
      expect(metrics.text).toMatch(/chancery_rate_limited_total\{limit="token"\} 2/);
    });
  });

  describe('graceful stop', () => {
    it('stops accepting, finishes the request in flight, then resolves', async () => {
      const api = await startHardenedServer(database, { shutdownGraceMs: 60_000 });
      const port = Number(new URL(api.url).port);
      const events: string[] = [];
      const arrived = new Promise((resolve) =>
        api.server.httpServer.once('request', (_req, res: ServerResponse) => {
          res.once('finish', () => events.push('answered'));
          resolve(res);
        }),
      );
      const body = JSON.stringify({ query: '{ treaties { totalCount } }' });
      const socket = await openSocket(port);
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      await arrived;
      const stopped = api.stop().then(() => events.push('stopped'));
      expect(await refusedSoon(port)).toBe(true);
      socket.write(body.slice(10));
      const response = await readUntilClosed(socket);
      await stopped;
      expect(events).toEqual(['answered', 'stopped']);
      expect(response).toMatch(/^HTTP\/1\.1 200/);
      expect(response).toMatch(/connection: close/i);
      expect(response).toContain('{"data":{"treaties":{"totalCount":2}}');
    });

    it('cuts a request still running when the grace period ends, and says so', async () => {
      const api = await startHardenedServer(database, { shutdownGraceMs: 50 });
      const port = Number(new URL(api.url).port);
      const arrived = new Promise((resolve) => api.server.httpServer.once('request', resolve));
      const socket = await openSocket(port);
      socket.write(
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      );
      await arrived;
      const closed = readUntilClosed(socket);
      await api.stop();
      expect(await closed).toBe('');
      expect(api.logs.find((l) => l.level === 'warn')?.msg).toMatch(/Cut 1 request/);
    });
  });
});

/** Runs a probe against a stand-in response and returns what it sent. */
async function answer(
  probe: (res: ServerResponse) => Promise<void>,
): Promise<{ status: number; body: unknown }> {
  let body = '';
  const res = {
    statusCode: 0,
    setHeader() {},
    end(text: string) {
      body = text;
    },
  };
  await probe(res as unknown as ServerResponse);
  return { status: res.statusCode, body: JSON.parse(body) };
}
