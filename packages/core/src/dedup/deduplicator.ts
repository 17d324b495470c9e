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
  /**
   * The same for a record whose keys are already words (keyWords of exactKey at words[at..at+3],
   * of dedupKey at words[at+4..at+7] when hasDedupKey): what check does after decoding the strings.
   */
  checkWords(row: number, words: Uint32Array, at: number, hasDedupKey: boolean): DuplicateOf | null;
  /** Makes room for this many records at once (an estimate from the input's size): see KeyTable.reserve. */
  reserve(records: number): void;
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
  const words = new Uint32Array(8);
  const checkWords = (row: number, w: Uint32Array, at: number, hasDedupKey: boolean): DuplicateOf | null => {
    const e0 = w[at]!;
    const e1 = w[at + 1]!;
    const e2 = w[at + 2]!;
    const e3 = w[at + 3]!;
    const exactOf = exact.get(e0, e1, e2, e3);
    if (exactOf !== -1) return { duplicateOf: exactOf, kind: 'exact' };
    if (hasDedupKey) {
      const keyOf = byKey.add(w[at + 4]!, w[at + 5]!, w[at + 6]!, w[at + 7]!, row);
      if (keyOf !== -1) return { duplicateOf: keyOf, kind: 'key' };
    }
    exact.add(e0, e1, e2, e3, row);
    return null;
  };
  return {
    check(record) {
      keyWords(record.exactKey, e);
      words.set(e, 0);
      if (record.dedupKey !== null) {
        keyWords(record.dedupKey, k);
        words.set(k, 4);
      }
      return checkWords(record.row, words, 0, record.dedupKey !== null);
    },
    checkWords,
    reserve(records) {
      exact.reserve(records);
      byKey.reserve(records);
    },
    get size() {
      return exact.size + byKey.size;
    },
    get byteLength() {
      return exact.byteLength + byKey.byteLength;
    },
  };
}
