import type { CsvDialect, DatasetDetection, DatasetName, Severity } from '../types.js';
import type { FieldProfileReport } from './profile-summary.js';
import type { QualityScore } from './quality-score.js';

/**
 * The report JSON of one job. Row numbers are 1-based data record numbers: the header is not
 * counted, so row N is line N+1 of a file without line breaks inside fields.
 */
export interface Report {
  dataset: DatasetName;
  detection: { method: DatasetDetection['method']; confidence: number };
  /** How the file was read: csv, ndjson, json, fhir...; the delimiter for delimited text. */
  input: { format: string; delimiter: CsvDialect['delimiter'] | null; encoding?: string };
  rows_in: number;
  rows_out: number;
  rows_rejected: number;
  /** Records with no values at all: skipped, not in rows_in. */
  rows_blank: number;
  /** Accepted rows (before dedup) with at least one warning. */
  rows_warned: number;
  duplicates: {
    exact: number;
    by_key: number;
    keys: string[];
    /** The first 100 duplicates, each with the earlier row that was kept. */
    examples: { row: number; duplicate_of: number; kind: 'exact' | 'key' }[];
  };
  /**
   * Rows a newer version of the same record replaced (DatasetDefinition.versioning: MIMIC
   * INPUTEVENTS_MV orders marked Rewritten or Changed): accepted, then left out of every output.
   * rows_in = rows_out + rows_rejected + duplicates + superseded. The first 100 are listed with
   * their version group (a hash, never a value).
   */
  superseded: { count: number; examples: { row: number; group: string }[] };
  /** Occurrences per rule over all rows, most frequent first. */
  rules: { rule: string; severity: Severity; count: number }[];
  /** Unit and code conversions done on accepted rows, most frequent first. */
  conversions: { conversion: string; count: number }[];
  /** Per canonical field: share of accepted rows (before dedup) with a value, 0..1. */
  completeness: Record<string, number>;
  /** Per canonical field, in field order: emptiness, distinct count, range, format and frequent values. */
  profile: Record<string, FieldProfileReport>;
  quality: QualityScore;
  mapping: { source: string; field: string | null; confidence: number; method: string }[];
  unmapped_columns: string[];
}
