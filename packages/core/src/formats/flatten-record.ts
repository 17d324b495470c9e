/** Nesting deeper than this stays as JSON text in one cell. */
const MAX_DEPTH = 3;

/**
 * One JSON record as flat text cells, the way a CSV would hold it: nested objects become
 * dotted keys (`address.city`), arrays and deeper objects JSON text, numbers and booleans
 * their JSON spelling, null an empty cell. Keys are shared by the dataset detection (on a
 * sample) and the chunk parser, so both see the same columns.
 */
export function flattenRecord(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (value: unknown, key: string, depth: number) => {
    if (value === null || value === undefined) out[key] = '';
    else if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else if (typeof value === 'object' && !Array.isArray(value) && depth < MAX_DEPTH) {
      for (const [k, v] of Object.entries(value)) visit(v, `${key}.${k}`, depth + 1);
    } else out[key] = JSON.stringify(value);
  };
  for (const [key, value] of Object.entries(record)) visit(value, key, 1);
  return out;
}
