import type { AcceptedRecord } from '../types.js';

export interface DuplicateOf {
  /** The earlier, kept row this record duplicates. */
  duplicateOf: number;
  kind: 'exact' | 'key';
}

export interface Deduplicator {
  /**
   * Feed accepted records in row order. Returns null when the record is kept (and remembered),
   * or which kept row it duplicates: the first row wins.
   */
  check(record: Pick<AcceptedRecord, 'row' | 'exactKey' | 'dedupKey'>): DuplicateOf | null;
  /** Keys held; the index grows with distinct rows, about 2 short strings each. */
  readonly size: number;
}

/**
 * File-wide duplicate finder over the keys processChunk computed. An exact duplicate is reported
 * as such even when it also shares the dedup key; a record without a dedup key is only ever an
 * exact duplicate.
 */
export function createDeduplicator(): Deduplicator {
  const exact = new Map<string, number>();
  const byKey = new Map<string, number>();
  return {
    check(record) {
      const exactOf = exact.get(record.exactKey);
      if (exactOf !== undefined) return { duplicateOf: exactOf, kind: 'exact' };
      if (record.dedupKey !== null) {
        const keyOf = byKey.get(record.dedupKey);
        if (keyOf !== undefined) return { duplicateOf: keyOf, kind: 'key' };
        byKey.set(record.dedupKey, record.row);
      }
      exact.set(record.exactKey, record.row);
      return null;
    },
    get size() {
      return exact.size + byKey.size;
    },
  };
}
