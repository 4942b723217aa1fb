import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type TestDatabase, testEngines } from '@chancery/db/testing';
import { createToken } from '@chancery/db/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChanceryClient } from '../src/client.ts';
import { operations } from '../src/generated/operations.ts';
import { seedIds } from './samples.ts';
import { type RunningServer, startServer } from './server.ts';

// The package as a consumer gets it: built by `npm run build`, resolved through its exports map.
const run = promisify(execFile);
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );

describe('the built package', () => {
  beforeAll(async () => {
    await run(process.execPath, [TSC, '-p', 'tsconfig.build.json'], { cwd: PACKAGE });
  });

  it('has ESM and .d.ts for every entry point of its exports map', () => {
    for (const [entry, target] of Object.entries<string | { types: string; default: string }>(
      manifest.exports,
    )) {
      const files = typeof target === 'string' ? [target] : [target.types, target.default];
      // `./documents/*`: one entry point per operation.
      const names = entry.includes('*') ? Object.values(operations).map((o) => o.name) : [''];
      for (const file of names.flatMap((name) => files.map((f) => f.replace('*', name))))
        expect(() => readFileSync(join(PACKAGE, file)), `${entry}: ${file}`).not.toThrow();
    }
  });

  it('imports nothing at run time but graphql, graphql-ws (on the first subscription) and its own files', () => {
    const imported = new Set<string>();
    const loaded = new Set<string>();
    const name = (specifier: string) =>
      specifier.startsWith('.') ? (specifier.endsWith('.js') ? 'relative .js' : specifier) : specifier;
    for (const file of filesUnder(join(PACKAGE, 'dist')).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(file, 'utf8');
      for (const match of code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm))
        imported.add(name(match[1]!));
      for (const match of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) loaded.add(name(match[1]!));
    }
    expect([...imported].sort()).toEqual(['graphql', 'relative .js']);
    // graphql-ws, only when a subscription starts: an app that never subscribes does not load it;
    // graphql and the paginate helper, only for a syntax tree handed to the core client.
    expect([...loaded].sort()).toEqual(['graphql', 'graphql-ws', 'relative .js']);
  });

  it('the core client and the documents load neither graphql nor the operation table', () => {
    const staticImports = (file: string) =>
      [
        ...readFileSync(join(PACKAGE, 'dist', file), 'utf8').matchAll(
          /^\s*import\b(?!\s*\()[^'"]*?['"]([^'"]+)['"]/gm,
        ),
      ].map((match) => match[1]);
    expect(staticImports('core.js')).toEqual(['./errors.js']);
    expect(staticImports('errors.js')).toEqual([]);
    expect(staticImports('generated/documents/ReaderArticle.js')).toEqual([]);
  });

  it('type-checks a consumer against its .d.ts files, wrong calls included', async () => {
    const consumer = join(PACKAGE, 'test/consumer/tsconfig.json');
    const result = await run(process.execPath, [TSC, '-p', consumer], { cwd: PACKAGE }).catch((e) => e);
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('');
  });

  describe.each(testEngines.slice(0, 1))('a consumer project, against a real server on $name', (engine) => {
    let database: TestDatabase;
    let running: RunningServer;
    beforeAll(async () => {
      database = await engine.open({ seed: true });
      running = await startServer(database);
    });
    afterAll(async () => {
      await running?.stop();
      await database?.close();
    });

    it("runs `client.statements({ filter: { speakerId } })` and a mutation from '@chancery/sdk'", async () => {
      const { actorId } = await seedIds(createChanceryClient({ url: running.url }));
      const { token } = await createToken(database.db, { name: 'consumer-editor', role: 'editor' });
      const consumer = join(PACKAGE, 'test/consumer/dist/consumer.js');
      const { stdout } = await run(process.execPath, [consumer, running.url, actorId, token], {
        cwd: PACKAGE,
      });
      expect(JSON.parse(stdout)).toEqual({
        texts: 4,
        speakers: ['Andrey Rudenko', 'Andrey Rudenko', 'Andrey Rudenko', 'Andrey Rudenko'],
        again: 1,
        pages: [2, 2, 2],
        code: 'BAD_USER_INPUT',
        invalid: ['input.name', 'input.countryCode'],
        lean: ['Andrey Rudenko', 'Andrey Rudenko'],
        manifest: true,
      });
    });
  });
});
