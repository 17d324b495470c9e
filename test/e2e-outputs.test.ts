import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import type { ErrorBody, Manifest, SubmittedJob } from './helpers/job-types.js';
import { assertResponseMatchesSpec } from './helpers/openapi.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { startStack, type Stack } from './helpers/start-stack.js';

const BUNDLE = readFileSync(path.join(import.meta.dirname, 'fixtures/smart-generated-fhir-r4/Clemente_Kreiger_1484a42d-0eaf-4654-9cbf-6b050a5cd73b.json'));
const MAGIC = Buffer.from('PAR1');

type JsonRecord = Record<string, unknown>;
type Entry = { type: string; dataset?: string; format: string; url: string; count: number };
const ndjson = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as JsonRecord);

describe('every output format of a FHIR Bundle, through the api and the worker (PostgreSQL)', () => {
  let stack: Stack;
  let api: ApiClient;
  let id: string;
  let manifest: Manifest & { output: Entry[]; error: Entry[] };
  const bundle = JSON.parse(BUNDLE.toString()) as { entry: { resource: JsonRecord }[] };
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;

  beforeAll(async () => {
    stack = await startStack({ postgres: true });
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => stack?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  /** A download as bytes (the api client reads bodies as text), checked against openapi.yaml too. */
  async function download(url: string) {
    const res = await fetch(new URL(url, stack.baseUrl));
    const bytes = Buffer.from(await res.arrayBuffer());
    assertResponseMatchesSpec({ method: 'GET', url, status: res.status, contentType: res.headers.get('content-type') });
    return { res, bytes };
  }

  it('completes with csv, ndjson and parquet per dataset and FHIR NDJSON per resource type in the manifest', async () => {
    const options = JSON.stringify({ outputs: ['csv', 'ndjson', 'fhir', 'parquet'] });
    const submitted = await api.submit<SubmittedJob>(new Blob([BUNDLE], { type: 'application/fhir+json' }), 'Clemente_Kreiger.json', { options });
    expect(submitted.status).toBe(202);
    id = submitted.body.id;
    manifest = (await api.waitForStatus<typeof manifest>(id)).body;
    expect(manifest.status).toBe('completed');
    for (const dataset of manifest.datasets) {
      const formats = manifest.output.filter((o) => o.dataset === dataset).map((o) => o.format).sort();
      expect(formats, dataset).toEqual(['csv', 'ndjson', 'parquet']);
    }
    const fhirTypes = manifest.output.filter((o) => o.format === 'fhir+ndjson').map((o) => o.type);
    expect(fhirTypes).toEqual(expect.arrayContaining(['Encounter', 'Observation', 'Patient']));
    expect(manifest.output.find((o) => o.type === 'Patient')).toEqual({ type: 'Patient', format: 'fhir+ndjson', url: `/api/v1/jobs/${id}/fhir/Patient`, count: 1 });
  });

  it('serves FHIR R4 NDJSON whose resources point back to the job and their source row', async () => {
    const res = await api.request<undefined>('GET', `/api/v1/jobs/${id}/fhir/Patient`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/fhir+ndjson');
    const [resource, ...more] = ndjson(res.text);
    expect(more).toEqual([]);
    expect(resource).toMatchObject({ resourceType: 'Patient', meta: { source: expect.stringMatching(new RegExp(`^urn:harmonizer:job:${id}#row=\\d+$`)) } });
    expect(JSON.stringify(resource)).toContain('Kreiger');

    const encounters = manifest.output.find((o) => o.type === 'Encounter')!;
    const lines = ndjson((await api.request<undefined>('GET', encounters.url)).text);
    expect(lines).toHaveLength(encounters.count);
    for (const line of lines) expect(line).toMatchObject({ resourceType: 'Encounter', meta: { source: expect.stringContaining(`urn:harmonizer:job:${id}#row=`) } });
  });

  it('serves a Parquet file per dataset that reads back with as many rows as the manifest says', async () => {
    const entry = manifest.output.find((o) => o.dataset === 'encounters' && o.format === 'parquet')!;
    expect(entry.url).toBe(`/api/v1/jobs/${id}/result?format=parquet&dataset=encounters`);
    const { res, bytes } = await download(entry.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${id}.encounters.harmonized.parquet"`);
    expect(bytes.subarray(0, 4).equals(MAGIC) && bytes.subarray(-4).equals(MAGIC)).toBe(true);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    expect(Number(parquetMetadata(file).num_rows)).toBe(entry.count);
    const rows = await parquetReadObjects({ file });
    const fromNdjson = ndjson((await api.request<undefined>('GET', `/api/v1/jobs/${id}/result?format=ndjson&dataset=encounters`)).text);
    expect(rows.map((r) => [r.patient_id, r.source_row])).toEqual(fromNdjson.map((r) => [patient.id, r._row]));
  });

  it('answers 404 for a resource type the job did not write', async () => {
    const res = await api.request<ErrorBody>('GET', `/api/v1/jobs/${id}/fhir/AllergyIntolerance`);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'result_not_found', message: expect.stringContaining('Patient') });
  });
});
