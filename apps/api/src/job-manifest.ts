import type { Job, JobResult } from '@harmonizer/db';
import { expiresAt, jobLinks } from './job-view.js';

/** Formats GET /jobs/{id}/result serves: the harmonized records of one dataset. */
export const RESULT_FORMATS = ['csv', 'ndjson', 'parquet'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

/** The format the worker records for FHIR R4 NDJSON files (one per resource type, FHIR Bulk Data style). */
export const FHIR_FORMAT = 'fhir+ndjson';

const isResultFormat = (format: string): format is ResultFormat => (RESULT_FORMATS as readonly string[]).includes(format);

/** The resource type of a FHIR file, from its key (`results/<id>/fhir/<Type>.ndjson`); null for other files. */
export function fhirResourceType(result: JobResult): string | null {
  if (result.format !== FHIR_FORMAT) return null;
  return /\/fhir\/([A-Za-z]+)\.ndjson$/.exec(result.storageKey)?.[1] ?? null;
}

/** A harmonized file's dataset; rows written before files had one belong to the job's dataset. */
export const datasetOf = (job: Job, result: JobResult): string | null => result.dataset ?? job.detectedDataset;

/**
 * The datasets a completed job wrote harmonized records for, listed as its report lists them:
 * detected_dataset (the dataset of the file's first record) first, then the others by name. A
 * FHIR file counts for the one dataset it holds (an Observation file fed by two holds none).
 */
export function jobDatasets(job: Job, results: readonly JobResult[]): string[] {
  const names = new Set<string>();
  for (const result of results) {
    if (result.type !== 'harmonized') continue;
    const dataset = result.format === FHIR_FORMAT ? result.dataset : datasetOf(job, result);
    if (dataset) names.add(dataset);
  }
  const rest = [...names].filter((name) => name !== job.detectedDataset).sort();
  return job.detectedDataset && names.has(job.detectedDataset) ? [job.detectedDataset, ...rest] : rest;
}

/** Harmonized files in the order of jobDatasets, each dataset's formats in the order stored. */
function sortByDataset(job: Job, results: readonly JobResult[]): JobResult[] {
  const order = jobDatasets(job, results);
  const rank = (result: JobResult) => order.indexOf(datasetOf(job, result) ?? '');
  return [...results].sort((a, b) => rank(a) - rank(b));
}

/** FHIR files of one type ('harmonized' resources or 'rejects' OperationOutcomes), by resource type. */
function fhirEntries(job: Job, results: readonly JobResult[], type: 'harmonized' | 'rejects') {
  const self = jobLinks(job.id).self;
  return results
    .flatMap((result) => {
      const resourceType = result.type === type ? fhirResourceType(result) : null;
      return resourceType ? [{ type: resourceType, format: FHIR_FORMAT, url: `${self}/fhir/${resourceType}`, count: result.count }] : [];
    })
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

/**
 * The completed-job manifest, shaped like the FHIR Bulk Data status manifest: `output` lists the
 * harmonized files (one per dataset and format: csv, ndjson, parquet) and then the FHIR NDJSON
 * files (one per resource type, `type` being the resource type), `error` the rejects (NDJSON and,
 * with FHIR output, OperationOutcome), each with a URL (a path on this server) and a count;
 * `datasets` names the datasets the file held; `expires_at` says when retention removes the files
 * (null: kept until DELETE), `resultsMs` being the result retention period.
 */
export function toManifest(job: Job, results: JobResult[], resultsMs: number | null) {
  const links = jobLinks(job.id);
  return {
    id: job.id,
    status: job.status,
    completed_at: job.finishedAt,
    expires_at: expiresAt(job, resultsMs),
    counts: job.counts,
    datasets: jobDatasets(job, results),
    output: [
      ...sortByDataset(job, results).flatMap((result) => {
        const dataset = datasetOf(job, result);
        if (result.type !== 'harmonized' || !isResultFormat(result.format) || !dataset) return [];
        const query = new URLSearchParams({ format: result.format, dataset });
        return [{ type: 'harmonized' as const, dataset, format: result.format, url: `${links.result}?${query}`, count: result.count }];
      }),
      ...fhirEntries(job, results, 'harmonized'),
    ],
    error: [
      ...results
        .filter((result) => result.type === 'rejects' && result.format === 'ndjson')
        .map((result) => ({ type: 'rejects' as const, url: links.rejects, count: result.count })),
      ...fhirEntries(job, results, 'rejects'),
    ],
    report: links.report,
  };
}
