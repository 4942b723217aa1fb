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
  serverVersion: string;
  corpus: CorpusSummary;
  scenarios: { id: string; number: number; title: string; sqlStatements: number; responseBytes: number }[];
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

/** Chancery against the floor for one engine: closed loop, open loop, write, cold start, soak, import. */
export function engineTables(e: EngineResults): string {
  const lines: string[] = [];
  lines.push(
    `**${e.engine}** (${e.serverVersion.split(' on ')[0]}), corpus ${e.corpus.source} scale ${e.scale}: ${e.corpus.counts.statements.toLocaleString('en')} statements, ${e.corpus.counts.articles.toLocaleString('en')} articles, ${e.corpus.counts.treaties} treaties, ${e.corpus.counts.provisions.toLocaleString('en')} provisions.`,
  );
  const reads = e.scenarios.map((s) => ({ ...s, sql: String(s.sqlStatements) }));
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

/** The issue's targets, checked from the figures, for each Chancery contestant (cache off, on). */
export function targetTable(e: EngineResults): string {
  const lines = ['| Target | Chancery | Scenario | Figure | Met |', '| --- | --- | --- | ---: | :---: |'];
  const maxC = Math.max(...e.closedLoop.map((c) => c.concurrency));
  for (const name of chanceryNames(e)) {
    for (const s of e.scenarios) {
      const x = e.closedLoop.find(
        (c) => c.scenario === s.id && c.contestant === name && c.concurrency === maxC,
      );
      const y = e.closedLoop.find(
        (c) => c.scenario === s.id && c.contestant === 'floor' && c.concurrency === maxC,
      );
      if (x && y) {
        const r = x.reqPerSec / y.reqPerSec;
        lines.push(
          `| ≥ 0.5× floor req/s at c=${maxC} | ${name} | ${s.number} ${s.id} | ${r.toFixed(2)}× | ${r >= 0.5 ? 'yes' : 'no'} |`,
        );
      }
      const o = e.openLoop.find((c) => c.scenario === s.id && c.contestant === name && c.loadShare === 0.8);
      if (o) {
        const r = o.p99 / o.p50;
        lines.push(
          `| p99 < 2× p50 at 80% load${name === 'chancery-cached' ? " (the floor's)" : ''} | ${name} | ${s.number} ${s.id} | ${r.toFixed(2)}× | ${r < 2 ? 'yes' : 'no'} |`,
        );
      }
    }
    const rss = Math.max(
      ...e.closedLoop.filter((c) => c.contestant === name).map((c) => c.peakRssMiB),
      ...e.soak.filter((s) => s.contestant === name).map((s) => s.rssPeakMiB),
    );
    lines.push(
      `| RSS under load < 150 MB | ${name} | all | ${((rss * 2 ** 20) / 1e6).toFixed(0)} MB | ${rss * 2 ** 20 < 150e6 ? 'yes' : 'no'} |`,
    );
    for (const s of e.soak.filter((x) => x.contestant === name))
      lines.push(
        `| RSS growth < 5% over ${s.seconds} s | ${name} | mix of 1–3 | ${s.growthPercent}% | ${s.growthPercent < 5 ? 'yes' : 'no'} |`,
      );
  }
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
