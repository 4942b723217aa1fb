import { databaseEnv, parseEnv } from '@chancery/db/config';
import { type Database, openDatabase } from '@chancery/db/database';

/**
 * Opens the database the environment names, as the CLI: through a running server's socket when a
 * server owns the embedded data directory, else directly. Always closes it after `work`.
 */
export async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const env = parseEnv(databaseEnv, process.env);
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.CHANCERY_DATA_DIR,
    role: 'cli',
  });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
