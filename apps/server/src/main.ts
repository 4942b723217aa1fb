// `npm start`: open the database (embedded PGlite unless DATABASE_URL is set), apply migrations,
// load the seed story, and serve GraphQL until SIGINT/SIGTERM.
import { ConfigError } from '@chancery/db/config';
import { openDatabase } from '@chancery/db/database';
import { DataDirectoryLockedError } from '@chancery/db/engine/lock';
import { migrate } from '@chancery/db/migrate';
import { loadSeed } from '@chancery/db/seed';
import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    role: 'server',
  });
  const { applied } = await migrate(database);
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);
  const seed = await loadSeed(database.db);
  if (seed.created) console.log('Loaded the seed story.');

  const server = await createServer({ database, production: config.production });
  const url = await server.listen(config.port, config.host);
  const where = database.engine === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL';
  console.log(`Chancery is serving ${url} (database: ${where})`);
  if (!config.production) console.log(`Open ${url} in a browser for Apollo Sandbox.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests, then closing the database.`);
    await server.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirectoryLockedError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
