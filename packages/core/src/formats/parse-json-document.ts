import { InputError } from '../input-error.js';

export type JsonObject = Record<string, unknown>;

/** What a whole-document JSON upload held, with the records to harmonize in document order. */
export interface JsonDocument {
  /**
   * array: an array of records (plain, or FHIR resources); bundle: a FHIR Bundle (its entries'
   * resources); resource: one FHIR resource; wrapped: an object whose only array holds the
   * records (`{"data": [...]}`).
   */
  kind: 'array' | 'bundle' | 'resource' | 'wrapped';
  /** The records; an item that is not a JSON object is kept so the caller can reject its row. */
  items: unknown[];
  /** For a bundle, each entry's fullUrl (or null), parallel to `items`. */
  fullUrls?: (string | null)[];
}

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses a JSON document read whole into memory and finds its records. A value that holds no
 * records (a number, a string, an object of scalars) is input.json_not_records; text that is
 * not JSON is input.invalid_json, with the position of the problem, never the text around it.
 */
export function parseJsonDocument(text: string): JsonDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const where = /position \d+(?: \(line \d+ column \d+\))?/.exec(err instanceof Error ? err.message : '')?.[0];
    throw new InputError(
      'input.invalid_json',
      `The file starts like JSON but is not valid JSON${where ? ` (at ${where})` : ''}: check it is complete, ` +
        'or upload one JSON object per line (NDJSON).',
    );
  }
  if (Array.isArray(value)) return { kind: 'array', items: value };
  if (!isJsonObject(value)) throw notRecords('a single JSON value');
  if (value.resourceType === 'Bundle') {
    const entries = Array.isArray(value.entry) ? value.entry : [];
    return {
      kind: 'bundle',
      items: entries.map((entry: unknown) => (isJsonObject(entry) ? (entry.resource ?? null) : null)),
      fullUrls: entries.map((entry: unknown) =>
        isJsonObject(entry) && typeof entry.fullUrl === 'string' ? entry.fullUrl : null,
      ),
    };
  }
  if (typeof value.resourceType === 'string') return { kind: 'resource', items: [value] };
  const arrays = Object.values(value).filter((v): v is unknown[] => Array.isArray(v) && v.some(isJsonObject));
  if (arrays.length === 1 && arrays[0]) return { kind: 'wrapped', items: arrays[0] };
  throw notRecords(arrays.length > 1 ? 'an object with several arrays' : 'an object without an array of records');
}

function notRecords(what: string): InputError {
  return new InputError(
    'input.json_not_records',
    `The JSON document is ${what}, not records: upload an array of objects, a FHIR Bundle, or NDJSON ` +
      '(one object per line).',
  );
}
