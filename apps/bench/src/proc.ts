// What a process costs, read from /proc (Linux): CPU time and resident memory of the server
// process itself, not of the load generator.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;
function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU time of `pid` so far, in milliseconds (10 ms resolution on most kernels). */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks();
}

/** User + system CPU time so far of each PostgreSQL process on this machine, in milliseconds, by pid. */
export function postgresCpuTimes(): Map<number, number> {
  const times = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
      times.set(Number(entry), cpuTimeMs(Number(entry)));
    } catch {
      // gone between listing and reading
    }
  }
  return times;
}

/**
 * What PostgreSQL spent between two `postgresCpuTimes()`, in milliseconds: the processes alive at
 * the end (a backend that started in between counts whole; one that ended in between is missed, so
 * this never overstates).
 */
export function postgresCpuSpentMs(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}

/** Current (VmRSS) and peak (VmHWM) resident set size of `pid`, in MiB. */
export function memoryMiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

/** Samples the RSS of `pid` on an interval; `stop()` returns the peak and all samples. */
export function sampleRss(pid: number, intervalMs = 250): { stop(): { peak: number; samples: number[] } } {
  const samples: number[] = [];
  const take = () => {
    try {
      samples.push(memoryMiB(pid).rss);
    } catch {
      // the process is gone; the caller notices on its own
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peak: Math.max(...samples), samples };
    },
  };
}

/** The CPUs this process may run on, as the kernel lists them ("0", "0-1"). */
export function allowedCpus(pid: number | 'self' = 'self'): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return /^Cpus_allowed_list:\s+(\S+)/m.exec(status)?.[1] ?? '?';
}

function cpuTotals(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] as string;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU time every CPU of the machine has spent busy so far, whoever spent it, in milliseconds. */
export function machineBusyMs(): number {
  return (cpuTotals().busy * 1000) / clockTicks();
}

/** Share of all CPUs (0–1) busy over the next `ms` milliseconds, whoever uses them. */
export async function machineBusy(ms = 300): Promise<number> {
  const before = cpuTotals();
  await new Promise((r) => setTimeout(r, ms));
  const after = cpuTotals();
  return (after.busy - before.busy) / Math.max(1, after.total - before.total);
}

/** Runs `work`, and tells the share of all CPUs (0–1) busy meanwhile, whoever used them. */
export async function busyDuring<T>(work: () => Promise<T>): Promise<{ result: T; busy: number }> {
  const before = cpuTotals();
  const result = await work();
  const after = cpuTotals();
  return { result, busy: (after.busy - before.busy) / Math.max(1, after.total - before.total) };
}

/**
 * Waits until the machine is nearly idle (other people's work shares these cores) or `maxWaitMs`
 * has passed; returns the busy share last seen.
 */
export async function waitForQuiet(options: { threshold: number; maxWaitMs: number }): Promise<number> {
  const deadline = performance.now() + options.maxWaitMs;
  let busy = await machineBusy();
  while (busy > options.threshold && performance.now() < deadline) busy = await machineBusy(1000);
  return busy;
}
