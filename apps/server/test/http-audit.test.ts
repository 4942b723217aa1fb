// The GraphQL-over-HTTP audit of the `graphql-http` package, run against a listening server in
// production mode (CSRF prevention on, no Sandbox, masked errors).
//
// Four audits query `__type(name: …)`, and one of them is a MUST (28B9: "MUST allow map {variables}
// parameter", which also requires the response to have no errors). Introspection is off in
// production unless CHANCERY_INTROSPECTION=1, so the audit passes every MUST with it on; with it off
// (the default) exactly those four fail, each on "introspection is turned off" and nothing else.
// Answering `__type` with null instead would pass them and mislead every tool that asks.
//
// Where we differ from a MAY, on purpose:
// - 5A70 (MAY accept application/x-www-form-urlencoded formatted GET requests), D6D5 and 6A70 (MAY
//   allow variables in GETs): a GET that has neither a JSON `content-type` nor an
//   `apollo-require-preflight` / `x-apollo-operation-name` header is refused (400) by CSRF
//   prevention, since a browser sends such a GET from any site without asking. With the header they
//   pass (checked below).
// Every SHOULD passes, including those Apollo's defaults fail: a well-formed request whose document
// fails (syntax, validation, variables, our limits) is answered 200 in application/json and 400 in
// application/graphql-response+json, as the spec asks.
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { type AuditResult, auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HardenedServer, startHardenedServer } from './hostile-client.ts';

const CSRF_REFUSED_GETS = ['5A70', 'D6D5', '6A70'];
const INTROSPECTING_AUDITS = ['2EA1', '28B9', 'D6D5', '6A70'];

const notOk = (results: AuditResult[], level?: string) =>
  results
    .filter((r) => r.status !== 'ok' && (level === undefined || r.name.startsWith(level)))
    .map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);

const withPreflight = (input: string | URL | Request, init: RequestInit = {}) =>
  fetch(input, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), 'apollo-require-preflight': '1' },
  });

describe.each(testEngines)('GraphQL over HTTP audit on $name', (engine) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
  });
  afterAll(async () => {
    await database?.close();
  });

  describe('production mode with CHANCERY_INTROSPECTION=1', () => {
    let api: HardenedServer;
    let results: AuditResult[];
    beforeAll(async () => {
      api = await startHardenedServer(database, { production: true, introspection: true });
      results = await auditServer({ url: api.url });
    });
    afterAll(() => api?.stop());

    it('ran the whole audit', () => {
      expect(results.length).toBeGreaterThan(50);
    });

    it('passes every MUST', () => {
      expect(notOk(results, 'MUST')).toEqual([]);
    });

    it('passes every SHOULD', () => {
      expect(notOk(results, 'SHOULD')).toEqual([]);
    });

    it('differs from a MAY only where CSRF prevention refuses a GET', () => {
      const ids = results.filter((r) => r.status !== 'ok').map((r) => r.id);
      expect(ids.sort()).toEqual([...CSRF_REFUSED_GETS].sort());
    });

    it('passes everything once the client sends a preflight header', async () => {
      expect(notOk(await auditServer({ url: api.url, fetchFn: withPreflight }))).toEqual([]);
    });
  });

  describe('production mode with introspection off (the default)', () => {
    let api: HardenedServer;
    let results: AuditResult[];
    beforeAll(async () => {
      api = await startHardenedServer(database, { production: true });
      results = await auditServer({ url: api.url, fetchFn: withPreflight });
    });
    afterAll(() => api?.stop());

    it('fails only the audits that introspect, and only because introspection is off', async () => {
      const failed = results.filter((r) => r.status !== 'ok');
      expect(failed.map((r) => r.id).sort()).toEqual([...INTROSPECTING_AUDITS].sort());
      for (const failure of failed) {
        if (!('response' in failure)) continue;
        const body = await failure.response.clone().text();
        expect(body).toMatch(/Introspection .* is turned off/);
      }
    });
  });
});
