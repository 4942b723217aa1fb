// PostGraphile v5, the peer: installed on demand (it needs Node 22; the npm registry's `node`
// package ships that binary) into apps/bench/.peer, which git ignores, never into the product's
// dependencies. When it cannot be installed (no registry), the run goes on without it and says so.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));

/** Pinned: a run measures the same PostGraphile until someone changes these. */
export const PEER_PACKAGES = { node: '22.23.3', postgraphile: '5.1.5', pg: '8.16.3' } as const;

export const PEER_DIR = join(HERE, '../.peer');

export type Peer = { node: string; entry: string; version: string };

/** Node 22 and PostGraphile in apps/bench/.peer (installed unless there already), or why not. */
export async function installPeer(log: (line: string) => void): Promise<Peer | { unavailable: string }> {
  const node = join(PEER_DIR, 'node_modules/.bin/node');
  const entry = join(PEER_DIR, 'server.mjs');
  const stamp = join(PEER_DIR, 'installed.json');
  const want = JSON.stringify(PEER_PACKAGES);
  try {
    if (!existsSync(stamp) || (await readFile(stamp, 'utf8')) !== want) {
      log(
        `peer: installing ${Object.entries(PEER_PACKAGES)
          .map(([n, v]) => `${n}@${v}`)
          .join(' ')} into ${PEER_DIR}`,
      );
      await mkdir(PEER_DIR, { recursive: true });
      await run(
        'npm',
        [
          'install',
          '--prefix',
          PEER_DIR,
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          ...Object.entries(PEER_PACKAGES).map(([name, version]) => `${name}@${version}`),
        ],
        { timeout: 600_000 },
      );
      await writeFile(stamp, want);
    }
    // Next to its node_modules, so that its imports resolve there.
    await copyFile(join(HERE, 'peer/postgraphile-server.mjs'), entry);
    const { stdout } = await run(node, ['--version']);
    return {
      node,
      entry,
      version: `PostGraphile ${PEER_PACKAGES.postgraphile} (Amber preset) on Node ${stdout.trim()}`,
    };
  } catch (error) {
    const reason = (error as { stderr?: string; message: string }).stderr?.trim() || (error as Error).message;
    return {
      unavailable: `PostGraphile could not be installed (${reason.split('\n')[0]}); the run goes on without it.`,
    };
  }
}
