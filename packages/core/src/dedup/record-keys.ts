import * as crypto from 'node:crypto';
import type { StandardRecord } from '../datasets/dataset-definition.js';

/**
 * 128 bits of SHA-256 over a JSON serialization, base64url (22 chars): collisions are
 * negligible at any file size, and the worker's dedup index holds one short string per row.
 */
export function hashKey(parts: unknown): string {
  const data = JSON.stringify(parts);
  const digest = oneShot ? oneShot('sha256', data, 'base64url') : crypto.createHash('sha256').update(data).digest('base64url');
  return digest.slice(0, 22);
}

/** crypto.hash (Node >= 20.12) skips the Hash object: noticeably faster on short inputs. */
const oneShot: typeof crypto.hash | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;

/** Equal for records whose standardized fields and extras are all equal (the source row aside). */
export function exactKey(
  dataset: string,
  fields: readonly string[],
  record: StandardRecord,
  extras: Readonly<Record<string, string>> | null,
): string {
  const extraEntries = extras ? Object.entries(extras).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  return hashKey([dataset, fields.map((f) => record[f] ?? null), extraEntries]);
}

/**
 * Hash of the key fields' values, or null when any is empty: such rows are never merged by key.
 * Fields in `optional` (DatasetDefinition.optionalKeyFields) may be empty: an empty one counts
 * as a value, so a lab row without an organism still has a key, and differs from one with it.
 */
export function dedupKey(dataset: string, keys: readonly string[], record: StandardRecord, optional: readonly string[] = []): string | null {
  const values: (string | null)[] = [];
  for (const key of keys) {
    const value = record[key];
    if (value == null || value === '') {
      if (!optional.includes(key)) return null;
      values.push(null);
    } else values.push(value);
  }
  return hashKey([dataset, keys, values]);
}
