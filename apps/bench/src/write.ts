// Scenario 4: `createStatement`, an editor's write with validation and a revision. Each request
// quotes a different span of one article the bench adds for it (its own speaker too), so no two
// requests write the same statement and the read scenarios never see these rows: the bench deletes
// every statement of that article (and its revisions) before the capture, after it, and after the
// write runs. The floor runs the statements Chancery's transaction issued (captured like the read
// scenarios', BEGIN and COMMIT included) with a fresh id per request; before anything is measured,
// it writes once in-process and its rows are compared with Chancery's for the same input.
import { createHash, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type Database, openDatabase } from '@chancery/db/database';
import type { SqlClient } from '@chancery/db/engine/open';
import { rows } from '@chancery/db/repositories/sql';
import * as t from '@chancery/db/schema';
import { stableId } from '@chancery/domain/stable-id';
import { sql } from 'drizzle-orm';
import {
  bindWriteParams,
  decodeVariables,
  type FloorStatement,
  type FloorWritePlan,
  type ParamSource,
  type WriteBindings,
} from './floor-plan.ts';
import type { Row } from './scenarios.ts';
import {
  pgliteWriteEngine,
  pgWriteEngine,
  type RunSql,
  runWritePlan,
  type WriteEngine,
  writes,
} from './write-plan.ts';
import {
  createStatementScenario,
  newStatementId,
  spanFor,
  WRITE_TOKEN,
  type WriteFixture,
  withoutNewId,
} from './write-scenario.ts';

/** Bumped when the fixture's rows change (a new slug, so an older one is simply left behind). */
const FIXTURE_VERSION = 1;
const ARTICLE_SLUG = `bench-write-article-v${FIXTURE_VERSION}`;
const SPEAKER_SLUG = 'bench-write-speaker';
const TOKEN_NAME = 'bench-writer';

const PARAGRAPHS = 8;
const PARAGRAPH_CHARS = 600;

/** Plain ASCII, no quotes: the quoted text is the same bytes in SQL, JSON and GraphQL. */
function fixtureParagraphs(): string[] {
  const words = [
    'delegates',
    'reviewed',
    'the',
    'draft',
    'text',
    'on',
    'verification',
    'and',
    'agreed',
    'to',
    'meet',
    'again',
    'before',
    'ratification',
    'of',
    'treaty',
    'provisions',
    'concerning',
    'inspections',
    'by',
    'both',
    'parties',
    'under',
    'article',
    'four',
    'with',
    'a',
    'joint',
    'commission',
  ];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: PARAGRAPHS }, (_, p) => {
    let text = `Paragraph ${p + 1}:`;
    while (text.length < PARAGRAPH_CHARS)
      text += ` ${words[Math.floor(next() * words.length)]}${next() < 0.1 ? '.' : ''}`;
    return `${text.slice(0, PARAGRAPH_CHARS - 1)}.`;
  });
}

/** Adds the write scenario's article, speaker and editor token unless they are there. */
export async function ensureWriteFixture(database: Database): Promise<WriteFixture> {
  const db = database.db;
  const articleId = stableId(`bench:${ARTICLE_SLUG}`);
  const speakerId = stableId(`bench:${SPEAKER_SLUG}`);
  const paragraphs = fixtureParagraphs();
  await db.transaction(async (tx) => {
    await tx
      .insert(t.actors)
      .values({ id: speakerId, slug: SPEAKER_SLUG, name: 'Write Bench Speaker', kind: 'PERSON' })
      .onConflictDoNothing();
    const inserted = await tx
      .insert(t.articles)
      .values({
        id: articleId,
        slug: ARTICLE_SLUG,
        headline: 'Benchmark write target',
        publishedAt: '2024-10-24T09:00:00Z',
        status: 'PUBLISHED',
      })
      .onConflictDoNothing()
      .returning({ id: t.articles.id });
    if (inserted.length > 0)
      await tx
        .insert(t.articleParagraphs)
        .values(paragraphs.map((text, index) => ({ articleId, index, text })));
    const hash = createHash('sha256').update(WRITE_TOKEN, 'utf8').digest('hex');
    await tx.execute(sql`delete from api_tokens where name = ${TOKEN_NAME} and token_hash <> ${hash}`);
    await tx.execute(
      sql`insert into api_tokens (name, role, token_hash) values (${TOKEN_NAME}, 'editor', ${hash}) on conflict do nothing`,
    );
  });
  const stored = (
    await rows<{ text: string }>(
      db,
      sql`select text from article_paragraphs where article_id = ${articleId} order by index`,
    )
  ).map((r) => r.text);
  if (!isDeepStrictEqual(stored, paragraphs))
    throw new Error(`The write fixture ${ARTICLE_SLUG} holds other paragraphs; use --fresh.`);
  // A provision of the treaty that sorts last by title: far from the first 20 of scenario 2, even
  // while the writes are there.
  const [provision] = await rows<{ id: string }>(
    db,
    sql`select p.id from treaty_provisions p join treaties t on t.id = p.treaty_id
        where p.deleted_at is null and t.deleted_at is null order by t.title desc, p.position limit 1`,
  );
  if (!provision) throw new Error('The corpus has no treaty provision to link statements to.');
  return { articleId, speakerId, provisionId: provision.id, paragraphs };
}

/** Deletes every statement of the write article and their revisions; returns how many. */
export async function removeBenchWrites(database: Database): Promise<number> {
  const articleId = stableId(`bench:${ARTICLE_SLUG}`);
  return database.withRawTransaction(async (raw) => {
    await raw.query(
      `delete from revisions where node_type = 'Statement'
         and node_id in (select id from statements where article_id = $1)`,
      [articleId],
    );
    const deleted = await raw.query<{ id: string }>(
      'delete from statements where article_id = $1 returning id',
      [articleId],
    );
    return deleted.length;
  });
}

export type WriteRequest = {
  scenario: typeof createStatementScenario;
  fixture: WriteFixture;
  /** Chancery's `data` for the captured input: the template of every expected answer. */
  template: unknown;
  sqlStatements: number;
  floorSqlStatements: number;
  sql: { text: string; params: unknown[] }[];
};

type Captured = { query: string; params: unknown[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * Works out where each parameter of Chancery's statements comes from by running the statements
 * again for the same input, in order: a request variable, the token's hash, a new uuid, a column an
 * earlier statement returned (for a JSON snapshot: compared with new ids and instants masked), or
 * else a constant. Returns the plan and the rows the replay got.
 */
async function inferWritePlan(options: {
  id: string;
  captured: Captured[];
  engine: WriteEngine;
  decoded: Map<string, unknown>;
  bearerSha256: string;
  validate: (results: Row[][]) => void;
}): Promise<{ plan: FloorWritePlan; results: Row[][] }> {
  const { captured, decoded, bearerSha256 } = options;
  const begins = captured.filter((c) => c.query === 'begin').length;
  const begin = captured.findIndex((c) => c.query === 'begin');
  const commit = captured.findIndex((c) => c.query === 'commit');
  if (begins !== 1 || commit < begin)
    throw new Error(
      `${options.id}: expected one transaction; got ${captured.map((c) => c.query.slice(0, 20)).join(' | ')}`,
    );
  const bindings: WriteBindings = { decoded, results: [], fresh: new Map(), bearerSha256, newId: randomUUID };
  const results = bindings.results as Row[][];
  // Chancery's new ids by slot; the replay's rows hold the replay's own ids for the same slots.
  const freshSlots = new Map<string, number>();
  const mask = (json: string, ids: Iterable<[string, number]>) => {
    let out = json.replace(INSTANT, '<instant>');
    for (const [id, slot] of ids) out = out.replaceAll(id, `<new ${slot}>`);
    return out;
  };
  const infer = (param: unknown): ParamSource => {
    if (param === null || param === undefined || typeof param === 'boolean') return { value: param };
    for (const [name, value] of decoded) if (value === param) return { variable: name };
    if (typeof param !== 'string') return { value: param };
    if (param === bearerSha256) return { bearerSha256: true };
    const slot = freshSlots.get(param);
    if (slot !== undefined) return { fresh: slot };
    const masked = mask(param, freshSlots);
    const replayIds = [...bindings.fresh].map(([s, id]) => [id, s] as [string, number]);
    for (const [index, rows] of results.entries())
      for (const [column, value] of Object.entries(rows[0] ?? {})) {
        if (value === param) return { result: index, column };
        if (value !== null && typeof value === 'object' && mask(JSON.stringify(value), replayIds) === masked)
          return { result: index, column, json: true };
      }
    if (UUID.test(param)) {
      freshSlots.set(param, freshSlots.size);
      return { fresh: freshSlots.size - 1 };
    }
    // A constant holding a new id would write this request's id into every later one.
    if ([...freshSlots.keys()].some((id) => param.includes(id)))
      throw new Error(`${options.id}: cannot tell where a parameter comes from: ${param.slice(0, 300)}`);
    return { value: param };
  };
  const statements = captured.filter((c) => c.query !== 'begin' && c.query !== 'commit');
  const plan: FloorWritePlan = { id: options.id, before: [], transaction: [], after: [] };
  let index = 0;
  const runGroup = async (count: number, into: FloorStatement[], run: RunSql, validate?: () => void) => {
    for (let n = 0; n < count; n++, index++) {
      const c = statements[index] as Captured;
      if (validate && writes.test(c.query)) {
        validate();
        validate = undefined;
      }
      const statement = { name: `floor-${options.id}-${index}`, text: c.query, params: c.params.map(infer) };
      into.push(statement);
      results.push(await run(statement, bindWriteParams(statement.params, bindings)));
    }
  };
  await runGroup(begin, plan.before, options.engine.run);
  await options.engine.transaction((run) =>
    runGroup(commit - begin - 1, plan.transaction, run, () => options.validate(results)),
  );
  await runGroup(statements.length - index, plan.after, options.engine.run);
  return { plan, results };
}

/** The rows a statement wrote, without what differs between two writes of the same input. */
async function writtenRows(client: SqlClient, id: string): Promise<unknown> {
  const text = `select to_jsonb(s) - 'id' - 'created_at' - 'updated_at' - 'search_vector' as statement,
      (select jsonb_agg(treaty_id order by treaty_id) from statement_treaties where statement_id = s.id) as treaties,
      (select jsonb_agg(provision_id order by provision_id) from statement_provisions where statement_id = s.id) as provisions,
      (select jsonb_agg(to_jsonb(r) - 'id' - 'node_id' - 'created_at'
         || jsonb_build_object('after', r.after - 'id' - 'created_at' - 'updated_at'))
         from revisions r where r.node_type = 'Statement' and r.node_id = s.id) as revisions
    from statements s where s.id = $1`;
  const rows =
    client.kind === 'pglite'
      ? (await client.pglite.query<Row>(text, [id])).rows
      : (await client.pool.query({ text, values: [id] })).rows;
  if (rows.length !== 1) throw new Error(`create-statement: statement ${id} was not written`);
  return rows[0];
}

/**
 * Captures Chancery's createStatement (through `runAs`, an in-process server on a logging
 * Drizzle), infers the floor's plan, runs it once for the same input and checks that it writes
 * the same rows and answers the same JSON (the new id aside). Leaves no statement behind.
 */
export async function prepareWrite(options: {
  database: Database;
  client: SqlClient;
  captured: Captured[];
  runAs: (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => Promise<any>;
  log: (line: string) => void;
}): Promise<{ request: WriteRequest; plan: FloorWritePlan }> {
  const { database, client, captured } = options;
  const scenario = createStatementScenario;
  const fixture = await ensureWriteFixture(database);
  const leftover = await removeBenchWrites(database);
  if (leftover) options.log(`  ${scenario.id}: removed ${leftover} statements an earlier run left`);
  try {
    // Small numbers in the captured span could pass for constants (a LIMIT 1): avoid 0 and 1.
    const variables = scenario.variables(fixture, { paragraph: 3, start: 37, end: 101 });
    captured.length = 0;
    const result = await options.runAs(scenario.query, variables, scenario.headers);
    if (result.errors || result.data?.createStatement?.__typename !== 'StatementPayload')
      throw new Error(`${scenario.id}: ${JSON.stringify(result)}`);
    const chanceryCaptured = captured.map((c) => ({ query: c.query, params: [...c.params] }));
    captured.length = 0;
    const decoded = decodeVariables(variables);
    const bearerSha256 = createHash('sha256').update(WRITE_TOKEN, 'utf8').digest('hex');
    const engine =
      client.kind === 'pglite' ? pgliteWriteEngine(client.pglite) : pgWriteEngine(client.pool, false);
    const { plan, results } = await inferWritePlan({
      id: scenario.id,
      captured: chanceryCaptured,
      engine,
      decoded,
      bearerSha256,
      validate: (rows) => scenario.validate(rows, decoded),
    });
    const floorData = scenario.shape(results.map((rows) => ({ sql: '', rows })));
    if (JSON.stringify(withoutNewId(floorData)) !== JSON.stringify(withoutNewId(result.data)))
      throw new Error(
        `${scenario.id}: the floor's JSON differs from Chancery's.\nfloor:    ${JSON.stringify(floorData)}\nchancery: ${JSON.stringify(result.data)}`,
      );
    const idOf = (data: unknown) =>
      Buffer.from(newStatementId(data) as string, 'base64url')
        .toString('utf8')
        .split(':')[1] as string;
    const [chanceryRows, floorRows] = [
      await writtenRows(client, idOf(result.data)),
      await writtenRows(client, idOf(floorData)),
    ];
    if (!isDeepStrictEqual(chanceryRows, floorRows))
      throw new Error(
        `${scenario.id}: the floor writes other rows than Chancery.\nfloor:    ${JSON.stringify(floorRows)}\nchancery: ${JSON.stringify(chanceryRows)}`,
      );
    // The plan must also hold for another input: run it once more through the floor's runner.
    const other = scenario.variables(fixture, spanFor(12_345, fixture.paragraphs));
    const otherDecoded = decodeVariables(other);
    const otherResults = await runWritePlan(plan, engine, { decoded: otherDecoded, bearerSha256 }, (rows) =>
      scenario.validate(rows, otherDecoded),
    );
    const otherData = scenario.shape(otherResults.map((rows) => ({ sql: '', rows })));
    if (
      JSON.stringify(withoutNewId(otherData)) !==
      JSON.stringify(withoutNewId(scenario.expected(result.data, other)))
    )
      throw new Error(
        `${scenario.id}: the floor's plan does not carry over to another input: ${JSON.stringify(otherData)}`,
      );
    const floorSqlStatements = plan.before.length + plan.transaction.length + plan.after.length + 2;
    return {
      plan,
      request: {
        scenario,
        fixture,
        template: JSON.parse(JSON.stringify(result.data)),
        sqlStatements: chanceryCaptured.length,
        floorSqlStatements,
        sql: chanceryCaptured.map((c) => ({ text: c.query, params: c.params })),
      },
    };
  } finally {
    await removeBenchWrites(database);
  }
}

/** PGlite as setup.ts hands it to Drizzle, logging BEGIN and COMMIT around transaction() as pg does. */
export function pgliteWithTransactionMarkers(
  pglite: Extract<SqlClient, { kind: 'pglite' }>['pglite'],
  log: Captured[],
): typeof pglite {
  return new Proxy(pglite, {
    get(target, property) {
      if (property === 'transaction')
        return async (work: (tx: unknown) => Promise<unknown>) => {
          log.push({ query: 'begin', params: [] });
          const result = await target.transaction(work as never);
          log.push({ query: 'commit', params: [] });
          return result;
        };
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** removeBenchWrites on the database an environment names (nothing else may have a PGlite one open). */
export async function removeBenchWritesAt(env: Record<string, string>): Promise<number> {
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.CHANCERY_DATA_DIR ?? '',
    role: 'test',
  });
  try {
    return await removeBenchWrites(database);
  } finally {
    await database.close();
  }
}
