// Variables for every SDK operation, on the seed story. The type names each operation, so adding
// an operation to src/operations fails the typecheck until it has variables here — and then the
// tests run it.
import type { ChanceryClient, OperationName, OperationVariables } from '../src/client.ts';

export const SEED = {
  article: 'tass-2024-10-24-russia-dprk-treaty',
  partnership: 'russia-dprk-comprehensive-strategic-partnership-treaty',
  charter: 'charter-of-the-united-nations',
  rudenko: 'andrey-rudenko',
  northKorea: 'north-korea',
} as const;

export type SeedIds = { actorId: string; treatyId: string; statementId: string; articleId: string };

/** Looks up the global ids the samples need, through the SDK itself. */
export async function seedIds(client: ChanceryClient): Promise<SeedIds> {
  const { actor } = await client.actor({ slug: SEED.rudenko, listSize: 1 });
  const { treaty } = await client.treaty({ slug: SEED.partnership, listSize: 1 });
  return {
    actorId: actor!.id,
    treatyId: treaty!.id,
    statementId: actor!.statements.nodes[0]!.id,
    articleId: actor!.mentionedIn.nodes[0]!.id,
  };
}

export function sampleVariables(ids: SeedIds): { [N in OperationName]: OperationVariables<N> } {
  return {
    actor: { slug: SEED.rudenko },
    actors: { first: 10, filter: { kind: 'PERSON' }, orderBy: 'NAME_ASC' },
    article: { slug: SEED.article },
    articles: { first: 10, filter: { mentionsActorId: ids.actorId } },
    node: { id: ids.treatyId },
    nodes: { ids: [ids.actorId, ids.statementId, ids.articleId] },
    readerArticle: { slug: SEED.article },
    readerSearch: { query: 'Article 4', first: 10, filter: { treatyId: ids.treatyId } },
    readerStatements: { first: 10, filter: { speakerId: ids.actorId }, orderBy: 'SAID_ON_DESC' },
    readerTreaty: { slug: SEED.partnership },
    statement: { id: ids.statementId },
    statements: { first: 10, filter: { speakerId: ids.actorId }, orderBy: 'READING_ORDER' },
    treaties: { first: 10, filter: { partyId: ids.actorId } },
    treaty: { slug: SEED.partnership },
    treatyProvision: { treatySlug: SEED.partnership, number: '4' },
  };
}

/** Runs every SDK operation once with its sample variables; returns the data by operation. */
export async function runEveryOperation(
  client: ChanceryClient,
  ids: SeedIds,
): Promise<Record<OperationName, unknown>> {
  const variables = sampleVariables(ids);
  const results = {} as Record<OperationName, unknown>;
  for (const name of Object.keys(variables) as OperationName[]) {
    const call = client[name] as (variables: unknown) => Promise<unknown>;
    results[name] = await call(variables[name]);
  }
  return results;
}
