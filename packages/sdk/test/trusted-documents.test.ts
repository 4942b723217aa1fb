import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@chancery/db/config';
import { createTokens, type TestDatabase, testEngines } from '@chancery/db/testing';
import { loadConfig } from '@chancery/server/config';
import { createContext } from '@chancery/server/context';
import { createServer } from '@chancery/server/server';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChanceryClient } from '../src/client.ts';
import { createChanceryCoreClient } from '../src/core.ts';
import { ChanceryError } from '../src/errors.ts';
import { ActorsDocument } from '../src/generated/documents/Actors.ts';
import { ReaderArticleDocument } from '../src/generated/documents/ReaderArticle.ts';
import { operations } from '../src/generated/operations.ts';
import { httpOperations, runEveryOperation, SEED, type SeedIds, seedIds, type Tokens } from './samples.ts';
import { type RunningServer, recordingFetch, startServer } from './server.ts';

const MANIFEST = fileURLToPath(new URL('../src/generated/persisted-documents.json', import.meta.url));
const SERVER_MAIN = fileURLToPath(new URL('../../../apps/server/src/main.ts', import.meta.url));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const AD_HOC = '{ actors(first: 5) { nodes { name } } }';

/** A raw POST, as any client could send it (plain JSON: request errors come with status 200). */
async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: any;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
    sqlStatements: Number(response.headers.get('x-chancery-sql-statements')),
  };
}

describe('the persisted-documents manifest', () => {
  it('holds exactly the SDK operations, each keyed by the sha256 of the text the client sends', () => {
    const manifest: Record<string, string> = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    const entries = Object.values(operations).map((operation) => [operation.hash, operation.text]);
    expect(Object.entries(manifest).sort()).toEqual(entries.sort());
    for (const [hash, text] of Object.entries(manifest)) expect(sha256(text)).toBe(hash);
    for (const operation of Object.values(operations)) {
      expect((operation.document as { __meta__?: { hash?: string } }).__meta__?.hash).toBe(operation.hash);
    }
  });

  it('the documents without syntax trees (@chancery/sdk/documents/<Name>) are the same operations, text and hash', async () => {
    const directory = new URL('../src/generated/documents/', import.meta.url);
    const documents = await Promise.all(
      readdirSync(directory).map(async (file) => ({
        file,
        exports: (await import(new URL(file, directory).href)) as Record<string, unknown>,
      })),
    );
    const table = Object.values(operations).map(({ document: _, ...rest }) => rest);
    expect(documents.map(({ exports }) => Object.values(exports)[0])).toEqual(expect.arrayContaining(table));
    expect(documents).toHaveLength(table.length);
    for (const { file, exports } of documents) {
      const name = file.match(/(\w+)\.ts$/)![1];
      expect(Object.keys(exports)).toEqual([`${name}Document`]);
    }
  });
});

describe.each(testEngines)('trusted documents on $name', (engine) => {
  let database: TestDatabase;
  let enforced: RunningServer;
  let open: RunningServer;
  let ids: SeedIds;
  let tokens: Tokens;

  beforeAll(async () => {
    database = await engine.open({ seed: true });
    tokens = await createTokens(database);
    enforced = await startServer(database, { trustedDocuments: { manifest: MANIFEST } });
    open = await startServer(database);
    ids = await seedIds(createChanceryClient({ url: enforced.url }));
  });
  afterAll(async () => {
    await enforced?.stop();
    await open?.stop();
    await database?.close();
  });

  describe('with a manifest', () => {
    it('runs every SDK operation sent by its hash alone, mutations included', async () => {
      const recorder = recordingFetch();
      const client = createChanceryClient({
        url: enforced.url,
        fetch: recorder.fetch,
        persistedQueries: true,
      });
      await runEveryOperation(client, ids, tokens);
      expect(new Set(recorder.exchanges.map((e) => e.body.operationName))).toEqual(
        new Set(httpOperations.map((o) => o.name)),
      );
      for (const { body, status } of recorder.exchanges) {
        expect(status).toBe(200);
        expect(body.query).toBeUndefined();
        const operation = Object.values(operations).find((o) => o.name === body.operationName)!;
        expect(body.extensions).toEqual({ persistedQuery: { version: 1, sha256Hash: operation.hash } });
      }
    });

    it('runs every SDK operation sent by its full text', async () => {
      const recorder = recordingFetch();
      const client = createChanceryClient({ url: enforced.url, fetch: recorder.fetch });
      const results = await runEveryOperation(client, ids, tokens);
      expect(results.treaty).toMatchObject({
        treaty: { slug: 'russia-dprk-comprehensive-strategic-partnership-treaty' },
      });
      for (const { body, status } of recorder.exchanges) {
        expect(status).toBe(200);
        expect(sha256(body.query!)).toBe(
          Object.values(operations).find((o) => o.name === body.operationName)!.hash,
        );
      }
    });

    it('runs the core client with the SDK documents, by text and by hash', async () => {
      for (const persistedQueries of [false, true]) {
        const recorder = recordingFetch();
        const core = createChanceryCoreClient({ url: enforced.url, fetch: recorder.fetch, persistedQueries });
        const { article } = await core.request(ReaderArticleDocument, { slug: SEED.article });
        expect(article!.paragraphs.length).toBeGreaterThan(0);
        const names: string[] = [];
        for await (const page of core.paginate(ActorsDocument, { first: 2, filter: { kind: 'STATE' } }))
          names.push(...page.actors.nodes.map((actor) => actor.name));
        expect(names).toEqual(['North Korea', 'Russia']);
        for (const { body } of recorder.exchanges) {
          const hash = [ReaderArticleDocument, ActorsDocument].find(
            (d) => d.name === body.operationName,
          )!.hash;
          expect(
            body.query === undefined ? body.extensions?.persistedQuery.sha256Hash : sha256(body.query),
          ).toBe(hash);
        }
      }
    });

    it('refuses an ad-hoc query without running it', async () => {
      const { body, sqlStatements } = await post(enforced.url, { query: AD_HOC });
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([
        {
          message: expect.stringMatching(/runs only trusted operations.*hash of its text \([0-9a-f]{64}\)/),
          extensions: { code: 'OPERATION_NOT_TRUSTED' },
        },
      ]);
      expect(sqlStatements).toBe(0);
      const client = createChanceryClient({ url: enforced.url });
      const error = await client.request(parse(AD_HOC)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChanceryError);
      expect(error).toMatchObject({ code: 'OPERATION_NOT_TRUSTED', status: 400 });
    });

    it('refuses an SDK operation whose text was changed, even by a space', async () => {
      const text = `${operations.actors.text} `;
      const { body } = await post(enforced.url, { query: text, variables: { first: 1 } });
      expect(body.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    });

    it('tells untrusted text nothing about the schema', async () => {
      for (const query of ['{ secretField }', '{ actors(', '{ __schema { types { name } } }']) {
        const { body } = await post(enforced.url, { query });
        expect(
          body.errors?.map((e) => e.extensions?.code),
          query,
        ).toEqual(['OPERATION_NOT_TRUSTED']);
      }
    });

    it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, and its text with OPERATION_NOT_TRUSTED', async () => {
      const persistedQuery = { version: 1, sha256Hash: sha256(AD_HOC) };
      const byHash = await post(enforced.url, { extensions: { persistedQuery } });
      expect(byHash.body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect(byHash.sqlStatements).toBe(0);
      // What an APQ client does next: send the text with the hash. It is still not trusted.
      const withText = await post(enforced.url, { query: AD_HOC, extensions: { persistedQuery } });
      expect(withText.body.errors?.map((e) => e.extensions?.code)).toEqual(['OPERATION_NOT_TRUSTED']);
      expect(withText.sqlStatements).toBe(0);
    });
  });

  describe('admin bypass', () => {
    const asViewer = (role: 'admin' | 'editor' | 'anonymous') =>
      createContext({ db: database.db, viewer: { role, tokenName: role === 'anonymous' ? null : role } });

    it('lets admin viewers run any operation only when adminBypass is set', async () => {
      const bypass = await createServer({
        database,
        trustedDocuments: { manifest: MANIFEST, adminBypass: true },
      });
      const strict = await createServer({ database, trustedDocuments: { manifest: MANIFEST } });
      try {
        const run = async (server: typeof bypass, role: 'admin' | 'editor' | 'anonymous') => {
          const response = await server.apollo.executeOperation(
            { query: AD_HOC },
            { contextValue: asViewer(role) },
          );
          if (response.body.kind !== 'single') throw new Error('expected a single result');
          return response.body.singleResult;
        };
        expect((await run(bypass, 'admin')).data).toEqual({ actors: { nodes: expect.any(Array) } });
        for (const [server, role] of [
          [bypass, 'editor'],
          [bypass, 'anonymous'],
          [strict, 'admin'],
        ] as const) {
          const result = await run(server, role);
          expect(result.data, role).toBeUndefined();
          expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['OPERATION_NOT_TRUSTED']);
        }

        // An admin's ad-hoc text sent with its hash lands in Apollo's persisted-query cache; the
        // hash alone must still not run it for anyone else.
        const persistedQuery = { version: 1, sha256Hash: sha256(AD_HOC) };
        const registered = await bypass.apollo.executeOperation(
          { query: AD_HOC, extensions: { persistedQuery } },
          { contextValue: asViewer('admin') },
        );
        expect(registered.body.kind === 'single' && registered.body.singleResult.errors).toBeFalsy();
        const replay = await bypass.apollo.executeOperation(
          { extensions: { persistedQuery } },
          { contextValue: asViewer('anonymous') },
        );
        if (replay.body.kind !== 'single') throw new Error('expected a single result');
        expect(replay.body.singleResult.data).toBeUndefined();
        expect(replay.body.singleResult.errors?.map((e) => e.extensions?.code)).toEqual([
          'PERSISTED_QUERY_NOT_FOUND',
        ]);
      } finally {
        await bypass.stop();
        await strict.stop();
      }
    });
  });

  describe('without a manifest', () => {
    it('runs SDK operations and ad-hoc queries alike', async () => {
      await runEveryOperation(createChanceryClient({ url: open.url }), ids, tokens);
      const adHoc = await post(open.url, { query: AD_HOC });
      expect(adHoc.body.errors).toBeUndefined();
      expect(adHoc.body.data.actors.nodes.length).toBeGreaterThan(0);
    });

    it('learns a hash from its text once (Apollo persisted queries), then takes the hash alone', async () => {
      const recorder = recordingFetch();
      const client = createChanceryClient({ url: open.url, fetch: recorder.fetch, persistedQueries: true });
      const first = await client.treaties({ first: 1 });
      const second = await client.treaties({ first: 1 });
      expect(second).toEqual(first);
      const sent = recorder.exchanges.map((e) => (e.body.query ? 'text+hash' : 'hash'));
      expect(sent).toEqual(['hash', 'text+hash', 'hash']);
      expect(
        recorder.exchanges.every(
          (e) => e.body.extensions?.persistedQuery.sha256Hash === operations.treaties.hash,
        ),
      ).toBe(true);
    });
  });

  describe('a manifest that cannot be used', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'chancery-manifest-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('createServer refuses a manifest path that cannot be read', async () => {
      const missing = join(tmp, 'missing.json');
      const error = await createServer({ database, trustedDocuments: { manifest: missing } }).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toBe(
        `Trusted documents (CHANCERY_TRUSTED_DOCUMENTS): cannot read ${missing} (ENOENT); expected the ` +
          'persisted-documents.json that @chancery/sdk\'s codegen writes: {"<sha256 hex of the text>": "<document text>", …}',
      );
    });
  });
});

describe('a manifest that cannot be used stops the server', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'chancery-manifest-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const path = join(tmp, name);
    writeFileSync(path, content);
    return path;
  };

  it('the configuration names the variable and what is wrong with the file', () => {
    const cases: [string, RegExp][] = [
      [write('not-json.json', '{ nope'), /is not JSON/],
      [write('array.json', '["query Q { __typename }"]'), /is not a JSON object/],
      [write('empty.json', '{}'), /lists no documents/],
      [
        write('sha1.json', JSON.stringify({ [sha256('other')]: 'query Q { __typename }' })),
        /not a document keyed by the sha256/,
      ],
      [write('number.json', JSON.stringify({ [sha256('x')]: 4 })), /not a document keyed by the sha256/],
    ];
    for (const [path, reason] of cases) {
      const error = (() => {
        try {
          loadConfig({ CHANCERY_TRUSTED_DOCUMENTS: path });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error, path).toBeInstanceOf(ConfigError);
      expect(error!.message).toContain(`CHANCERY_TRUSTED_DOCUMENTS=${JSON.stringify(path)}: `);
      expect(error!.message).toMatch(reason);
    }
    expect(() => loadConfig({ CHANCERY_TRUSTED_DOCUMENTS_ADMIN_BYPASS: 'yes' })).toThrow(
      /CHANCERY_TRUSTED_DOCUMENTS_ADMIN_BYPASS="yes": must be 1 .* or 0/,
    );
    const config = loadConfig({
      CHANCERY_TRUSTED_DOCUMENTS: MANIFEST,
      CHANCERY_TRUSTED_DOCUMENTS_ADMIN_BYPASS: '1',
    });
    expect(config.trustedDocuments?.manifest.documents.size).toBe(Object.keys(operations).length);
    expect(config.trustedDocuments?.adminBypass).toBe(true);
    expect(loadConfig({}).trustedDocuments).toBeUndefined();
  });

  it('the server process exits with that message before it opens the database', async () => {
    const dataDir = join(tmp, 'pglite');
    const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', SERVER_MAIN], {
        env: {
          ...process.env,
          DATABASE_URL: '',
          NODE_ENV: 'test',
          PORT: '0',
          CHANCERY_DATA_DIR: dataDir,
          CHANCERY_TRUSTED_DOCUMENTS: join(tmp, 'missing.json'),
        },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/Invalid configuration:\n {2}CHANCERY_TRUSTED_DOCUMENTS=.*cannot read/);
    expect(result.output).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    expect(existsSync(dataDir)).toBe(false);
  });
});
