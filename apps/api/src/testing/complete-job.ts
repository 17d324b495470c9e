import { Readable } from 'node:stream';
import type { Job } from '@harmonizer/db';
import type { TestApp } from './test-app.js';

export const RESULT_FILES = {
  csv: 'id,first_name\n1,Ann\n2,Bo\n',
  ndjson: '{"id":"1","first_name":"Ann"}\n{"id":"2","first_name":"Bo"}\n',
  rejects: '{"row":3,"issues":[{"field":"birth_date","rule":"date.unparseable"}]}\n',
  report: '{"rows_in":3,"rows_out":2}\n',
} as const;

/** The harmonized CSV of a dataset other than patients (one record: its name). */
export const otherDatasetCsv = (dataset: string) => `${dataset}_id\n${dataset}-1\n`;

/**
 * Moves a queued job to completed the way a worker does: files stored first, then the row.
 * `datasets` are the datasets it wrote harmonized files for (patients gets RESULT_FILES).
 */
export async function completeJob(t: TestApp, id: string, datasets: readonly string[] = ['patients']): Promise<Job> {
  if (!(await t.db.jobs.markRunning(id))) throw new Error(`job ${id} could not start`);
  const harmonized = datasets.flatMap((dataset) => {
    const csv = dataset === 'patients' ? RESULT_FILES.csv : otherDatasetCsv(dataset);
    const ndjson = dataset === 'patients' ? RESULT_FILES.ndjson : `{"${dataset}_id":"${dataset}-1"}\n`;
    const count = dataset === 'patients' ? 2 : 1;
    return [
      { dataset, type: 'harmonized', format: 'csv', key: `results/${id}/${dataset}.harmonized.csv`, content: csv, count },
      { dataset, type: 'harmonized', format: 'ndjson', key: `results/${id}/${dataset}.harmonized.ndjson`, content: ndjson, count },
    ] as const;
  });
  const files = [
    ...harmonized,
    { dataset: null, type: 'rejects', format: 'ndjson', key: `results/${id}/rejects.ndjson`, content: RESULT_FILES.rejects, count: 1 },
    { dataset: null, type: 'report', format: 'json', key: `results/${id}/report.json`, content: RESULT_FILES.report, count: 1 },
  ] as const;
  for (const file of files) await t.storage.put(file.key, Readable.from([file.content]));
  const job = await t.db.jobs.markCompleted(id, {
    detectedDataset: datasets[0] ?? null,
    counts: { rows_in: 3, rows_out: 2, rows_rejected: 1, duplicates: 0, warnings: 0 },
    results: files.map((f) => ({ dataset: f.dataset, type: f.type, format: f.format, storageKey: f.key, count: f.count, sizeBytes: Buffer.byteLength(f.content) })),
    metrics: { durationMs: 12, bytesIn: 80, recordsIn: 3, recordsOut: 2, recordsRejected: 1, duplicates: 0, errors: 1, warnings: 0 },
  });
  if (!job) throw new Error(`job ${id} could not complete`);
  return job;
}
