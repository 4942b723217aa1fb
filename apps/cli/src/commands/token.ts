// `chancery token create|list|revoke`: API tokens. The token is printed once, alone on stdout, so
// it can be captured (`TOKEN=$(chancery token create …)`); everything else goes to stderr.
import { migrate } from '@chancery/db/migrate';
import { createToken, listTokens, revokeToken, type TokenRecord } from '@chancery/db/tokens';
import { TOKEN_ROLES } from '@chancery/domain/viewer';
import { type Command, Option } from 'commander';
import { withDatabase } from '../database.ts';
import { minute, printTable } from '../table.ts';

export function registerTokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('Manage API tokens (clients send them as `Authorization: Bearer <token>`).');

  token
    .command('create')
    .description(
      'Create a token and print it once on stdout; only its hash is stored. reader: published content; ' +
        'editor: also drafts, and every change; admin: also purge.',
    )
    .requiredOption('--name <name>', 'a name to tell the token by, recorded on every change made with it')
    .addOption(
      new Option('--role <role>', 'what the token may do').choices(TOKEN_ROLES).makeOptionMandatory(),
    )
    .action((options: { name: string; role: string }) =>
      withDatabase(async (database) => {
        await migrate(database);
        const { token: secret, record } = await createToken(database.db, options);
        process.stdout.write(`${secret}\n`);
        console.error(
          `Created the ${record.role} token ${JSON.stringify(record.name)}. Store it now: it cannot be shown again.`,
        );
      }),
    );

  token
    .command('list')
    .description('List tokens: name, role, when created, last used and revoked. Never the tokens themselves.')
    .action(() =>
      withDatabase(async (database) => {
        await migrate(database);
        const records = await listTokens(database.db);
        if (records.length === 0) {
          console.log(
            'No tokens yet: `chancery token create --name NAME --role reader|editor|admin` makes one.',
          );
          return;
        }
        printTokens(records);
      }),
    );

  token
    .command('revoke')
    .description('Revoke the active token of that name: requests carrying it are refused from then on.')
    .argument('<name>', 'the name the token was created with')
    .action((name: string) =>
      withDatabase(async (database) => {
        await migrate(database);
        const record = await revokeToken(database.db, name);
        console.log(`Revoked the ${record.role} token ${JSON.stringify(record.name)}.`);
      }),
    );
}

function printTokens(records: TokenRecord[]): void {
  const rows = [
    ['NAME', 'ROLE', 'CREATED', 'LAST USED', 'STATUS'],
    ...records.map((r) => [
      r.name,
      r.role,
      minute(r.createdAt),
      minute(r.lastUsedAt),
      r.revokedAt ? `revoked ${minute(r.revokedAt)}` : 'active',
    ]),
  ];
  printTable(rows);
}
