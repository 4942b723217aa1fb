// `npm run bench` refuses a bad option before it touches a database or builds anything: one line
// saying what was wrong and what is allowed, exit code 2.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

const bench = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--no-pin', ...args], {
    encoding: 'utf8',
    // Nowhere to connect to: a run that got past the options would fail differently.
    env: { ...process.env, BENCH_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    timeout: 120_000,
  });

describe('npm run bench refuses bad options', () => {
  it.each([
    [['--corpus', 'wikipedia'], '--corpus is imported, generated or loader; got "wikipedia".'],
    [['--scale', 'big'], '--scale takes a number from 0.01 up; got "big".'],
    [['--rounds', '0'], '--rounds takes a whole number from 1 up; got "0".'],
    [['--soak-seconds', '2.5'], '--soak-seconds takes a whole number from 1 up; got "2.5".'],
    [
      ['--concurrency', '1,,32'],
      '--concurrency takes whole numbers from 1 up, separated by commas; got "1,,32".',
    ],
    [['--engine', 'mysql'], '--engine is postgres, pglite or both; got "mysql".'],
    [['--response-cache', 'maybe'], '--response-cache is off, on or both; got "maybe".'],
    [['--skip', 'soup'], '--skip takes open, soak, write, cold and import; got soup.'],
    [['--scenarios', 'by-name'], '--scenarios: No scenario by-name; there are latest, actor-page, treaties.'],
    [['--variants', 'jit', '--engine', 'pglite'], 'variants run on PostgreSQL only'],
    [
      ['--subscribers', '--subscriber-count', '0'],
      '--subscriber-count takes a whole number from 1 up; got "0".',
    ],
    [['--subscribers', '--filtered-share', '1.5'], '--filtered-share is a share from 0 to 1; got "1.5".'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('%j', (args, message) => {
    const result = bench(args);
    expect(result.stderr).toContain(`bench: ${message}`);
    expect(result.stderr).toContain('npm run bench -- --help lists the options.');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.status).toBe(2);
  });
});

describe('the A/B scripts refuse bad options', () => {
  const script = (name: string, args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL(`../src/${name}`, import.meta.url)), ...args],
      {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: '' },
        timeout: 120_000,
      },
    );
  it.each([
    [
      'in-process.ts',
      ['--bogus'],
      "in-process: Unknown option '--bogus' (options: --database-url, --data-dir",
    ],
    ['in-process.ts', [], 'in-process: --database-url postgres://… or --data-dir'],
    [
      'in-process.ts',
      ['--database-url', 'postgres://nobody@127.0.0.1:1/none', '--scenario', 'nope'],
      'in-process: --scenario: No scenario nope; there are latest, actor-page, treaties.',
    ],
    [
      'workers-ratio.ts',
      [],
      'workers-ratio: --database-url postgres://… (a database that holds data) is required.',
    ],
    [
      'workers-ratio.ts',
      ['--database-url', 'postgres://nobody@127.0.0.1:1/none', '--workers', '1'],
      'workers-ratio: --workers takes a whole number from 2 up; got "1".',
    ],
  ])('%s %j', (name, args, message) => {
    const result = script(name, args);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(2);
  });
});
