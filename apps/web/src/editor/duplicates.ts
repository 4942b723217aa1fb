// Likely duplicate actors: two records of one person, state or organization, as imports leave
// them ("Andrei Rudenko" beside "Andrey Rudenko"). Pure: actors in, pairs with a reason out.

export type ActorNames = { id: string; name: string; kind: string; aliases: readonly string[] };
export type DuplicatePair<A extends ActorNames> = { a: A; b: A; reason: string };

/** Case, accents and punctuation aside: "Müller, J." and "muller j" are one name. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Edits (insert, delete, substitute) from one string to the other, stopping past `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      best = Math.min(best, current[j]!);
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Pairs of actors of one kind that are likely one: a name or alias in common (once normalized),
 * or names a letter or two apart (spelling, transliteration) when long enough to tell.
 */
export function likelyDuplicates<A extends ActorNames>(actors: readonly A[]): DuplicatePair<A>[] {
  const pairs: DuplicatePair<A>[] = [];
  const names = actors.map((actor) => ({
    actor,
    name: normalizeName(actor.name),
    all: new Set([actor.name, ...actor.aliases].map(normalizeName).filter((n) => n !== '')),
  }));
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const x = names[i]!;
      const y = names[j]!;
      if (x.actor.kind !== y.actor.kind) continue;
      const shared = [...x.all].find((name) => y.all.has(name));
      if (shared !== undefined) {
        pairs.push({ a: x.actor, b: y.actor, reason: `both are called “${shared}”` });
        continue;
      }
      const shorter = Math.min(x.name.length, y.name.length);
      const allowed = shorter >= 12 ? 2 : shorter >= 6 ? 1 : 0;
      if (allowed > 0 && editDistance(x.name, y.name, allowed) <= allowed)
        pairs.push({ a: x.actor, b: y.actor, reason: 'their names differ by a letter or two' });
    }
  return pairs;
}
