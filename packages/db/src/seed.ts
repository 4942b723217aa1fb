// The seed: the TASS story of 24 October 2024 that Chancery started from, loaded as curated
// records (see packages/domain/fixtures/corpus/ for the gold file they match). Every span is located
// in the story's own text, so a typo here fails loudly instead of storing a wrong span.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ActorKind, StatementKind, TreatyActionType } from '@chancery/domain/model';
import { assertSourceSpan, locateSpan, type SpanClaim } from '@chancery/domain/provenance';
import { stableId } from '@chancery/domain/stable-id';
import { treatyStatusFromActions } from '@chancery/domain/treaty-status';
import type { ChanceryDb } from './database.ts';
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

/**
 * Loads the seed in one transaction. Every row has a stable ID and is inserted with
 * ON CONFLICT DO NOTHING, so a second load changes nothing and never overwrites edits.
 */
export async function loadSeed(db: ChanceryDb): Promise<{ created: boolean }> {
  const { headline, standfirst, paragraphs } = seedStoryParts();
  const articleId = seedIds.article();
  return db.transaction(async (tx) => {
    const existing = await tx.query.articles.findFirst({ where: { id: articleId }, columns: { id: true } });
    if (existing) return { created: false };

    await tx
      .insert(t.actors)
      .values(
        ACTORS.map((a) => ({
          id: seedIds.actor(a.slug),
          slug: a.slug,
          name: a.name,
          kind: a.kind,
          aliases: a.aliases,
          description: a.description,
          countryCode: a.countryCode ?? null,
          wikidataId: a.wikidataId ?? null,
        })),
      )
      .onConflictDoNothing();
    const roles = ACTORS.flatMap((a) =>
      (a.roles ?? []).map((role, position) => ({
        id: id('role', `${a.slug}/${position}`),
        actorId: seedIds.actor(a.slug),
        position,
        title: role.title,
        organizationId: seedIds.actor(role.organization),
      })),
    );
    await tx.insert(t.actorRoles).values(roles).onConflictDoNothing();

    await tx
      .insert(t.articles)
      .values({
        id: articleId,
        slug: SEED_ARTICLE_SLUG,
        headline,
        standfirst,
        datelinePlace: 'MOSCOW',
        datelineText: 'MOSCOW, October 24. /TASS/. ',
        publisherId: seedIds.actor('tass'),
        publishedAt: '2024-10-24T00:00:00Z',
        language: 'en',
        status: 'PUBLISHED',
      })
      .onConflictDoNothing();
    await tx
      .insert(t.articleParagraphs)
      .values(paragraphs.map((text, index) => ({ articleId, index, text })))
      .onConflictDoNothing();

    for (const treaty of TREATIES) {
      const treatyId = seedIds.treaty(treaty.slug);
      const partyIds = treaty.parties.map(seedIds.actor);
      const actions = treaty.actions.map((action) => ({
        id: id('action', `${treaty.slug}/${action.key}`),
        treatyId,
        type: action.type,
        date: action.date,
        actorId: action.actor ? seedIds.actor(action.actor) : null,
        bodyId: action.body ? seedIds.actor(action.body) : null,
        place: action.place ?? null,
        description: action.description,
        ...(action.source
          ? sourceColumns(articleId, span(paragraphs, action.source.paragraph, action.source.text))
          : {}),
      }));
      await tx
        .insert(t.treaties)
        .values({
          id: treatyId,
          slug: treaty.slug,
          title: treaty.title,
          shortTitle: treaty.shortTitle,
          status: treatyStatusFromActions(actions, partyIds),
          signedOn: treaty.signedOn ?? null,
          signedPlace: treaty.signedPlace ?? null,
          entryIntoForceOn: treaty.entryIntoForceOn ?? null,
        })
        .onConflictDoNothing();
      if (partyIds.length > 0) {
        await tx
          .insert(t.treatyParties)
          .values(partyIds.map((actorId, position) => ({ treatyId, actorId, position })))
          .onConflictDoNothing();
      }
      await tx
        .insert(t.treatyProvisions)
        .values(
          treaty.provisions.map((p, position) => ({
            id: seedIds.provision(treaty.slug, p.number),
            treatyId,
            number: p.number,
            position,
            summary: p.summary ?? null,
            text: p.text ?? null,
          })),
        )
        .onConflictDoNothing();
      await tx.insert(t.treatyActions).values(actions).onConflictDoNothing();
    }
    const references = TREATIES.flatMap((treaty) =>
      treaty.provisions.flatMap((p) =>
        (p.refersTo ?? []).map(([toTreaty, toNumber]) => ({
          fromProvisionId: seedIds.provision(treaty.slug, p.number),
          toProvisionId: seedIds.provision(toTreaty, toNumber),
        })),
      ),
    );
    await tx.insert(t.provisionReferences).values(references).onConflictDoNothing();

    const mentionRows = MENTIONS.map((m) => {
      const found = span(paragraphs, m.paragraph, m.text);
      return {
        id: id('mention', `${m.paragraph}/${found.start}/${m.text}`),
        articleId,
        paragraph: found.paragraph,
        start: found.start,
        end: found.end,
        text: found.text,
        actorId: m.actor ? seedIds.actor(m.actor) : null,
        treatyId: m.treaty ? seedIds.treaty(m.treaty) : null,
        provisionId: m.provision ? seedIds.provision(...m.provision) : null,
      };
    });
    await tx.insert(t.articleMentions).values(mentionRows).onConflictDoNothing();
    const mentionedActors = [...new Set(MENTIONS.flatMap((m) => (m.actor ? [m.actor] : [])))];
    await tx
      .insert(t.articleActors)
      .values(mentionedActors.map((slug) => ({ articleId, actorId: seedIds.actor(slug) })))
      .onConflictDoNothing();
    await tx
      .insert(t.articleTreaties)
      .values(TREATIES.map((treaty) => ({ articleId, treatyId: seedIds.treaty(treaty.slug) })))
      .onConflictDoNothing();

    for (const s of STATEMENTS) {
      const found = span(paragraphs, s.paragraph, s.text);
      const statementId = seedIds.statement(s.key);
      await tx
        .insert(t.statements)
        .values({
          id: statementId,
          text: found.text,
          kind: s.kind,
          speakerId: seedIds.actor(STATEMENT_DEFAULTS.speaker),
          speakerRole: s.speakerRole,
          cue: s.cue,
          saidOn: STATEMENT_DEFAULTS.saidOn,
          occasion: STATEMENT_DEFAULTS.occasion,
          articleId,
          paragraph: found.paragraph,
          start: found.start,
          end: found.end,
          attributionMethod: 'MANUAL',
          attributionConfidence: 1,
        })
        .onConflictDoNothing();
      await tx
        .insert(t.statementTreaties)
        .values(STATEMENT_DEFAULTS.about.map((slug) => ({ statementId, treatyId: seedIds.treaty(slug) })))
        .onConflictDoNothing();
      if (s.provisions.length > 0) {
        await tx
          .insert(t.statementProvisions)
          .values(s.provisions.map((p) => ({ statementId, provisionId: seedIds.provision(...p) })))
          .onConflictDoNothing();
      }
    }
    return { created: true };
  });
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
