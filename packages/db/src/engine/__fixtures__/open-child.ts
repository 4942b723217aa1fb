/**
 * Test helper run in a child process (node --import tsx): opens the data directory like a separate
 * Chancery process would and reports on stdout as one JSON line per event.
 *   open-child.ts <dataDir> <role> hold      → {"event":"ready",...}; closes on SIGTERM / stdin end
 *   open-child.ts <dataDir> <role> insert <n> → inserts n into engine_child(n) and exits
 * On failure: {"event":"error","name":…,"message":…,"pid":…} and exit code 3.
 */
import { DataDirectoryLockedError } from '../lock.ts';
import type { SqlRole } from '../open.ts';
import { openSqlClient } from '../open.ts';

const [dataDir = '', role = 'server', action = 'hold', value = '0'] = process.argv.slice(2);
const say = (value: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(value)}\n`);

try {
  const client = await openSqlClient({ dataDir, role: role as SqlRole });
  if (action === 'insert') {
    const sql = 'insert into engine_child (n) values ($1)';
    if (client.kind === 'pg') await client.pool.query(sql, [Number(value)]);
    else await client.pglite.query(sql, [Number(value)]);
    say({ event: 'inserted', kind: client.kind, via: client.kind === 'pg' ? client.via : null });
    await client.close();
  } else {
    say({ event: 'ready', pid: process.pid, kind: client.kind });
    const stop = () => void client.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.stdin.once('end', stop);
    process.stdin.resume();
  }
} catch (error) {
  say({
    event: 'error',
    name: (error as Error).name,
    message: (error as Error).message,
    pid: error instanceof DataDirectoryLockedError ? error.pid : null,
  });
  process.exit(3);
}
