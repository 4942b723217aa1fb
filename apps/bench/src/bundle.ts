// Chancery as `npm start` runs it: compiled by the server's own build (apps/server/scripts/build.ts)
// and run by plain `node`, without the tsx loader. The bench compiles its own entry
// (servers/chancery.ts, main.ts plus the bench's hooks) the same way into a temporary directory,
// with node_modules linked beside it for the packages the build leaves external (PGlite, pino).
import { mkdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '@chancery/server/build';

/** Compiles `entry`; returns the file to run with plain node. */
export async function buildBundle(repo: string, entry: string): Promise<string> {
  const dir = join(tmpdir(), `chancery-bench-bundle-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await symlink(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return buildServer({ entry, outdir: dir });
}
