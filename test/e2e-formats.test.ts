import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import type { ErrorBody, Manifest, SubmittedJob } from './helpers/job-types.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { startStack, type Stack } from './helpers/start-stack.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const BUNDLE = readFileSync(path.join(FIXTURES, 'smart-generated-fhir-r4/Clemente_Kreiger_1484a42d-0eaf-4654-9cbf-6b050a5cd73b.json'));
const PATIENTS_CSV = readFileSync(path.join(FIXTURES, 'ohdsi-dbt-synthea/patients.csv'));

type JsonRecord = Record<string, unknown>;
const ndjson = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as JsonRecord);

describe('FHIR and gzip uploads through the api and the worker', () => {
  let stack: Stack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => stack?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  async function upload(bytes: Buffer, fileName: string, type: string): Promise<string> {
    const res = await api.submit<SubmittedJob>(new Blob([bytes], { type }), fileName);
    expect(res.status).toBe(202);
    return res.body.id;
  }

  describe('a FHIR R4 transaction Bundle', () => {
    let id: string;
    let manifest: Manifest;
    const bundle = JSON.parse(BUNDLE.toString()) as { entry: { resource: JsonRecord }[] };
    const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;

    it('completes with one set of harmonized files per dataset the Bundle holds', async () => {
      id = await upload(BUNDLE, 'Clemente_Kreiger.json', 'application/fhir+json');
      manifest = (await api.waitForStatus<Manifest>(id)).body;

      expect(manifest.status).toBe('completed');
      expect(manifest.datasets).toEqual(expect.arrayContaining(['patients', 'encounters']));
      for (const dataset of manifest.datasets) {
        const formats = manifest.output.filter((o) => o.dataset === dataset).map((o) => o.format).sort();
        expect(formats, dataset).toEqual(['csv', 'ndjson']);
      }
      expect(manifest.output.find((o) => o.dataset === 'encounters' && o.format === 'csv')).toMatchObject({
        count: 3,
        url: `/api/v1/jobs/${id}/result?format=csv&dataset=encounters`,
      });
      const record = await api.request<{ detected_dataset: string; datasets: string[] }>('GET', `/api/v1/jobs/${id}`);
      expect(record.body.datasets).toEqual(manifest.datasets);
      expect(record.body.detected_dataset).toBe(manifest.datasets[0]);
    });

    it('serves every listed file, with references resolved to the ids of the resources inside the Bundle', async () => {
      for (const output of manifest.output) {
        const res = await api.request<undefined>('GET', output.url);
        expect(res.status, output.url).toBe(200);
        const rows = output.format === 'csv' ? (parse(res.text, { columns: true }) as unknown[]) : ndjson(res.text);
        expect(rows, output.url).toHaveLength(output.count);
      }
      const encounters = await api.request<undefined>('GET', `/api/v1/jobs/${id}/result?format=ndjson&dataset=encounters`);
      expect(ndjson(encounters.text).map((e) => e.patient_id)).toEqual([patient.id, patient.id, patient.id]);
      const patients = await api.request<undefined>('GET', `/api/v1/jobs/${id}/result?format=ndjson&dataset=patients`);
      expect(ndjson(patients.text)).toEqual([expect.objectContaining({ patient_id: patient.id, family_name: 'Kreiger' })]);
    });

    it('asks which dataset to download when none is named, and knows none it did not write', async () => {
      const unnamed = await api.request<ErrorBody>('GET', `/api/v1/jobs/${id}/result?format=csv`);
      expect(unnamed.status).toBe(400);
      expect(unnamed.body.error).toMatchObject({ code: 'dataset_required', message: expect.stringContaining('encounters') });
      const unknown = await api.request<ErrorBody>('GET', `/api/v1/jobs/${id}/result?format=csv&dataset=claims_lines`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('result_not_found');
    });

    it('reports every entry, harmonized per dataset or skipped by resource type', async () => {
      const report = (await api.request<JsonRecord & { totals: JsonRecord; input: JsonRecord; by_dataset: JsonRecord }>('GET', `/api/v1/jobs/${id}/report`)).body;
      expect(report.input).toMatchObject({ format: 'fhir-bundle', records: 70, compression: 'none', encoding: 'utf-8' });
      expect(Object.keys(report.by_dataset)).toEqual(manifest.datasets);
      // A Claim gives its claim and one claim_lines record per item, so entries are counted as resources.
      const input = report.input as { harmonized_resources: number; skipped_resources: Record<string, number> };
      const skipped = Object.values(input.skipped_resources).reduce((sum, n) => sum + n, 0);
      expect(input.harmonized_resources + skipped).toBe(70);
      expect(report.totals).toMatchObject({ rows_skipped: skipped, rows_in: manifest.counts.rows_in });
    });
  });

  describe('a gzip-compressed CSV', () => {
    it('harmonizes to the same records as the plain file, as one dataset downloadable without naming it', async () => {
      const plainId = await upload(PATIENTS_CSV, 'patients.csv', 'text/csv');
      const gzipId = await upload(gzipSync(PATIENTS_CSV), 'patients.csv.gz', 'application/gzip');
      const plain = (await api.waitForStatus<Manifest>(plainId)).body;
      const gzipped = (await api.waitForStatus<Manifest>(gzipId)).body;

      expect(gzipped.status).toBe('completed');
      expect(gzipped.counts).toEqual(plain.counts);
      expect(gzipped.counts.rows_in).toBe(27);
      expect(gzipped.datasets).toEqual(['patients']);
      expect(gzipped.output.filter((o) => o.type === 'harmonized').map((o) => [o.dataset, o.format])).toEqual([
        ['patients', 'csv'],
        ['patients', 'ndjson'],
      ]);
      const fromGzip = await api.request<undefined>('GET', `/api/v1/jobs/${gzipId}/result?format=csv`);
      const fromPlain = await api.request<undefined>('GET', `/api/v1/jobs/${plainId}/result?format=csv`);
      expect(fromGzip.status).toBe(200);
      expect(fromGzip.headers.get('content-disposition')).toBe(`attachment; filename="${gzipId}.harmonized.csv"`);
      expect(fromGzip.text).toBe(fromPlain.text);
      const report = (await api.request<{ input: JsonRecord }>('GET', `/api/v1/jobs/${gzipId}/report`)).body;
      expect(report.input).toMatchObject({ format: 'csv', compression: 'gzip', delimiter: ',' });
    });

    it('fails a truncated gzip upload with input.truncated_gzip', async () => {
      const whole = gzipSync(PATIENTS_CSV);
      const id = await upload(whole.subarray(0, whole.length - 40), 'patients.csv.gz', 'application/gzip');
      const res = await api.waitForStatus<{ status: string; error: { code: string; message: string } }>(id);
      expect(res.body).toMatchObject({ status: 'failed', error: { code: 'input.truncated_gzip' } });
    });
  });
});
