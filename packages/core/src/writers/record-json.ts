import type { StandardRecord } from '../datasets/dataset-definition.js';

/**
 * One harmonized record as a JSON line: canonical fields in order (null when empty), `extras`
 * for unmapped columns (absent when there are none), and `_row`, the source data record number.
 */
export function recordJson(
  fields: readonly string[],
  record: StandardRecord,
  extras: Readonly<Record<string, string>> | null,
  row: number,
): string {
  return JSON.stringify(recordObject(fields, record, extras, row));
}

/** The object recordJson serializes: equal to JSON.parse of its line (string and null values only). */
export function recordObject(
  fields: readonly string[],
  record: StandardRecord,
  extras: Readonly<Record<string, string>> | null,
  row: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = record[field] ?? null;
  if (extras) out.extras = extras;
  out._row = row;
  return out;
}
