// The load generator: HTTP/1.1 keep-alive through undici, to 127.0.0.1 only, bounded in count and
// in time. Closed loop keeps a fixed number of requests in flight (throughput); open loop sends on
// a fixed schedule and measures each latency from the time the request was *due*, so a stalled
// server cannot hide its queue (no coordinated omission).
import { Pool } from 'undici';
import { type LatencySummary, SampleBuffer, summarizeLatencies } from './stats.ts';

export type Target = {
  url: string;
  /** The JSON body to POST. */
  body: string;
  /** Every correct response has exactly this many bytes; anything else counts as an error. */
  expectedBytes: number;
  /** Extra request headers (a write's Authorization). */
  headers?: Record<string, string>;
  /** A write: a new body per request, with the length of its correct response (replaces the two above). */
  next?: () => { body: string; expectedBytes: number };
};

export type LoadResult = {
  completed: number;
  errors: number;
  elapsedMs: number;
  reqPerSec: number;
  latency: LatencySummary;
  firstError?: string;
};

export type OpenLoopResult = LoadResult & {
  targetRate: number;
  /** From the moment each request was sent (service time, for comparison). */
  serviceLatency: LatencySummary;
  /** How late the generator sent requests (its own scheduling jitter). */
  sendLag: LatencySummary;
  /** Requests not sent because too many were outstanding (the server could not keep up). */
  shed: number;
};

const MAX_REQUESTS = 5_000_000;
const MAX_DURATION_MS = 30 * 60_000;

function assertLocal(url: URL): void {
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.hostname !== '[::1]') {
    throw new Error(`The load generator only targets this machine; got ${url.hostname}.`);
  }
}

function pool(target: Target, connections: number): { pool: Pool; path: string } {
  const url = new URL(target.url);
  assertLocal(url);
  return {
    pool: new Pool(url.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 }),
    path: url.pathname + url.search,
  };
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

async function send(
  p: Pool,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; bytes: number; text?: string }> {
  const response = await p.request({ path, method: 'POST', headers, body });
  let bytes = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) {
    bytes += (chunk as Buffer).length;
    if (response.statusCode !== 200) chunks.push(chunk as Buffer);
  }
  return {
    status: response.statusCode,
    bytes,
    text: response.statusCode !== 200 ? Buffer.concat(chunks).toString('utf8').slice(0, 500) : undefined,
  };
}

/** `concurrency` requests always in flight, for `durationMs` or `maxRequests`, whichever first. */
export async function closedLoop(
  target: Target,
  options: { concurrency: number; durationMs: number; maxRequests?: number },
): Promise<LoadResult> {
  const durationMs = Math.min(options.durationMs, MAX_DURATION_MS);
  const maxRequests = Math.min(options.maxRequests ?? MAX_REQUESTS, MAX_REQUESTS);
  const { pool: p, path } = pool(target, options.concurrency);
  const headers = { ...HEADERS, ...target.headers };
  const latencies = new SampleBuffer();
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + durationMs;
  let lastDone = started;
  const worker = async () => {
    while (issued < maxRequests && performance.now() < deadline) {
      issued++;
      const { body, expectedBytes } = target.next?.() ?? target;
      const t0 = performance.now();
      try {
        const { status, bytes, text } = await send(p, path, body, headers);
        const t1 = performance.now();
        lastDone = t1;
        if (status !== 200 || bytes !== expectedBytes) {
          errors++;
          firstError ??= `HTTP ${status}, ${bytes} bytes (expected ${expectedBytes}) ${text ?? ''}`;
        } else latencies.push(t1 - t0);
      } catch (error) {
        errors++;
        firstError ??= String(error);
        lastDone = performance.now();
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await p.close();
  const elapsedMs = lastDone - started;
  return {
    completed: latencies.length,
    errors,
    elapsedMs,
    reqPerSec: (latencies.length / elapsedMs) * 1000,
    latency: summarizeLatencies(latencies.values()),
    firstError,
  };
}

/** Sends at a fixed `rate` (req/s) for `durationMs`; latency counts from each request's due time. */
export async function openLoop(
  target: Target,
  options: { rate: number; durationMs: number; connections?: number; maxOutstanding?: number },
): Promise<OpenLoopResult> {
  const durationMs = Math.min(options.durationMs, MAX_DURATION_MS);
  const total = Math.min(Math.floor((options.rate * durationMs) / 1000), MAX_REQUESTS);
  const maxOutstanding = options.maxOutstanding ?? 1_000;
  const { pool: p, path } = pool(target, options.connections ?? 64);
  const headers = { ...HEADERS, ...target.headers };
  const latencies = new SampleBuffer();
  const service = new SampleBuffer();
  const lag = new SampleBuffer();
  const interval = 1000 / options.rate;
  let errors = 0;
  let shed = 0;
  let outstanding = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  let lastDone = started;

  const fire = async (due: number) => {
    const { body, expectedBytes } = target.next?.() ?? target;
    const sent = performance.now();
    lag.push(sent - due);
    outstanding++;
    try {
      const { status, bytes, text } = await send(p, path, body, headers);
      const done = performance.now();
      lastDone = done;
      if (status !== 200 || bytes !== expectedBytes) {
        errors++;
        firstError ??= `HTTP ${status}, ${bytes} bytes (expected ${expectedBytes}) ${text ?? ''}`;
      } else {
        latencies.push(done - due);
        service.push(done - sent);
      }
    } catch (error) {
      errors++;
      firstError ??= String(error);
    } finally {
      outstanding--;
    }
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && started + next * interval <= now) {
        const due = started + next * interval;
        next++;
        if (outstanding >= maxOutstanding) {
          shed++;
          continue;
        }
        void fire(due);
      }
      if (next < total) setTimeout(tick, Math.max(0, Math.min(1, started + next * interval - now)));
      else resolve();
    };
    tick();
  });
  // Let the last requests finish (bounded: a server that never answers is an error, not a hang).
  const drainDeadline = performance.now() + 30_000;
  while (outstanding > 0 && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 5));
  errors += outstanding;
  await p.destroy();
  const elapsedMs = lastDone - started;
  return {
    targetRate: options.rate,
    completed: latencies.length,
    errors,
    shed,
    elapsedMs,
    reqPerSec: (latencies.length / elapsedMs) * 1000,
    latency: summarizeLatencies(latencies.values()),
    serviceLatency: summarizeLatencies(service.values()),
    sendLag: summarizeLatencies(lag.values()),
    firstError,
  };
}

/** One request, for correctness checks: returns the status and the body. */
export async function fetchOnce(
  target: Pick<Target, 'url' | 'body' | 'headers'>,
): Promise<{ status: number; text: string }> {
  const url = new URL(target.url);
  assertLocal(url);
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...HEADERS, ...target.headers },
    body: target.body,
  });
  return { status: response.status, text: await response.text() };
}
