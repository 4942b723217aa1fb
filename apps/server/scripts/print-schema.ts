// Prints the GraphQL schema to apps/server/schema.graphql (the turbo `generate` task). The file is
// committed: clients and the SDK build from it, and a test fails when it is out of date.
import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.ts';

export const SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

writeFileSync(SCHEMA_FILE, `${printSchema(schema)}\n`);
console.log(`Wrote ${SCHEMA_FILE.pathname}`);
