import { randomUUID } from 'node:crypto';
import type { CompletedJob, NewJob } from './types.js';

/** What every timestamp of the contract looks like. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A valid upload with a fresh id; large sizes on purpose, beyond 32 bits. */
export const newJob = (over: Partial<NewJob> = {}): NewJob => ({
  id: randomUUID(),
  tenantId: 'local',
  dataset: 'patients',
  fileName: 'patients.csv',
  contentType: 'text/csv',
  sizeBytes: 5_000_000_000,
  sha256: 'a'.repeat(64),
  storageKey: `uploads/${randomUUID()}`,
  options: { dedup_keys: ['mrn', 'birth_date'], nested: { strict: true, ratio: 0.5 } },
  idempotencyKey: null,
  ...over,
});

/** A worker's report for a finished run, with one result per type. */
export const completedJob: CompletedJob = {
  detectedDataset: 'patients',
  counts: { rows_in: 10, rows_out: 7, rows_rejected: 2, duplicates: 1, warnings: 3 },
  results: [
    { dataset: 'patients', type: 'harmonized', format: 'csv', storageKey: 'out/h.csv', count: 7, sizeBytes: 700 },
    { dataset: 'patients', type: 'harmonized', format: 'ndjson', storageKey: 'out/h.ndjson', count: 7, sizeBytes: 900 },
    { dataset: null, type: 'rejects', format: 'ndjson', storageKey: 'out/r.ndjson', count: 2, sizeBytes: 200 },
    { dataset: null, type: 'report', format: 'json', storageKey: 'out/report.json', count: 1, sizeBytes: 4_294_967_296 },
  ],
  metrics: {
    durationMs: 1234,
    bytesIn: 6_000_000_000,
    recordsIn: 10,
    recordsOut: 7,
    recordsRejected: 2,
    duplicates: 1,
    errors: 2,
    warnings: 3,
  },
};
