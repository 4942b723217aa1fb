// `npm run build`: compiles src/main.ts and everything it imports (the other workspaces included) into
// one ES module, dist/main.mjs, that plain `node` runs. Under tsx the loader's thread and its cache
// of transformed sources cost ~100 MiB of RSS (docs/benchmarks.md); production runs this build.
//
// Kept external, loaded from node_modules at run time:
// - @electric-sql/pglite finds its WASM and data files next to its own module;
// - pg-native is pg's optional native binding, loaded only when asked for, and not installed;
// - pino starts transports (pino-pretty, files) on a worker thread from files it names by __dirname,
//   which a bundled ES module lacks: pino.transport() would throw. Chancery writes to stdout and uses
//   none, but one added later keeps working;
// - @apollo/utils.createhash uses node:crypto only when `module.require` exists, which bundled
//   CommonJS lacks: bundled, it hashes every request's document in JavaScript (sha.js).
// prom-client is plain CommonJS with nothing to find on disk, so it is bundled.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Writes <outdir>/main.mjs (and its map); `entry` lets the bench bundle its own server the same way. */
export async function buildServer(options: { outdir?: string; entry?: string } = {}): Promise<string> {
  const outfile = `${options.outdir ?? `${SERVER_DIR}dist`}/main.mjs`;
  await build({
    entryPoints: [options.entry ?? `${SERVER_DIR}src/main.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@electric-sql/pglite', 'pg-native', 'pino', '@apollo/utils.createhash'],
    // Bundled CommonJS modules call require(); an ES module has none unless we make one. The import
    // is renamed so that it cannot clash with the bundle's own imports of createRequire.
    banner: {
      js: "import { createRequire as createBannerRequire } from 'node:module'; const require = createBannerRequire(import.meta.url);",
    },
    // For debugging with `node --enable-source-maps` (stack traces then name src/*.ts lines). Not on
    // by default: the first stack trace Node maps decodes the whole map and RSS grows by ~75 MiB for
    // good. Unmapped, frames still carry function names (nothing is minified) and point into
    // main.mjs, where a comment heads each source file. Mappings only; the sources are in the repo.
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = await buildServer();
  console.log(`Wrote ${outfile}`);
}
