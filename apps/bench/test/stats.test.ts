import { describe, expect, it } from 'vitest';
import { growthPercent, median, quantile, SampleBuffer, summarizeLatencies } from '../src/stats.ts';

describe('statistics helpers', () => {
  it('quantile uses the nearest rank', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.5)).toBe(50);
    expect(quantile(sorted, 0.99)).toBe(99);
    expect(quantile(sorted, 1)).toBe(100);
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('median of odd and even counts, input left unsorted', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('summarizes latencies in any order', () => {
    const summary = summarizeLatencies([3, 1, 2, 10]);
    expect(summary).toMatchObject({ count: 4, mean: 4, p50: 2, p99: 10, max: 10 });
  });

  it('SampleBuffer grows, then drops past its cap', () => {
    const buffer = new SampleBuffer(2, 3);
    for (const v of [1, 2, 3, 4]) buffer.push(v);
    expect([...buffer.values()]).toEqual([1, 2, 3]);
    expect(buffer.dropped).toBe(1);
  });

  it('growth in percent', () => {
    expect(growthPercent(100, 105)).toBeCloseTo(5);
  });
});
