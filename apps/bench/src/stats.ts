// Small, exact statistics over recorded samples (no histogram buckets: a run keeps at most a few
// million latencies, which sort in milliseconds).

/** The q-quantile (0 ≤ q ≤ 1) of ascending `sorted` by the nearest-rank method; NaN when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (q <= 0) return sorted[0] as number;
  if (q >= 1) return sorted[sorted.length - 1] as number;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export type LatencySummary = {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
};

/** Summarises latencies in milliseconds. Sorts a copy. */
export function summarizeLatencies(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

/** A growable Float64Array with a hard cap, so a long run cannot grow memory without bound. */
export class SampleBuffer {
  private data: Float64Array;
  length = 0;
  dropped = 0;
  constructor(
    initial = 65_536,
    private readonly cap = 4_000_000,
  ) {
    this.data = new Float64Array(initial);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      if (this.length >= this.cap) {
        this.dropped++;
        return;
      }
      const next = new Float64Array(Math.min(this.cap, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Relative growth from `before` to `after`, in percent. */
export const growthPercent = (before: number, after: number) => ((after - before) / before) * 100;

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
