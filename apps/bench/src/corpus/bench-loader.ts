// The bench's own corpus: realistic treaties × provisions × articles × paragraphs × statements,
// written with bulk multi-row INSERTs through Drizzle. Deterministic (seeded PRNG, stable IDs), so
// two runs at the same scale hold the same rows and the same page-50 cursor.
//
// Shape at scale 1 (every figure × scale except speakers, states and publishers):
//   5 000 articles × 12 paragraphs, 10 of them quoting someone → 50 000 statements;
//   400 treaties × 4–24 provisions (~5 600), 2–4 state parties, a SIGNATURE action each;
//   500 speakers with a skewed share (the busiest says ~4.5% of everything), 60 states, 8 publishers;
//   3% of articles are drafts, so visibility rules filter real rows.
// Each statement is about one treaty and one of its provisions; its source span is checked
// against its paragraph with the domain's own rule before anything is written.
import * as t from '@chancery/db/schema';
import { assertSourceSpan } from '@chancery/domain/provenance';
import { stableId } from '@chancery/domain/stable-id';
import { treatyStatusFromActions } from '@chancery/domain/treaty-status';
import { existingCorpus, writeMarker } from './marker.ts';
import type { CorpusSource, CorpusSummary } from './source.ts';

export const BENCH_CORPUS_VERSION = 1;

const SPEAKERS = 500;
const STATES = 60;
const PUBLISHERS = 8;
const ARTICLES_PER_SCALE = 5_000;
const PARAGRAPHS_PER_ARTICLE = 12;
const QUOTED_PARAGRAPHS_PER_ARTICLE = 10;
const TREATIES_PER_SCALE = 400;
const ROWS_PER_INSERT = 1_000;

/** mulberry32: small, fast, good enough to make text and shapes reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Anna',
  'Boris',
  'Chen',
  'Dmitri',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kim',
  'Lena',
  'Marek',
  'Nadia',
  'Omar',
  'Paula',
  'Quentin',
  'Rosa',
  'Sergei',
  'Tariq',
  'Ulla',
  'Viktor',
  'Wen',
  'Yara',
  'Zoltan',
];
const LAST = [
  'Petrova',
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Haddad',
  'Kowalski',
  'Silva',
  'Ibrahim',
  'Novak',
  'Schmidt',
  'Tanaka',
  'Rossi',
  'Dubois',
  'Ivanov',
  'Kaur',
  'Mensah',
  'Olsen',
  'Park',
  'Quispe',
];
const ROLES = [
  'Foreign Minister',
  'Deputy Foreign Minister',
  'Defence Minister',
  'Ambassador to the UN',
  'Prime Minister',
  'President',
  'Spokesperson of the Foreign Ministry',
  'Chair of the Foreign Affairs Committee',
];
const SUBJECTS = [
  'the treaty',
  'this agreement',
  'the partnership',
  'the accord',
  'the new framework',
  'the pact',
];
const VERBS = [
  'strengthens',
  'guarantees',
  'does not threaten',
  'reaffirms',
  'clarifies',
  'limits',
  'extends',
  'protects',
];
const OBJECTS = [
  'regional security',
  'the sovereignty of both parties',
  'trade across the border',
  'the rights of fishermen',
  'cooperation in science',
  'the peaceful use of nuclear energy',
  'freedom of navigation',
  'mutual legal assistance',
  'the exchange of prisoners',
  'visa-free travel for students',
];
const TAILS = [
  'in line with international law',
  'as the parties agreed in the negotiations',
  'and will be ratified this year',
  'without affecting third countries',
  'under Article 51 of the UN Charter',
  'according to its preamble',
  'for the next twenty years',
  'as the parliament was told on Tuesday',
];
const TOPICS = [
  'Strategic Partnership',
  'Maritime Boundary',
  'Trade and Investment',
  'Mutual Legal Assistance',
  'Fisheries',
  'Arms Control',
  'Science Cooperation',
  'Civil Aviation',
  'Extradition',
  'Water Sharing',
  'Cultural Exchange',
  'Energy Transit',
];
const HEADINGS = [
  'Purpose',
  'Definitions',
  'Consultations',
  'Mutual assistance',
  'Exchange of information',
  'Settlement of disputes',
  'Entry into force',
  'Duration and termination',
  'Amendments',
  'Final provisions',
];

type Pick = <T>(items: readonly T[]) => T;

function sentence(pick: Pick, random: () => number): string {
  const base = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}`;
  const text = random() < 0.4 ? `${base}, and ${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}` : base;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const pad = (n: number, width = 5) => String(n).padStart(width, '0');
const isoDay = (dayNumber: number) =>
  new Date(Date.UTC(2015, 0, 1) + dayNumber * 86_400_000).toISOString().slice(0, 10);

async function insertChunked<Row>(rows: Row[], insert: (chunk: Row[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await insert(rows.slice(i, i + ROWS_PER_INSERT));
}

export const benchLoader: CorpusSource = {
  name: `bench-loader v${BENCH_CORPUS_VERSION}`,
  key: 'loader',
  async ensure(database, { scale, log }) {
    const source = `bench-loader v${BENCH_CORPUS_VERSION}`;
    const existing = await existingCorpus(database, source, scale, log);
    if (existing) return existing;

    const started = performance.now();
    const random = prng(20241024 + scale);
    const pick: Pick = (items) => items[Math.floor(random() * items.length)] as (typeof items)[number];
    const id = (name: string) => stableId(`bench:${name}`);

    // Actors: states (treaty parties), publishers, speakers.
    const states = Array.from({ length: STATES }, (_, i) => ({
      id: id(`state-${i}`),
      slug: `bench-state-${pad(i, 3)}`,
      name: `State ${pad(i, 3)}`,
      kind: 'STATE' as const,
      aliases: [`Capital ${pad(i, 3)}`],
      countryCode: String.fromCharCode(65 + (i % 26), 65 + Math.floor(i / 26)),
    }));
    const publishers = Array.from({ length: PUBLISHERS }, (_, i) => ({
      id: id(`publisher-${i}`),
      slug: `bench-publisher-${i}`,
      name: `Wire Agency ${i}`,
      kind: 'ORGANIZATION' as const,
    }));
    const speakers = Array.from({ length: SPEAKERS }, (_, i) => ({
      id: id(`speaker-${i}`),
      slug: `bench-speaker-${pad(i, 4)}`,
      name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`,
      kind: 'PERSON' as const,
      aliases: [`${LAST[Math.floor(i / FIRST.length) % LAST.length]}`],
      description: `${pick(ROLES)} of State ${pad(i % STATES, 3)}.`,
      countryCode: states[i % STATES]?.countryCode,
    }));
    const roles = speakers.map((s, i) => ({
      id: id(`role-${i}`),
      actorId: s.id,
      position: 0,
      title: `${pick(ROLES)} of State ${pad(i % STATES, 3)}`,
      organizationId: states[i % STATES]?.id,
      startDate: isoDay(Math.floor(random() * 1500)),
    }));

    // Treaties, their parties, provisions and a SIGNATURE action each.
    const treatyCount = Math.max(20, Math.round(TREATIES_PER_SCALE * scale));
    const treaties: (typeof t.treaties.$inferInsert)[] = [];
    const parties: (typeof t.treatyParties.$inferInsert)[] = [];
    const provisions: {
      id: string;
      treatyId: string;
      number: string;
      position: number;
      heading: string;
      text: string;
    }[] = [];
    const actions: (typeof t.treatyActions.$inferInsert)[] = [];
    const provisionsOf: string[][] = [];
    for (let i = 0; i < treatyCount; i++) {
      const treatyId = id(`treaty-${i}`);
      const topic = pick(TOPICS);
      const partyCount = 2 + Math.floor(random() * 3);
      const partyIds = new Set<string>();
      while (partyIds.size < partyCount) partyIds.add(pick(states).id);
      const signedOn = isoDay(Math.floor(random() * 3600));
      const signature = { type: 'SIGNATURE' as const, date: signedOn, actorId: null };
      treaties.push({
        id: treatyId,
        slug: `bench-treaty-${pad(i)}`,
        title: `${topic} Treaty No. ${pad(i)}`,
        shortTitle: `${topic} ${i}`,
        status: treatyStatusFromActions([signature], [...partyIds]),
        signedOn,
        signedPlace: `Capital ${pad(i % STATES, 3)}`,
      });
      [...partyIds].forEach((actorId, position) => {
        parties.push({ treatyId, actorId, position });
      });
      actions.push({
        id: id(`action-${i}`),
        treatyId,
        type: 'SIGNATURE',
        date: signedOn,
        place: `Capital ${pad(i % STATES, 3)}`,
      });
      const count = 4 + Math.floor(random() * 21);
      const ids: string[] = [];
      for (let p = 0; p < count; p++) {
        const provisionId = id(`provision-${i}-${p}`);
        ids.push(provisionId);
        provisions.push({
          id: provisionId,
          treatyId,
          number: String(p + 1),
          position: p,
          heading: HEADINGS[p % HEADINGS.length] as string,
          text: `The Parties shall ${pick(VERBS).replace(/s$/, '')} ${pick(OBJECTS)} ${pick(TAILS)}.`,
        });
      }
      provisionsOf.push(ids);
    }

    // Articles, paragraphs and statements. Speaker i has weight ~ 1/sqrt(i): skewed like real
    // coverage, so the busiest speaker has far more than 50 pages of statements.
    const articleCount = Math.max(1, Math.round(ARTICLES_PER_SCALE * scale));
    const articles: (typeof t.articles.$inferInsert)[] = [];
    const paragraphs: (typeof t.articleParagraphs.$inferInsert)[] = [];
    const statements: (typeof t.statements.$inferInsert)[] = [];
    const statementTreaties: (typeof t.statementTreaties.$inferInsert)[] = [];
    const statementProvisions: (typeof t.statementProvisions.$inferInsert)[] = [];
    const articleActors: (typeof t.articleActors.$inferInsert)[] = [];
    const articleTreaties: (typeof t.articleTreaties.$inferInsert)[] = [];
    const visibleBySpeaker = new Map<number, number>();
    for (let a = 0; a < articleCount; a++) {
      const articleId = id(`article-${a}`);
      const day = Math.floor(random() * 3900);
      const published = random() >= 0.03;
      const treatyIndex = Math.floor(random() * treatyCount);
      const treatyId = treaties[treatyIndex]?.id as string;
      articles.push({
        id: articleId,
        slug: `bench-article-${pad(a, 6)}`,
        headline: `${pick(TOPICS)} talks: ${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}`,
        standfirst: sentence(pick, random),
        datelinePlace: `Capital ${pad(a % STATES, 3)}`,
        datelineText: `CAPITAL ${pad(a % STATES, 3)}, ${isoDay(day)}.`,
        publisherId: publishers[a % PUBLISHERS]?.id,
        byline: `${pick(FIRST)} ${pick(LAST)}`,
        publishedAt: `${isoDay(day)}T${pad(Math.floor(random() * 24), 2)}:00:00Z`,
        language: 'en',
        url: `https://news.example/${a}`,
        status: published ? 'PUBLISHED' : 'DRAFT',
      });
      articleTreaties.push({ articleId, treatyId });
      const speakersHere = new Set<string>();
      const bodies: string[] = [];
      for (let p = 0; p < PARAGRAPHS_PER_ARTICLE; p++) {
        if (p >= QUOTED_PARAGRAPHS_PER_ARTICLE) {
          const text = `${sentence(pick, random)}.`;
          bodies.push(text);
          paragraphs.push({ articleId, index: p, text });
          continue;
        }
        const speakerIndex = Math.floor(SPEAKERS * random() ** 2);
        const speaker = speakers[speakerIndex] as (typeof speakers)[number];
        const words = sentence(pick, random);
        const direct = random() < 0.7;
        const lead = direct ? '“' : `${speaker.name} said that `;
        const text = `${lead}${words}${direct ? `,” ${speaker.name} said.` : '.'}`;
        const start = lead.length;
        const statementId = id(`statement-${a}-${p}`);
        const span = { paragraph: p, start, end: start + words.length, text: words };
        bodies.push(text);
        assertSourceSpan(bodies, span);
        paragraphs.push({ articleId, index: p, text });
        statements.push({
          id: statementId,
          text: words,
          kind: direct ? 'DIRECT' : 'INDIRECT',
          speakerId: speaker.id,
          speakerRole: speaker.description?.replace(/\.$/, ''),
          cue: 'said',
          saidOn: isoDay(day - Math.floor(random() * 2)),
          articleId,
          paragraph: p,
          start: span.start,
          end: span.end,
          attributionMethod: random() < 0.8 ? 'RULES' : 'MANUAL',
          attributionConfidence: 0.6 + Math.floor(random() * 40) / 100,
        });
        const provisionIds = provisionsOf[treatyIndex] as string[];
        statementTreaties.push({ statementId, treatyId });
        statementProvisions.push({ statementId, provisionId: pick(provisionIds) });
        speakersHere.add(speaker.id);
        if (published) visibleBySpeaker.set(speakerIndex, (visibleBySpeaker.get(speakerIndex) ?? 0) + 1);
      }
      for (const actorId of speakersHere) articleActors.push({ articleId, actorId });
    }

    log(
      `corpus: writing ${statements.length} statements in ${articles.length} articles, ${treaties.length} treaties…`,
    );
    await database.db.transaction(async (tx) => {
      await insertChunked([...states, ...publishers, ...speakers], (c) => tx.insert(t.actors).values(c));
      await insertChunked(roles, (c) => tx.insert(t.actorRoles).values(c));
      await insertChunked(treaties, (c) => tx.insert(t.treaties).values(c));
      await insertChunked(parties, (c) => tx.insert(t.treatyParties).values(c));
      await insertChunked(provisions, (c) => tx.insert(t.treatyProvisions).values(c));
      await insertChunked(actions, (c) => tx.insert(t.treatyActions).values(c));
      await insertChunked(articles, (c) => tx.insert(t.articles).values(c));
      await insertChunked(paragraphs, (c) => tx.insert(t.articleParagraphs).values(c));
      await insertChunked(articleActors, (c) => tx.insert(t.articleActors).values(c));
      await insertChunked(articleTreaties, (c) => tx.insert(t.articleTreaties).values(c));
      await insertChunked(statements, (c) => tx.insert(t.statements).values(c));
      await insertChunked(statementTreaties, (c) => tx.insert(t.statementTreaties).values(c));
      await insertChunked(statementProvisions, (c) => tx.insert(t.statementProvisions).values(c));
    });
    // No ANALYZE: the bench measures what a user gets, and statistics are Chancery's business.

    const [busiestIndex, busiestCount] = [...visibleBySpeaker.entries()].sort((x, y) => y[1] - x[1])[0] ?? [
      0, 0,
    ];
    const summary: CorpusSummary = {
      source,
      scale,
      counts: {
        actors: states.length + publishers.length + speakers.length,
        treaties: treaties.length,
        provisions: provisions.length,
        articles: articles.length,
        paragraphs: paragraphs.length,
        statements: statements.length,
      },
      busiestSpeakerSlug: speakers[busiestIndex]?.slug as string,
      busiestSpeakerStatements: busiestCount,
    };
    await writeMarker(database, summary);
    log(`corpus: loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return summary;
  },
};
