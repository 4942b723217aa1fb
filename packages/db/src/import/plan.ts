// What importing one story would do: which actors, treaties and provisions it resolves to stored
// ones and which it creates, the article (new, or a new version of a stored one) and its
// statements and mentions. Planning only reads; write.ts carries a plan out, and a dry run shows it.
import { createHash, randomUUID } from 'node:crypto';
import type { ActorKind, ArticleStatus, StatementKind } from '@chancery/domain/model';
import { sourceSpanProblem } from '@chancery/domain/provenance';
import { slugify } from '@chancery/domain/slug';
import { treatyStatusFromActions } from '@chancery/domain/treaty-status';
import type { Extraction, ParsedStory } from '@chancery/domain/wire/types';
import { sql } from 'drizzle-orm';
import { list, type Queryable, rows } from '../repositories/sql.ts';
import type { Catalog, CatalogActor } from './catalog.ts';
import { ImportError } from './errors.ts';
import { nameKey } from './names.ts';

/** Everything about one story that needs no database: parsed, extracted, dated. */
export type PreparedStory = {
  source: string;
  story: ParsedStory;
  /** Extracted on first use (an unchanged story is never extracted). */
  readonly extraction: Extraction;
  contentHash: string;
  slug: string;
  publishedAt: string;
  /** The day the story's statements were made (the publication day). */
  day: string;
  status: ArticleStatus;
  publisher: { name: string } | { id: string } | null;
  /** The item's own place (a feed's or agency item's `located`): the dateline place when the text names none. */
  place: string | null;
  warnings: string[];
};

export type PlannedActor = {
  id: string;
  slug: string;
  name: string;
  kind: ActorKind;
  aliases: string[];
  roles: { title: string; organizationId: string | null }[];
  created: boolean;
};
export type PlannedTreaty = {
  id: string;
  slug: string;
  title: string;
  partyIds: string[];
  status: ReturnType<typeof treatyStatusFromActions>;
  created: boolean;
};
export type PlannedProvision = {
  id: string;
  treatyId: string;
  number: string;
  position: number;
  created: boolean;
};
export type PlannedSpan = { paragraph: number; start: number; end: number; text: string };
export type PlannedStatement = PlannedSpan & {
  id: string;
  kind: StatementKind;
  speakerId: string | null;
  speakerRole: string | null;
  cue: string | null;
  saidOn: string;
  method: 'MANUAL' | 'RULES';
  confidence: number;
  treatyIds: string[];
  provisionIds: string[];
  deleted: boolean;
  /** create: a new record; update: a stored one that changes (version is its current one); keep: unchanged. */
  change: 'create' | 'update' | 'keep';
  version: number;
};
export type PlannedMention = PlannedSpan & {
  id: string;
  actorId: string | null;
  treatyId: string | null;
  provisionId: string | null;
};
/** A stored record that cites the article (a treaty action's source) and moves with its words. */
export type RelocatedAction = PlannedSpan & { id: string; version: number };

export type PlannedArticle = {
  id: string;
  slug: string;
  headline: string;
  standfirst: string | null;
  datelinePlace: string | null;
  datelineText: string | null;
  publisherId: string | null;
  publishedAt: string;
  status: ArticleStatus;
  contentHash: string;
  paragraphs: string[];
  /** The version after the import. */
  version: number;
};

export type StoryPlan = {
  source: string;
  outcome: 'created' | 'updated' | 'unchanged';
  article: PlannedArticle;
  /** For an update: the stored article as it was. */
  previous: { version: number; paragraphs: string[] } | null;
  /** Every actor the story involves (speakers, mentioned, publisher), stored or to be created. */
  actors: PlannedActor[];
  treaties: PlannedTreaty[];
  provisions: PlannedProvision[];
  statements: PlannedStatement[];
  mentions: PlannedMention[];
  articleActorIds: string[];
  articleTreatyIds: string[];
  /** Statements the rules made from the previous version that the new one no longer contains. */
  purgedStatements: { id: string; version: number }[];
  relocatedActions: RelocatedAction[];
  warnings: string[];
};

/** The content hash: the story's words, whatever its line endings or blank lines. */
export function contentHash(story: {
  headline: string;
  standfirst: string | null;
  paragraphs: readonly string[];
}): string {
  return createHash('sha256')
    .update(JSON.stringify([story.headline, story.standfirst ?? '', story.paragraphs]))
    .digest('hex');
}

/** The article slug: from the headline, or from the file name when the headline gives none. */
export function articleSlug(headline: string, fileStem: string | null): string {
  const fromHeadline = slugify(headline);
  if (fromHeadline !== 'untitled' || !fileStem) return fromHeadline;
  return slugify(fileStem);
}

type ExistingArticle = {
  id: string;
  slug: string;
  version: number;
  content_hash: string | null;
  deleted: boolean;
  status: ArticleStatus;
  headline: string;
  standfirst: string | null;
  publisher_id: string | null;
  published_at: Date | string;
  paragraphs: string[];
};

async function findExistingArticle(
  db: Queryable,
  catalog: Catalog,
  prepared: PreparedStory,
  lock: boolean,
): Promise<{ same: ExistingArticle | null; bySlug: ExistingArticle | null }> {
  // Articles stored without a hash (the seed, articles written through the API) are the same story
  // when their words are; only those with the same headline are worth hashing. The catalog knows
  // the candidates, so this is an index lookup however many articles there are.
  const candidates = catalog.articleCandidates(prepared.contentHash, prepared.story.headline);
  const found = await rows<ExistingArticle>(
    db,
    sql`select a.id, a.slug, a.version, a.content_hash, a.deleted_at is not null as deleted, a.status, a.headline, a.standfirst,
          a.publisher_id, a.published_at,
          coalesce((select json_agg(p.text order by p.index) from article_paragraphs p where p.article_id = a.id), '[]') as paragraphs
        from articles a
        where a.slug = ${prepared.slug} ${candidates.length > 0 ? sql`or a.id in ${list(candidates)}` : sql``}
        order by a.id ${lock ? sql`for update of a` : sql``}`,
  );
  const same =
    found.find((a) => a.content_hash === prepared.contentHash) ??
    found.find((a) => a.content_hash === null && contentHash(a) === prepared.contentHash) ??
    null;
  return { same, bySlug: found.find((a) => a.slug === prepared.slug) ?? null };
}

/** Slugs for new records of one table: the name's slug, numbered when taken (`lena-varga-2`). */
async function allocateSlugs(
  db: Queryable,
  table: 'actors' | 'treaties',
  bases: readonly string[],
): Promise<(base: string) => string> {
  const distinct = [...new Set(bases)];
  const taken = new Set<string>();
  if (distinct.length > 0) {
    // The first few numbered forms by index lookup; a name taken that often is looked up in full.
    const forms = distinct.flatMap((base) => [
      base,
      ...Array.from({ length: 8 }, (_, i) => `${base}-${i + 2}`),
    ]);
    const found = await rows<{ slug: string }>(
      db,
      sql`select slug from ${sql.raw(table)} where slug in ${list(forms)}`,
    );
    for (const row of found) taken.add(row.slug);
    const crowded = distinct.filter((base) => taken.has(`${base}-9`));
    if (crowded.length > 0) {
      const pattern = `^(${crowded.join('|')})-[0-9]+$`;
      for (const row of await rows<{ slug: string }>(
        db,
        sql`select slug from ${sql.raw(table)} where slug ~ ${pattern}`,
      )) {
        taken.add(row.slug);
      }
    }
  }
  return (base) => {
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    return slug;
  };
}

const slugBase = (text: string) => slugify(text).slice(0, 76).replace(/-+$/, '') || 'untitled';

/** The organization or state a role is held in, when the story names it ("Foreign Minister of Arvand"). */
function roleOrganization(title: string, institutions: readonly PlannedActor[]): string | null {
  const key = ` ${nameKey(title)} `;
  let best: { at: number; id: string } | null = null;
  for (const actor of institutions) {
    for (const form of [actor.name, ...actor.aliases]) {
      const at = key.indexOf(` of ${nameKey(form)} `);
      const atThe = key.indexOf(` of the ${nameKey(form)} `);
      for (const position of [at, atThe]) {
        if (position >= 0 && (!best || position < best.at)) best = { at: position, id: actor.id };
      }
    }
  }
  return best?.id ?? null;
}

const within = (inner: PlannedSpan, outer: PlannedSpan) =>
  inner.paragraph === outer.paragraph && inner.start >= outer.start && inner.end <= outer.end;

type StoredStatement = {
  id: string;
  version: number;
  kind: StatementKind;
  text: string;
  paragraph: number;
  start: number;
  end: number;
  speaker_id: string | null;
  speaker_role: string | null;
  cue: string | null;
  said_on: string;
  attribution_method: 'MANUAL' | 'RULES';
  attribution_confidence: number;
  deleted: boolean;
  treaty_ids: string[];
  provision_ids: string[];
};

/** What an editor may have set on a stored statement, and its version: kept when a story is re-imported. */
const editorialFields = (old: StoredStatement) => ({
  speakerId: old.speaker_id,
  speakerRole: old.speaker_role,
  cue: old.cue,
  saidOn: old.said_on,
  method: old.attribution_method,
  confidence: old.attribution_confidence,
  treatyIds: old.treaty_ids,
  provisionIds: old.provision_ids,
  deleted: old.deleted,
  version: old.version,
});

/** Where `text` is in new paragraphs: nearest its old place in the same paragraph, else its only occurrence. */
function relocate(paragraphs: readonly string[], span: PlannedSpan): PlannedSpan | null {
  const occurrences = (paragraph: number) => {
    const body = paragraphs[paragraph] ?? '';
    const starts: number[] = [];
    for (let at = body.indexOf(span.text); at >= 0; at = body.indexOf(span.text, at + 1)) starts.push(at);
    return starts;
  };
  const here = occurrences(span.paragraph);
  if (here.length > 0) {
    const start = here.reduce((best, at) =>
      Math.abs(at - span.start) < Math.abs(best - span.start) ? at : best,
    );
    return { paragraph: span.paragraph, start, end: start + span.text.length, text: span.text };
  }
  const everywhere = paragraphs.flatMap((_, paragraph) =>
    occurrences(paragraph).map((start) => ({ paragraph, start })),
  );
  const only = everywhere.length === 1 ? everywhere[0] : undefined;
  return only
    ? { paragraph: only.paragraph, start: only.start, end: only.start + span.text.length, text: span.text }
    : null;
}

const sameSpan = (a: PlannedSpan, b: PlannedSpan) =>
  a.paragraph === b.paragraph && a.start === b.start && a.end === b.end && a.text === b.text;
const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((value, i) => value === [...b].sort()[i]);

/**
 * Plans the import of a prepared story. `lock` takes row locks on the stored article (inside the
 * transaction that will write the plan); a dry run plans without them.
 */
export async function planStory(
  db: Queryable,
  catalog: Catalog,
  prepared: PreparedStory,
  options: { lock: boolean },
): Promise<StoryPlan> {
  const { story } = prepared;
  const warnings = [...prepared.warnings];
  // A publisher given by ID must exist, whether or not the story is new. Looked up in the
  // database: the catalog may not have seen an actor created a moment ago.
  let givenPublisher: CatalogActor | null = null;
  if (prepared.publisher && 'id' in prepared.publisher) {
    [givenPublisher = null] = await rows<CatalogActor>(
      db,
      sql`select a.id, a.slug, a.name, a.kind, a.aliases from actors a
          where a.id = (select coalesce(merged_into_id, id) from actors where id = ${prepared.publisher.id}) and a.deleted_at is null`,
    );
    if (!givenPublisher) {
      throw new ImportError(
        'no live actor has the publisher ID given; give the ID of a stored actor',
        null,
        'publisher',
      );
    }
  }
  const { same, bySlug } = await findExistingArticle(db, catalog, prepared, options.lock);

  const emptyPlan = (article: ExistingArticle): StoryPlan => ({
    source: prepared.source,
    outcome: 'unchanged',
    article: {
      id: article.id,
      slug: article.slug,
      headline: article.headline,
      standfirst: article.standfirst,
      datelinePlace: null,
      datelineText: null,
      // The stored article, as it stays: another `published` date changes nothing by itself.
      publisherId: article.publisher_id,
      publishedAt: new Date(article.published_at).toISOString(),
      status: article.status,
      contentHash: prepared.contentHash,
      paragraphs: article.paragraphs,
      version: article.version,
    },
    previous: null,
    actors: [],
    treaties: [],
    provisions: [],
    statements: [],
    mentions: [],
    articleActorIds: [],
    articleTreatyIds: [],
    purgedStatements: [],
    relocatedActions: [],
    warnings: article.deleted
      ? [...warnings, `the stored copy (${article.slug}) is deleted; restore it to show it again`]
      : warnings,
  });
  if (same) return emptyPlan(same);
  // Only now: extracting is most of the work, and an unchanged story needs none.
  const extraction = prepared.extraction;
  if (bySlug?.deleted) {
    throw new ImportError(
      `a deleted article already has the slug ${bySlug.slug}; restore it (the import then stores this text as its new version) or purge it first`,
    );
  }
  const previous = bySlug;

  // Actors: every extracted one, resolved to a stored actor or planned as new.
  const actorsByName = new Map<string, PlannedActor>();
  const planned: PlannedActor[] = [];
  const newActors: PlannedActor[] = [];
  const extractedRoles = new Map<PlannedActor, string[]>();
  const plan = (actor: { name: string; kind: ActorKind; aliases: string[] }): PlannedActor => {
    const stored = catalog.findActor(actor);
    const already = stored && planned.find((p) => p.id === stored.id);
    if (already) return already;
    const entry: PlannedActor = stored
      ? {
          id: stored.id,
          slug: stored.slug,
          name: stored.name,
          kind: stored.kind,
          aliases: stored.aliases,
          roles: [],
          created: false,
        }
      : {
          id: randomUUID(),
          slug: '',
          name: actor.name.trim(),
          kind: actor.kind,
          aliases: [
            ...new Map(
              actor.aliases
                .filter((a) => nameKey(a) !== nameKey(actor.name))
                .map((a) => [nameKey(a), a.trim()]),
            ).values(),
          ],
          roles: [],
          created: true,
        };
    planned.push(entry);
    if (entry.created) newActors.push(entry);
    return entry;
  };
  for (const actor of extraction.actors) {
    const entry = plan(actor);
    actorsByName.set(actor.name, entry);
    if (entry.created) extractedRoles.set(entry, actor.roles);
  }
  const institutions = planned.filter((a) => a.kind !== 'PERSON');
  for (const [actor, roles] of extractedRoles) {
    actor.roles = [...new Set(roles)].map((title) => ({
      title,
      organizationId: roleOrganization(title, institutions),
    }));
  }

  // The publisher: given by ID, by name, or the dateline's agency.
  let publisherId: string | null = null;
  const publisher = prepared.publisher ?? (story.dateline?.agency ? { name: story.dateline.agency } : null);
  if (publisher && 'id' in publisher) {
    const stored = givenPublisher as CatalogActor;
    publisherId = stored.id;
    if (!planned.some((a) => a.id === stored.id)) {
      planned.push({ ...stored, roles: [], created: false });
    }
  } else if (publisher) {
    publisherId = plan({ name: publisher.name, kind: 'ORGANIZATION', aliases: [] }).id;
  }

  // Treaties and their provisions.
  const treatiesByTitle = new Map<string, PlannedTreaty>();
  const treaties: PlannedTreaty[] = [];
  const provisions: PlannedProvision[] = [];
  const provisionsByKey = new Map<string, PlannedProvision>();
  const nextPosition = new Map<string, number>();
  for (const extracted of extraction.treaties) {
    const stored = catalog.findTreaty(extracted.title);
    let treaty = stored ? treaties.find((t) => t.id === stored.id) : undefined;
    if (!treaty) {
      const partyIds = [
        ...new Set(
          extracted.parties
            .map((name) => actorsByName.get(name))
            .filter((a): a is PlannedActor => a !== undefined && a.kind !== 'PERSON')
            .map((a) => a.id),
        ),
      ];
      treaty = stored
        ? {
            id: stored.id,
            slug: stored.slug,
            title: stored.title,
            partyIds: [],
            status: 'NEGOTIATING',
            created: false,
          }
        : {
            id: randomUUID(),
            slug: '',
            title: extracted.title.trim(),
            partyIds,
            // A treaty found in a story has no recorded actions yet: its status follows from none.
            status: treatyStatusFromActions([], partyIds),
            created: true,
          };
      treaties.push(treaty);
    }
    treatiesByTitle.set(extracted.title, treaty);
    for (const number of extracted.provisions) {
      const key = `${treaty.id}/${number}`;
      if (provisionsByKey.has(key)) continue;
      const storedProvision = treaty.created ? null : catalog.provision(treaty.id, number);
      if (storedProvision?.deleted) {
        warnings.push(
          `Article ${number} of ${treaty.title} is a deleted provision; its mentions are not linked (restore it to link them)`,
        );
        continue;
      }
      let provision: PlannedProvision;
      if (storedProvision) {
        provision = { ...storedProvision, created: false };
      } else {
        const position =
          nextPosition.get(treaty.id) ?? (treaty.created ? 0 : catalog.nextProvisionPosition(treaty.id));
        nextPosition.set(treaty.id, position + 1);
        provision = { id: randomUUID(), treatyId: treaty.id, number, position, created: true };
      }
      provisions.push(provision);
      provisionsByKey.set(key, provision);
    }
  }

  // Slugs of new records, each unique in its table.
  const actorSlug = await allocateSlugs(
    db,
    'actors',
    newActors.map((a) => slugBase(a.name)),
  );
  for (const actor of newActors) actor.slug = actorSlug(slugBase(actor.name));
  const newTreaties = treaties.filter((t) => t.created);
  const treatySlug = await allocateSlugs(
    db,
    'treaties',
    newTreaties.map((t) => slugBase(t.title)),
  );
  for (const treaty of newTreaties) treaty.slug = treatySlug(slugBase(treaty.title));

  // Mentions, each with its exact span.
  const paragraphs = story.paragraphs;
  const checkSpan = (span: PlannedSpan, what: string) => {
    const problem = sourceSpanProblem(paragraphs, span);
    if (problem)
      throw new ImportError(
        `the extractor produced a ${what} whose span does not match the story (${problem}); this is a bug, please report it`,
      );
  };
  const mentions: PlannedMention[] = [];
  for (const mention of extraction.mentions) {
    const span = { paragraph: mention.paragraph, start: mention.start, end: mention.end, text: mention.text };
    const target = mention.target;
    let actorId: string | null = null;
    let treatyId: string | null = null;
    let provisionId: string | null = null;
    if (target.kind === 'actor') actorId = actorsByName.get(target.name)?.id ?? null;
    else if (target.kind === 'treaty') treatyId = treatiesByTitle.get(target.title)?.id ?? null;
    else {
      const treaty = treatiesByTitle.get(target.treatyTitle);
      provisionId = treaty ? (provisionsByKey.get(`${treaty.id}/${target.number}`)?.id ?? null) : null;
    }
    if (!actorId && !treatyId && !provisionId) continue;
    checkSpan(span, 'mention');
    mentions.push({ id: randomUUID(), ...span, actorId, treatyId, provisionId });
  }
  const treatyOfProvision = new Map(provisions.map((p) => [p.id, p.treatyId]));
  const articleActorIds = [...new Set(mentions.flatMap((m) => (m.actorId ? [m.actorId] : [])))];
  const articleTreatyIds = [
    ...new Set(
      mentions.flatMap((m) =>
        m.treatyId ? [m.treatyId] : m.provisionId ? [treatyOfProvision.get(m.provisionId) as string] : [],
      ),
    ),
  ];

  // Statements: what they are about follows from the treaty and provision mentions inside them.
  const extracted: PlannedStatement[] = extraction.statements.map((s) => {
    const span = { paragraph: s.paragraph, start: s.start, end: s.end, text: s.text };
    checkSpan(span, 'statement');
    const inside = mentions.filter((m) => within(m, span));
    const provisionIds = [...new Set(inside.flatMap((m) => (m.provisionId ? [m.provisionId] : [])))].sort();
    const treatyIds = [
      ...new Set([
        ...inside.flatMap((m) => (m.treatyId ? [m.treatyId] : [])),
        ...provisionIds.map((id) => treatyOfProvision.get(id) as string),
      ]),
    ].sort();
    return {
      id: randomUUID(),
      ...span,
      kind: s.kind,
      speakerId: s.speaker ? (actorsByName.get(s.speaker)?.id ?? null) : null,
      speakerRole: s.speakerRole?.trim() || null,
      cue: s.cue?.trim() || null,
      saidOn: prepared.day,
      method: 'RULES',
      confidence: Math.min(1, Math.max(0, Math.round(s.confidence * 1000) / 1000)),
      treatyIds,
      provisionIds,
      deleted: false,
      change: 'create',
      version: 1,
    };
  });

  const article: PlannedArticle = {
    id: previous?.id ?? randomUUID(),
    slug: previous?.slug ?? prepared.slug,
    headline: story.headline,
    standfirst: story.standfirst || null,
    datelinePlace: story.dateline?.place ?? prepared.place,
    datelineText: story.dateline?.text || null,
    publisherId,
    publishedAt: prepared.publishedAt,
    // A new version keeps the stored article's status: publishing is an editor's decision.
    status: previous?.status ?? prepared.status,
    contentHash: prepared.contentHash,
    paragraphs,
    version: previous ? previous.version + 1 : 1,
  };

  let statements = extracted;
  let purgedStatements: { id: string; version: number }[] = [];
  let relocatedActions: RelocatedAction[] = [];
  if (previous) {
    ({ statements, purgedStatements, relocatedActions } = await carryOver(
      db,
      previous.id,
      paragraphs,
      extracted,
      options.lock,
    ));
  }

  // Stored actors named only by the statements kept from the previous version still count.
  return {
    source: prepared.source,
    outcome: previous ? 'updated' : 'created',
    article,
    previous: previous ? { version: previous.version, paragraphs: previous.paragraphs } : null,
    actors: planned,
    treaties,
    provisions,
    statements,
    mentions,
    articleActorIds,
    articleTreatyIds,
    purgedStatements,
    relocatedActions,
    warnings,
  };
}

/**
 * A new version of a stored article: statements found again keep their identity (and an editor's
 * attribution); statements the rules made that are gone are purged; statements and treaty actions
 * an editor made move with their words, and if their words are gone the import is refused.
 */
async function carryOver(
  db: Queryable,
  articleId: string,
  paragraphs: readonly string[],
  extracted: PlannedStatement[],
  lock: boolean,
): Promise<{
  statements: PlannedStatement[];
  purgedStatements: { id: string; version: number }[];
  relocatedActions: RelocatedAction[];
}> {
  const stored = await rows<StoredStatement>(
    db,
    sql`select s.id, s.version, s.kind, s.text, s.paragraph, s.start, s."end", s.speaker_id, s.speaker_role, s.cue,
          s.said_on::text as said_on, s.attribution_method, s.attribution_confidence, s.deleted_at is not null as deleted,
          coalesce((select json_agg(t.treaty_id order by t.treaty_id) from statement_treaties t where t.statement_id = s.id), '[]') as treaty_ids,
          coalesce((select json_agg(p.provision_id order by p.provision_id) from statement_provisions p where p.statement_id = s.id), '[]') as provision_ids
        from statements s where s.article_id = ${articleId} order by s.paragraph, s.start, s.id ${lock ? sql`for update of s` : sql``}`,
  );
  const unmatched = new Set(stored);
  const statements: PlannedStatement[] = [];
  for (const fresh of extracted) {
    const candidates = [...unmatched].filter((s) => s.kind === fresh.kind && s.text === fresh.text);
    candidates.sort(
      (a, b) =>
        Number(b.paragraph === fresh.paragraph) - Number(a.paragraph === fresh.paragraph) ||
        Math.abs(a.paragraph - fresh.paragraph) - Math.abs(b.paragraph - fresh.paragraph) ||
        Math.abs(a.start - fresh.start) - Math.abs(b.start - fresh.start),
    );
    const old = candidates[0];
    if (!old) {
      statements.push(fresh);
      continue;
    }
    unmatched.delete(old);
    const span = { paragraph: fresh.paragraph, start: fresh.start, end: fresh.end, text: fresh.text };
    // An editor's attribution (MANUAL) and an editor's deletion stand; only the words' place moves.
    const keepFields = old.attribution_method === 'MANUAL' || old.deleted;
    const next: PlannedStatement = keepFields
      ? { ...fresh, id: old.id, ...editorialFields(old), change: 'keep' }
      : { ...fresh, id: old.id, version: old.version, change: 'keep' };
    const changed =
      !sameSpan(old, span) ||
      (!keepFields &&
        (old.speaker_id !== next.speakerId ||
          old.speaker_role !== next.speakerRole ||
          old.cue !== next.cue ||
          old.said_on !== next.saidOn ||
          old.attribution_method !== next.method ||
          Math.abs(old.attribution_confidence - next.confidence) > 1e-6 ||
          !sameList(old.treaty_ids, next.treatyIds) ||
          !sameList(old.provision_ids, next.provisionIds)));
    statements.push({ ...next, change: changed ? 'update' : 'keep' });
  }
  const purgedStatements: { id: string; version: number }[] = [];
  for (const old of unmatched) {
    if (old.attribution_method === 'RULES') {
      purgedStatements.push({ id: old.id, version: old.version });
      continue;
    }
    const moved = relocate(paragraphs, old);
    if (!moved && old.deleted) {
      // Deleted by an editor, and its words are gone too: nothing is left to keep it for.
      purgedStatements.push({ id: old.id, version: old.version });
      continue;
    }
    if (!moved) {
      throw new ImportError(
        `the new version no longer contains the words of a statement an editor attributed (${JSON.stringify(old.text.slice(0, 80))}, paragraph ${old.paragraph}); change or delete that statement first`,
      );
    }
    statements.push({
      ...moved,
      id: old.id,
      kind: old.kind,
      ...editorialFields(old),
      change: sameSpan(old, moved) ? 'keep' : 'update',
    });
  }
  statements.sort((a, b) => a.paragraph - b.paragraph || a.start - b.start);

  const actions = await rows<{
    id: string;
    version: number;
    paragraph: number;
    start: number;
    end: number;
    text: string;
  }>(
    db,
    sql`select id, version, source_paragraph as paragraph, source_start as start, source_end as "end", source_text as text
        from treaty_actions where source_article_id = ${articleId} order by id ${lock ? sql`for update` : sql``}`,
  );
  const relocatedActions: RelocatedAction[] = [];
  for (const action of actions) {
    const moved = relocate(paragraphs, action);
    if (!moved) {
      throw new ImportError(
        `the new version no longer contains the words a treaty action cites as its source (${JSON.stringify(action.text.slice(0, 80))}, paragraph ${action.paragraph}); change that action's source first`,
      );
    }
    if (!sameSpan(action, moved)) relocatedActions.push({ ...moved, id: action.id, version: action.version });
  }
  return { statements, purgedStatements, relocatedActions };
}
