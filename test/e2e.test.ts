import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import { downloadOutputs, type JobOutputs } from './helpers/job-outputs.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { POSTGRES_URL, startStack, type Stack } from './helpers/start-stack.js';
import type { Manifest, SubmittedJob } from './helpers/job-types.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/ohdsi-dbt-synthea/patients.csv');
type SourceRow = Record<string, string>;

/** Paths of every stored file (uploads and results) that belongs to the job. */
async function storedFilesOf(stack: Stack, id: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(stack.dataDir, 'files'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && path.join(e.parentPath, e.name).includes(id)).map((e) => e.name);
}

async function jobStatusInPostgres(schema: string, id: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const result = await client.query<{ status: string }>(`select status from "${schema}".jobs where id = $1`, [id]);
    return result.rows[0]?.status;
  } finally {
    await client.end();
  }
}

describe.each([
  { database: 'SQLite', postgres: false },
  { database: 'PostgreSQL', postgres: true },
])('Synthea patients.csv end to end on $database', ({ postgres }) => {
  let stack: Stack;
  let api: ApiClient;
  let source: SourceRow[];
  let fileBytes: Buffer;
  let id: string;
  let manifest: Manifest;
  let outputs: JobOutputs;

  beforeAll(async () => {
    fileBytes = await fs.readFile(FIXTURE);
    source = parse(fileBytes, { columns: true }) as SourceRow[];
    stack = await startStack({ postgres });
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => stack?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  it('accepts the upload with 202, a Location and links to follow', async () => {
    const res = await api.submit<SubmittedJob>(await openAsBlob(FIXTURE, { type: 'text/csv' }), 'patients.csv', { dataset: 'patients' });

    expect(res.status).toBe(202);
    id = res.body.id;
    expect(res.headers.get('location')).toBe(`/api/v1/jobs/${id}`);
    expect(res.body).toMatchObject({ status: 'queued', dataset: 'patients', links: { self: `/api/v1/jobs/${id}` } });
  });

  it('polls /status to a completed manifest whose counts add up to the 27 rows in', async () => {
    const res = await api.waitForStatus<Manifest>(id);

    expect(res.status).toBe(200);
    manifest = res.body;
    expect(manifest.status).toBe('completed');
    const { rows_in, rows_out, rows_rejected, duplicates } = manifest.counts;
    expect(rows_in).toBe(27);
    expect(rows_out + rows_rejected + duplicates).toBe(27);
    expect(manifest.output).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'harmonized', format: 'csv', count: rows_out }),
        expect.objectContaining({ type: 'harmonized', format: 'ndjson', count: rows_out }),
      ]),
    );
    expect(manifest.error).toEqual([expect.objectContaining({ type: 'rejects', count: rows_rejected })]);
  });

  it('keeps the whole job record: file name, size, sha256, dataset and counts', async () => {
    const res = await api.request<Record<string, unknown>>('GET', `/api/v1/jobs/${id}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      status: 'completed',
      dataset: 'patients',
      file_name: 'patients.csv',
      size_bytes: fileBytes.length,
      sha256: createHash('sha256').update(fileBytes).digest('hex'),
      counts: manifest.counts,
    });
    if (postgres) expect(await jobStatusInPostgres(stack.schema!, id)).toBe('completed');
  });

  it('serves every output the manifest lists, and each download works', async () => {
    outputs = await downloadOutputs(api, id);
    for (const url of [...manifest.output.map((o) => o.url), ...manifest.error.map((e) => e.url), String(manifest.report)]) {
      const res = await api.request<unknown>('GET', url);
      expect(res.status, url).toBe(200);
    }
    expect(outputs.csvRows).toHaveLength(manifest.counts.rows_out);
    expect(outputs.ndjson).toHaveLength(manifest.counts.rows_out);
    expect(outputs.rejects).toHaveLength(manifest.counts.rows_rejected);
  });

  it('writes a CSV whose header is the canonical patients model and which keeps every id', () => {
    expect(outputs.csvHeader).toEqual(expect.arrayContaining(['patient_id', 'family_name', 'given_name', 'birth_date', 'gender', 'postal_code']));
    expect(outputs.csvRows.map((r) => r.patient_id).sort()).toEqual(source.map((r) => r.Id).sort());
  });

  it('standardizes birth dates to ISO, gender to FHIR codes, and keeps ZIP leading zeros', () => {
    const byId = new Map(outputs.csvRows.map((r) => [r.patient_id, r]));
    const zeroZips = source.filter((s) => s.ZIP?.startsWith('0'));
    expect(zeroZips.length).toBeGreaterThan(5);
    for (const s of source) {
      const out = byId.get(s.Id)!;
      expect(out.birth_date).toBe(s.BIRTHDATE);
      expect(out.gender).toBe(s.GENDER === 'M' ? 'male' : 'female');
      expect(out.postal_code).toBe(s.ZIP);
    }
  });

  it('writes NDJSON with the same records as the CSV', () => {
    const csvById = new Map(outputs.csvRows.map((r) => [r.patient_id, r]));
    for (const record of outputs.ndjson) {
      const csvRow = csvById.get(String(record.patient_id));
      expect(csvRow, String(record.patient_id)).toBeDefined();
      expect(record.birth_date).toBe(csvRow!.birth_date);
      expect(record.gender).toBe(csvRow!.gender);
      expect(record.postal_code ?? '').toBe(csvRow!.postal_code);
    }
  });

  it('reports the counts and the header mapping, and the job logs carry no record values', () => {
    expect(outputs.report).toMatchObject({ dataset: 'patients', rows_in: 27, rows_out: manifest.counts.rows_out, input: { delimiter: ',' } });
    expect(outputs.report.mapping).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'Id', field: 'patient_id' }),
        expect.objectContaining({ source: 'BIRTHDATE', field: 'birth_date' }),
        expect.objectContaining({ source: 'ZIP', field: 'postal_code' }),
      ]),
    );
    const logText = JSON.stringify(outputs.logs);
    expect(logText).toContain('completed');
    for (const s of source.slice(0, 5)) {
      for (const value of [s.FIRST, s.LAST, s.SSN, s.ADDRESS]) expect(logText).not.toContain(value);
    }
  });

  it('removes a completed job\'s files on DELETE, after which the result is gone (410)', async () => {
    expect((await storedFilesOf(stack, id)).length).toBeGreaterThan(0);

    const res = await api.request<unknown>('DELETE', `/api/v1/jobs/${id}`);

    expect(res.status).toBe(202);
    expect(await storedFilesOf(stack, id)).toEqual([]);
    const result = await api.request<{ error: { code: string } }>('GET', `/api/v1/jobs/${id}/result?format=csv`);
    expect(result.status).toBe(410);
    const record = await api.request<{ status: string; files_deleted_at: string | null }>('GET', `/api/v1/jobs/${id}`);
    expect(record.body.status).toBe('completed');
    expect(record.body.files_deleted_at).not.toBeNull();
  });
});
