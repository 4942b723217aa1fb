import { ConfigError } from '@chancery/db/config';
import { DataDirectoryLockedError } from '@chancery/db/engine/lock';
import { migrate, migrationStatus } from '@chancery/db/migrate';
import { loadSeed } from '@chancery/db/seed';
import { DomainError } from '@chancery/domain/errors';
import { Command, CommanderError } from 'commander';
import { registerExportCommand } from './commands/export.ts';
import { registerGenerateCommand } from './commands/generate.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerTokenCommands } from './commands/token.ts';
import { registerWatchCommand } from './commands/watch.ts';
import { registerWebhookCommands } from './commands/webhook.ts';
import { withDatabase } from './database.ts';

const program = new Command('chancery')
  .description(
    'Manage a Chancery database. Uses DATABASE_URL when set, otherwise the embedded database in ' +
      'CHANCERY_DATA_DIR (default ./data/pglite), through the running server when there is one.',
  )
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

program
  .command('migrate')
  .description('Apply pending schema migrations (idempotent).')
  .action(() =>
    withDatabase(async (database) => {
      const { applied } = await migrate(database);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Up to date: no pending migrations.');
    }),
  );

program
  .command('seed')
  .description(
    'Load the seed story (TASS, 24 October 2024) as curated records; loading twice changes nothing.',
  )
  .action(() =>
    withDatabase(async (database) => {
      await migrate(database);
      const { created } = await loadSeed(database.db);
      console.log(created ? 'Loaded the seed story.' : 'The seed story is already loaded; nothing changed.');
    }),
  );

program
  .command('db:status')
  .description('Show which database is in use and which migrations are applied.')
  .action(() =>
    withDatabase(async (database) => {
      const where =
        database.via === 'server'
          ? 'PostgreSQL server (DATABASE_URL)'
          : database.via === 'socket'
            ? 'embedded PGlite, through the running server'
            : 'embedded PGlite, opened directly';
      console.log(`Database: ${where}`);
      const states = await migrationStatus(database);
      for (const state of states) {
        console.log(
          `  ${state.appliedAt ? 'applied' : 'pending'}  ${state.name}${state.appliedAt ? `  ${state.appliedAt}` : ''}`,
        );
      }
      const pending = states.filter((s) => !s.appliedAt).length;
      console.log(pending ? `${pending} pending: run \`chancery migrate\`.` : 'Up to date.');
    }),
  );

registerTokenCommands(program);
registerImportCommand(program);
registerExportCommand(program);
registerGenerateCommand(program);
registerWatchCommand(program);
registerWebhookCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed the problem (or the help text).
    process.exitCode = error.exitCode;
  } else if (
    error instanceof ConfigError ||
    error instanceof DataDirectoryLockedError ||
    error instanceof DomainError
  ) {
    console.error(`chancery: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
