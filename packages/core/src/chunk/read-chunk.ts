import type { ChunkTask } from '../types.js';
import { parseJsonRecords } from './parse-json-records.js';
import { arraySource, recordSource, type RecordSource } from './parse-records.js';

export interface ChunkRows {
  /** Cells per record in header (mapping column) order, one record at a time; null for a record that cannot be read. */
  records: RecordSource;
  /** Per record, values of keys no column reads ('records' chunks only; sparse otherwise). */
  leftovers: (Record<string, string> | null | undefined)[];
  /** Source record number of the i-th record. */
  rowAt(i: number): number;
  /** Why an unreadable record was rejected (row.malformed). */
  malformed: string;
}

/** Reads a chunk's records, CSV or NDJSON, into the cells the rest of processChunk works on. */
export function readChunk(task: ChunkTask): ChunkRows {
  const rows = task.rows;
  const rowAt = (i: number) => rows?.[i] ?? task.firstRow + i;
  if (task.format === 'records') {
    const { cells, leftovers } = parseJsonRecords(task.text, task.mapping);
    return { records: arraySource(cells), leftovers, rowAt, malformed: 'the record is not a JSON object' };
  }
  return { records: recordSource(task.text, task.delimiter), leftovers: [], rowAt, malformed: 'the row cannot be read as CSV: check its quotes' };
}

/** The row's extras with the record's unread keys added (the named columns win on a clash). */
export function withLeftovers(
  extras: Record<string, string> | null,
  leftovers: Record<string, string> | null | undefined,
): Record<string, string> | null {
  if (!leftovers) return extras;
  return { ...leftovers, ...extras };
}
