// The production build (`npm run build`, what `npm start` runs): bundled into one file, the server
// still finds the migrations and the seed story in @chancery/db, serves GraphQL from a fresh embedded
// database, stops cleanly on SIGTERM, and refuses a bad setting with a readable message.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEED_ARTICLE_SLUG, seedStoryParts } from '@chancery/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../scripts/build.ts';

const REPO_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

/** `node main.mjs`, as `npm start` runs it, with the given settings. */
function startBuilt(bundle: string, settings: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', ...settings };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [bundle], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** The bound URL, from the JSON log line the server prints once it listens. */
  const serving = () =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = stdout.split('\n').find((text) => text.includes('"url"'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      };
      child.stdout.on('data', check);
      void exited.then((code) =>
        reject(new Error(`exited with ${code} before serving:\n${stdout}${stderr}`)),
      );
      check();
    });
  return { child, exited, serving, output: () => ({ stdout, stderr }) };
}

describe('the production build', () => {
  let dir: string;
  let bundle: string;

  beforeAll(async () => {
    // Outside the repository; its node_modules (PGlite, pino and @chancery/db's migrations and seed,
    // found through the package) is linked beside the bundle as it is beside apps/server/dist.
    dir = await mkdtemp(join(tmpdir(), 'chancery-build-'));
    await symlink(REPO_NODE_MODULES, join(dir, 'node_modules'));
    bundle = await buildServer({ outdir: join(dir, 'dist') });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the seed story from a fresh embedded database and exits 0 on SIGTERM', async () => {
    const server = startBuilt(bundle, { PORT: '0', CHANCERY_DATA_DIR: join(dir, 'pglite') });
    try {
      const url = await server.serving();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query Seed($slug: String!) { article(slug: $slug) { headline paragraphs { text } } }',
          variables: { slug: SEED_ARTICLE_SLUG },
        }),
      });
      expect(response.status).toBe(200);
      const { data, errors } = (await response.json()) as { data: unknown; errors?: unknown };
      expect(errors).toBeUndefined();
      expect(data).toEqual({
        article: {
          headline: seedStoryParts().headline,
          paragraphs: seedStoryParts().paragraphs.map((text) => ({ text })),
        },
      });

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output().stdout).toContain('Closed the database; stopped.');
      expect(server.output().stderr).toBe('');
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });

  it('refuses a bad setting with one line naming it, and no stack trace', async () => {
    const server = startBuilt(bundle, { PORT: 'abc', CHANCERY_DATA_DIR: join(dir, 'unused') });
    expect(await server.exited).toBe(1);
    const { stderr } = server.output();
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toMatch(/PORT="abc": must be a whole number from 0 to 65535/);
    expect(stderr).not.toMatch(/\bat /);
  });
});
