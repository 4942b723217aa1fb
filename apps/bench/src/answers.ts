// Comparing answers across servers. The floor answers Chancery's JSON exactly (deep-equal `data`).
// PostGraphile names things its own way and encodes IDs its own way, so both answers are reduced to
// what they say — which rows, in which order — and those are compared.
import { decodeGlobalId } from '@chancery/domain/global-id';
import type { ScenarioId } from './scenarios.ts';

type Json = any;

/** The uuid inside a Chancery ID (base64url of "Type:uuid") or a PostGraphile v5 one (base64 of ["type", uuid]). */
export function uuidOf(globalId: string): string {
  const chancery = decodeGlobalId(globalId);
  if (chancery) return chancery.id;
  const decoded = JSON.parse(Buffer.from(globalId, 'base64').toString('utf8')) as unknown;
  const last = Array.isArray(decoded) ? decoded[decoded.length - 1] : null;
  if (typeof last !== 'string') throw new Error(`${globalId} is neither a Chancery nor a PostGraphile ID.`);
  return last;
}

const nodes = (connection: Json): Json[] => connection?.nodes ?? [];

/** What a server's `data` says for a scenario, in a form both servers' answers reduce to. */
export function comparableAnswer(scenario: ScenarioId, server: 'chancery' | 'peer', data: Json): Json {
  const peer = server === 'peer';
  switch (scenario) {
    case 'latest':
      return nodes(peer ? data.allStatements : data.statements).map((s) => ({
        id: uuidOf(s.id),
        text: s.text,
        saidOn: s.saidOn,
        speaker: (peer ? s.actorBySpeakerId : s.speaker)?.name ?? null,
        headline: (peer ? s.articleByArticleId : s.source.article).headline,
      }));
    case 'actor-page': {
      const actor = peer ? data.actorBySlug : data.actor;
      if (!actor) return null;
      const statements = peer ? actor.statementsBySpeakerId : actor.statements;
      return {
        name: actor.name,
        roles: (peer ? nodes(actor.actorRolesByActorId) : actor.roles).map((r: Json) => r.title),
        totalCount: statements.totalCount,
        statements: nodes(statements).map((s) => ({
          id: uuidOf(s.id),
          text: s.text,
          saidOn: s.saidOn,
          headline: (peer ? s.articleByArticleId : s.source.article).headline,
        })),
      };
    }
    case 'treaties':
      // PostGraphile cannot order parties by position nor a provision's statements by date (it
      // orders by indexed columns only, and reaches them through the link table): parties are
      // compared as a set, statements by how many each provision shows.
      return nodes(peer ? data.allTreaties : data.treaties).map((t) => ({
        title: t.title,
        parties: (peer ? nodes(t.treatyPartiesByTreatyId).map((p) => p.actorByActorId) : t.parties)
          .map((p: Json) => p.name)
          .sort(),
        provisions: (peer ? nodes(t.treatyProvisionsByTreatyId) : t.provisions).map((p: Json) => ({
          number: p.number,
          statements: nodes(peer ? p.statementProvisionsByProvisionId : p.statements).length,
        })),
      }));
  }
}

/** The first difference between two JSON values, as a path and both values; null when equal. */
export function firstDifference(a: Json, b: Json, path = '$'): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: an array and an object`;
  if (Array.isArray(a) && a.length !== b.length) return `${path}: ${a.length} items ≠ ${b.length}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (!(key in a) || !(key in b)) return `${path}.${key}: present on one side only`;
    const difference = firstDifference(
      a[key],
      b[key],
      Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`,
    );
    if (difference) return difference;
  }
  return null;
}
