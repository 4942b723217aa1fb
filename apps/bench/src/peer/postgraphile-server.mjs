// PostGraphile v5 as the bench's peer: the Amber preset in production mode (no GraphiQL, no
// watch, no explain), pointed at the bench's PostgreSQL database, on node:http, printing one JSON
// ready line as the bench's own servers do. Run by the Node 22 that peer.ts installs beside
// PostGraphile (apps/bench/.peer, git-ignored), never by the product's Node.
//
// Env: DATABASE_URL, BENCH_PEER_POOL (connections), BENCH_PEER_SCHEMA_FILE (when set: write the
// printed schema there and exit).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { printSchema } from 'postgraphile/graphql';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.BENCH_PEER_POOL ?? 32),
});
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ pool, schemas: ['public'] })],
  grafserv: { graphiql: false, watch: false, graphqlOverGET: false },
  grafast: { explain: false },
});

const schemaFile = process.env.BENCH_PEER_SCHEMA_FILE;
if (schemaFile) {
  writeFileSync(schemaFile, printSchema(await pgl.getSchema()));
  await pgl.release();
  await pool.end();
  process.exit(0);
}

const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
await serv.ready();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${port}/graphql` }));
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  void pgl
    .release()
    .then(() => pool.end())
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
