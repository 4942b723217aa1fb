// Search latency at scale: bulk-loads N synthetic statements (default 200 000) into a fresh
// database and reports p50/p95 of Chancery's search SQL (packages/db/src/search.ts, run through
// Drizzle as the server runs it) against the very same SQL text run directly through the driver
// (`pg`, or PGlite's own query) in the same run, for selective and common terms.
//
//   npx tsx packages/db/scripts/search-bench.ts [--engine postgres|pglite|both] [--statements 200000]
//     [--iterations 40] [--url postgres://postgres@127.0.0.1:5432/chancery_dev] [--keep]
//
// PostgreSQL: a fresh schema in the database at --url (or TEST_DATABASE_URL), dropped afterwards
// unless --keep. PGlite: a fresh in-memory database. Never run as a test: it takes minutes.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseSearchQuery, type SearchType, searchedTypes } from '@chancery/domain/search';
import { stableId } from '@chancery/domain/stable-id';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { type Database, fromSqlClient } from '../src/database.ts';
import { PGLITE_OPTIONS } from '../src/engine/embedded.ts';
import { migrate } from '../src/migrate.ts';
import * as t from '../src/schema.ts';
import { type SearchRequest, searchFacetsSql, searchPage, searchPageSql } from '../src/search.ts';
import { openSchemaDatabase } from '../src/testing.ts';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    statements: { type: 'string', default: '200000' },
    iterations: { type: 'string', default: '40' },
    url: {
      type: 'string',
      default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/chancery_dev',
    },
    keep: { type: 'boolean', default: false },
  },
});
const STATEMENTS = Number(args.statements);
const ITERATIONS = Number(args.iterations);
const STATEMENTS_PER_ARTICLE = 8;

// ---------------------------------------------------------------------------------------------
// A deterministic corpus in the register of diplomatic news.

function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20241024);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const COUNTRIES = (
  'Russia China India Brazil France Germany Japan Turkey Iran Egypt Nigeria Kenya Mexico Canada Australia ' +
  'Indonesia Vietnam Thailand Pakistan Kazakhstan Uzbekistan Mongolia Belarus Ukraine Poland Hungary Serbia ' +
  'Finland Sweden Norway Italy Spain Portugal Greece Israel Jordan Qatar Oman Algeria Morocco Ethiopia Angola ' +
  'Argentina Chile Peru Colombia Venezuela Cuba Laos Cambodia Myanmar Malaysia Singapore Philippines Armenia ' +
  'Azerbaijan Georgia Tajikistan Kyrgyzstan'
).split(' ');
const SYLLABLES = 'var kos lid ran mir zel tor bek sun dal ori fen gra lum nes pav rud tis ulm vey'.split(
  ' ',
);
// ~400 invented towns: each is in ~0.04% of statements (about 75 of 200 000) — selective terms.
const TOWNS = Array.from({ length: 400 }, (_, i) => {
  const a = SYLLABLES[i % 20] as string;
  const b = SYLLABLES[Math.floor(i / 20) % 20] as string;
  return `${a[0]?.toUpperCase()}${a.slice(1)}${b}ovsk`;
});
// ~2000 code names: each in a handful of statements — very selective.
const CODENAMES = Array.from({ length: 2000 }, (_, i) => `Operation ${TOWNS[i % 400]?.slice(0, 4)}${i}x`);
const SUBJECTS = [
  'The treaty',
  'The agreement',
  'Our strategic partnership',
  'The new memorandum',
  'The sanctions regime',
  'The ceasefire',
  'This framework convention',
  'The protocol on military cooperation',
  'The ratification of the accord',
  'Bilateral trade',
  'The joint declaration',
  'The security guarantee',
];
const VERBS = [
  'will strengthen',
  'does not threaten',
  'undermines',
  'guarantees',
  'reflects',
  'is aimed at maintaining',
  'violates',
  'supports',
  'cannot replace',
  'has been ratified to protect',
  'is directed against',
  'provides for',
];
const OBJECTS = [
  'regional security',
  'strategic stability',
  'mutual trust between our peoples',
  'economic cooperation',
  'the sovereignty of {country}',
  'nuclear non-proliferation',
  'maritime security in the region',
  'energy supplies to {country}',
  'the territorial integrity of {country}',
  'mutual military assistance',
  'the principles of international law',
  'humanitarian access',
  'collective security in Eurasia',
  'the interests of third countries',
];
const TAILS = [
  '',
  '',
  '',
  ' after talks with {country}',
  ' despite pressure from {country}',
  ' in line with Article 51 of the UN Charter',
  ', the minister stressed',
  ' and the parliament will vote next week',
];
const ROLES = [
  'Foreign Minister',
  'Deputy Foreign Minister',
  'President',
  'Prime Minister',
  'Defence Minister',
  'ambassador',
  'spokeswoman',
  'a senior diplomat',
];
const OCCASIONS = ['a news conference', 'a plenary session', 'a briefing', 'talks in {country}', 'a summit'];

const fill = (template: string) => template.replace(/\{country\}/g, () => pick(COUNTRIES));

function quote(): string {
  const clauses = 1 + Math.floor(random() * 2);
  const parts: string[] = [];
  for (let i = 0; i < clauses; i++)
    parts.push(fill(`${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)}${pick(TAILS)}`));
  let text = parts.join(', and ');
  if (random() < 0.15) text += ` during the visit to ${pick(TOWNS)}`;
  if (random() < 0.01) text += `, as ${pick(CODENAMES)} showed`;
  return text;
}

// ---------------------------------------------------------------------------------------------

type Engine = {
  name: 'postgres' | 'pglite';
  database: Database;
  /** The same SQL text and parameters, straight through the driver. */
  raw(text: string, params: unknown[]): Promise<unknown>;
  close(): Promise<void>;
};

async function openPostgres(url: string): Promise<Engine> {
  const schema = `bench_search_${randomBytes(4).toString('hex')}`;
  const { database, pool } = await openSchemaDatabase(url, { schema, max: 4, keep: args.keep });
  if (args.keep) console.log(`keeping schema ${schema}`);
  return {
    name: 'postgres',
    database,
    raw: (text, params) => pool.query(text, params),
    close: () => database.close(),
  };
}

async function openPglite(): Promise<Engine> {
  const pglite = await PGlite.create(PGLITE_OPTIONS);
  const database = fromSqlClient({ kind: 'pglite', pglite, socketPath: null, close: () => pglite.close() });
  return {
    name: 'pglite',
    database,
    raw: (text, params) => pglite.query(text, params),
    close: () => database.close(),
  };
}

async function load(engine: Engine): Promise<void> {
  const { db } = engine.database;
  const started = performance.now();
  await migrate(engine.database);
  const r = prng(7);
  const actorRows = [
    ...COUNTRIES.map((name) => ({ name, kind: 'STATE' as const })),
    ...Array.from({ length: 300 }, (_, i) => ({
      name: `${pick(['Andrey', 'Maria', 'Li', 'Ahmed', 'Sergey', 'Anna', 'Kim', 'Jean', 'Olga', 'Rahul'])} ${TOWNS[i]?.replace(/ovsk$/, 'ov')}`,
      kind: 'PERSON' as const,
    })),
    ...['TASS', 'Xinhua', 'Reuters', 'AFP', 'Yonhap'].map((name) => ({
      name,
      kind: 'ORGANIZATION' as const,
    })),
  ].map((a, i) => ({ ...a, id: stableId(`bench:actor:${i}`), slug: `bench-actor-${i}` }));
  await db.insert(t.actors).values(actorRows);
  const people = actorRows.filter((a) => a.kind === 'PERSON').map((a) => a.id);
  const publishers = actorRows.filter((a) => a.kind === 'ORGANIZATION').map((a) => a.id);

  const treatyIds = Array.from({ length: 200 }, (_, i) => stableId(`bench:treaty:${i}`));
  await db.insert(t.treaties).values(
    treatyIds.map((id, i) => ({
      id,
      slug: `bench-treaty-${i}`,
      title: `Treaty on ${pick(OBJECTS).replace('{country}', pick(COUNTRIES))} between ${pick(COUNTRIES)} and ${pick(COUNTRIES)}`,
      status: 'SIGNED' as const,
      signedOn: `${1990 + Math.floor(r() * 35)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`,
    })),
  );
  await db.insert(t.treatyProvisions).values(
    treatyIds.flatMap((treatyId, i) =>
      Array.from({ length: 10 }, (_, p) => ({
        id: stableId(`bench:provision:${i}:${p}`),
        treatyId,
        number: String(p + 1),
        position: p,
        text: `${quote()}. ${quote()}.`,
      })),
    ),
  );

  const articles = Math.ceil(STATEMENTS / STATEMENTS_PER_ARTICLE);
  const BATCH = 250; // articles per transaction: 2 000 statements
  for (let first = 0; first < articles; first += BATCH) {
    const articleRows: (typeof t.articles.$inferInsert)[] = [];
    const paragraphRows: (typeof t.articleParagraphs.$inferInsert)[] = [];
    const statementRows: (typeof t.statements.$inferInsert)[] = [];
    const links: (typeof t.statementTreaties.$inferInsert)[] = [];
    for (let a = first; a < Math.min(first + BATCH, articles); a++) {
      const id = stableId(`bench:article:${a}`);
      const day = new Date(Date.UTC(2015, 0, 1) + Math.floor(random() * 11 * 365) * 86_400_000).toISOString();
      articleRows.push({
        id,
        slug: `bench-article-${a}`,
        headline: `${pick(COUNTRIES)} and ${pick(COUNTRIES)}: ${pick(SUBJECTS).replace(/^The /, '')} ${pick(VERBS)} ${fill(pick(OBJECTS))}`,
        standfirst: quote(),
        publishedAt: day,
        publisherId: pick(publishers),
        status: random() < 0.05 ? 'DRAFT' : 'PUBLISHED',
      });
      for (let s = 0; s < STATEMENTS_PER_ARTICLE && a * STATEMENTS_PER_ARTICLE + s < STATEMENTS; s++) {
        const text = quote();
        const role = pick(ROLES);
        paragraphRows.push({ articleId: id, index: s, text: `"${text}," the ${role} said.` });
        const statementId = stableId(`bench:statement:${a}:${s}`);
        statementRows.push({
          id: statementId,
          text,
          kind: random() < 0.6 ? 'DIRECT' : 'INDIRECT',
          speakerId: pick(people),
          speakerRole: role,
          cue: 'said',
          saidOn: day.slice(0, 10),
          occasion: fill(pick(OCCASIONS)),
          articleId: id,
          paragraph: s,
          start: 1,
          end: 1 + text.length,
          attributionMethod: 'RULES',
          attributionConfidence: 0.9,
        });
        if (random() < 0.3) links.push({ statementId, treatyId: pick(treatyIds) });
      }
    }
    await db.transaction(async (tx) => {
      await tx.insert(t.articles).values(articleRows);
      await tx.insert(t.articleParagraphs).values(paragraphRows);
      await tx.insert(t.statements).values(statementRows);
      if (links.length > 0) await tx.insert(t.statementTreaties).values(links);
    });
    if ((first / BATCH) % 20 === 0) {
      process.stdout.write(
        `\r  ${engine.name}: ${Math.min(first + BATCH, articles) * STATEMENTS_PER_ARTICLE} statements`,
      );
    }
  }
  // The steady state: autovacuum (PostgreSQL) has merged the GIN pending lists and gathered
  // statistics. PGlite has no autovacuum; Chancery's embedded engine relies on the small
  // gin_pending_list_limit of migration 0003 and the planner on whatever ANALYZE last ran.
  for (const table of [
    'articles',
    'article_paragraphs',
    'statements',
    'actors',
    'treaties',
    'treaty_provisions',
  ]) {
    await db.execute(sql.raw(`vacuum analyze ${table}`));
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const [size] = (
    (await db.execute(
      sql`select pg_size_pretty(pg_total_relation_size('statements')) as statements, pg_size_pretty(pg_relation_size('statements_search_idx')) as gin`,
    )) as unknown as { rows: { statements: string; gin: string }[] }
  ).rows;
  console.log(
    `\r  ${engine.name}: loaded ${STATEMENTS} statements in ${seconds} s (statements ${size?.statements}, GIN ${size?.gin})`,
  );
}

// ---------------------------------------------------------------------------------------------

const QUERIES: { kind: 'selective' | 'common'; query: string; types?: SearchType[] }[] = [
  { kind: 'selective', query: TOWNS[17] as string },
  { kind: 'selective', query: `${TOWNS[233]} ratified` },
  { kind: 'selective', query: `"visit to ${TOWNS[42]}"` },
  { kind: 'selective', query: (CODENAMES[1234] as string).split(' ')[1] as string },
  { kind: 'selective', query: `${TOWNS[5]} -sanctions`, types: ['STATEMENT'] },
  { kind: 'common', query: 'security' },
  { kind: 'common', query: 'treaty cooperation' },
  { kind: 'common', query: 'sanctions OR ceasefire' },
  { kind: 'common', query: '"strategic stability"' },
];

// Anonymous readers' visibility, as apps/server/src/visibility.ts words it.
const visible: SearchRequest['visible'] = {
  article: (a) => sql`${a.published}`,
  statement: (s) => sql`${s.published}`,
  actor: (a) => sql`${a.deletedAt} is null`,
  treaty: (tr) => sql`${tr.deletedAt} is null`,
};

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

type Row = {
  engine: string;
  kind: string;
  query: string;
  hits: number;
  measure: string;
  p50: number;
  p95: number;
};

async function measure(engine: Engine): Promise<Row[]> {
  const dialect = new PgDialect();
  const results: Row[] = [];
  for (const q of QUERIES) {
    const request: SearchRequest = {
      query: parseSearchQuery(q.query),
      types: searchedTypes(q.types ?? null, {}),
      filter: {},
      visible,
    };
    const options = { first: 20, totalCount: true, highlights: true };
    const page = searchPageSql(request, options) as SQL;
    const facets = searchFacetsSql(request) as SQL;
    const pageQuery = dialect.sqlToQuery(page);
    const facetsQuery = dialect.sqlToQuery(facets);
    const runs = {
      'page, Chancery': async () => searchPage(engine.database.db, request, options),
      'page, raw driver': async () => engine.raw(pageQuery.sql, pageQuery.params),
      'facets, Chancery': async () => engine.database.db.execute(facets),
      'facets, raw driver': async () => engine.raw(facetsQuery.sql, facetsQuery.params),
    };
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
    const { totalCount } = await searchPage(engine.database.db, request, options);
    for (let i = 0; i < 3; i++) for (const run of Object.values(runs)) await run(); // warm up
    for (let i = 0; i < ITERATIONS; i++) {
      for (const [name, run] of Object.entries(runs)) {
        const started = performance.now();
        await run();
        samples[name]?.push(performance.now() - started);
      }
    }
    for (const [name, times] of Object.entries(samples)) {
      results.push({
        engine: engine.name,
        kind: q.kind,
        query: q.query,
        hits: totalCount ?? 0,
        measure: name,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
      });
    }
    console.log(`  ${engine.name}: ${JSON.stringify(q.query)} (${totalCount} hits) measured`);
  }
  return results;
}

function report(rows: Row[]): void {
  const ms = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `\n${'engine'.padEnd(9)}${'kind'.padEnd(10)}${'query'.padEnd(28)}${'hits'.padStart(7)}  ${'measure'.padEnd(20)}${'p50 ms'.padStart(7)}${'p95 ms'.padStart(8)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.engine.padEnd(9)}${r.kind.padEnd(10)}${r.query.slice(0, 27).padEnd(28)}${String(r.hits).padStart(7)}  ${r.measure.padEnd(20)}${ms(r.p50)}${ms(r.p95)}`,
    );
  }
  console.log('\nBy kind (p95 over all queries of the kind = max of their p95s):');
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.engine} ${r.kind.padEnd(9)} ${r.measure}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [key, group] of groups) {
    const p50s = group.map((r) => r.p50);
    console.log(
      `  ${key.padEnd(42)} p50 median ${ms(percentile(p50s, 50))} ms   worst p95 ${ms(Math.max(...group.map((r) => r.p95)))} ms`,
    );
  }
}

const engines = args.engine === 'both' ? ['postgres', 'pglite'] : [args.engine as string];
const rows: Row[] = [];
for (const name of engines) {
  console.log(`${name}: loading ${STATEMENTS} statements…`);
  const engine = name === 'postgres' ? await openPostgres(args.url as string) : await openPglite();
  try {
    await load(engine);
    rows.push(...(await measure(engine)));
  } finally {
    await engine.close();
  }
}
report(rows);
