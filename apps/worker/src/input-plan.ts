import {
  InputError,
  OptionsError,
  createRecordSplitter,
  csvHeader,
  getDataset,
  inferColumnFormats,
  matchHeaders,
  parseJsonRecords,
  parseOptions,
  parseRecords,
  resolveDataset,
  sniffCsv,
  validateOptionsForDataset,
  type ColumnHints,
  type CsvDialect,
  type DatasetDetection,
  type DatasetName,
  type HarmonizeOptions,
  type HeaderMapping,
} from '@harmonizer/core';
import type { Job } from '@harmonizer/db';

/** How one dataset of the job is harmonized: decided before any of its records is processed. */
export interface DatasetPlan {
  dataset: DatasetName;
  detection: DatasetDetection;
  mapping: HeaderMapping;
  options: HarmonizeOptions;
  dedupKeys: string[];
  csvHeader: string;
  /** The delimiter, for a dataset read from delimited text. */
  delimiter?: CsvDialect['delimiter'];
  /** Column formats inferred from the first records (day order of dates, ICD revision), same for every chunk. */
  hints?: ColumnHints;
}

/** A delimited file: one dataset, read from the header. */
export interface CsvPlan {
  dialect: CsvDialect;
  plan: DatasetPlan;
}

/** The job's own fields a plan reads; fileName (the upload's name) tells same-column datasets apart. */
type JobInput = Pick<Job, 'dataset' | 'options'> & Partial<Pick<Job, 'fileName'>>;

/**
 * Reads the dialect, the dataset (requested, or detected from the header) and the header
 * mapping from the head of the decoded, BOM-stripped text. Throws core's InputError for a file
 * that cannot be harmonized as given.
 */
export function planCsvInput(job: JobInput, head: string, final: boolean): CsvPlan {
  const dialect = sniffCsv(head, final);
  const plan = planFromHeader(job, dialect.header);
  // The whole records of the head are the sample the column formats are inferred from.
  const data = head.slice(dialect.dataOffset);
  const whole = final ? data : createRecordSplitter(dialect.delimiter).push(data);
  const rows = parseRecords(whole, dialect.delimiter).filter((cells): cells is string[] => cells !== null);
  return { dialect, plan: { ...plan, delimiter: dialect.delimiter, hints: inferColumnFormats(plan.mapping, rows) } };
}

/** A plan from the keys of sample JSON records, with column formats inferred from their values. */
export function planFromRecords(job: JobInput, keys: string[], sampleLines: readonly string[]): DatasetPlan {
  const plan = planFromHeader(job, keys);
  const rows = parseJsonRecords(sampleLines.join('\n'), plan.mapping).cells.filter((cells): cells is string[] => cells !== null);
  return { ...plan, hints: inferColumnFormats(plan.mapping, rows) };
}

/**
 * A dataset plan from column names: a CSV header, or the keys of JSON records (the union over
 * a sample of them). The dataset is the requested one or detected from the names, the upload's
 * file name breaking ties (Synthea's conditions.csv and procedures.csv share their columns).
 */
export function planFromHeader(job: JobInput, header: string[]): DatasetPlan {
  const detection = resolveDataset(header, job.dataset, { fileName: job.fileName });
  const options = readJobOptions(job);
  validateOptionsForDataset(options, detection.dataset);
  return plan(detection, matchHeaders(header, detection.dataset, options.mapping), options);
}

/**
 * The plan of a dataset fed by FHIR resources: the extractors already produce canonical field
 * names, so the mapping is the identity. options.mapping names source columns a FHIR file does
 * not have and is not applied; dedup_keys apply to the datasets that have those fields.
 */
export function planFhirDataset(job: JobInput, dataset: DatasetName): DatasetPlan {
  const { mapping: _unused, ...options } = readJobOptions(job);
  const names = getDataset(dataset).fields.map((f) => f.name);
  const keys = options.dedup_keys;
  const usable = keys && keys.every((key) => names.includes(key)) ? options : { ...options, dedup_keys: undefined };
  if (usable.dedup_keys === undefined) delete usable.dedup_keys;
  const detection: DatasetDetection = job.dataset
    ? { dataset, confidence: 1, method: 'specified' }
    : { dataset, confidence: 1, method: 'detected' };
  return plan(detection, matchHeaders(names, dataset), usable);
}

function plan(detection: DatasetDetection, mapping: HeaderMapping, options: HarmonizeOptions): DatasetPlan {
  const dataset = detection.dataset;
  return {
    dataset,
    detection,
    mapping,
    options,
    dedupKeys: options.dedup_keys ?? [...getDataset(dataset).naturalKey],
    csvHeader: csvHeader(dataset),
  };
}

/** The api validated the options on upload; reading them again keeps the worker safe from an older row. */
export function readJobOptions(job: JobInput): HarmonizeOptions {
  try {
    return parseOptions(job.options);
  } catch (err) {
    if (err instanceof OptionsError) throw new InputError('input.invalid_options', err.message);
    throw err;
  }
}
