// `npm run schema:check`: compares apps/server/schema.graphql with the last released schema
// (packages/sdk/schema.released.graphql) and exits 1 on a breaking change that
// packages/sdk/schema-acknowledged.json does not accept.
// `npm run schema:release -w @chancery/sdk`: records the current schema as released and clears the
// acknowledgements (do it when an SDK version ships).
import { readFileSync, writeFileSync } from 'node:fs';
import { compareSchemas, describeReport } from './schema-compat.ts';

const CURRENT = new URL('../../../apps/server/schema.graphql', import.meta.url);
const RELEASED = new URL('../schema.released.graphql', import.meta.url);
const ACKNOWLEDGED = new URL('../schema-acknowledged.json', import.meta.url);

const current = readFileSync(CURRENT, 'utf8');
const report = await compareSchemas({
  released: readFileSync(RELEASED, 'utf8'),
  current,
  acknowledgements: JSON.parse(readFileSync(ACKNOWLEDGED, 'utf8')),
});
console.log(describeReport(report).join('\n'));

if (process.argv.includes('--release')) {
  if (!report.ok) {
    console.error('Not released: resolve the problems above first.');
    process.exit(1);
  }
  writeFileSync(RELEASED, current);
  writeFileSync(ACKNOWLEDGED, `${JSON.stringify({ acknowledged: [] }, null, 2)}\n`);
  console.log(`Recorded ${CURRENT.pathname} as the released schema.`);
} else if (!report.ok) {
  process.exit(1);
}
