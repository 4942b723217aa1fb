// Named prepared statements (engine/prepared.ts). On a PostgreSQL server each connection parses a
// parameterised text (or a SELECT) once, keeps at most MAX_PREPARED_PER_CONNECTION, and a statement a migration
// made stale is run unnamed from then on instead of failing for ever.
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PREPARED_PER_CONNECTION, PreparingClient, preparingPglite } from '../src/engine/prepared.ts';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('prepared statements on a PostgreSQL server', () => {
  const schema = `prepared_${process.pid}_${Date.now()}`;
  let client: PreparingClient;
  const prepared = async () =>
    (await client.query('select statement from pg_prepared_statements order by prepare_time')).rows.map(
      (r: { statement: string }) => r.statement,
    );

  beforeAll(async () => {
    client = new PreparingClient({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.query('create table t (a int)');
    await client.query('insert into t values (1), (2), (3)');
  });
  afterAll(async () => {
    await client?.query(`drop schema ${schema} cascade`);
    await client?.end();
  });

  it('prepares a parameterised text once, in each of the forms node-postgres takes', async () => {
    const text = 'select a from t where a > $1 order by a';
    expect((await client.query({ text }, [1])).rows).toEqual([{ a: 2 }, { a: 3 }]);
    expect((await client.query({ text, rowMode: 'array' }, [2])).rows).toEqual([[3]]);
    const viaCallback = await new Promise((resolve, reject) =>
      client.query({ text, values: [0] }, (error: Error | null, result: pg.QueryResult) =>
        error ? reject(error) : resolve(result.rows.length),
      ),
    );
    expect(viaCallback).toBe(3);
    // Unparameterised statements (BEGIN, DDL, these lookups) stay unnamed.
    expect(await prepared()).toEqual([text]);
  });

  it('prepares a SELECT without parameters, such as a compiled read with its page size in the text', async () => {
    const text = 'select a from t order by a limit 2';
    expect((await client.query({ text }, [])).rows).toEqual([{ a: 1 }, { a: 2 }]);
    expect((await client.query({ text }, [])).rows).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await prepared()).toContain(text);
    await client.query({ text: 'set search_path to public' }, []);
    await client.query({ text: `set search_path to ${schema}` }, []);
    expect((await prepared()).some((statement: string) => statement.startsWith('set'))).toBe(false);
  });

  it('runs a statement a migration made stale unnamed, after the one failure PostgreSQL reports', async () => {
    const text = 'select * from t where a = $1';
    expect((await client.query({ text }, [1])).rows).toEqual([{ a: 1 }]);
    await client.query('alter table t add column b text');
    await expect(client.query({ text }, [1])).rejects.toThrow(/cached plan must not change result type/);
    expect((await client.query({ text }, [1])).rows).toEqual([{ a: 1, b: null }]);
    expect((await client.query({ text }, [2])).rows).toEqual([{ a: 2, b: null }]);
  });

  it(`keeps at most ${MAX_PREPARED_PER_CONNECTION} statements on one connection`, async () => {
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 10; i++)
      await client.query({ text: `select $1::int + ${i} as n` }, [1]);
    expect((await prepared()).length).toBe(MAX_PREPARED_PER_CONNECTION);
    // Past the cap, a new text still runs (parsed each time).
    expect((await client.query({ text: 'select $1::int * 2 as n' }, [21])).rows).toEqual([{ n: 42 }]);
  });
});

describe('prepared statements on PGlite', () => {
  let pglite: PGlite;
  let reads: PGlite;
  const prepared = async () =>
    (await pglite.query<{ statement: string }>('select statement from pg_prepared_statements')).rows.map(
      (r) => r.statement,
    );

  beforeAll(async () => {
    pglite = await PGlite.create();
    reads = preparingPglite(pglite);
    await pglite.exec(`create table t (a int, s text, d date, b boolean, j jsonb);
      insert into t values (1, 'O''Brien', '2024-10-24', true, '{"k": 1}'), (2, 'a\\b', '2024-01-01', false, null)`);
  });
  afterAll(async () => {
    await pglite?.close();
  });

  it('prepares a SELECT once and answers as an unprepared one, whatever the values', async () => {
    const text =
      'select a, s, d, b, j from t where (s = $1 or a = $2 or b = $3 or d = $4 or $5::text is null) order by a';
    const cases: unknown[][] = [
      ["O'Brien", 0, null, null, 'x'],
      ['a\\b', 0, null, null, 'x'],
      ['', 2, null, null, 'x'],
      ['', 0, true, null, 'x'],
      ['', 0, null, '2024-01-01', 'x'],
      ['', 0, null, null, null],
    ];
    for (const values of cases) {
      const expected = await pglite.query(text, values);
      expect((await reads.query(text, values)).rows, JSON.stringify(values)).toEqual(expected.rows);
      expect((await reads.query(text, values, { rowMode: 'array' })).rows).toEqual(
        (await pglite.query(text, values, { rowMode: 'array' })).rows,
      );
    }
    expect(await prepared()).toEqual([expect.stringContaining(text)]);
  });

  it('sends apart what it cannot write as a literal, and fails as PostgreSQL fails', async () => {
    const text = 'select a from t where s = $1';
    // PostgreSQL refuses a NUL in text: the same error either way, not a truncated statement.
    const direct = await pglite.query(text, ['a\u0000b']).catch((e: { code?: string }) => e.code);
    expect(await reads.query(text, ['a\u0000b']).catch((e: { code?: string }) => e.code)).toBe(direct);
    const date = 'select a from t where d = $1';
    const bad = await pglite.query(date, ['2024-13-45']).catch((e: { code?: string }) => e.code);
    expect(await reads.query(date, ['2024-13-45']).catch((e: { code?: string }) => e.code)).toBe(bad);
    expect((await reads.query(date, ['2024-10-24'])).rows).toEqual([{ a: 1 }]);
  });

  it('prepares again a statement deallocated under it, and runs one a migration made stale as usual', async () => {
    const text = 'select * from t where a = $1';
    expect((await reads.query(text, [1])).rows).toHaveLength(1);
    await pglite.query('deallocate all');
    expect((await reads.query(text, [1])).rows).toHaveLength(1);
    await pglite.exec('alter table t add column c text');
    // PostgreSQL refuses the stale plan; the statement runs as usual at once, and from then on.
    expect((await reads.query(text, [1])).rows).toEqual([expect.objectContaining({ a: 1, c: null })]);
    expect((await reads.query(text, [2])).rows).toEqual([expect.objectContaining({ a: 2, c: null })]);
  });
});
