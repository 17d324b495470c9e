import { overallQuality, type DecodeStats, type QualityScore, type Report, type Severity } from '@harmonizer/core';
import type { InputSummary } from './feed-context.js';
import type { ResultMerger } from './result-merger.js';

/** A finding about the file as a whole (not a row), listed with the row rules. */
export interface FileIssue {
  rule: string;
  severity: Severity;
  count: number;
  message: string;
}

/** How the file was read: format, compression, encoding and what was skipped. */
export interface ReportInput {
  format: string;
  compression: 'gzip' | 'none';
  encoding: DecodeStats['encoding'];
  delimiter: Report['input']['delimiter'];
  /** Bytes that were not valid UTF-8 and were read as Windows-1252. */
  windows_1252_bytes?: number;
  title_rows?: number;
  trailing_empty_columns?: number;
  records?: number;
  blank_lines?: number;
  /** FHIR resources that gave records (records = these + skipped + unreadable ones). */
  harmonized_resources?: number;
  skipped_resources?: Record<string, number>;
  issues: FileIssue[];
}

export interface JobTotals {
  rows_in: number;
  rows_out: number;
  rows_rejected: number;
  rows_blank: number;
  duplicates: number;
  /** Rows a newer version of their record replaced (medications), written nowhere: see by_dataset.*.superseded. */
  superseded: number;
  /** FHIR resources no dataset took (see input.skipped_resources). */
  rows_skipped: number;
}

/**
 * The job's quality: one dataset's whole score, or for several the datasets' scores weighted by
 * their rows_in (each section in by_dataset has its own). `score` is null when no row was read.
 */
export type JobQuality = QualityScore | { score: number | null; formula: string };

export const JOB_QUALITY_FORMULA = 'mean of by_dataset[*].quality.score weighted by rows_in';

/**
 * The job's report: how the input was read, totals over all datasets, every rule (file issues
 * included) and one section per dataset under `by_dataset` (core's per-dataset report). A job
 * with one dataset (every CSV job) also has that section's fields at the top level, so a
 * single-dataset report reads as it always did.
 */
export type JobReport = Omit<Partial<Report>, 'dataset' | 'input' | 'rules' | 'quality'> & {
  dataset: string | null;
  datasets: string[];
  input: ReportInput;
  totals: JobTotals;
  quality: JobQuality;
  outputs?: ReportOutputs;
  rules: Report['rules'];
  by_dataset: Record<string, Report>;
};

/** The result files written (options.outputs) and what the FHIR output could not hold. */
export interface ReportOutputs {
  formats: readonly string[];
  /** Harmonized records that gave no FHIR resource (their dataset has no FHIR mapping, or a required element is missing); only with fhir. */
  fhir_records_without_resource?: number;
}

export interface JobReportParts {
  summary: InputSummary;
  outputs?: ReportOutputs;
  compression: 'gzip' | null;
  decoding: DecodeStats;
  merger: Pick<ResultMerger, 'datasets' | 'unrouted'>;
}

/** File-level findings: today, a file whose bytes are partly UTF-8 and partly Windows-1252. */
export function fileIssues(decoding: DecodeStats): FileIssue[] {
  if (decoding.encoding !== 'utf-8+windows-1252') return [];
  return [
    {
      rule: 'input.mixed_encoding',
      severity: 'warning',
      count: 1,
      message: `The file mixes UTF-8 and Windows-1252: ${decoding.fallbackBytes} bytes that are not UTF-8 were read as Windows-1252. Check accented text.`,
    },
  ];
}

export function buildJobReport(parts: JobReportParts): JobReport {
  const { summary, decoding, merger } = parts;
  const issues = fileIssues(decoding);
  const sections: Record<string, Report> = {};
  for (const name of datasetOrder([...merger.datasets.keys()])) {
    const state = merger.datasets.get(name);
    if (state) sections[name] = state.report.build({ rowsOut: state.rowsOut });
  }
  const names = Object.keys(sections);
  const all = Object.values(sections);
  const skipped = Object.values(summary.skippedResources ?? {}).reduce((sum, n) => sum + n, 0);
  const unrouted = merger.unrouted;
  const totals: JobTotals = {
    rows_in: all.reduce((sum, r) => sum + r.rows_in, unrouted.rowsIn),
    rows_out: all.reduce((sum, r) => sum + r.rows_out, 0),
    rows_rejected: all.reduce((sum, r) => sum + r.rows_rejected, unrouted.rowsRejected),
    rows_blank: all.reduce((sum, r) => sum + r.rows_blank, 0),
    duplicates: all.reduce((sum, r) => sum + r.duplicates.exact + r.duplicates.by_key, 0),
    superseded: all.reduce((sum, r) => sum + r.superseded.count, 0),
    rows_skipped: skipped,
  };
  const input: ReportInput = {
    format: summary.format,
    compression: parts.compression ?? 'none',
    encoding: decoding.encoding,
    delimiter: summary.dialect?.delimiter ?? null,
    ...(decoding.fallbackBytes > 0 ? { windows_1252_bytes: decoding.fallbackBytes } : {}),
    ...(summary.dialect?.titleRows ? { title_rows: summary.dialect.titleRows } : {}),
    ...(summary.dialect?.trailingEmptyColumns ? { trailing_empty_columns: summary.dialect.trailingEmptyColumns } : {}),
    ...(summary.records !== undefined ? { records: summary.records } : {}),
    ...(summary.blankLines ? { blank_lines: summary.blankLines } : {}),
    ...(summary.harmonizedResources !== undefined ? { harmonized_resources: summary.harmonizedResources } : {}),
    ...(summary.skippedResources ? { skipped_resources: summary.skippedResources } : {}),
    issues,
  };
  const single = all.length === 1 ? all[0] : undefined;
  return {
    ...single,
    dataset: names[0] ?? null,
    datasets: names,
    input,
    rows_in: totals.rows_in,
    rows_out: totals.rows_out,
    rows_rejected: totals.rows_rejected,
    rows_blank: totals.rows_blank,
    totals,
    quality: single ? single.quality : { score: overallQuality(all), formula: JOB_QUALITY_FORMULA },
    ...(parts.outputs ? { outputs: parts.outputs } : {}),
    rules: mergeRules([...all.flatMap((r) => r.rules), ...ruleList(unrouted.rules), ...issues]),
    by_dataset: sections,
  };
}

/**
 * The order datasets are listed in everywhere (report, manifest, job record): the dataset of the
 * file's first record (the job's detected_dataset) first, then the others by name.
 */
export function datasetOrder(inOrderOfAppearance: readonly string[]): string[] {
  const [first, ...rest] = inOrderOfAppearance;
  return first === undefined ? [] : [first, ...rest.sort()];
}

const ruleList = (rules: Record<string, { severity: Severity; count: number }>) =>
  Object.entries(rules).map(([rule, { severity, count }]) => ({ rule, severity, count }));

/** Sums the same rule across datasets; most frequent first, then by name. */
function mergeRules(rules: { rule: string; severity: Severity; count: number }[]): Report['rules'] {
  const merged = new Map<string, { rule: string; severity: Severity; count: number }>();
  for (const { rule, severity, count } of rules) {
    const entry = merged.get(rule) ?? { rule, severity, count: 0 };
    entry.count += count;
    merged.set(rule, entry);
  }
  return [...merged.values()].sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}
