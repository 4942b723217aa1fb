// What the importer knows of the records already stored: actors by every name and alias, treaties
// by their titles, provisions by number. Loaded once per import session and then kept current
// incrementally (rows changed since the last look, with a margin for transactions that were still
// open then), so a batch of ten thousand stories does not read every actor ten thousand times.
import type { ActorKind } from '@chancery/domain/model';
import { slugify } from '@chancery/domain/slug';
import type { KnownActor } from '@chancery/domain/wire/types';
import { sql } from 'drizzle-orm';
import { type Queryable, rows } from '../repositories/sql.ts';
import { firstWordKey, nameKey, titleKey, wordKeys } from './names.ts';

export type CatalogActor = { id: string; slug: string; name: string; kind: ActorKind; aliases: string[] };
export type CatalogTreaty = { id: string; slug: string; title: string; shortTitle: string | null };
export type CatalogProvision = {
  id: string;
  treatyId: string;
  number: string;
  position: number;
  deleted: boolean;
};

/** How long a transaction may have been open when its rows became visible (updated_at is its start). */
const REFRESH_MARGIN_SECONDS = 10;
/** Between two stories, look for changes at most this often. */
const REFRESH_INTERVAL_MS = 5_000;

const addTo = <K, V>(map: Map<K, Set<V>>, key: K, value: V) => {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
};

export class Catalog {
  private readonly actors = new Map<string, CatalogActor>();
  private readonly actorsByName = new Map<string, Set<string>>();
  private readonly actorsByAlias = new Map<string, Set<string>>();
  private readonly actorsByFirstWord = new Map<string, Set<string>>();
  private readonly treaties = new Map<string, CatalogTreaty>();
  private readonly treatiesByKey = new Map<string, Set<string>>();
  private readonly provisions = new Map<string, Map<string, CatalogProvision>>();
  private readonly provisionIds = new Map<string, CatalogProvision>();
  /** Articles by content hash, and those stored without one by headline: the same-story lookup. */
  private readonly articlesByHash = new Map<string, Set<string>>();
  private readonly unhashedByHeadline = new Map<string, Set<string>>();
  private readonly articleKeys = new Map<string, { hash: string | null; headline: string }>();
  private since: string | null = null;
  private lastRefresh = 0;

  /** Loads everything (the first time) or what changed since the last look. */
  async refresh(db: Queryable, options: { force?: boolean } = {}): Promise<void> {
    if (!options.force && this.since !== null && Date.now() - this.lastRefresh < REFRESH_INTERVAL_MS) return;
    const [mark] = await rows<{ mark: string }>(
      db,
      sql`select (statement_timestamp() - make_interval(secs => ${REFRESH_MARGIN_SECONDS}))::text as mark`,
    );
    const changed = this.since === null ? sql`true` : sql`updated_at >= ${this.since}::timestamptz`;
    const actorRows = await rows<CatalogActor & { deleted: boolean }>(
      db,
      sql`select id, slug, name, kind, aliases, deleted_at is not null as deleted from actors where ${changed}`,
    );
    for (const row of actorRows) {
      this.forgetActor(row.id);
      if (!row.deleted) this.addActor(row);
    }
    const treatyRows = await rows<CatalogTreaty & { deleted: boolean }>(
      db,
      sql`select id, slug, title, short_title as "shortTitle", deleted_at is not null as deleted from treaties where ${changed}`,
    );
    for (const row of treatyRows) {
      this.forgetTreaty(row.id);
      if (!row.deleted) this.addTreaty(row);
    }
    const provisionRows = await rows<CatalogProvision>(
      db,
      sql`select id, treaty_id as "treatyId", number, position, deleted_at is not null as deleted from treaty_provisions where ${changed}`,
    );
    for (const row of provisionRows) this.addProvision(row);
    const articleRows = await rows<{ id: string; hash: string | null; headline: string }>(
      db,
      sql`select id, content_hash as hash, headline from articles where ${changed}`,
    );
    for (const row of articleRows) this.addArticle(row);
    this.since = mark?.mark ?? null;
    this.lastRefresh = Date.now();
  }

  addActor(actor: CatalogActor): void {
    this.forgetActor(actor.id);
    this.actors.set(actor.id, actor);
    addTo(this.actorsByName, nameKey(actor.name), actor.id);
    for (const alias of actor.aliases) addTo(this.actorsByAlias, nameKey(alias), actor.id);
    for (const form of [actor.name, ...actor.aliases])
      addTo(this.actorsByFirstWord, firstWordKey(form), actor.id);
  }

  private forgetActor(id: string): void {
    const actor = this.actors.get(id);
    if (!actor) return;
    this.actors.delete(id);
    this.actorsByName.get(nameKey(actor.name))?.delete(id);
    for (const alias of actor.aliases) this.actorsByAlias.get(nameKey(alias))?.delete(id);
    for (const form of [actor.name, ...actor.aliases])
      this.actorsByFirstWord.get(firstWordKey(form))?.delete(id);
  }

  addTreaty(treaty: CatalogTreaty): void {
    this.forgetTreaty(treaty.id);
    this.treaties.set(treaty.id, treaty);
    for (const key of treatyKeys(treaty)) addTo(this.treatiesByKey, key, treaty.id);
  }

  private forgetTreaty(id: string): void {
    const treaty = this.treaties.get(id);
    if (!treaty) return;
    this.treaties.delete(id);
    for (const key of treatyKeys(treaty)) this.treatiesByKey.get(key)?.delete(id);
  }

  addProvision(provision: CatalogProvision): void {
    const previous = this.provisionIds.get(provision.id);
    if (previous) this.provisions.get(previous.treatyId)?.delete(previous.number);
    this.provisionIds.set(provision.id, provision);
    const numbers = this.provisions.get(provision.treatyId) ?? new Map<string, CatalogProvision>();
    this.provisions.set(provision.treatyId, numbers);
    numbers.set(provision.number, provision);
  }

  addArticle(article: { id: string; hash: string | null; headline: string }): void {
    const previous = this.articleKeys.get(article.id);
    if (previous) {
      if (previous.hash) this.articlesByHash.get(previous.hash)?.delete(article.id);
      else this.unhashedByHeadline.get(previous.headline)?.delete(article.id);
    }
    this.articleKeys.set(article.id, { hash: article.hash, headline: article.headline });
    if (article.hash) addTo(this.articlesByHash, article.hash, article.id);
    else addTo(this.unhashedByHeadline, article.headline, article.id);
  }

  /** Whether a stored article has this content hash (as far as the catalog knows). */
  hasHash(hash: string): boolean {
    return (this.articlesByHash.get(hash)?.size ?? 0) > 0;
  }

  /** Stored articles that may be the same story: the same content hash, or no hash and the same headline. */
  articleCandidates(hash: string, headline: string): string[] {
    return [...(this.articlesByHash.get(hash) ?? []), ...(this.unhashedByHeadline.get(headline) ?? [])];
  }

  actor(id: string): CatalogActor | undefined {
    return this.actors.get(id);
  }

  /**
   * The stored actors a story may name: those with a name or alias whose first word occurs in it.
   * The extractor looks each of them up in the text; handing it only these keeps that cheap.
   */
  knownActorsFor(text: string): KnownActor[] {
    const ids = new Set<string>();
    for (const word of wordKeys(text)) for (const id of this.actorsByFirstWord.get(word) ?? []) ids.add(id);
    return [...ids]
      .map((id) => this.actors.get(id) as CatalogActor)
      .sort((a, b) => (a.slug < b.slug ? -1 : 1))
      .map((a) => ({ name: a.name, kind: a.kind, aliases: a.aliases }));
  }

  /**
   * The stored actor an extracted one is: by name, then by alias; one of the same kind first, then
   * the one whose name (not an alias) matches, then the oldest slug. Aliases of the extracted actor
   * only match names of states and organizations ("Arvand" → "Arvand"), never a person's surname.
   */
  findActor(actor: { name: string; kind: ActorKind; aliases?: readonly string[] }): CatalogActor | null {
    const key = nameKey(actor.name);
    const candidates: { actor: CatalogActor; score: number }[] = [];
    const consider = (ids: Iterable<string> | undefined, score: number, sameKindOnly: boolean) => {
      for (const id of ids ?? []) {
        const found = this.actors.get(id);
        if (!found) continue;
        const sameKind = found.kind === actor.kind;
        if (sameKindOnly && !sameKind) continue;
        candidates.push({ actor: found, score: score + (sameKind ? 10 : 0) });
      }
    };
    consider(this.actorsByName.get(key), 3, false);
    consider(this.actorsByAlias.get(key), 2, true);
    if (actor.kind !== 'PERSON') {
      for (const alias of actor.aliases ?? []) consider(this.actorsByName.get(nameKey(alias)), 1, true);
    }
    candidates.sort((a, b) => b.score - a.score || (a.actor.slug < b.actor.slug ? -1 : 1));
    return candidates[0]?.actor ?? null;
  }

  /** The stored treaty a title names: by title, short title or slug, in comparison form. */
  findTreaty(title: string): CatalogTreaty | null {
    const ids = new Set<string>();
    for (const key of [`title:${titleKey(title)}`, `slug:${slugify(title)}`]) {
      for (const id of this.treatiesByKey.get(key) ?? []) ids.add(id);
    }
    const found = [...ids]
      .map((id) => this.treaties.get(id) as CatalogTreaty)
      .sort((a, b) => (a.slug < b.slug ? -1 : 1));
    return found[0] ?? null;
  }

  provision(treatyId: string, number: string): CatalogProvision | null {
    return this.provisions.get(treatyId)?.get(number) ?? null;
  }

  /** The next free position after a treaty's provisions. */
  nextProvisionPosition(treatyId: string): number {
    let next = 0;
    for (const p of this.provisions.get(treatyId)?.values() ?? []) next = Math.max(next, p.position + 1);
    return next;
  }
}

function treatyKeys(treaty: CatalogTreaty): string[] {
  const keys = [`title:${titleKey(treaty.title)}`, `slug:${treaty.slug}`, `slug:${slugify(treaty.title)}`];
  if (treaty.shortTitle)
    keys.push(`title:${titleKey(treaty.shortTitle)}`, `slug:${slugify(treaty.shortTitle)}`);
  return [...new Set(keys)];
}
