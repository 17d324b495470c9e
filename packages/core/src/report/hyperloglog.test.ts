import { describe, expect, it } from 'vitest';
import { addToHll, createHll, estimateHll, mergeHll } from './hyperloglog.js';

const counted = (values: Iterable<string>) => {
  const hll = createHll();
  for (const v of values) addToHll(hll, v);
  return hll;
};
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `value-${from + i}`);

describe('HyperLogLog distinct count', () => {
  it.each([0, 1, 3, 20])('counts %i distinct values exactly when there are few', (n) => {
    expect(estimateHll(counted(range(0, n)))).toBe(n);
  });

  it('ignores repeats', () => {
    expect(estimateHll(counted([...range(0, 10), ...range(0, 10), ...range(0, 10)]))).toBe(10);
  });

  it.each([200, 5_000, 100_000])('stays within a tenth of %i distinct values', (n) => {
    const estimate = estimateHll(counted(range(0, n)));
    expect(Math.abs(estimate - n) / n).toBeLessThan(0.1);
  });

  it('merges chunks into the count of their union, without changing them', () => {
    const a = counted(range(0, 3_000));
    const b = counted(range(2_000, 6_000));
    const before = a.slice();
    const estimate = estimateHll(mergeHll(a, b));
    expect(Math.abs(estimate - 6_000) / 6_000).toBeLessThan(0.1);
    expect(a).toEqual(before);
  });
});
