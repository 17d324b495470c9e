import { Readable } from 'node:stream';
import type { CompletedJob } from '@harmonizer/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeJob } from './testing/complete-job.js';
import { submitCsv } from './testing/inject-upload.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });

/** Bytes that stand for a Parquet file: the downloads stream what is stored, whatever it holds. */
const PARQUET = Buffer.from([0x50, 0x41, 0x52, 0x31, 0x00, 0xff, 0x10, 0x0a, 0x50, 0x41, 0x52, 0x31]);
const PATIENT = '{"resourceType":"Patient","id":"1","meta":{"source":"urn:harmonizer:job:x#row=1"}}\n';
const OBSERVATIONS = '{"resourceType":"Observation","id":"a"}\n{"resourceType":"Observation","id":"b"}\n{"resourceType":"Observation","id":"c"}\n';
const OUTCOME = '{"resourceType":"OperationOutcome","id":"r3","issue":[]}\n';

/**
 * A job completed the way a worker with outputs [csv, ndjson, fhir, parquet] leaves it: the
 * patients files, Parquet, and FHIR files (Observation fed by two datasets, so of none).
 */
async function completeWithAllOutputs(): Promise<string> {
  const id = await submitCsv(t.app);
  const files = [
    { dataset: 'patients', type: 'harmonized', format: 'csv', name: 'patients.harmonized.csv', content: 'patient_id\n1\n', count: 1 },
    { dataset: 'patients', type: 'harmonized', format: 'parquet', name: 'patients.parquet', content: PARQUET, count: 1 },
    { dataset: 'patients', type: 'rejects', format: 'fhir+ndjson', name: 'fhir/OperationOutcome.ndjson', content: OUTCOME, count: 1 },
    { dataset: null, type: 'harmonized', format: 'fhir+ndjson', name: 'fhir/Observation.ndjson', content: OBSERVATIONS, count: 3 },
    { dataset: 'patients', type: 'harmonized', format: 'fhir+ndjson', name: 'fhir/Patient.ndjson', content: PATIENT, count: 1 },
    { dataset: null, type: 'rejects', format: 'ndjson', name: 'rejects.ndjson', content: '{"dataset":"patients","row":3,"issues":[]}\n', count: 1 },
    { dataset: null, type: 'report', format: 'json', name: 'report.json', content: '{}\n', count: 1 },
  ] as const;
  const results: CompletedJob['results'] = [];
  for (const file of files) {
    const storageKey = `results/${id}/${file.name}`;
    const { size } = await t.storage.put(storageKey, Readable.from([Buffer.from(file.content)]));
    results.push({ dataset: file.dataset, type: file.type, format: file.format, storageKey, count: file.count, sizeBytes: size });
  }
  await t.db.jobs.markRunning(id);
  await t.db.jobs.markCompleted(id, {
    detectedDataset: 'patients',
    counts: { rows_in: 3, rows_out: 1, rows_rejected: 1, duplicates: 0, warnings: 0, superseded: 1 },
    results,
    metrics: { durationMs: 5, bytesIn: 80, recordsIn: 3, recordsOut: 1, recordsRejected: 1, duplicates: 0, errors: 1, warnings: 0 },
  });
  return id;
}

describe('the manifest of a job with every output', () => {
  it('lists harmonized files per dataset and format, FHIR files per resource type, and rejects in both forms', async () => {
    const id = await completeWithAllOutputs();
    const res = await get(`/api/v1/jobs/${id}/status`);
    expect(res.statusCode).toBe(200);
    expect(t.specProblems('get', '/api/v1/jobs/{id}/status', res)).toEqual([]);
    const base = `/api/v1/jobs/${id}`;
    expect(res.json()).toMatchObject({
      counts: { rows_in: 3, rows_out: 1, rows_rejected: 1, duplicates: 0, superseded: 1 },
      datasets: ['patients'],
      output: [
        { type: 'harmonized', dataset: 'patients', format: 'csv', url: `${base}/result?format=csv&dataset=patients`, count: 1 },
        { type: 'harmonized', dataset: 'patients', format: 'parquet', url: `${base}/result?format=parquet&dataset=patients`, count: 1 },
        { type: 'Observation', format: 'fhir+ndjson', url: `${base}/fhir/Observation`, count: 3 },
        { type: 'Patient', format: 'fhir+ndjson', url: `${base}/fhir/Patient`, count: 1 },
      ],
      error: [
        { type: 'rejects', url: `${base}/rejects`, count: 1 },
        { type: 'OperationOutcome', format: 'fhir+ndjson', url: `${base}/fhir/OperationOutcome`, count: 1 },
      ],
    });
  });
});

describe('Parquet and FHIR downloads', () => {
  it('serves the Parquet file of a dataset as application/vnd.apache.parquet, byte for byte', async () => {
    const id = await completeWithAllOutputs();
    const res = await get(`/api/v1/jobs/${id}/result?format=parquet`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apache.parquet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${id}.harmonized.parquet"`);
    expect(res.rawPayload.equals(PARQUET)).toBe(true);
  });

  it('serves each FHIR resource type, OperationOutcome included, as application/fhir+ndjson', async () => {
    const id = await completeWithAllOutputs();
    for (const [type, body] of [['Patient', PATIENT], ['Observation', OBSERVATIONS], ['OperationOutcome', OUTCOME]] as const) {
      const res = await get(`/api/v1/jobs/${id}/fhir/${type}`);
      expect(res.statusCode, type).toBe(200);
      expect(res.headers['content-type']).toBe('application/fhir+ndjson');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${id}.${type}.ndjson"`);
      expect(res.body).toBe(body);
    }
  });

  it('answers 404 result_not_found naming the types written, and 400 for a name that is no resource type', async () => {
    const id = await completeWithAllOutputs();
    const missing = await get(`/api/v1/jobs/${id}/fhir/Condition`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'result_not_found', message: expect.stringContaining('it has: Observation, OperationOutcome, Patient') } });
    expect(t.specProblems('get', '/api/v1/jobs/{id}/fhir/{resourceType}', missing)).toEqual([]);
    const bad = await get(`/api/v1/jobs/${id}/fhir/..%2Freport.json`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });

  it('answers 404 for a format or FHIR output the job was not asked to write', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id);
    const parquet = await get(`/api/v1/jobs/${id}/result?format=parquet`);
    expect(parquet.statusCode).toBe(404);
    expect(parquet.json().error).toEqual({ code: 'result_not_found', message: expect.stringContaining('options.outputs') });
    const fhir = await get(`/api/v1/jobs/${id}/fhir/Patient`);
    expect(fhir.statusCode).toBe(404);
    expect(fhir.json().error).toEqual({ code: 'result_not_found', message: expect.stringContaining('options.outputs') });
  });

  it('answers 409 while the job is not completed, 404 for an unknown job and 410 once its files are deleted', async () => {
    const queued = await submitCsv(t.app);
    const notYet = await get(`/api/v1/jobs/${queued}/fhir/Patient`);
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json().error.code).toBe('job_not_completed');
    expect((await get('/api/v1/jobs/00000000-0000-4000-8000-000000000000/fhir/Patient')).json().error.code).toBe('job_not_found');

    const id = await completeWithAllOutputs();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}` })).statusCode).toBe(202);
    for (const url of [`/api/v1/jobs/${id}/fhir/Patient`, `/api/v1/jobs/${id}/result?format=parquet`]) {
      const gone = await get(url);
      expect(gone.statusCode, url).toBe(410);
      expect(gone.json().error.code).toBe('files_deleted');
    }
  });
});
