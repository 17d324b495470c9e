import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDeduplicator, type DuplicateOf } from './deduplicator.js';
import { hashKey } from './record-keys.js';

/** The simple implementation the KeyTable one replaced: two Maps of the key strings. */
function referenceDeduplicator() {
  const exact = new Map<string, number>();
  const byKey = new Map<string, number>();
  return (record: { row: number; exactKey: string; dedupKey: string | null }): DuplicateOf | null => {
    const exactOf = exact.get(record.exactKey);
    if (exactOf !== undefined) return { duplicateOf: exactOf, kind: 'exact' };
    if (record.dedupKey !== null) {
      const keyOf = byKey.get(record.dedupKey);
      if (keyOf !== undefined) return { duplicateOf: keyOf, kind: 'key' };
      byKey.set(record.dedupKey, record.row);
    }
    exact.set(record.exactKey, record.row);
    return null;
  };
}

/** Records drawn from small pools of values, so exact copies, shared keys and rows without a key all occur. */
const records = fc.array(
  fc.record({
    value: fc.integer({ min: 0, max: 40 }),
    key: fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }),
    plain: fc.boolean(),
  }),
  { maxLength: 3000 },
);

describe('createDeduplicator (KeyTable) against the Map reference', () => {
  it('gives the same answer for every record, with record keys and with other strings', () => {
    fc.assert(
      fc.property(records, (rows) => {
        const dedup = createDeduplicator();
        const reference = referenceDeduplicator();
        rows.forEach(({ value, key, plain }, i) => {
          // Record keys as processChunk makes them, or arbitrary strings (hashed to 128 bits).
          const exactKey = plain ? `v${value}` : hashKey(['patients', [value]]);
          const dedupKey = key === null ? null : plain ? `k${key}` : hashKey(['patients', ['patient_id'], [key]]);
          const record = { row: i + 1, exactKey, dedupKey };
          expect(dedup.check(record)).toEqual(reference(record));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('holds 100,000 distinct records in typed arrays of a few MB', () => {
    const dedup = createDeduplicator();
    const reference = referenceDeduplicator();
    for (let row = 1; row <= 100_000; row++) {
      const record = { row, exactKey: hashKey([row % 90_000]), dedupKey: row % 3 === 0 ? null : hashKey(['k', row % 70_000]) };
      const got = dedup.check(record);
      const want = reference(record);
      if (got?.duplicateOf !== want?.duplicateOf || got?.kind !== want?.kind) expect(got).toEqual(want);
    }
    expect(dedup.size).toBeGreaterThan(100_000);
    expect(dedup.byteLength).toBeLessThanOrEqual(2 * 262_144 * 20);
  });
});
