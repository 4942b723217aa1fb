// The `bundle` variant: the bench's Chancery entry compiled to one JavaScript file by esbuild (the
// bundler tsx already brings) and run by plain `node`, without the tsx loader, to measure what
// running TypeScript through tsx costs in production. Modules that find files next to themselves
// (migrations, seed story, PGlite's WASM) need the layout they expect: the bundle sits in
// <dir>/src/, with <dir>/migrations and <dir>/seed linked to packages/db's, and PGlite, pg's
// native binding, pino and prom-client stay external.
import { execFileSync } from 'node:child_process';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function buildBundle(repo: string, entry: string): Promise<string> {
  const dir = join(tmpdir(), `chancery-bench-bundle-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'src'), { recursive: true });
  for (const name of ['migrations', 'seed']) await symlink(join(repo, 'packages/db', name), join(dir, name));
  await symlink(join(repo, 'node_modules'), join(dir, 'node_modules'));
  const outfile = join(dir, 'src', 'chancery.mjs');
  execFileSync(
    join(repo, 'node_modules/.bin/esbuild'),
    [
      entry,
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node20',
      '--log-level=error',
      ...['@electric-sql/pglite', 'pg-native', 'pino', 'prom-client'].map((m) => `--external:${m}`),
      "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      `--outfile=${outfile}`,
    ],
    { stdio: 'inherit' },
  );
  return outfile;
}
