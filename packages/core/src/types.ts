/**
 * Contracts between the pure engine and the apps that drive it. The worker's main thread sniffs,
 * maps and cuts the input into chunks of whole records; the thread pool runs processChunk on
 * each; the main thread merges chunk results in order, deduplicates and writes.
 */

export const DATASET_NAMES = [
  'patients',
  'encounters',
  'vital_signs',
  'lab_results',
  'conditions',
  'procedures',
  'medications',
  'pharmacy_inventory',
  'immunizations',
  'allergies',
  'appointments',
  'claims',
  'claim_lines',
  'practitioners',
  'organizations',
  'coverage',
  'quality_measures',
  'devices',
  'locations',
  'care_plans',
  'supplies',
  'imaging_studies',
  'code_dictionary',
] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Which dataset a file holds and how that was decided (for the report). */
export interface DatasetDetection {
  dataset: DatasetName;
  /** 0..1; 1 when the user named the dataset. */
  confidence: number;
  method: 'specified' | 'detected';
}

export const SEVERITIES = ['error', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A record-level problem is data, not an exception. `row` is the 1-based data record number. */
export interface Issue {
  row: number;
  field: string;
  rule: string;
  severity: Severity;
  message: string;
  /** The offending raw cell, only when the job set options.include_values (PHI: off by default). */
  value?: string;
}

/** Result files a job can write besides rejects and the report. */
export const OUTPUT_FORMATS = ['csv', 'ndjson', 'fhir', 'parquet'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const DEFAULT_OUTPUTS: readonly OutputFormat[] = ['csv', 'ndjson', 'fhir'];

/** What the user may pass in the `options` part of an upload (validated by parseOptions). */
export interface HarmonizeOptions {
  /** Canonical fields whose values identify one real-world record; default: the dataset's natural key. */
  dedup_keys?: string[];
  /** Source column -> canonical field, overriding automatic matching. */
  mapping?: Record<string, string>;
  /** Canonical field -> { local code -> standard code }, applied to the raw value before standardization. */
  code_map?: Record<string, Record<string, string>>;
  /** Name of the saved mapping profile the api merged into mapping and code_map (kept for the record). */
  mapping_profile?: string;
  /** ISO 3166 alpha-2 region used to read national phone numbers; default US. */
  default_country?: string;
  /** Put the offending raw value into rejects and OperationOutcomes; default false (values are PHI). */
  include_values?: boolean;
  /** 0..1: fail the job (quality.error_rate_exceeded) when rows_rejected / rows_in is above it. */
  fail_if_error_rate_above?: number;
  /** Output files to write; default csv, ndjson and fhir (see OUTPUT_FORMATS). */
  outputs?: OutputFormat[];
  /**
   * How two-digit years are read: a year B means YY is the year in B..B+99 ending in YY (2100:
   * 64 -> 2164; 1950: 49 -> 2049, 50 -> 1950). A number applies to every date field; an object
   * sets it per canonical field. Without it a two-digit year is the latest such year not after
   * the processing date, flagged date.two_digit_year.
   */
  two_digit_year_base?: number | Record<string, number>;
  /** Write de-identified outputs (HIPAA Safe Harbor style, docs/deidentification.md); default false. */
  deidentify?: boolean;
  /** With deidentify: 'year' keeps only the year of every date (the default), 'shift' moves them per patient. */
  deidentify_dates?: DeidentifyDateMode;
}

/** How dates leave a de-identified job (HarmonizeOptions.deidentify_dates). */
export const DEIDENTIFY_DATE_MODES = ['year', 'shift'] as const;
export type DeidentifyDateMode = (typeof DEIDENTIFY_DATE_MODES)[number];

export interface CsvDialect {
  delimiter: ',' | ';' | '\t' | '|';
  /** Header cells as they appear in the file (trimmed of a BOM). */
  header: string[];
  /** Characters to skip from the start of the decoded text to reach the first data record. */
  dataOffset: number;
  /** Non-blank records above the header (titles, notes) that were skipped; absent when none. */
  titleRows?: number;
  /** Empty cells at the end of the header line, left out of `header`; absent when none. */
  trailingEmptyColumns?: number;
}

export interface ColumnMapping {
  /** Column index in the source file. */
  index: number;
  source: string;
  /** Canonical field, or null when unmapped (the value is kept under `extras`). */
  field: string | null;
  /** 0..1; 1 for exact/synonym/override matches. */
  confidence: number;
  method: 'exact' | 'synonym' | 'fuzzy' | 'override' | 'none';
}

export interface HeaderMapping {
  dataset: DatasetName;
  columns: ColumnMapping[];
}

export interface ChunkTask {
  dataset: DatasetName;
  delimiter: CsvDialect['delimiter'];
  mapping: HeaderMapping;
  /**
   * How `text` holds the records. 'csv' (the default): whole CSV records, no header, as cut by
   * the record splitter. 'records': one JSON object per line (NDJSON), read from JSON, NDJSON
   * or FHIR input; the mapping's column sources are the objects' (flattened) keys.
   */
  format?: 'csv' | 'records';
  /** The records (see `format`). */
  text: string;
  /** Data record number of the first record in `text` (1-based). */
  firstRow: number;
  /**
   * For 'records': the source record number of each line, when the lines are not consecutive
   * records of the file (a FHIR file's records are routed to several datasets). Default:
   * firstRow, firstRow + 1, ...
   */
  rows?: number[];
  options: HarmonizeOptions;
  /**
   * Today as an ISO date (YYYY-MM-DD), passed in because the engine reads no clock. Dates in the
   * future, ages over 125 and two-digit years are judged against it; without it those checks
   * are skipped and a two-digit year cannot be resolved (date.unparseable).
   */
  referenceDate?: string;
  /** Per-column formats inferred from a sample of the whole file (inferColumnFormats); absent: defaults. */
  hints?: ColumnHints;
  /**
   * The job's secret for de-identification, set when options.deidentify is: drawn at random by
   * the worker per job, never stored or logged. Keys pseudonyms and per-patient date shifts.
   */
  deidentifySalt?: string;
}

/** What inferColumnFormats learned about one source column from the sampled values. */
export interface ColumnHint {
  /** Date columns: the order of numeric day/month forms, decided by values like 25/04/1980. */
  dayOrder?: 'mdy' | 'dmy';
  /** Code columns: the code system the values fit (ICD-9-CM when any value starts with a digit). */
  codeSystem?: string;
  /** For the report: the formats seen, most frequent first ("M/D/YY H:MM", "YYYY-MM-DD HH:MM:SS"). */
  format?: string;
  /** True when the sample could not decide the day order (every value fits both). */
  ambiguous?: boolean;
}

/** Source column index -> what was inferred about it; JSON-safe, so it crosses to worker threads. */
export type ColumnHints = Record<number, ColumnHint>;

/**
 * One record among versions of the same logical record (DatasetDefinition.versioning), e.g. a
 * MIMIC INPUTEVENTS_MV order row marked Rewritten or Changed. The dedup step keeps the rows that
 * are not superseded and drops (and reports) those that are; see the datasets documentation.
 */
export interface RecordVersion {
  /** Hash of the dataset and the version-group fields: equal groups are versions of one record. */
  group: string;
  /** The row says a newer version replaced it (its status is one of the superseded statuses). */
  superseded: boolean;
  /** The row's order-by values joined: a newer version sorts after an older one. */
  order: string;
}

/** One accepted record, already serialized so the main thread only concatenates. */
export interface AcceptedRecord {
  row: number;
  /** One CSV line, no trailing newline, columns as in csvHeader(dataset). */
  csv: string;
  /** One JSON object, no trailing newline. */
  json: string;
  /** Hash of the standardized record: equal hashes are exact duplicates. */
  exactKey: string;
  /** Hash of the dedup key fields, or null when any key field is empty (never deduplicated by key). */
  dedupKey: string | null;
  /** Present for datasets with versioned records (medications): see RecordVersion. */
  version?: RecordVersion;
}

/** Mergeable counters for the report; all plain data so they cross thread boundaries cheaply. */
export interface ChunkStats {
  rowsIn: number;
  rowsRejected: number;
  /** Records whose cells are all empty: skipped, not counted in rowsIn, but they keep their row number. */
  rowsBlank?: number;
  /** rule -> { severity, count } */
  rules: Record<string, { severity: Severity; count: number }>;
  /** canonical field -> rows with a non-empty standardized value (accepted rows only) */
  filled: Record<string, number>;
  /** Accepted rows with at least one warning. */
  rowsWarned?: number;
  /** Unit or code conversion done (e.g. `temperature:[degF]->Cel`) -> values converted, accepted rows only. */
  conversions?: Record<string, number>;
  /** canonical field -> the format its column was read with (ColumnHint.format), when inferred. */
  formats?: Record<string, string>;
  /** canonical field -> profile of its standardized values over accepted rows (report/field-profile.ts). */
  profile?: Record<string, FieldProfile>;
}

/**
 * Mergeable, bounded summary of one field's values: a few KB whatever the row count, so it
 * crosses thread boundaries cheaply and the main thread only merges.
 */
export interface FieldProfile {
  /** Non-empty values seen. */
  count: number;
  /** HyperLogLog registers over the values (distinct-count estimate). */
  hll: Uint8Array;
  /** Hashes of the distinct values while there are at most a few hundred (exact count); then undefined. */
  small?: Set<number>;
  /** Numbers for numeric fields, ISO strings for dates; null for other fields or when none. */
  min: number | string | null;
  max: number | string | null;
  /** Value shape (digits as 9, letter runs as A) -> count; undefined once there are more than 64 shapes (free text). */
  patterns?: Map<string, number>;
  /**
   * Exact count per value while there are at most 512 distinct values, then undefined; never kept
   * for identifying (PHI) fields, whose values are not collected, nor for dates and measurements.
   */
  top?: Map<string, number>;
}

export interface ChunkResult {
  accepted: AcceptedRecord[];
  /** One NDJSON line per rejected row (no trailing newline). */
  rejects: string[];
  stats: ChunkStats;
}
