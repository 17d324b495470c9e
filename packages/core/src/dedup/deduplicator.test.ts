import { describe, expect, it } from 'vitest';
import { createDeduplicator } from './deduplicator.js';

describe('createDeduplicator', () => {
  it.each([
    {
      name: 'keeps the first of exact duplicates',
      records: [['x', 'k1'], ['x', 'k1'], ['y', 'k2']],
      expected: [null, { duplicateOf: 1, kind: 'exact' }, null],
    },
    {
      name: 'drops a later row with the same key',
      records: [['x', 'k1'], ['y', 'k1']],
      expected: [null, { duplicateOf: 1, kind: 'key' }],
    },
    {
      name: 'never merges rows without a key unless they are exact duplicates',
      records: [['x', null], ['y', null], ['x', null]],
      expected: [null, null, { duplicateOf: 1, kind: 'exact' }],
    },
    {
      name: 'does not remember a dropped row',
      records: [['x', 'k1'], ['y', 'k1'], ['y', 'k1']],
      expected: [null, { duplicateOf: 1, kind: 'key' }, { duplicateOf: 1, kind: 'key' }],
    },
  ])('$name', ({ records, expected }) => {
    const dedup = createDeduplicator();
    const results = records.map(([exactKey, dedupKey], i) => dedup.check({ row: i + 1, exactKey: exactKey ?? '', dedupKey: dedupKey ?? null }));
    expect(results).toEqual(expected);
  });
});
