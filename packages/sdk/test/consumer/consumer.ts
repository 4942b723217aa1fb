// A consumer of the built package, as another project would use it: only the package's public
// entry points, resolved through its `exports` map to dist/. test/package.test.ts type-checks this
// file against the emitted .d.ts files (so a wrong type fails the test) and then runs it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createChanceryClient } from '@chancery/sdk';
import { ChanceryError } from '@chancery/sdk/errors';
import { StatementsDocument, type StatementsQuery } from '@chancery/sdk/graphql';
import { operations } from '@chancery/sdk/operations';

const [url, speakerId] = process.argv.slice(2) as [string, string];
const client = createChanceryClient({ url });

// The example of the issue: full types, no null checks on what is never null.
const { statements } = await client.statements({ filter: { speakerId } });
const texts: string[] = statements.nodes.map((statement) => statement.text);
const speakers: (string | undefined)[] = statements.nodes.map((statement) => statement.speaker?.name);

// Any GraphQL client takes the TypedDocumentNodes; ours does too.
const again: StatementsQuery = await client.request(StatementsDocument, { first: 1 });

const pages: number[] = [];
for await (const page of client.paginate('actors', { first: 2 })) pages.push(page.actors.nodes.length);

const failure = await client.treaty({ slug: 'no-such-treaty', id: 'both' }).catch((error: unknown) => error);
const code = failure instanceof ChanceryError ? failure.code : null;

const require = createRequire(import.meta.url);
const manifest: Record<string, string> = JSON.parse(
  readFileSync(require.resolve('@chancery/sdk/persisted-documents.json'), 'utf8'),
);

console.log(
  JSON.stringify({
    texts: texts.length,
    speakers,
    again: again.statements.nodes.length,
    pages,
    code,
    manifest: Object.keys(manifest).length === Object.keys(operations).length,
  }),
);

// Never called: these lines only have to type-check — or, marked, fail to.
export async function typeErrors(): Promise<void> {
  // @ts-expect-error `kind` is a StatementKind: DIRECT or INDIRECT.
  await client.statements({ filter: { kind: 'QUOTE' } });
  // @ts-expect-error a statement is looked up by its id, which is required.
  await client.statement();
  // @ts-expect-error there is no such operation.
  await client.speeches();
  const { treaty } = await client.treaty({ slug: 'x' });
  // @ts-expect-error the treaty may not exist.
  treaty.title;
  // @ts-expect-error paginate takes only operations with an `$after` variable.
  client.paginate('treaty', { slug: 'x' });
}
