// The seed: the TASS story of 24 October 2024 that Chancery started from, loaded as curated
// records (see packages/domain/fixtures/corpus/ for the gold file they match). Every span is located
// in the story's own text, so a typo here fails loudly instead of storing a wrong span.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ActorKind, StatementKind, TreatyActionType } from '@chancery/domain/model';
import { assertSourceSpan, locateSpan, type SpanClaim } from '@chancery/domain/provenance';
import type { Snapshot } from '@chancery/domain/revisions';
import { stableId } from '@chancery/domain/stable-id';
import { treatyStatusFromActions } from '@chancery/domain/treaty-status';
import { eq, sql } from 'drizzle-orm';
import type { ChanceryDb } from './database.ts';
import { Catalog } from './import/catalog.ts';
import { nameKey } from './import/names.ts';
import { contentHash } from './import/plan.ts';
import { appendRevisions, bumpVersions, loadSnapshot, type RevisionEntry } from './repositories/nodes.ts';
import { chooseSlug } from './repositories/slugs.ts';
import { list, type Queryable, rows } from './repositories/sql.ts';
import type { Tx } from './repositories/transaction.ts';
import { derivedTreatyStatus } from './repositories/treaty-status.ts';
import * as t from './schema.ts';

export const SEED_STORY_FILE = 'tass-2024-10-24-russia-dprk-treaty.txt';
export const SEED_ARTICLE_SLUG = 'tass-2024-10-24-russia-dprk-treaty';

export function readSeedStory(): string {
  // Through the package, not `import.meta.url`, which is the bundle's once the server is built.
  const packageJson = pathToFileURL(createRequire(import.meta.url).resolve('@chancery/db/package.json'));
  return readFileSync(new URL(`seed/${SEED_STORY_FILE}`, packageJson), 'utf8');
}

const id = (kind: string, slug: string) => stableId(`seed:${kind}:${slug}`);

type SeedActor = {
  slug: string;
  name: string;
  kind: ActorKind;
  aliases: string[];
  description: string;
  countryCode?: string;
  wikidataId?: string;
  roles?: { title: string; organization: string }[];
};

const ACTORS: SeedActor[] = [
  {
    slug: 'andrey-rudenko',
    name: 'Andrey Rudenko',
    kind: 'PERSON',
    aliases: ['Rudenko'],
    description: 'Russian diplomat, Deputy Minister of Foreign Affairs of Russia.',
    countryCode: 'RU',
    roles: [{ title: 'Deputy Foreign Minister of Russia', organization: 'russia' }],
  },
  {
    slug: 'vladimir-putin',
    name: 'Vladimir Putin',
    kind: 'PERSON',
    aliases: ['Putin'],
    description: 'President of the Russian Federation.',
    countryCode: 'RU',
    wikidataId: 'Q7747',
    roles: [{ title: 'President of Russia', organization: 'russia' }],
  },
  {
    slug: 'russia',
    name: 'Russia',
    kind: 'STATE',
    aliases: ['Russian Federation', 'Moscow'],
    description: 'The Russian Federation.',
    countryCode: 'RU',
    wikidataId: 'Q159',
  },
  {
    slug: 'north-korea',
    name: 'North Korea',
    kind: 'STATE',
    aliases: ['DPRK', 'Pyongyang', "Democratic People's Republic of Korea"],
    description: "The Democratic People's Republic of Korea.",
    countryCode: 'KP',
    wikidataId: 'Q423',
  },
  {
    slug: 'state-duma',
    name: 'State Duma',
    kind: 'ORGANIZATION',
    aliases: [],
    description: 'The lower house of the Federal Assembly of Russia.',
    countryCode: 'RU',
  },
  {
    slug: 'tass',
    name: 'TASS',
    kind: 'ORGANIZATION',
    aliases: [],
    description: 'Russian state news agency; the publisher of the seed story.',
    countryCode: 'RU',
  },
];

const RUSSIA_DPRK = 'russia-dprk-comprehensive-strategic-partnership-treaty';
const UN_CHARTER = 'charter-of-the-united-nations';

const ARTICLE_51_TEXT =
  'Nothing in the present Charter shall impair the inherent right of individual or collective self-defence if an armed attack occurs against a Member of the United Nations, until the Security Council has taken measures necessary to maintain international peace and security. Measures taken by Members in the exercise of this right of self-defence shall be immediately reported to the Security Council and shall not in any way affect the authority and responsibility of the Security Council under the present Charter to take at any time such action as it deems necessary in order to maintain or restore international peace and security.';

type SeedTreaty = {
  slug: string;
  title: string;
  shortTitle: string;
  parties: string[];
  signedOn?: string;
  signedPlace?: string;
  entryIntoForceOn?: string;
  provisions: { number: string; summary?: string; text?: string; refersTo?: [string, string][] }[];
  actions: {
    key: string;
    type: TreatyActionType;
    date: string;
    actor?: string;
    body?: string;
    place?: string;
    description: string;
    source?: { paragraph: number; text: string };
  }[];
};

const TREATIES: SeedTreaty[] = [
  {
    slug: UN_CHARTER,
    title: 'Charter of the United Nations',
    shortTitle: 'UN Charter',
    parties: [],
    signedOn: '1945-06-26',
    signedPlace: 'San Francisco',
    entryIntoForceOn: '1945-10-24',
    provisions: [
      {
        number: '51',
        summary: 'The inherent right of individual or collective self-defence against an armed attack.',
        text: ARTICLE_51_TEXT,
      },
    ],
    actions: [
      {
        key: 'signature',
        type: 'SIGNATURE',
        date: '1945-06-26',
        place: 'San Francisco',
        description: 'Signed at the United Nations Conference on International Organization.',
      },
      {
        key: 'entry-into-force',
        type: 'ENTRY_INTO_FORCE',
        date: '1945-10-24',
        description:
          'Entered into force after ratification by the five permanent members and a majority of the signatories.',
      },
    ],
  },
  {
    slug: RUSSIA_DPRK,
    title:
      "Treaty on Comprehensive Strategic Partnership between the Russian Federation and the Democratic People's Republic of Korea",
    shortTitle: 'Russia–DPRK Comprehensive Strategic Partnership Treaty',
    parties: ['russia', 'north-korea'],
    provisions: [
      {
        number: '4',
        summary:
          'Mutual military assistance, in line with Article 51 of the UN Charter, if one party is subjected to an armed attack by any state.',
        refersTo: [[UN_CHARTER, '51']],
      },
    ],
    actions: [
      {
        key: 'submission',
        type: 'SUBMISSION_FOR_RATIFICATION',
        date: '2024-10-14',
        actor: 'vladimir-putin',
        body: 'state-duma',
        description: 'President Putin submitted the treaty to the State Duma for ratification.',
        source: {
          paragraph: 4,
          text: 'On October 14, the media reported that Russian President Vladimir Putin introduced a treaty on comprehensive strategic partnership with North Korea to the State Duma.',
        },
      },
    ],
  },
];

type SeedStatement = {
  key: string;
  paragraph: number;
  text: string;
  kind: StatementKind;
  speakerRole: string;
  cue: string;
  provisions: [string, string][];
};

const STATEMENT_DEFAULTS = {
  speaker: 'andrey-rudenko',
  saidOn: '2024-10-24',
  occasion: 'Plenary session of the State Duma',
  about: [RUSSIA_DPRK],
};

const STATEMENTS: SeedStatement[] = [
  {
    key: 'not-a-threat',
    paragraph: 0,
    kind: 'INDIRECT',
    text: 'The comprehensive strategic partnership treaty between Russia and North Korea is not posing threats to the security of third countries and is solely about the defense',
    speakerRole: 'Russian Deputy Foreign Minister',
    cue: 'said',
    provisions: [],
  },
  {
    key: 'article-4',
    paragraph: 1,
    kind: 'DIRECT',
    text: 'Article 4 of the document is of particular importance, which provides for mutual military assistance in line with Article 51 of the UN Charter and in accordance with the laws of the Russian Federation and the DPRK in the event that one of the parties is subjected to an armed attack by any state and finds itself in a state of war',
    speakerRole: 'Russian Deputy Foreign Minister',
    cue: 'said',
    provisions: [[RUSSIA_DPRK, '4']],
  },
  {
    key: 'defensive',
    paragraph: 2,
    kind: 'DIRECT',
    text: 'Therefore, the content of the aforementioned article clearly indicates that the treaty is defensive in nature, is not directed against the security of third countries, and is aimed at maintaining stability in the Northeast Asian region',
    speakerRole: 'Russian Deputy Foreign Minister',
    cue: 'added',
    provisions: [[RUSSIA_DPRK, '4']],
  },
  {
    key: 'no-other-alliances',
    paragraph: 3,
    kind: 'INDIRECT',
    text: 'Russia and North Korea had assumed obligations against joining other alliances that are directed against one of the parties to the treaty, as well as "not to provide their territory to third states in order to violate the sovereignty, security, territorial inviolability of the other party."',
    speakerRole: 'the high-ranking Russian diplomat',
    cue: 'also said',
    provisions: [],
  },
];

type SeedMention = {
  paragraph: number;
  text: string;
  actor?: string;
  treaty?: string;
  provision?: [string, string];
};

const MENTIONS: SeedMention[] = [
  { paragraph: 0, text: 'comprehensive strategic partnership treaty', treaty: RUSSIA_DPRK },
  { paragraph: 0, text: 'Russia', actor: 'russia' },
  { paragraph: 0, text: 'North Korea', actor: 'north-korea' },
  { paragraph: 0, text: 'Andrey Rudenko', actor: 'andrey-rudenko' },
  { paragraph: 1, text: 'Article 4', provision: [RUSSIA_DPRK, '4'] },
  { paragraph: 1, text: 'Article 51', provision: [UN_CHARTER, '51'] },
  { paragraph: 1, text: 'UN Charter', treaty: UN_CHARTER },
  { paragraph: 1, text: 'Russian Federation', actor: 'russia' },
  { paragraph: 1, text: 'DPRK', actor: 'north-korea' },
  { paragraph: 1, text: 'Rudenko', actor: 'andrey-rudenko' },
  { paragraph: 1, text: 'State Duma', actor: 'state-duma' },
  { paragraph: 3, text: 'Russia', actor: 'russia' },
  { paragraph: 3, text: 'North Korea', actor: 'north-korea' },
  { paragraph: 4, text: 'Vladimir Putin', actor: 'vladimir-putin' },
  { paragraph: 4, text: 'treaty on comprehensive strategic partnership', treaty: RUSSIA_DPRK },
  { paragraph: 4, text: 'North Korea', actor: 'north-korea' },
  { paragraph: 4, text: 'State Duma', actor: 'state-duma' },
];

export const seedIds = {
  actor: (slug: string) => id('actor', slug),
  treaty: (slug: string) => id('treaty', slug),
  provision: (treatySlug: string, number: string) => id('provision', `${treatySlug}/${number}`),
  article: () => id('article', SEED_ARTICLE_SLUG),
  statement: (key: string) => id('statement', key),
};

/** The seed story split as the corpus format says: headline, standfirst, then one paragraph a line. */
export function seedStoryParts() {
  const [headline = '', standfirst = '', ...paragraphs] = readSeedStory().replace(/\n$/, '').split('\n');
  return { headline, standfirst, paragraphs };
}

function span(paragraphs: string[], paragraph: number, text: string): SpanClaim {
  const found = locateSpan(paragraphs, paragraph, text);
  if (!found) throw new Error(`Seed text not found in paragraph ${paragraph}: ${text}`);
  assertSourceSpan(paragraphs, found);
  return found;
}

/** Any constant: two processes loading the seed at once take turns. */
const SEED_LOCK_KEY = 7_203_412;

/**
 * Loads the seed in one transaction, merged with what is stored: actors, treaties and provisions
 * resolve as the importer resolves them (Catalog: actors by name or alias, treaties by title or
 * short title, provisions by number), and only what is missing is added. The seed's article
 * under its stable ID (or its tombstone, once an editor purged it) means the seed was loaded:
 * nothing is done, so a second load changes nothing and never undoes an edit.
 *
 * What "merge" does with a stored record (what an editor would expect of curated reference data):
 * - it keeps its ID, and the seed's statements, roles, parties and references point at it;
 * - nothing it has is changed: the seed only fills fields it leaves empty (a description, a
 *   provision's text, a short title), adds the aliases, roles, parties and references it lacks
 *   (an alias another stored actor answers to is left out, so later imports stay unambiguous),
 *   each such change with a revision, as every other write records one;
 * - the seed story itself, when stored already (imported as a plain story: the same words), is
 *   not duplicated: the seed's statements are matched to the stored ones by span; one the rules
 *   made takes the seed's curated attribution (a re-import may replace rules' output too), one an
 *   editor made or deleted stays as it is, a missing one is added.
 * Records the seed creates are loaded, not written: version 1 with no revision, as ever.
 */
export async function loadSeed(db: ChanceryDb): Promise<{ created: boolean }> {
  const story = seedStoryParts();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    if ((await existedOnce(tx, 'articles', [seedIds.article()])).size > 0) return { created: false };
    const catalog = new Catalog();
    await catalog.refresh(tx, { force: true });
    const merge = new SeedMerge(tx, catalog, story);
    await merge.run();
    return { created: merge.wrote };
  });
}

/** The IDs that are stored in `table`, or were (a purge leaves a tombstone revision). */
async function existedOnce(db: Queryable, table: string, ids: readonly string[]): Promise<Set<string>> {
  const found = await rows<{ id: string }>(
    db,
    sql`select id from ${sql.raw(table)} where id in ${list(ids)}
        union select node_id from revisions where node_id in ${list(ids)}`,
  );
  return new Set(found.map((row) => row.id));
}

const TABLE_OF = {
  Actor: 'actors',
  Treaty: 'treaties',
  TreatyProvision: 'treaty_provisions',
  Statement: 'statements',
} as const;
type MergedType = keyof typeof TABLE_OF;

class SeedMerge {
  wrote = false;
  /** Seed slug (or `treaty/number`) → the stored or created record's ID. */
  private readonly actorIds = new Map<string, string>();
  private readonly treatyIds = new Map<string, string>();
  private readonly provisionIds = new Map<string, string>();
  /** Records created by this load: they get no revision. */
  private readonly created = new Set<string>();
  /** Stored records this load changes: their state before, and the version they move to. */
  private readonly changed = new Map<string, { typename: MergedType; version: number; before: Snapshot }>();
  private articleId = '';
  private articleCreated = false;

  constructor(
    private readonly tx: Tx,
    private readonly catalog: Catalog,
    private readonly story: { headline: string; standfirst: string; paragraphs: string[] },
  ) {}

  async run(): Promise<void> {
    await this.mergeActors();
    await this.mergeTreaties();
    await this.mergeArticle();
    await this.mergeActions();
    await this.mergeStatements();
    await this.recordRevisions();
  }

  private actor = (slug: string) => this.actorIds.get(slug) as string;
  private treaty = (slug: string) => this.treatyIds.get(slug) as string;
  private provision = (treaty: string, number: string) =>
    this.provisionIds.get(`${treaty}/${number}`) as string;

  /** Before the first change to a stored record: lock it, keep its snapshot, move it to its next version. */
  private async change(typename: MergedType, recordId: string): Promise<void> {
    this.wrote = true;
    if (this.created.has(recordId) || this.changed.has(recordId)) return;
    const [row] = await rows<{ version: number }>(
      this.tx,
      sql`select version from ${sql.raw(TABLE_OF[typename])} where id = ${recordId} for update`,
    );
    const version = Number(row?.version);
    const before = await loadSnapshot(this.tx, typename, recordId);
    await bumpVersions(this.tx, typename, [{ id: recordId, version }]);
    this.changed.set(recordId, { typename, version: version + 1, before });
  }

  private async recordRevisions(): Promise<void> {
    const entries: RevisionEntry[] = [];
    for (const [recordId, { typename, version, before }] of this.changed) {
      const after = await loadSnapshot(this.tx, typename, recordId);
      entries.push({ typename, id: recordId, version, operation: 'UPDATE', before, after });
    }
    await appendRevisions(this.tx, null, entries);
  }

  /** A created record's ID: the stable one, unless a record had it once (then a fresh one). */
  private async newId(table: string, stable: string): Promise<string> {
    return (await existedOnce(this.tx, table, [stable])).size > 0 ? randomUUID() : stable;
  }

  private async mergeActors(): Promise<void> {
    const byStableId = new Map(
      (
        await rows<{ id: string; merged_into_id: string | null }>(
          this.tx,
          sql`select id, merged_into_id from actors where id in ${list(ACTORS.map((a) => seedIds.actor(a.slug)))}`,
        )
      ).map((row) => [row.id, row.merged_into_id ?? row.id]),
    );
    for (const a of ACTORS) {
      const stored = byStableId.get(seedIds.actor(a.slug)) ?? this.catalog.findActor(a)?.id;
      if (stored) {
        this.actorIds.set(a.slug, stored);
        continue;
      }
      const actorId = await this.newId('actors', seedIds.actor(a.slug));
      const slug = await chooseSlug(this.tx, 'Actor', { requested: null, title: a.slug });
      await this.tx.insert(t.actors).values({
        id: actorId,
        slug,
        name: a.name,
        kind: a.kind,
        aliases: a.aliases,
        description: a.description,
        countryCode: a.countryCode ?? null,
        wikidataId: a.wikidataId ?? null,
      });
      this.catalog.addActor({ id: actorId, slug, name: a.name, kind: a.kind, aliases: a.aliases });
      this.created.add(actorId);
      this.actorIds.set(a.slug, actorId);
      this.wrote = true;
    }

    const ids = [...new Set(this.actorIds.values())];
    const stored = new Map(
      (
        await rows<{
          id: string;
          name: string;
          aliases: string[];
          description: string | null;
          country_code: string | null;
          wikidata_id: string | null;
          roles: string[];
          next_role: number;
        }>(
          this.tx,
          sql`select a.id, a.name, a.aliases, a.description, a.country_code, a.wikidata_id,
                coalesce((select json_agg(r.title order by r.position) from actor_roles r where r.actor_id = a.id), '[]') as roles,
                coalesce((select max(r.position) + 1 from actor_roles r where r.actor_id = a.id), 0)::int as next_role
              from actors a where a.id in ${list(ids)}`,
        )
      ).map((row) => [row.id, row]),
    );
    for (const a of ACTORS) {
      const actorId = this.actor(a.slug);
      const roles = (a.roles ?? []).map((role) => ({
        ...role,
        organizationId: this.actor(role.organization),
      }));
      if (this.created.has(actorId)) {
        if (roles.length > 0) {
          await this.tx.insert(t.actorRoles).values(
            roles.map((role, position) => ({
              id: id('role', `${a.slug}/${position}`),
              actorId,
              position,
              title: role.title,
              organizationId: role.organizationId,
            })),
          );
        }
        continue;
      }
      const row = stored.get(actorId);
      if (!row) continue;
      const known = new Set([row.name, ...row.aliases].map(nameKey));
      const aliases = a.aliases.filter((alias) => {
        if (known.has(nameKey(alias))) return false;
        known.add(nameKey(alias));
        const answers = this.catalog.findActor({ name: alias, kind: a.kind, aliases: [] });
        return !answers || answers.id === actorId;
      });
      const fill = {
        description: row.description === null ? a.description : undefined,
        countryCode: row.country_code === null ? a.countryCode : undefined,
        wikidataId: row.wikidata_id === null ? a.wikidataId : undefined,
      };
      if (aliases.length > 0 || Object.values(fill).some((value) => value !== undefined)) {
        await this.change('Actor', actorId);
        await this.tx
          .update(t.actors)
          .set({ ...fill, aliases: [...row.aliases, ...aliases] })
          .where(eq(t.actors.id, actorId));
      }
      const titles = new Set(row.roles.map(nameKey));
      const missing = roles.filter((role) => !titles.has(nameKey(role.title)));
      if (missing.length > 0) {
        await this.change('Actor', actorId);
        await this.tx.insert(t.actorRoles).values(
          missing.map((role, i) => ({
            actorId,
            position: row.next_role + i,
            title: role.title,
            organizationId: role.organizationId,
          })),
        );
      }
    }
  }

  private async mergeTreaties(): Promise<void> {
    for (const treaty of TREATIES) {
      const stableTreaty = seedIds.treaty(treaty.slug);
      const [byStableId] = await rows<{ id: string }>(
        this.tx,
        sql`select id from treaties where id = ${stableTreaty}`,
      );
      const found =
        byStableId?.id ??
        (this.catalog.findTreaty(treaty.title) ?? this.catalog.findTreaty(treaty.shortTitle))?.id;
      const partyIds = treaty.parties.map(this.actor);
      let treatyId: string;
      if (found) {
        treatyId = found;
        await this.completeTreaty(treaty, treatyId, partyIds);
      } else {
        treatyId = await this.newId('treaties', stableTreaty);
        const slug = await chooseSlug(this.tx, 'Treaty', { requested: null, title: treaty.slug });
        // Its status follows from the actions mergeActions adds (the treaty has no others).
        const actions = treaty.actions.map((action) => ({
          type: action.type,
          date: action.date,
          actorId: action.actor ? this.actor(action.actor) : null,
        }));
        await this.tx.insert(t.treaties).values({
          id: treatyId,
          slug,
          title: treaty.title,
          shortTitle: treaty.shortTitle,
          status: treatyStatusFromActions(actions, partyIds),
          signedOn: treaty.signedOn ?? null,
          signedPlace: treaty.signedPlace ?? null,
          entryIntoForceOn: treaty.entryIntoForceOn ?? null,
        });
        if (partyIds.length > 0) {
          await this.tx
            .insert(t.treatyParties)
            .values(partyIds.map((actorId, position) => ({ treatyId, actorId, position })));
        }
        this.catalog.addTreaty({ id: treatyId, slug, title: treaty.title, shortTitle: treaty.shortTitle });
        this.created.add(treatyId);
        this.wrote = true;
      }
      this.treatyIds.set(treaty.slug, treatyId);

      for (const p of treaty.provisions) {
        const stableProvision = seedIds.provision(treaty.slug, p.number);
        const [byId] = await rows<{ id: string; summary: string | null; text: string | null }>(
          this.tx,
          sql`select id, summary, text from treaty_provisions
              where id = ${stableProvision} or (treaty_id = ${treatyId} and number = ${p.number})
              order by id = ${stableProvision} desc limit 1`,
        );
        if (byId) {
          this.provisionIds.set(`${treaty.slug}/${p.number}`, byId.id);
          const fill = {
            summary: byId.summary === null ? p.summary : undefined,
            text: byId.text === null ? p.text : undefined,
          };
          if (Object.values(fill).some((value) => value !== undefined)) {
            await this.change('TreatyProvision', byId.id);
            await this.tx.update(t.treatyProvisions).set(fill).where(eq(t.treatyProvisions.id, byId.id));
          }
          continue;
        }
        const provisionId = await this.newId('treaty_provisions', stableProvision);
        const position = this.catalog.nextProvisionPosition(treatyId);
        await this.tx.insert(t.treatyProvisions).values({
          id: provisionId,
          treatyId,
          number: p.number,
          position,
          summary: p.summary ?? null,
          text: p.text ?? null,
        });
        this.catalog.addProvision({ id: provisionId, treatyId, number: p.number, position, deleted: false });
        this.created.add(provisionId);
        this.provisionIds.set(`${treaty.slug}/${p.number}`, provisionId);
        this.wrote = true;
      }
    }

    // References, once every provision they join is known.
    for (const treaty of TREATIES) {
      for (const p of treaty.provisions) {
        for (const [toTreaty, toNumber] of p.refersTo ?? []) {
          const from = this.provision(treaty.slug, p.number);
          const to = this.provision(toTreaty, toNumber);
          const [stored] = await rows<{ found: number }>(
            this.tx,
            sql`select 1 as found from provision_references where from_provision_id = ${from} and to_provision_id = ${to}`,
          );
          if (stored) continue;
          await this.change('TreatyProvision', from);
          await this.tx.insert(t.provisionReferences).values({ fromProvisionId: from, toProvisionId: to });
        }
      }
    }
  }

  /** A stored treaty: its empty fields filled, the parties it lacks added. */
  private async completeTreaty(treaty: SeedTreaty, treatyId: string, partyIds: string[]): Promise<void> {
    const [row] = await rows<{
      short_title: string | null;
      signed_on: string | null;
      signed_place: string | null;
      entry_into_force_on: string | null;
      parties: string[];
      next_party: number;
    }>(
      this.tx,
      sql`select short_title, signed_on::text, signed_place, entry_into_force_on::text,
            coalesce((select json_agg(p.actor_id order by p.position) from treaty_parties p where p.treaty_id = t.id), '[]') as parties,
            coalesce((select max(p.position) + 1 from treaty_parties p where p.treaty_id = t.id), 0)::int as next_party
          from treaties t where t.id = ${treatyId}`,
    );
    if (!row) return;
    const fill = {
      shortTitle: row.short_title === null ? treaty.shortTitle : undefined,
      signedOn: row.signed_on === null ? treaty.signedOn : undefined,
      signedPlace: row.signed_place === null ? treaty.signedPlace : undefined,
      entryIntoForceOn: row.entry_into_force_on === null ? treaty.entryIntoForceOn : undefined,
    };
    if (Object.values(fill).some((value) => value !== undefined)) {
      await this.change('Treaty', treatyId);
      await this.tx.update(t.treaties).set(fill).where(eq(t.treaties.id, treatyId));
    }
    const missing = partyIds.filter((actorId) => !row.parties.includes(actorId));
    if (missing.length > 0) {
      await this.change('Treaty', treatyId);
      await this.tx
        .insert(t.treatyParties)
        .values(missing.map((actorId, i) => ({ treatyId, actorId, position: row.next_party + i })));
      await this.refreshStatus(treatyId);
    }
  }

  /** A stored treaty whose actions or parties the seed added: the status they now give. */
  private async refreshStatus(treatyId: string): Promise<void> {
    if (this.created.has(treatyId)) return;
    const status = await derivedTreatyStatus(this.tx, treatyId);
    const [row] = await rows<{ status: string }>(
      this.tx,
      sql`select status from treaties where id = ${treatyId}`,
    );
    if (row?.status === status) return;
    await this.change('Treaty', treatyId);
    await this.tx.update(t.treaties).set({ status }).where(eq(t.treaties.id, treatyId));
  }

  /**
   * The seed story: stored already when an article has its words (imported as a plain story) or
   * its slug with its words; else created under its stable ID (and its slug, unless another story
   * has taken it).
   */
  private async mergeArticle(): Promise<void> {
    const { headline, standfirst, paragraphs } = this.story;
    const hash = contentHash({ headline, standfirst, paragraphs });
    const candidates = this.catalog.articleCandidates(hash, headline);
    const stored = await rows<{
      id: string;
      content_hash: string | null;
      headline: string;
      standfirst: string | null;
      paragraphs: string[];
    }>(
      this.tx,
      sql`select a.id, a.content_hash, a.headline, a.standfirst,
            coalesce((select json_agg(p.text order by p.index) from article_paragraphs p where p.article_id = a.id), '[]') as paragraphs
          from articles a where a.slug = ${SEED_ARTICLE_SLUG} ${candidates.length > 0 ? sql`or a.id in ${list(candidates)}` : sql``}
          order by a.created_at, a.id`,
    );
    const same = stored.find((a) => (a.content_hash ?? contentHash(a)) === hash);
    if (same) {
      this.articleId = same.id;
      return;
    }
    this.articleId = seedIds.article();
    this.articleCreated = true;
    this.wrote = true;
    const articleId = this.articleId;
    const slug = await chooseSlug(this.tx, 'Article', { requested: null, title: SEED_ARTICLE_SLUG });
    await this.tx.insert(t.articles).values({
      id: articleId,
      slug,
      headline,
      standfirst,
      datelinePlace: 'MOSCOW',
      datelineText: 'MOSCOW, October 24. /TASS/. ',
      publisherId: this.actor('tass'),
      publishedAt: '2024-10-24T00:00:00Z',
      language: 'en',
      status: 'PUBLISHED',
    });
    await this.tx
      .insert(t.articleParagraphs)
      .values(paragraphs.map((text, index) => ({ articleId, index, text })));

    const mentionRows = MENTIONS.map((m) => {
      const found = span(paragraphs, m.paragraph, m.text);
      return {
        id: id('mention', `${m.paragraph}/${found.start}/${m.text}`),
        articleId,
        paragraph: found.paragraph,
        start: found.start,
        end: found.end,
        text: found.text,
        actorId: m.actor ? this.actor(m.actor) : null,
        treatyId: m.treaty ? this.treaty(m.treaty) : null,
        provisionId: m.provision ? this.provision(...m.provision) : null,
      };
    });
    await this.tx.insert(t.articleMentions).values(mentionRows).onConflictDoNothing();
    const mentionedActors = [...new Set(MENTIONS.flatMap((m) => (m.actor ? [this.actor(m.actor)] : [])))];
    await this.tx
      .insert(t.articleActors)
      .values(mentionedActors.map((actorId) => ({ articleId, actorId })))
      .onConflictDoNothing();
    await this.tx
      .insert(t.articleTreaties)
      .values(TREATIES.map((treaty) => ({ articleId, treatyId: this.treaty(treaty.slug) })))
      .onConflictDoNothing();
  }

  /** Each seed action, unless its treaty has one of the same type on the same day (or it was purged). */
  private async mergeActions(): Promise<void> {
    const { paragraphs } = this.story;
    for (const treaty of TREATIES) {
      const treatyId = this.treaty(treaty.slug);
      let added = false;
      for (const action of treaty.actions) {
        const actionId = id('action', `${treaty.slug}/${action.key}`);
        if ((await existedOnce(this.tx, 'treaty_actions', [actionId])).size > 0) continue;
        const [same] = await rows<{ id: string }>(
          this.tx,
          sql`select id from treaty_actions where treaty_id = ${treatyId} and type = ${action.type} and date = ${action.date}`,
        );
        if (same) continue;
        await this.tx.insert(t.treatyActions).values({
          id: actionId,
          treatyId,
          type: action.type,
          date: action.date,
          actorId: action.actor ? this.actor(action.actor) : null,
          bodyId: action.body ? this.actor(action.body) : null,
          place: action.place ?? null,
          description: action.description,
          ...(action.source
            ? sourceColumns(this.articleId, span(paragraphs, action.source.paragraph, action.source.text))
            : {}),
        });
        this.wrote = true;
        added = true;
      }
      if (added) await this.refreshStatus(treatyId);
    }
  }

  private async mergeStatements(): Promise<void> {
    const { paragraphs } = this.story;
    const stored = this.articleCreated
      ? []
      : await rows<{
          id: string;
          paragraph: number;
          start: number;
          end: number;
          method: string;
          deleted: boolean;
        }>(
          this.tx,
          sql`select id, paragraph, start, "end", attribution_method as method, deleted_at is not null as deleted
              from statements where article_id = ${this.articleId} order by created_at, id`,
        );
    const gone = await existedOnce(
      this.tx,
      'statements',
      STATEMENTS.map((s) => seedIds.statement(s.key)),
    );
    for (const s of STATEMENTS) {
      const found = span(paragraphs, s.paragraph, s.text);
      const curated = {
        text: found.text,
        kind: s.kind,
        speakerId: this.actor(STATEMENT_DEFAULTS.speaker),
        speakerRole: s.speakerRole,
        cue: s.cue,
        saidOn: STATEMENT_DEFAULTS.saidOn,
        occasion: STATEMENT_DEFAULTS.occasion,
        paragraph: found.paragraph,
        start: found.start,
        end: found.end,
        attributionMethod: 'MANUAL' as const,
        attributionConfidence: 1,
      };
      const same = stored.find(
        (x) => x.paragraph === found.paragraph && x.start === found.start && x.end === found.end,
      );
      let statementId: string;
      if (!same) {
        statementId = seedIds.statement(s.key);
        if (gone.has(statementId)) continue;
        await this.tx.insert(t.statements).values({ id: statementId, articleId: this.articleId, ...curated });
        this.created.add(statementId);
        this.wrote = true;
      } else if (same.method === 'RULES' && !same.deleted) {
        // The rules' attribution of these words gives way to the curated one.
        statementId = same.id;
        await this.change('Statement', statementId);
        await this.tx.update(t.statements).set(curated).where(eq(t.statements.id, statementId));
        await this.tx.delete(t.statementTreaties).where(eq(t.statementTreaties.statementId, statementId));
        await this.tx.delete(t.statementProvisions).where(eq(t.statementProvisions.statementId, statementId));
      } else {
        continue;
      }
      await this.tx
        .insert(t.statementTreaties)
        .values(STATEMENT_DEFAULTS.about.map((slug) => ({ statementId, treatyId: this.treaty(slug) })));
      if (s.provisions.length > 0) {
        await this.tx
          .insert(t.statementProvisions)
          .values(s.provisions.map((p) => ({ statementId, provisionId: this.provision(...p) })));
      }
    }
  }
}

function sourceColumns(articleId: string, found: SpanClaim) {
  return {
    sourceArticleId: articleId,
    sourceParagraph: found.paragraph,
    sourceStart: found.start,
    sourceEnd: found.end,
    sourceText: found.text,
  };
}
