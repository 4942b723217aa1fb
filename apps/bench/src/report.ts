// The results file and its Markdown tables (pasted into docs/benchmarks.md).
import type { ColdStartResult } from './cold-start.ts';
import type { CorpusSummary } from './corpus/source.ts';
import type { ImportResult } from './import-bench.ts';
import type { Machine } from './machine.ts';
import type { Cell, OpenLoopCell, SoakResult } from './run.ts';

export type EngineResults = {
  engine: 'postgres' | 'pglite';
  scale: number;
  location: string;
  /** Index names by table, of the tables the reads touch (absent in older results). */
  indexes?: Record<string, string[]>;
  /** PostgreSQL: PostGraphile's version, or why it was left out; null on PGlite. */
  peer?: string | null;
  serverVersion: string;
  corpus: CorpusSummary;
  scenarios: {
    id: string;
    number: number;
    title: string;
    sqlStatements: number;
    responseBytes: number;
    /** The indexes the floor's SQL uses and the tables it reads whole (EXPLAIN). */
    floorPlan?: { indexes: string[]; seqScans: string[] };
  }[];
  closedLoop: Cell[];
  openLoop: OpenLoopCell[];
  soak: SoakResult[];
  /** Scenario 4 (absent in older results and when skipped). */
  write?: WriteResults | null;
  coldStart: ColdStartResult[];
  /** Scenario 5. */
  import?: ImportResult | null;
  /** Parts that failed (the rest of the run went on). */
  failures?: string[];
};

export type WriteResults = {
  id: string;
  number: number;
  title: string;
  sqlStatements: number;
  floorSqlStatements: number;
  /** The Chancery that wrote: the first of the run (the cache off unless --response-cache on). */
  contestant: string;
  closedLoop: Cell[];
  requestsSent: number;
  /** Statements found in the write article afterwards (and removed). */
  statementsWritten: number;
};

export type Results = {
  version: 1;
  kind: 'suite' | 'variants';
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: Machine & { loadGeneratorCpus: string; serverCpu: string; loadAvgAtEnd?: number[] };
  options: Record<string, unknown>;
  engines: EngineResults[];
};

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '–');

function byKey<T extends { scenario: string; contestant: string }>(rows: T[], extra: (r: T) => string) {
  return new Map(rows.map((r) => [`${r.scenario}/${r.contestant}/${extra(r)}`, r]));
}

export function machineTable(results: Results): string {
  const m = results.machine;
  return [
    '| Machine | |',
    '| --- | --- |',
    `| CPUs (nproc) | ${m.nproc} × ${m.cpuModel} |`,
    `| Memory | ${m.memoryGiB} GiB |`,
    `| Node | ${m.node} |`,
    `| Kernel | ${m.kernel} |`,
    `| Pinning | load generator on CPU ${m.loadGeneratorCpus}, servers on CPU ${m.serverCpu} |`,
    `| Load average (1/5/15 min) | at start ${m.loadAvgAtStart?.join(' / ') ?? '?'}, at end ${m.loadAvgAtEnd?.join(' / ') ?? '?'} (2 cores shared with other work) |`,
    `| Commit | ${m.gitCommit}${m.gitDirty ? ' (with uncommitted changes)' : ''} |`,
    `| Command | \`${results.command}\` |`,
    `| Run | ${results.startedAt} → ${results.finishedAt} |`,
  ].join('\n');
}

/** The names of the Chancery contestants of a run (cache off first), not the floor. */
export const chanceryNames = (e: EngineResults) =>
  ['chancery', 'chancery-cached'].filter((n) => e.closedLoop.some((c) => c.contestant === n));

function closedTable(
  scenarios: { id: string; number: number; sql: string }[],
  cellsList: Cell[],
  a: string,
  b: string,
): string[] {
  const cells = byKey(cellsList, (r) => String(r.concurrency));
  const lines = [
    `| Scenario | SQL/req | c | ${a} req/s | ${b} req/s | ratio | ${a} p50 / p99 ms | ${b} p50 / p99 ms | CPU ms/req ${a} / ${b} | peak RSS MiB ${a} / ${b} |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const concurrencies = [...new Set(cellsList.map((c) => c.concurrency))].sort((x, y) => x - y);
  for (const s of scenarios)
    for (const c of concurrencies) {
      const x = cells.get(`${s.id}/${a}/${c}`);
      const y = cells.get(`${s.id}/${b}/${c}`);
      if (!x || !y) continue;
      lines.push(
        `| ${s.number} ${s.id} | ${s.sql} | ${c} | ${fmt(x.reqPerSec)} | ${fmt(y.reqPerSec)} | **${ratio(x.reqPerSec, y.reqPerSec)}** | ${fmt(x.p50, 2)} / ${fmt(x.p99, 2)} | ${fmt(y.p50, 2)} / ${fmt(y.p99, 2)} | ${fmt(x.cpuMsPerReq, 3)} / ${fmt(y.cpuMsPerReq, 3)} | ${fmt(x.peakRssMiB)} / ${fmt(y.peakRssMiB)} |`,
      );
    }
  return lines;
}

function openTable(e: EngineResults, a: string, b: string): string[] {
  const open = byKey(e.openLoop, (r) => String(r.loadShare));
  const shares = [...new Set(e.openLoop.map((o) => o.loadShare))].sort();
  const lines = [
    `| Scenario | load | ${a} rate | ${a} p50 / p99 ms | p99 ÷ p50 | ${b} rate | ${b} p50 / p99 ms | p99 ÷ p50 |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of e.scenarios)
    for (const share of shares) {
      const x = open.get(`${s.id}/${a}/${share}`);
      const y = open.get(`${s.id}/${b}/${share}`);
      if (!x || !y) continue;
      lines.push(
        `| ${s.number} ${s.id} | ${Math.round(share * 100)}% | ${x.targetRate} | ${fmt(x.p50, 2)} / ${fmt(x.p99, 2)} | ${ratio(x.p99, x.p50)} | ${y.targetRate} | ${fmt(y.p50, 2)} / ${fmt(y.p99, 2)} | ${ratio(y.p99, y.p50)} |`,
      );
    }
  return lines;
}

/** Scenario 5: the import and its two baselines, same stories, same run. */
export function importTable(e: EngineResults): string[] {
  const i = e.import;
  if (!i) return [];
  const by = (mode: string) => i.runs.find((r) => r.mode === mode);
  const dry = by('dry-run');
  const stored = by('import');
  const lines = [
    `Import throughput (scenario 5): \`chancery import\` of ${i.stories} generated stories (${i.statements.toLocaleString('en')} statements) into a fresh ${e.engine} database; stories/s from the CLI's own timing (first file to last).`,
    '',
    '| Run | stories/s | statements/s | seconds | ÷ dry run | ÷ import | process s | CPU s | peak RSS MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of i.runs)
    lines.push(
      `| ${r.mode === 'dry-run' ? 'dry run (parse + extract, no storage)' : r.mode === 'import' ? '**import**' : 're-import (unchanged)'} | ${fmt(r.storiesPerSec, 1)} | ${fmt(r.statementsPerSec)} | ${fmt(r.seconds, 2)} | ${dry ? ratio(r.storiesPerSec, dry.storiesPerSec) : '–'} | ${stored ? ratio(r.storiesPerSec, stored.storiesPerSec) : '–'} | ${fmt(r.wallSeconds, 1)} | ${r.cpuSeconds === null ? '–' : fmt(r.cpuSeconds, 1)} | ${r.peakRssMiB === null ? '–' : fmt(r.peakRssMiB)} |`,
    );
  return lines;
}

/** Chancery's req/s ÷ each other contestant's, per scenario and concurrency, cache off and on. */
export function ratioTable(e: EngineResults): string[] {
  const others = ['postgraphile', 'floor'].filter((o) => e.closedLoop.some((c) => c.contestant === o));
  const names = chanceryNames(e);
  const cell = (scenario: string, contestant: string, c: number) =>
    e.closedLoop.find((x) => x.scenario === scenario && x.contestant === contestant && x.concurrency === c);
  const columns = others.flatMap((o) =>
    names.map((n) => ({ o, n, title: `÷ ${o}${n === 'chancery-cached' ? ', cached' : ''}` })),
  );
  const lines = [
    `| Scenario | c | ${columns.map((x) => x.title).join(' | ')} |`,
    `| --- | ---: |${columns.map(() => ' ---: |').join('')}`,
  ];
  const concurrencies = [...new Set(e.closedLoop.map((c) => c.concurrency))].sort((x, y) => x - y);
  for (const s of e.scenarios)
    for (const c of concurrencies)
      lines.push(
        `| ${s.number} ${s.id} | ${c} | ${columns
          .map(({ o, n }) => {
            const x = cell(s.id, n, c);
            const y = cell(s.id, o, c);
            return x && y ? `**${ratio(x.reqPerSec, y.reqPerSec)}**` : '–';
          })
          .join(' | ')} |`,
      );
  return lines;
}

/** Median latency of one request at a time, cache off: the issue's PGlite target (≤ 20 ms). */
export function latencyTable(e: EngineResults): string[] {
  const lines = [
    '| Scenario | chancery p50 ms (c = 1, cache off) | floor p50 ms | ≤ 20 ms |',
    '| --- | ---: | ---: | :---: |',
  ];
  for (const s of e.scenarios) {
    const x = e.closedLoop.find(
      (c) => c.scenario === s.id && c.contestant === 'chancery' && c.concurrency === 1,
    );
    const y = e.closedLoop.find(
      (c) => c.scenario === s.id && c.contestant === 'floor' && c.concurrency === 1,
    );
    if (x)
      lines.push(
        `| ${s.number} ${s.id} | ${fmt(x.p50, 2)} | ${y ? fmt(y.p50, 2) : '–'} | ${x.p50 <= 20 ? 'yes' : 'no'} |`,
      );
  }
  return lines.length > 2 ? lines : [];
}

/** What the floor's hand-written SQL uses (EXPLAIN), against the SQL statements Chancery issues. */
export function floorPlanTable(e: EngineResults): string[] {
  if (!e.scenarios.some((s) => s.floorPlan)) return [];
  const lines = [
    "| Scenario | Chancery's SQL statements | the floor's statement uses | reads whole |",
    '| --- | ---: | --- | --- |',
  ];
  for (const s of e.scenarios)
    lines.push(
      `| ${s.number} ${s.id} | ${s.sqlStatements} | ${s.floorPlan?.indexes.join(', ') || '–'} | ${s.floorPlan?.seqScans.join(', ') || '–'} |`,
    );
  return lines;
}

/** Chancery against the floor (and PostGraphile) for one engine: closed loop, open loop, write, cold start, soak, import. */
export function engineTables(e: EngineResults): string {
  const lines: string[] = [];
  lines.push(
    `**${e.engine}** (${e.serverVersion.split(' on ')[0]}), corpus ${e.corpus.source} scale ${e.scale}: ${e.corpus.counts.statements.toLocaleString('en')} statements, ${e.corpus.counts.articles.toLocaleString('en')} articles, ${e.corpus.counts.treaties} treaties, ${e.corpus.counts.provisions.toLocaleString('en')} provisions; the actor page is ${e.corpus.busiestSpeakerSlug}'s (${e.corpus.busiestSpeakerStatements} statements).${e.peer ? ` Peer: ${e.peer}.` : ''}`,
  );
  lines.push(
    '',
    "Chancery's req/s ÷ the other's, same cell (cache off: `chancery`; on: `chancery-cached`):",
    '',
    ...ratioTable(e),
  );
  const latency = e.engine === 'pglite' ? latencyTable(e) : [];
  if (latency.length) lines.push('', ...latency);
  const plans = floorPlanTable(e);
  if (plans.length) lines.push('', ...plans);
  const reads = e.scenarios.map((s) => ({ ...s, sql: String(s.sqlStatements) }));
  if (e.closedLoop.some((c) => c.contestant === 'postgraphile'))
    lines.push(
      '',
      'PostGraphile (no response cache) against Chancery with the cache off:',
      '',
      ...closedTable(reads, e.closedLoop, 'chancery', 'postgraphile'),
    );
  for (const name of chanceryNames(e)) {
    lines.push(
      '',
      name === 'chancery-cached'
        ? 'With the response cache on (`chancery-cached`, 32 MB): after the warm-up every request of a cell is the same, so this is the cache hit path.'
        : 'Response cache off (`chancery`): the work per request.',
      '',
      // Hits run no SQL (apps/server/test/response-cache.test.ts holds it to 0).
      ...closedTable(
        name === 'chancery-cached' ? reads.map((s) => ({ ...s, sql: `0 (floor ${s.sql})` })) : reads,
        e.closedLoop,
        name,
        'floor',
      ),
    );
  }
  if (e.openLoop.length) {
    lines.push(
      '',
      `Open loop (fixed arrival rate, latency from each request's due time) at shares of each server's own peak; \`chancery-cached\` at the floor's rates (a share of its own peak would be beyond the load generator):`,
    );
    for (const name of chanceryNames(e))
      if (e.openLoop.some((o) => o.contestant === name)) lines.push('', ...openTable(e, name, 'floor'));
  }
  if (e.write?.closedLoop.length) {
    const w = e.write;
    lines.push(
      '',
      `Scenario 4, \`createStatement\` (${w.contestant}; SQL/req Chancery / floor, BEGIN and COMMIT included; ${w.requestsSent.toLocaleString('en')} requests sent, ${w.statementsWritten.toLocaleString('en')} statements written, then removed):`,
      '',
      ...closedTable(
        [{ id: w.id, number: w.number, sql: `${w.sqlStatements} / ${w.floorSqlStatements}` }],
        w.closedLoop,
        w.contestant,
        'floor',
      ),
    );
  }
  if (e.coldStart.length) {
    lines.push(
      '',
      '| Cold start (main.ts) | listening ms | first correct response ms | peak RSS MiB | runs |',
      '| --- | ---: | ---: | ---: | ---: |',
    );
    for (const c of e.coldStart)
      lines.push(
        `| ${e.engine}, ${c.case === 'fresh' ? 'fresh (migrate + seed)' : 'existing corpus'} | ${fmt(c.listeningMs)} | ${fmt(c.firstCorrectMs)} | ${fmt(c.peakRssMiB)} | ${c.runs.map((r) => r.firstCorrectMs).join(', ')} |`,
      );
  }
  if (e.soak.length) {
    lines.push(
      '',
      '| Sustained load | seconds | c | requests | RSS start → end MiB | growth | peak RSS MiB |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const s of e.soak)
      lines.push(
        `| ${s.contestant} | ${s.seconds} | ${s.concurrency} | ${s.requests.toLocaleString('en')} | ${s.rssStartMiB} → ${s.rssEndMiB} | ${s.growthPercent}% | ${s.rssPeakMiB} |`,
      );
  }
  const imported = importTable(e);
  if (imported.length) lines.push('', ...imported);
  for (const failure of e.failures ?? []) lines.push('', `Failed: ${failure}`);
  return lines.join('\n');
}

/** Issue 13's targets, checked from the figures (cache off). */
export function targetTable(e: EngineResults): string {
  const lines = ['| Target | Scenario | Figure | Met |', '| --- | --- | ---: | :---: |'];
  const maxC = Math.max(...e.closedLoop.map((c) => c.concurrency));
  const cell = (scenario: string, contestant: string, c: number) =>
    e.closedLoop.find((x) => x.scenario === scenario && x.contestant === contestant && x.concurrency === c);
  for (const s of e.scenarios) {
    const x = cell(s.id, 'chancery', maxC);
    for (const [other, goal] of [
      ['postgraphile', 1],
      ['floor', 0.7],
    ] as const) {
      const y = cell(s.id, other, maxC);
      if (x && y) {
        const r = x.reqPerSec / y.reqPerSec;
        lines.push(
          `| ≥ ${goal}× ${other} req/s at c=${maxC}, cache off | ${s.number} ${s.id} | ${r.toFixed(2)}× | ${r >= goal ? 'yes' : 'no'} |`,
        );
      }
    }
    const one = cell(s.id, 'chancery', 1);
    if (one && e.engine === 'pglite')
      lines.push(
        `| median ≤ 20 ms at c=1, cache off | ${s.number} ${s.id} | ${one.p50.toFixed(1)} ms | ${one.p50 <= 20 ? 'yes' : 'no'} |`,
      );
  }
  for (const s of e.soak)
    lines.push(
      `| RSS growth < 5% over ${s.seconds} s (${s.contestant}) | mix of 1–3 | ${s.growthPercent}% | ${s.growthPercent < 5 ? 'yes' : 'no'} |`,
    );
  return lines.join('\n');
}

/** Variants of Chancery against its baseline (and the floor), one row per scenario and concurrency. */
export function variantTable(e: EngineResults, baseline = 'chancery'): string {
  const names = [...new Set(e.closedLoop.map((c) => c.contestant))].filter(
    (n) => n !== baseline && n !== 'floor',
  );
  const cells = byKey(e.closedLoop, (r) => String(r.concurrency));
  const concurrencies = [...new Set(e.closedLoop.map((c) => c.concurrency))].sort((x, y) => x - y);
  const hasFloor = e.closedLoop.some((c) => c.contestant === 'floor');
  const lines = [
    `| Variant | Scenario | c | req/s | vs baseline | CPU ms/req | vs baseline | p50 / p99 ms${hasFloor ? ' | ÷ floor' : ''} |`,
    `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |${hasFloor ? ' ---: |' : ''}`,
  ];
  for (const s of e.scenarios)
    for (const c of concurrencies) {
      const base = cells.get(`${s.id}/${baseline}/${c}`);
      const floor = cells.get(`${s.id}/floor/${c}`);
      if (!base) continue;
      for (const name of [baseline, ...names]) {
        const v = cells.get(`${s.id}/${name}/${c}`);
        if (!v) continue;
        const gain = ((v.reqPerSec / base.reqPerSec - 1) * 100).toFixed(0);
        const cpu = ((v.cpuMsPerReq / base.cpuMsPerReq - 1) * 100).toFixed(0);
        lines.push(
          `| ${name} | ${s.number} ${s.id} | ${c} | ${fmt(v.reqPerSec)} | ${name === baseline ? '' : `${Number(gain) >= 0 ? '+' : ''}${gain}%`} | ${fmt(v.cpuMsPerReq, 3)} | ${name === baseline ? '' : `${Number(cpu) >= 0 ? '+' : ''}${cpu}%`} | ${fmt(v.p50, 2)} / ${fmt(v.p99, 2)}${hasFloor && floor ? ` | ${ratio(v.reqPerSec, floor.reqPerSec)}` : hasFloor ? ' | ' : ''} |`,
        );
      }
    }
  return lines.join('\n');
}

export function markdown(results: Results): string {
  const parts = [machineTable(results)];
  for (const e of results.engines) {
    parts.push(results.kind === 'variants' ? variantTable(e) : engineTables(e));
    if (results.kind === 'suite') parts.push(targetTable(e));
  }
  return parts.join('\n\n');
}
