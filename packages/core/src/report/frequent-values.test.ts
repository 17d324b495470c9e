import { describe, expect, it } from 'vitest';
import { addFrequent, mergeFrequent, TOP_DISTINCT_CAP, TOP_VALUE_MAX_CHARS } from './frequent-values.js';

const count = (values: string[]) => {
  const counts = new Map<string, number>();
  for (const v of values) if (!addFrequent(counts, v)) return undefined;
  return counts;
};

describe('frequent values', () => {
  it('counts exactly while there are few distinct values', () => {
    expect(count(['a', 'b', 'a', 'c', 'a'])).toEqual(new Map([['a', 3], ['b', 1], ['c', 1]]));
  });

  it(`gives up past ${TOP_DISTINCT_CAP} distinct values, so memory stays bounded`, () => {
    expect(count(Array.from({ length: TOP_DISTINCT_CAP }, (_, i) => `v${i}`))?.size).toBe(TOP_DISTINCT_CAP);
    expect(count(Array.from({ length: TOP_DISTINCT_CAP + 1 }, (_, i) => `v${i}`))).toBeUndefined();
  });

  it('merges to the same table whatever the chunking', () => {
    const values = Array.from({ length: 3_000 }, (_, i) => `v${(i * 7) % 300}`);
    const whole = count(values);
    for (const size of [1, 7, 1_000]) {
      let merged: Map<string, number> | undefined = new Map();
      for (let i = 0; i < values.length; i += size) merged = mergeFrequent(merged, count(values.slice(i, i + size)));
      expect(merged).toEqual(whole);
    }
  });

  it('gives up when the union of two chunks is too big, or either chunk gave up', () => {
    const a = count(Array.from({ length: 300 }, (_, i) => `a${i}`));
    const b = count(Array.from({ length: 300 }, (_, i) => `b${i}`));
    expect(mergeFrequent(a, b)).toBeUndefined();
    expect(mergeFrequent(a, undefined)).toBeUndefined();
  });

  it('cuts long values', () => {
    expect([...(count(['y'.repeat(500)])?.keys() ?? [])][0]).toHaveLength(TOP_VALUE_MAX_CHARS + 1);
  });
});
