// CPU per operation of one read scenario, in this process: the server's schema, Apollo's pipeline,
// Pothos, drizzle and pg against a database that holds data, without HTTP or a load generator. For
// A/B comparisons of a change to the server or to a patched package: run it alternately with and
// without the change (e.g. swapping a file in node_modules between runs), a few times each, on a
// quiet machine; a figure alone means little. Run with NODE_ENV=production, as deployed (graphql-js
// checks more in development).
//
//   NODE_ENV=production npx tsx apps/bench/src/in-process.ts --database-url postgres://…/db
//     [--scenario latest|actor-page|treaties] [--operations 1000] [--compiled-reads on|off]
//   (or --data-dir ./data/pglite instead of --database-url for a PGlite data directory)
//
// Add `node --cpu-prof` (`npx tsx` → `node --cpu-prof --import tsx`) for a profile of the same work.

import { openDatabase } from '@chancery/db/database';
import { rows } from '@chancery/db/repositories/sql';
import { createRequestContext } from '@chancery/server/context';
import { createServer } from '@chancery/server/server';
import { sql } from 'drizzle-orm';
import { commandLine } from './options.ts';
import { scenarioById } from './scenarios.ts';
import { IN_PROCESS_SERVER } from './setup.ts';

const { values, fail, number } = commandLine('in-process', {
  'database-url': { type: 'string', default: process.env.DATABASE_URL },
  'data-dir': { type: 'string' },
  scenario: { type: 'string', default: 'latest' },
  operations: { type: 'string' },
  'compiled-reads': { type: 'string', default: 'on' },
});
const databaseUrl = values['database-url'];
const dataDir = values['data-dir'];
if (!databaseUrl && !dataDir)
  fail('--database-url postgres://… or --data-dir (a database that holds data) is required.');
const scenario = (() => {
  try {
    return scenarioById(values.scenario);
  } catch (error) {
    return fail(`--scenario: ${(error as Error).message}`);
  }
})();
const operations = number('operations', 1000);
if (!['on', 'off'].includes(values['compiled-reads']))
  fail(`--compiled-reads must be on or off; got ${values['compiled-reads']}.`);
const compiledReads = values['compiled-reads'] === 'on';

const database = await openDatabase({ databaseUrl, dataDir: dataDir ?? '', role: 'server' });
// Nothing in the background: the process spends its CPU on the operations alone.
const server = await createServer({
  database,
  ...IN_PROCESS_SERVER,
  ...(compiledReads ? {} : { compiledReads: false }),
});
try {
  const [busiest] = await rows<{ slug: string }>(
    database.db,
    sql`select a.slug from actors a join statements s on s.speaker_id = a.id
        group by a.slug order by count(*) desc limit 1`,
  );
  const variables = scenario.variables({ busiestSpeakerSlug: busiest?.slug ?? '' });
  const run = async () => {
    const contextValue = await createRequestContext({ db: database.db, headers: new Map<string, string>() });
    const response = await server.apollo.executeOperation(
      { query: scenario.query, variables },
      { contextValue },
    );
    if (response.body.kind !== 'single' || response.body.singleResult.errors)
      throw new Error(`${scenario.id}: ${JSON.stringify(response.body)}`);
  };
  // Warm-up: prepared statements, the document cache, the JIT.
  for (let i = 0; i < Math.max(10, operations / 3); i++) await run();
  const before = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < operations; i++) await run();
  const cpu = process.cpuUsage(before);
  const wall = performance.now() - started;
  console.log(
    JSON.stringify({
      scenario: scenario.id,
      operations,
      cpuMsPerOperation: Number(((cpu.user + cpu.system) / 1000 / operations).toFixed(3)),
      wallMsPerOperation: Number((wall / operations).toFixed(3)),
    }),
  );
} finally {
  await server.stop();
  await database.close();
}
