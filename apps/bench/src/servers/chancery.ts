// Chancery as the benchmark runs it: what apps/server/src/main.ts does (open the database, apply
// migrations, load the seed, createServer in production mode, listen), on a free port, printing
// one JSON ready line. BENCH_RESPONSE_CACHE_MB > 0 turns the response cache on with that many MiB
// (main.ts: CHANCERY_RESPONSE_CACHE_MB); unset or 0, it is off. BENCH_VARIANT selects a prototype
// server from ./variant-server.ts instead. CHANCERY_MAX_SOCKETS_PER_ADDRESS, as main.ts reads it,
// lets the subscribers bench open its thousand sockets from one address.
import { openDatabase } from '@chancery/db/database';
import { migrate } from '@chancery/db/migrate';
import { loadSeed } from '@chancery/db/seed';
import { type ChanceryServerOptions, createServer } from '@chancery/server/server';

const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.CHANCERY_DATA_DIR ?? './data/pglite',
  role: 'server',
});
await migrate(database);
await loadSeed(database.db);

const variant = process.env.BENCH_VARIANT?.trim();
const cacheMiB = Number(process.env.BENCH_RESPONSE_CACHE_MB ?? 0);
const maxSocketsPerAddress = Number(process.env.CHANCERY_MAX_SOCKETS_PER_ADDRESS ?? 0);
const serverOptions = {
  production: true,
  responseCache: cacheMiB > 0 ? { maxBytes: Math.round(cacheMiB * 1024 * 1024) } : undefined,
  live: maxSocketsPerAddress > 0 ? { maxSocketsPerAddress } : undefined,
} satisfies Omit<ChanceryServerOptions, 'database'>;
const server =
  variant && variant !== 'baseline'
    ? await (await import('./variant-server.ts')).createVariantServer({ database, variant, serverOptions })
    : await createServer({ database, ...serverOptions });
const url = await server.listen(0, '127.0.0.1');
console.log(JSON.stringify({ ready: true, url, variant: variant ?? 'baseline', responseCacheMiB: cacheMiB }));

// BENCH_PROFILE_FILE: SIGUSR2 starts the CPU profiler (after the warm-up), stopping writes it.
const profileFile = process.env.BENCH_PROFILE_FILE;
let stopProfile: (() => Promise<void>) | null = null;
if (profileFile) {
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  process.on('SIGUSR2', () => {
    const session = new Session();
    session.connect();
    void (async () => {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      stopProfile = async () => {
        const { profile } = await session.post('Profiler.stop');
        await writeFile(profileFile, JSON.stringify(profile));
      };
    })();
  });
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stopProfile?.();
  await server.stop();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
