// What survives when two records of one actor are merged: the target keeps its own fields and
// gains what only the source knew, so nothing said about either is lost.

export type MergeableActor = {
  name: string;
  aliases: string[];
  description: string | null;
  countryCode: string | null;
  wikidataId: string | null;
};

export type MergeableRole = {
  title: string;
  organizationId: string | null;
  startDate: string | null;
  endDate: string | null;
};

/** The target's fields after the merge: the source's name and aliases become aliases, gaps are filled. */
export function mergedActorFields(target: MergeableActor, source: MergeableActor): MergeableActor {
  const taken = new Set([target.name.toLowerCase(), ...target.aliases.map((a) => a.toLowerCase())]);
  const aliases = [...target.aliases];
  for (const alias of [source.name, ...source.aliases]) {
    const key = alias.toLowerCase();
    if (taken.has(key)) continue;
    taken.add(key);
    aliases.push(alias);
  }
  return {
    name: target.name,
    aliases,
    description: target.description ?? source.description,
    countryCode: target.countryCode ?? source.countryCode,
    wikidataId: target.wikidataId ?? source.wikidataId,
  };
}

/** The source's roles the target does not already hold, in order, to append to the target's. */
export function rolesToAdd<Role extends MergeableRole>(
  targetRoles: readonly Role[],
  sourceRoles: readonly Role[],
): Role[] {
  const key = (role: MergeableRole) =>
    JSON.stringify([role.title.toLowerCase(), role.organizationId, role.startDate, role.endDate]);
  const held = new Set(targetRoles.map(key));
  return sourceRoles.filter((role) => {
    const k = key(role);
    if (held.has(k)) return false;
    held.add(k);
    return true;
  });
}

/** Conflicting facts the merge cannot settle silently, or null. */
export function mergeProblem(
  target: { kind: string; wikidataId: string | null },
  source: { kind: string; wikidataId: string | null },
): string | null {
  if (target.kind !== source.kind) {
    return `the actors are of different kinds (${source.kind} and ${target.kind}); only records of one kind can be the same actor`;
  }
  if (target.wikidataId && source.wikidataId && target.wikidataId !== source.wikidataId) {
    return `the actors have different Wikidata IDs (${source.wikidataId} and ${target.wikidataId}), so they are different actors`;
  }
  return null;
}
