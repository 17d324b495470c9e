import type { HeaderMapping } from '../types.js';
import { flattenRecord } from '../formats/flatten-record.js';

export interface JsonRows {
  /** Cells in mapping column order, or null for a line that is not a JSON object. */
  cells: (string[] | null)[];
  /** Keys of each record that no mapping column reads, with a value; null when there are none. */
  leftovers: (Record<string, string> | null)[];
}

/**
 * Reads a 'records' chunk: one JSON object per line, flattened (nested keys joined with '.'),
 * its values laid out in the columns of the mapping so the CSV path standardizes them. Keys
 * no column names (records need not all have the same keys) are kept by name for `extras`.
 */
export function parseJsonRecords(text: string, mapping: HeaderMapping): JsonRows {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const sources = new Map(mapping.columns.map((c) => [c.source, c.index]));
  const width = mapping.columns.length;
  const cells: (string[] | null)[] = [];
  const leftovers: (Record<string, string> | null)[] = [];
  for (const line of lines) {
    const flat = readLine(line);
    if (flat === null) {
      cells.push(null);
      leftovers.push(null);
      continue;
    }
    const row = new Array<string>(width).fill('');
    let rest: Record<string, string> | null = null;
    for (const [key, value] of Object.entries(flat)) {
      const index = sources.get(key);
      if (index !== undefined) row[index] = value;
      else if (value.trim() !== '') (rest ??= {})[key] = value;
    }
    cells.push(row);
    leftovers.push(rest);
  }
  return { cells, leftovers };
}

/** The flattened record, or null for a line that is not a JSON object (or nests too deep to write back). */
function readLine(line: string): Record<string, string> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? flattenRecord(value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
