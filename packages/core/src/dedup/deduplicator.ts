import type { AcceptedRecord } from '../types.js';
import { keyWords } from './key-bits.js';
import { KeyTable } from './key-table.js';

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
  /** Keys held; the index grows with distinct rows, at most 2 keys each. */
  readonly size: number;
  /** Bytes the index holds (its typed arrays): 20 per slot, the tables at most 4/5 full. */
  readonly byteLength: number;
}

/**
 * File-wide duplicate finder over the keys processChunk computed. An exact duplicate is reported
 * as such even when it also shares the dedup key; a record without a dedup key is only ever an
 * exact duplicate. Keys are held as 128-bit values in two KeyTables (typed arrays), not as
 * strings: the index is the one structure that grows with the file.
 */
export function createDeduplicator(): Deduplicator {
  const exact = new KeyTable();
  const byKey = new KeyTable();
  const e = new Uint32Array(4);
  const k = new Uint32Array(4);
  return {
    check(record) {
      keyWords(record.exactKey, e);
      const exactOf = exact.get(e[0]!, e[1]!, e[2]!, e[3]!);
      if (exactOf !== -1) return { duplicateOf: exactOf, kind: 'exact' };
      if (record.dedupKey !== null) {
        keyWords(record.dedupKey, k);
        const keyOf = byKey.add(k[0]!, k[1]!, k[2]!, k[3]!, record.row);
        if (keyOf !== -1) return { duplicateOf: keyOf, kind: 'key' };
      }
      exact.add(e[0]!, e[1]!, e[2]!, e[3]!, record.row);
      return null;
    },
    get size() {
      return exact.size + byKey.size;
    },
    get byteLength() {
      return exact.byteLength + byKey.byteLength;
    },
  };
}
