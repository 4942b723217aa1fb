// `chancery generate`, `import` and `export` as a user runs them: the real command, in its own
// process, on an embedded database in a temporary directory (and through a running server's socket).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_DEV_DIR } from '@chancery/domain/wire/test-corpus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chancery, REPO_ROOT, type Run, startServer, stop } from './run.ts';

const CHANCERY = fileURLToPath(new URL('../bin/chancery.js', import.meta.url));

/** Runs chancery with `input` on its stdin. */
function chanceryWithStdin(args: string[], input: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHANCERY, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: '', NODE_ENV: 'test', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('chancery generate, import and export', () => {
  let root: string;
  let env: { CHANCERY_DATA_DIR: string };
  const path = (...parts: string[]) => join(root, ...parts);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'chancery-import-'));
    env = { CHANCERY_DATA_DIR: path('pglite') };
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('generates the same stories for the same seed', async () => {
    const first = await chancery([
      'generate',
      '--stories',
      '40',
      '--seed',
      'cli',
      '--out',
      path('generated'),
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Wrote 40 stories .* to .*generated/);
    const again = await chancery(['generate', '--stories', '40', '--seed', 'cli', '--out', path('again')]);
    expect(again.code).toBe(0);
    const names = (await readdir(path('generated'))).sort();
    expect(names).toHaveLength(40);
    expect((await readdir(path('again'))).sort()).toEqual(names);
    for (const name of names.slice(0, 5)) {
      expect(await readFile(path('again', name), 'utf8')).toBe(
        await readFile(path('generated', name), 'utf8'),
      );
    }
    const single = await chancery(['generate', '--stories', '1', '--seed', 'cli']);
    expect(single.stdout).toBe(await readFile(path('generated', names[0] as string), 'utf8'));
  });

  it('imports a batch with progress lines on stderr (not a terminal) and a summary', async () => {
    await expect(chancery(['seed'], env)).resolves.toMatchObject({ code: 0 });
    const result = await chancery(['import', CORPUS_DEV_DIR, path('generated'), '--published', '2024'], env);
    expect(result.stderr).toBe(
      result.stderr
        .split('\n')
        .filter((l) => !l || /^import: /.test(l))
        .join('\n'),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^import: \d+\/48 files \(\d+%\), [\d.]+ stories\/s, ETA \d+:\d\d$/m);
    expect(result.stderr).toMatch(/^import: 48\/48 files \(100%\), in \d+:\d\d, [\d.]+ stories\/s$/m);
    expect(result.stderr.includes('\r') || result.stderr.includes('\u001b[')).toBe(false);
    expect(result.stdout).toMatch(
      /Imported 48 files: 48 stories \(48 created, 0 updated, 0 unchanged\); \d+ new statements, \d+ new actors/,
    );
  });

  it('changes nothing when the same stories are imported again', async () => {
    const before = await chancery(['export', '--out', path('before.ndjson')], env);
    expect(before.code).toBe(0);
    const result = await chancery(['import', CORPUS_DEV_DIR, '--published', '2024'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^unchanged: .*01-arvand-meridia-border-talks\.txt → arvand-and-meridia-agree/m,
    );
    expect(result.stdout).toMatch(/8 stories \(0 created, 0 updated, 8 unchanged\)/);
    await chancery(['export', '--out', path('after.ndjson')], env);
    expect(await readFile(path('after.ndjson'), 'utf8')).toBe(await readFile(path('before.ndjson'), 'utf8'));
  });

  it('shows what a dry run would create, as JSON or in words, and writes nothing', async () => {
    const story = (
      await readFile(join(CORPUS_DEV_DIR, '05-lisenne-border-guard-exchange.txt'), 'utf8')
    ).replace('Lisenne says', 'Lisenne now says');
    await writeFile(path('changed.txt'), story);
    const json = await chancery(
      ['import', path('changed.txt'), '--dry-run', '--json', '--published', '2024-09-17'],
      env,
    );
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      dryRun: true,
      files: [
        {
          kind: 'story',
          outcome: 'created',
          dryRun: true,
          article: { id: null, publishedAt: '2024-09-17T00:00:00.000Z', publisher: 'LNA' },
        },
      ],
      summary: { failed: 0, stories: { created: 1 } },
    });
    expect(report.files[0].statements.length).toBeGreaterThan(3);
    expect(report.files[0].statements[0]).toMatchObject({
      id: null,
      kind: expect.any(String),
      speaker: expect.any(String),
    });
    // The actors are stored already: they resolve, nothing new.
    expect(report.files[0].actors.filter((a: { created: boolean }) => a.created)).toEqual([]);

    const words = await chancery(['import', path('changed.txt'), '--dry-run', '--published', '2024'], env);
    expect(words.code).toBe(0);
    expect(words.stdout).toMatch(/^would be created: .*changed\.txt → lisenne-now-says/m);
    expect(words.stdout).toMatch(/^ {2}statement ¶\d+ (DIRECT|INDIRECT) Corin Vasseur: "/m);
    expect(words.stdout).toMatch(/^Dry run, nothing written: would have 1 file/m);
    await chancery(['export', '--out', path('after-dry-run.ndjson')], env);
    expect(await readFile(path('after-dry-run.ndjson'), 'utf8')).toBe(
      await readFile(path('before.ndjson'), 'utf8'),
    );
  });

  it('reads a story from stdin', async () => {
    const story = (await readFile(join(CORPUS_DEV_DIR, '03-kelmar-grain-quotas.txt'), 'utf8')).replace(
      'Kelmar extends',
      'Kelmar again extends',
    );
    const result = await chanceryWithStdin(
      [
        'import',
        '-',
        '--published',
        '2024-05-14',
        '--status',
        'published',
        '--publisher',
        'Kelmar Telegraph Agency',
      ],
      story,
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^created: <stdin> → kelmar-again-extends-grain-export-quotas/m);
  });

  it('reports each bad file with its line, imports the rest, and exits 1', async () => {
    const bad = path('bad');
    await mkdir(bad);
    await writeFile(join(bad, 'a-empty.txt'), '');
    await writeFile(
      join(bad, 'b-binary.txt'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
    );
    await writeFile(
      join(bad, 'c-latin1.txt'),
      Buffer.concat([Buffer.from('Headline\nStandfirst\nGENEVA, March 3 (ARNA) — Caf'), Buffer.from([0xe9])]),
    );
    await writeFile(
      join(bad, 'd-no-headline.txt'),
      'GENEVA, March 3 (ARNA) — Talks resumed.\nMore.\nAnd more.\n',
    );
    await writeFile(
      join(bad, 'e-quotes.txt'),
      'Headline\nStandfirst\nGENEVA, March 3 (ARNA) — "We agree, Varga said.\nThe end.\n',
    );
    await writeFile(join(bad, 'f-huge.txt'), `Headline\nStandfirst\n${'x'.repeat(10 * 1024 * 1024)}\n`);
    const bundle = (await readFile(path('before.ndjson'), 'utf8')).split('\n');
    await writeFile(
      join(bad, 'g-not-json.ndjson'),
      [bundle[0], bundle[1], '{"type": "Actor",', ''].join('\n'),
    );
    const statement = bundle.findIndex((l) => l.startsWith('{"type":"Statement"'));
    const orphan = JSON.parse(bundle[statement] as string);
    orphan.data.id = '00000000-0000-4000-8000-00000000beef';
    orphan.data.article_id = '00000000-0000-4000-8000-00000000dead';
    await writeFile(join(bad, 'h-missing-record.ndjson'), [bundle[0], JSON.stringify(orphan), ''].join('\n'));
    await writeFile(
      join(bad, 'z-good.txt'),
      (await readFile(join(CORPUS_DEV_DIR, '08-kelmar-ostrava-rail-protocol.txt'), 'utf8')).replace(
        'agree to reopen',
        'agree again to reopen',
      ),
    );

    const result = await chancery(['import', bad, path('nowhere.txt'), '--published', '2024'], env);
    expect(result.code).toBe(1);
    const errors = result.stderr;
    expect(errors).toMatch(/nowhere\.txt: no such file or directory/);
    expect(errors).toMatch(/a-empty\.txt: the file is empty/);
    expect(errors).toMatch(/b-binary\.txt:3: the file contains NUL bytes: it is binary data/);
    expect(errors).toMatch(/c-latin1\.txt:3: the text is not valid UTF-8/);
    expect(errors).toMatch(/d-no-headline\.txt:1: the story has no headline/);
    expect(errors).toMatch(/e-quotes\.txt:3: unbalanced quotes/);
    expect(errors).toMatch(/f-huge\.txt:3: the file is 10\.0 MB/);
    expect(errors).toMatch(/g-not-json\.ndjson:3: the line is not JSON/);
    expect(errors).toMatch(
      /h-missing-record\.ndjson:2: the Statement refers to the Article with id "00000000-0000-4000-8000-00000000dead"/,
    );
    expect(result.stdout).toMatch(/^created: .*z-good\.txt → kelmar-and-ostrava-agree-again/m);
    expect(result.stdout).toMatch(/Imported 10 files: 1 story \(1 created.*9 files failed \(see above\)\./);
  });

  it.each([
    [
      ['import', 'x.txt', '--status', 'maybe'],
      /option '--status <status>' argument 'maybe' is invalid\. Allowed choices are draft, published/,
    ],
    [
      ['import', 'x.txt', '--published', '2024-13-40'],
      /"2024-13-40" is not a real calendar date; expected a date as YYYY-MM-DD/,
    ],
    [['import', 'x.txt', '--publisher', ' '], /--publisher must name the publisher/],
    [['import'], /missing required argument 'paths'/],
    [
      ['generate', '--stories', '-1'],
      /--stories <n>' argument '-1' is invalid\. must be a whole number from 1 to 1,000,000/,
    ],
    [['generate', '--stories', 'many', '--out', 'x'], /argument 'many' is invalid/],
    [['generate', '--stories', '3'], /give --out DIR to write 3 stories/],
    [['export'], /required option '--out <file>' not specified/],
  ])('answers %j with a clear error and a non-zero exit', async (args, message) => {
    const result = await chancery(args, env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('exports a bundle that an empty database imports back to the same bytes', async () => {
    await chancery(['export', '--out', path('full.ndjson')], env);
    const fresh = { CHANCERY_DATA_DIR: path('fresh') };
    const imported = await chancery(['import', path('full.ndjson')], fresh);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(
      /imported .*full\.ndjson: [\d,]+ records created, 0 records already stored/,
    );
    const again = await chancery(['export', '--out', path('full-again.ndjson')], fresh);
    expect(again.code).toBe(0);
    expect(await readFile(path('full-again.ndjson'), 'utf8')).toBe(
      await readFile(path('full.ndjson'), 'utf8'),
    );
  });

  it('imports through a running server’s socket', async () => {
    const server = await startServer({ ...env, PORT: '0' });
    const count = async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ articles { totalCount } }' }),
      });
      return ((await response.json()) as { data: { articles: { totalCount: number } } }).data.articles
        .totalCount;
    };
    try {
      const before = await count();
      await writeFile(
        path('live.txt'),
        (await readFile(join(CORPUS_DEV_DIR, '07-un-assembly-kessel-resolution.txt'), 'utf8')).replace(
          'backs call',
          'again backs call',
        ),
      );
      const result = await chancery(
        ['import', path('live.txt'), '--published', '2024', '--status', 'published'],
        env,
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^created: .*live\.txt/m);
      expect(await count()).toBe(before + 1);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  });
});
