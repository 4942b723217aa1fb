// Measurements on running servers: closed-loop throughput cells (alternating contestants, after a
// warm-up), open-loop latency at fixed shares of each contestant's peak, and RSS under sustained load.
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { comparableAnswer, firstDifference } from './answers.ts';
import type { ServerChild } from './children.ts';
import {
  closedLoop,
  fetchOnce,
  type LoadResult,
  type OpenLoopResult,
  openLoop,
  type Target,
} from './load.ts';
import {
  cpuTimeMs,
  machineBusyMs,
  memoryMiB,
  postgresCpuSpentMs,
  postgresCpuTimes,
  sampleRss,
  waitForQuiet,
} from './proc.ts';
import type { ScenarioRequest } from './setup.ts';
import { growthPercent, median, round } from './stats.ts';
import type { WriteRequest } from './write.ts';
import { newStatementId, spanFor, withoutNewId } from './write-scenario.ts';

export type Contestant = {
  /** "chancery", "chancery-cached" (response cache on), "floor", "postgraphile", or a variant name. */
  name: string;
  child: ServerChild;
  /** PostGraphile: sent its own request for each read, and its answer compared by what it says. */
  peer?: boolean;
  /** The URL a scenario's request goes to. */
  urlFor(request: Measured): string;
};

/** What a cell measures: a read scenario's request, or the write. */
export type Measured = { scenario: { id: string } };

export type Timing = {
  warmupMs: number;
  measureMs: number;
  rounds: number;
  /** Before each run, wait up to this long for the machine to be quiet (busy share < quietBelow). */
  quietWaitMs: number;
  quietBelow: number;
};

export type CellRound = {
  reqPerSec: number;
  p50: number;
  p99: number;
  cpuMsPerReq: number;
  /** PostgreSQL's CPU per request (every postgres process; 0 on PGlite, which runs in the server). */
  dbCpuMsPerReq: number;
  /** The whole machine's busy CPU per request: server, database and load generator. */
  machineCpuMsPerReq: number;
  peakRssMiB: number;
  errors: number;
  completed: number;
  /** The machine's 1-minute load average when the run ended (other processes share the cores). */
  loadAvg: number;
  /** Share of both CPUs busy just before the run (our servers idle then: this is other work). */
  busyBefore: number;
};

export type Cell = {
  scenario: string;
  contestant: string;
  concurrency: number;
  /** Medians over rounds; peak RSS is the maximum. */
  reqPerSec: number;
  p50: number;
  p99: number;
  cpuMsPerReq: number;
  peakRssMiB: number;
  errors: number;
  rounds: CellRound[];
};

export type OpenLoopCell = {
  scenario: string;
  contestant: string;
  loadShare: number;
  targetRate: number;
  achievedRate: number;
  p50: number;
  p99: number;
  serviceP50: number;
  serviceP99: number;
  sendLagP99: number;
  cpuMsPerReq: number;
  errors: number;
  shed: number;
};

/** The body a contestant is sent for a read: PostGraphile's own request, or Chancery's. */
const bodyFor = (c: Contestant, request: ScenarioRequest) => (c.peer ? request.peerBody : request.body);

/**
 * Checks each contestant answers each request with Chancery's data (PostGraphile: the same rows in
 * the same order, answers.ts); returns the body sizes.
 */
export async function verify(
  contestants: Contestant[],
  requests: ScenarioRequest[],
): Promise<Map<string, number>> {
  const bytes = new Map<string, number>();
  for (const request of requests)
    for (const c of contestants) {
      const response = await fetchOnce({ url: c.urlFor(request), body: bodyFor(c, request) });
      const parsed = response.status === 200 ? (JSON.parse(response.text) as { data?: unknown }) : null;
      const wrong =
        !parsed || 'errors' in parsed
          ? 'an error'
          : c.peer
            ? firstDifference(comparableAnswer(request.scenario.id, 'peer', parsed.data), request.comparable)
            : isDeepStrictEqual(parsed.data, request.data)
              ? null
              : firstDifference(parsed.data, request.data);
      if (wrong) {
        throw new Error(
          `${c.name} answered ${request.scenario.id} wrongly (HTTP ${response.status}; ${wrong}): ${response.text.slice(0, 400)}\n${c.child.stderrTail()}`,
        );
      }
      bytes.set(`${c.name}/${request.scenario.id}`, Buffer.byteLength(response.text));
    }
  return bytes;
}

/** A read: the same body every time, and the byte length of the answer verify() saw. */
export const readTarget = (c: Contestant, request: ScenarioRequest, bytes: Map<string, number>): Target => ({
  url: c.urlFor(request),
  body: bodyFor(c, request),
  expectedBytes: bytes.get(`${c.name}/${request.scenario.id}`) as number,
});

/**
 * Scenario 4's targets: every request quotes the next distinct span, from one sequence for all
 * contestants (on PostgreSQL they write into the same article). One answer per contestant is
 * checked first: Chancery's JSON for that input, the new id aside, and an id no earlier answer
 * had. The byte length of every later answer then follows from its input.
 */
export async function writeTargets(
  contestants: Contestant[],
  write: WriteRequest,
): Promise<{ target: (c: Contestant) => Target; sent: () => number }> {
  const { scenario, fixture, template } = write;
  let k = 0;
  const next = () => {
    const variables = scenario.variables(fixture, spanFor(k++, fixture.paragraphs));
    return {
      body: JSON.stringify({ query: scenario.query, variables }),
      // The template's id has the length of any other.
      expectedJson: JSON.stringify({ data: scenario.expected(template, variables) }),
      variables,
    };
  };
  const overhead = new Map<string, number>();
  const seen = new Set([newStatementId(template)]);
  for (const c of contestants) {
    const request = next();
    const response = await fetchOnce({ url: c.urlFor(write), body: request.body, headers: scenario.headers });
    const parsed =
      response.status === 200 ? (JSON.parse(response.text) as { data?: unknown; errors?: unknown }) : null;
    const id = newStatementId(parsed?.data);
    if (
      !parsed ||
      'errors' in parsed ||
      seen.has(id) ||
      JSON.stringify(withoutNewId(parsed.data)) !==
        JSON.stringify(withoutNewId(JSON.parse(request.expectedJson).data))
    )
      throw new Error(
        `${c.name} answered ${scenario.id} wrongly (HTTP ${response.status}): ${response.text.slice(0, 400)}\nexpected ${request.expectedJson}\n${c.child.stderrTail()}`,
      );
    seen.add(id);
    overhead.set(
      c.name,
      Buffer.byteLength(response.text) - Buffer.byteLength(JSON.stringify({ data: parsed.data })),
    );
  }
  return {
    sent: () => k,
    target: (c) => ({
      url: c.urlFor(write),
      body: '',
      expectedBytes: 0,
      headers: scenario.headers,
      next() {
        const request = next();
        return {
          body: request.body,
          expectedBytes: (overhead.get(c.name) as number) + Buffer.byteLength(request.expectedJson),
        };
      },
    }),
  };
}

async function measureClosed(
  c: Contestant,
  target: Target,
  concurrency: number,
  timing: Timing,
): Promise<{
  result: LoadResult;
  cpuMsPerReq: number;
  dbCpuMsPerReq: number;
  machineCpuMsPerReq: number;
  peakRssMiB: number;
  busyBefore: number;
}> {
  const busyBefore = await waitForQuiet({ threshold: timing.quietBelow, maxWaitMs: timing.quietWaitMs });
  await closedLoop(target, { concurrency, durationMs: timing.warmupMs });
  const rss = sampleRss(c.child.pid);
  const cpuBefore = cpuTimeMs(c.child.pid);
  const dbBefore = postgresCpuTimes();
  const machineBefore = machineBusyMs();
  const result = await closedLoop(target, { concurrency, durationMs: timing.measureMs });
  const cpuAfter = cpuTimeMs(c.child.pid);
  const dbAfter = postgresCpuTimes();
  const machineAfter = machineBusyMs();
  const { peak } = rss.stop();
  const requests = Math.max(1, result.completed);
  return {
    result,
    cpuMsPerReq: (cpuAfter - cpuBefore) / requests,
    dbCpuMsPerReq: postgresCpuSpentMs(dbBefore, dbAfter) / requests,
    machineCpuMsPerReq: (machineAfter - machineBefore) / requests,
    peakRssMiB: peak,
    busyBefore,
  };
}

/**
 * Every (scenario, concurrency) cell for every contestant, `rounds` times; within a cell the
 * contestants take turns, and the order rotates each round, so drift on a shared machine falls
 * on all of them alike.
 */
export async function closedLoopCells<R extends Measured>(options: {
  contestants: Contestant[];
  requests: R[];
  concurrencies: number[];
  timing: Timing;
  /** What a contestant is sent for a request. */
  target: (c: Contestant, request: R) => Target;
  log: (line: string) => void;
}): Promise<Cell[]> {
  const { contestants, requests, concurrencies, timing, log } = options;
  const targetOf = options.target;
  // A first warm-up per contestant and scenario, so JIT and caches are warm before any cell.
  for (const request of requests)
    for (const c of contestants)
      await closedLoop(targetOf(c, request), { concurrency: 8, durationMs: timing.warmupMs * 2 });

  const rounds = new Map<string, CellRound[]>();
  for (let pass = 0; pass < timing.rounds; pass++) {
    for (const request of requests)
      for (const concurrency of concurrencies) {
        const order = contestants.map((_, i) => contestants[(i + pass) % contestants.length] as Contestant);
        for (const c of order) {
          const { result, cpuMsPerReq, dbCpuMsPerReq, machineCpuMsPerReq, peakRssMiB, busyBefore } =
            await measureClosed(c, targetOf(c, request), concurrency, timing);
          if (result.errors)
            log(`  ! ${c.name} ${request.scenario.id}: ${result.errors} errors, first: ${result.firstError}`);
          const key = `${request.scenario.id}/${c.name}/${concurrency}`;
          const list = rounds.get(key) ?? [];
          list.push({
            reqPerSec: result.reqPerSec,
            p50: result.latency.p50,
            p99: result.latency.p99,
            cpuMsPerReq,
            dbCpuMsPerReq: round(dbCpuMsPerReq, 4),
            machineCpuMsPerReq: round(machineCpuMsPerReq, 4),
            peakRssMiB,
            errors: result.errors,
            completed: result.completed,
            loadAvg: round(loadavg()[0] ?? 0, 2),
            busyBefore: round(busyBefore, 2),
          });
          rounds.set(key, list);
          log(
            `  round ${pass + 1} ${request.scenario.id.padEnd(9)} c=${String(concurrency).padStart(2)} ${c.name.padEnd(22)} ${result.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${result.latency.p50.toFixed(2)} ms  p99 ${result.latency.p99.toFixed(2)} ms  cpu ${cpuMsPerReq.toFixed(3)} ms/req (db ${dbCpuMsPerReq.toFixed(3)}, machine ${machineCpuMsPerReq.toFixed(3)})  rss ${peakRssMiB.toFixed(0)} MiB  (machine busy before ${(busyBefore * 100).toFixed(0)}%)`,
          );
        }
      }
  }
  const cells: Cell[] = [];
  for (const request of requests)
    for (const concurrency of concurrencies)
      for (const c of contestants) {
        const list = rounds.get(`${request.scenario.id}/${c.name}/${concurrency}`) ?? [];
        cells.push({
          scenario: request.scenario.id,
          contestant: c.name,
          concurrency,
          reqPerSec: round(median(list.map((r) => r.reqPerSec)), 1),
          p50: round(median(list.map((r) => r.p50)), 3),
          p99: round(median(list.map((r) => r.p99)), 3),
          cpuMsPerReq: round(median(list.map((r) => r.cpuMsPerReq)), 4),
          peakRssMiB: round(Math.max(...list.map((r) => r.peakRssMiB)), 1),
          errors: list.reduce((sum, r) => sum + r.errors, 0),
          rounds: list.map((r) => ({
            ...r,
            reqPerSec: round(r.reqPerSec, 1),
            p50: round(r.p50, 3),
            p99: round(r.p99, 3),
            cpuMsPerReq: round(r.cpuMsPerReq, 4),
            peakRssMiB: round(r.peakRssMiB, 1),
          })),
        });
      }
  return cells;
}

/** Open loop at `shares` of each contestant's own closed-loop peak for the scenario. */
export async function openLoopCells(options: {
  contestants: Contestant[];
  requests: ScenarioRequest[];
  cells: Cell[];
  shares: number[];
  /** Contestants sent a share of another's peak rather than of their own (name → whose peak). */
  peakOf?: Record<string, string>;
  timing: Timing;
  bytes: Map<string, number>;
  log: (line: string) => void;
}): Promise<OpenLoopCell[]> {
  const { contestants, requests, cells, shares, timing, bytes, log } = options;
  const out: OpenLoopCell[] = [];
  for (const request of requests)
    for (const share of shares)
      for (const c of contestants) {
        const peak = Math.max(
          ...cells
            .filter(
              (x) =>
                x.scenario === request.scenario.id && x.contestant === (options.peakOf?.[c.name] ?? c.name),
            )
            .map((x) => x.reqPerSec),
        );
        const rate = Math.max(1, Math.round(peak * share));
        const target = readTarget(c, request, bytes);
        await waitForQuiet({ threshold: timing.quietBelow, maxWaitMs: timing.quietWaitMs });
        await closedLoop(target, { concurrency: 8, durationMs: timing.warmupMs });
        const cpuBefore = cpuTimeMs(c.child.pid);
        const result: OpenLoopResult = await openLoop(target, { rate, durationMs: timing.measureMs });
        const cpuMsPerReq = (cpuTimeMs(c.child.pid) - cpuBefore) / Math.max(1, result.completed);
        if (result.errors || result.shed)
          log(
            `  ! ${c.name} ${request.scenario.id} open loop: ${result.errors} errors, ${result.shed} shed ${result.firstError ?? ''}`,
          );
        log(
          `  open ${request.scenario.id.padEnd(9)} ${Math.round(share * 100)}% ${c.name.padEnd(22)} ${rate} req/s → p50 ${result.latency.p50.toFixed(2)} ms  p99 ${result.latency.p99.toFixed(2)} ms (service p99 ${result.serviceLatency.p99.toFixed(2)}, send lag p99 ${result.sendLag.p99.toFixed(2)})`,
        );
        out.push({
          scenario: request.scenario.id,
          contestant: c.name,
          loadShare: share,
          targetRate: rate,
          achievedRate: round(result.reqPerSec, 1),
          p50: round(result.latency.p50, 3),
          p99: round(result.latency.p99, 3),
          serviceP50: round(result.serviceLatency.p50, 3),
          serviceP99: round(result.serviceLatency.p99, 3),
          sendLagP99: round(result.sendLag.p99, 3),
          cpuMsPerReq: round(cpuMsPerReq, 4),
          errors: result.errors,
          shed: result.shed,
        });
      }
  return out;
}

export type SoakResult = {
  contestant: string;
  seconds: number;
  concurrency: number;
  requests: number;
  errors: number;
  rssStartMiB: number;
  rssEndMiB: number;
  rssPeakMiB: number;
  growthPercent: number;
  /** RSS sampled once a second. */
  samples: number[];
};

/**
 * Sustained closed-loop load cycling through the scenarios in 5-second slices. Growth compares
 * the mean RSS of the last tenth of the run with that of the tenth after the first (the first
 * tenth is warm-up: heaps and caches grow to their working size there).
 */
export async function soak(options: {
  contestant: Contestant;
  requests: ScenarioRequest[];
  seconds: number;
  concurrency: number;
  bytes: Map<string, number>;
  log: (line: string) => void;
}): Promise<SoakResult> {
  const { contestant: c, requests, seconds, concurrency, bytes, log } = options;
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(memoryMiB(c.child.pid).rss), 1000);
  const deadline = performance.now() + seconds * 1000;
  let requestsDone = 0;
  let errors = 0;
  let slice = 0;
  while (performance.now() < deadline) {
    const request = requests[slice++ % requests.length] as ScenarioRequest;
    const result = await closedLoop(readTarget(c, request, bytes), {
      concurrency,
      durationMs: Math.min(5000, Math.max(100, deadline - performance.now())),
    });
    requestsDone += result.completed;
    errors += result.errors;
  }
  clearInterval(timer);
  samples.push(memoryMiB(c.child.pid).rss);
  const tenth = Math.max(1, Math.floor(samples.length / 10));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const start = mean(samples.slice(tenth, 2 * tenth));
  const end = mean(samples.slice(-tenth));
  const result: SoakResult = {
    contestant: c.name,
    seconds,
    concurrency,
    requests: requestsDone,
    errors,
    rssStartMiB: round(start, 1),
    rssEndMiB: round(end, 1),
    rssPeakMiB: round(Math.max(...samples), 1),
    growthPercent: round(growthPercent(start, end), 2),
    samples: samples.map((s) => round(s, 1)),
  };
  log(
    `  soak ${c.name}: ${seconds} s, ${requestsDone} requests, RSS ${result.rssStartMiB} → ${result.rssEndMiB} MiB (${result.growthPercent}%), peak ${result.rssPeakMiB} MiB`,
  );
  return result;
}
