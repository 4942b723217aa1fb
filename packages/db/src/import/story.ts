// Importing wire stories: text in, records out. A StoryImporter is one import session (a CLI run, or
// the server's importStory mutation): it keeps the catalog of stored actors and treaties current
// between stories and stores each story whole or not at all, in one transaction.

import { encodeGlobalId } from '@chancery/domain/global-id';
import type { ArticleStatus } from '@chancery/domain/model';
import { extractStory } from '@chancery/domain/wire/extract';
import type { Extraction } from '@chancery/domain/wire/types';
import type { ChanceryDb } from '../database.ts';
import { postgresError } from '../repositories/sql.ts';
import { inTransaction, type Tx } from '../repositories/transaction.ts';
import { Catalog } from './catalog.ts';
import { type PublishedOption, storyDate } from './dates.ts';
import { ImportError } from './errors.ts';
import { readStoryParts, type StoryParts } from './formats/parts.ts';
import { articleSlug, contentHash, type PreparedStory, planStory, type StoryPlan } from './plan.ts';
import { readStoryText } from './story-text.ts';
import { writePlan } from './write.ts';

export type StoryInput = {
  /** How to name the input in messages: a file path, `<stdin>`. */
  source: string;
  /** The story as a wire-story text file, unless `parts` gives it already split. */
  text: string;
  /** The story in parts (a feed or agency item): read instead of `text`. */
  parts?: StoryParts | null;
  /** The slug of the article this story is a version of, when known (a source item seen before). */
  slug?: string | null;
  /** Runs in the transaction that stores the story, after it (records where the story came from). */
  afterStore?: ((tx: Tx, plan: StoryPlan) => Promise<void>) | null;
  /** The file name without its extension: the slug when the headline gives none. */
  fileStem?: string | null;
  published?: PublishedOption | null;
  /** The publisher: a stored actor's ID, or a name (resolved, or created as an organization). */
  publisher?: { name: string } | { id: string } | null;
  /** The status of a new article (a new version keeps the stored one's). */
  status?: ArticleStatus;
  /** Where the item says it was written (ninjs/NewsML-G2 `located`): used when the text has no dateline place. */
  place?: string | null;
};

/** A record as the import reports it; `id` is the global ID, null for one a dry run would create. */
export type ImportedActor = {
  id: string | null;
  slug: string;
  name: string;
  kind: string;
  aliases: string[];
  roles: string[];
  created: boolean;
};
export type ImportedTreaty = {
  id: string | null;
  slug: string;
  title: string;
  parties: string[];
  created: boolean;
};
export type ImportedProvision = { id: string | null; treaty: string; number: string; created: boolean };
export type ImportedStatement = {
  id: string | null;
  kind: string;
  text: string;
  speaker: string | null;
  speakerRole: string | null;
  cue: string | null;
  saidOn: string;
  paragraph: number;
  start: number;
  end: number;
  method: 'MANUAL' | 'RULES';
  confidence: number;
  treaties: string[];
  provisions: string[];
  change: 'create' | 'update' | 'keep';
};

export type StoryImportResult = {
  source: string;
  outcome: 'created' | 'updated' | 'unchanged';
  dryRun: boolean;
  article: {
    id: string | null;
    slug: string;
    headline: string;
    version: number;
    status: ArticleStatus;
    publishedAt: string;
    publisher: string | null;
    paragraphs: number;
  };
  actors: ImportedActor[];
  treaties: ImportedTreaty[];
  provisions: ImportedProvision[];
  statements: ImportedStatement[];
  mentions: number;
  removedStatements: number;
  warnings: string[];
};

export type StoryImporterOptions = {
  /** Recorded on every revision the import appends: the API token's name, or null from the CLI. */
  tokenName: string | null;
  dryRun?: boolean;
  /** Share a catalog between importers of one database (the server does); else the session's own. */
  catalog?: Catalog;
  /**
   * In a dry run, let later stories see what earlier ones would have created (a CLI batch); off
   * when the catalog is shared, so that nothing a dry run invents leaks into real imports.
   */
  rememberDryRun?: boolean;
  /** Today, for datelines without a year (tests fix it). */
  today?: () => Date;
};

const catalogs = new WeakMap<ChanceryDb, Catalog>();

/** The catalog of one database handle, shared by every importer of this process that asks for it. */
export function sharedCatalog(db: ChanceryDb): Catalog {
  const catalog = catalogs.get(db) ?? new Catalog();
  catalogs.set(db, catalog);
  return catalog;
}

export class StoryImporter {
  private readonly catalog: Catalog;
  constructor(
    private readonly db: ChanceryDb,
    private readonly options: StoryImporterOptions,
  ) {
    this.catalog = options.catalog ?? new Catalog();
  }

  /** Parses, extracts and dates a story: no database needed. Throws an ImportError for bad input. */
  prepare(input: StoryInput): PreparedStory {
    const story = input.parts ? readStoryParts(input.parts) : readStoryText(input.text).story;
    const dated = storyDate(story.dateline, input.published ?? null, this.options.today?.() ?? new Date());
    if (!dated.ok) throw new ImportError(dated.message, null, 'published');
    const catalog = this.catalog;
    let extraction: Extraction | null = null;
    return {
      source: input.source,
      story,
      get extraction() {
        if (!extraction) {
          const everything = [story.headline, story.standfirst, ...story.paragraphs].join('\n');
          extraction = extractStory(story, { knownActors: catalog.knownActorsFor(everything) });
        }
        return extraction;
      },
      contentHash: contentHash(story),
      slug: input.slug ?? articleSlug(story.headline, input.fileStem ?? null),
      publishedAt: dated.publishedAt,
      day: dated.day,
      status: input.status ?? 'DRAFT',
      publisher: input.publisher ?? null,
      place: input.place?.trim() || null,
      warnings: dated.warnings,
    };
  }

  /** Imports one story (or, in a dry run, says what importing it would do). */
  async importStory(input: StoryInput): Promise<StoryImportResult> {
    await this.catalog.refresh(this.db);
    // Known actors feed the extraction, so it follows the refresh.
    const prepared = this.prepare(input);
    // Extract before the transaction (it is most of the work) unless the story looks unchanged.
    if (!this.catalog.hasHash(prepared.contentHash)) void prepared.extraction;
    if (this.options.dryRun) {
      const plan = await planStory(this.db, this.catalog, prepared, { lock: false });
      if (this.options.rememberDryRun) this.remember(plan);
      return present(plan, this.catalog, true);
    }
    let plan: StoryPlan;
    try {
      plan = await this.store(prepared, input);
    } catch (error) {
      // Another writer created a record with the same slug meanwhile: look again, and resolve to it.
      if (postgresError(error)?.code !== '23505') throw error;
      await this.catalog.refresh(this.db, { force: true });
      plan = await this.store(this.prepare(input), input);
    }
    this.remember(plan);
    return present(plan, this.catalog, false);
  }

  private store(prepared: PreparedStory, input: StoryInput): Promise<StoryPlan> {
    return inTransaction(this.db, async (tx) => {
      const plan = await planStory(tx, this.catalog, prepared, { lock: true });
      await writePlan(tx, this.options.tokenName, plan);
      await input.afterStore?.(tx, plan);
      return plan;
    });
  }

  /** What a plan created joins the catalog, so the next story resolves to it. */
  private remember(plan: StoryPlan): void {
    for (const actor of plan.actors) {
      if (actor.created) {
        this.catalog.addActor({
          id: actor.id,
          slug: actor.slug,
          name: actor.name,
          kind: actor.kind,
          aliases: actor.aliases,
        });
      }
    }
    for (const treaty of plan.treaties) {
      if (treaty.created)
        this.catalog.addTreaty({ id: treaty.id, slug: treaty.slug, title: treaty.title, shortTitle: null });
    }
    for (const p of plan.provisions) {
      if (p.created)
        this.catalog.addProvision({
          id: p.id,
          treatyId: p.treatyId,
          number: p.number,
          position: p.position,
          deleted: false,
        });
    }
    if (plan.outcome !== 'unchanged') {
      this.catalog.addArticle({
        id: plan.article.id,
        hash: plan.article.contentHash,
        headline: plan.article.headline,
      });
    }
  }
}

function present(plan: StoryPlan, catalog: Catalog, dryRun: boolean): StoryImportResult {
  const id = (typename: string, value: string, created: boolean) =>
    dryRun && created ? null : encodeGlobalId(typename, value);
  const actorName = new Map(plan.actors.map((a) => [a.id, a.name]));
  const treatyTitle = new Map(plan.treaties.map((tr) => [tr.id, tr.title]));
  const provisionName = new Map(
    plan.provisions.map((p) => [p.id, `${treatyTitle.get(p.treatyId) ?? p.treatyId} Article ${p.number}`]),
  );
  const nameOfActor = (actorId: string) => actorName.get(actorId) ?? catalog.actor(actorId)?.name ?? actorId;
  const articleCreated = plan.outcome === 'created';
  return {
    source: plan.source,
    outcome: plan.outcome,
    dryRun,
    article: {
      id: id('Article', plan.article.id, articleCreated),
      slug: plan.article.slug,
      headline: plan.article.headline,
      version: plan.article.version,
      status: plan.article.status,
      publishedAt: plan.article.publishedAt,
      publisher: plan.article.publisherId ? nameOfActor(plan.article.publisherId) : null,
      paragraphs: plan.article.paragraphs.length,
    },
    actors: plan.actors.map((a) => ({
      id: id('Actor', a.id, a.created),
      slug: a.slug,
      name: a.name,
      kind: a.kind,
      aliases: a.aliases,
      roles: a.roles.map((r) => r.title),
      created: a.created,
    })),
    treaties: plan.treaties.map((tr) => ({
      id: id('Treaty', tr.id, tr.created),
      slug: tr.slug,
      title: tr.title,
      parties: tr.partyIds.map(nameOfActor),
      created: tr.created,
    })),
    provisions: plan.provisions.map((p) => ({
      id: id('TreatyProvision', p.id, p.created),
      treaty: treatyTitle.get(p.treatyId) ?? p.treatyId,
      number: p.number,
      created: p.created,
    })),
    statements: plan.statements.map((s) => ({
      id: id('Statement', s.id, s.change === 'create'),
      kind: s.kind,
      text: s.text,
      speaker: s.speakerId ? nameOfActor(s.speakerId) : null,
      speakerRole: s.speakerRole,
      cue: s.cue,
      saidOn: s.saidOn,
      paragraph: s.paragraph,
      start: s.start,
      end: s.end,
      method: s.method,
      confidence: s.confidence,
      treaties: s.treatyIds.map((treatyId) => treatyTitle.get(treatyId) ?? treatyId),
      provisions: s.provisionIds.map((provisionId) => provisionName.get(provisionId) ?? provisionId),
      change: s.change,
    })),
    mentions: plan.mentions.length,
    removedStatements: plan.purgedStatements.length,
    warnings: plan.warnings,
  };
}
