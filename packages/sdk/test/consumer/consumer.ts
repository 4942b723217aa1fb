// A consumer of the built package, as another project would use it: only the package's public
// entry points, resolved through its `exports` map to dist/. test/package.test.ts type-checks this
// file against the emitted .d.ts files (so a wrong type fails the test) and then runs it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createChanceryClient } from '@chancery/sdk';
import { createChanceryCoreClient } from '@chancery/sdk/core';
import { StatementDocument } from '@chancery/sdk/documents/Statement';
import { StatementsDocument as StatementsText } from '@chancery/sdk/documents/Statements';
import { ChanceryError } from '@chancery/sdk/errors';
import { StatementsDocument, type StatementsQuery } from '@chancery/sdk/graphql';
import { operations } from '@chancery/sdk/operations';

const [url, speakerId, editorToken] = process.argv.slice(2) as [string, string, string];
const client = createChanceryClient({ url });
const editor = createChanceryClient({ url, token: editorToken });

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

// A mutation's result is a union: `__typename` narrows it to the payload or one typed error.
const { createActor } = await editor.createActor({
  input: { name: ' ', kind: 'PERSON', countryCode: 'Russia' },
});
let invalid: string[] = [];
switch (createActor.__typename) {
  case 'ActorPayload':
    throw new Error(`created ${createActor.actor.slug} at version ${createActor.actor.version}`);
  case 'ValidationError':
    invalid = createActor.fieldErrors.map((error) => error.path.join('.'));
    break;
  case 'ConflictError':
  case 'NotFoundError':
    throw new Error(createActor.message);
}

// The core client with only the documents it runs: what a bundle that should stay small imports.
const core = createChanceryCoreClient({ url });
const lean: StatementsQuery = await core.request(StatementsText, { filter: { speakerId }, first: 2 });

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
    invalid,
    lean: lean.statements.nodes.map((s) => s.speaker?.name),
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
  const { updateActor } = await editor.updateActor({ id: 'x', expectedVersion: 1, input: { name: 'Y' } });
  // @ts-expect-error only the ActorPayload member has the actor: narrow on __typename first.
  updateActor.actor;
  if (updateActor.__typename === 'ConflictError') {
    const current: number = updateActor.currentVersion;
    // @ts-expect-error a ConflictError has no fieldErrors.
    updateActor.fieldErrors;
    await editor.updateActor({ id: 'x', expectedVersion: current, input: { name: 'Y' } });
  }
  // @ts-expect-error the core client checks an SDK document's variables too.
  await core.request(StatementDocument, {});
  const { statement: found } = await core.request(StatementDocument, { id: 'x' });
  // @ts-expect-error the statement may not exist.
  found.text;
  // @ts-expect-error an update names the version it read.
  await editor.updateActor({ id: 'x', input: { name: 'Y' } });
}
