import { randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import { downloadOutputs, type JobOutputs, type Row } from './helpers/job-outputs.js';
import type { Manifest, SubmittedJob } from './helpers/job-types.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { startStack, type Stack } from './helpers/start-stack.js';

const MESSY = path.join(import.meta.dirname, 'fixtures/messy-patients.csv');

/** Values of messy-patients.csv, as sent and as standardized, that must not be readable on disk. */
const MARKERS = ['KOWALSKI', 'Kowalski', 'Łukasz', 'lukasz.k@example.net', '+13125550103', 'Siobhan', 'Harbor Rd', 'MRN-1003'];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('encryption at rest, end to end', () => {
  let stack: Stack;
  let api: ApiClient;
  let id: string;
  let outputs: JobOutputs;

  beforeAll(async () => {
    const key = (bytes: number) => randomBytes(bytes).toString('base64');
    // The first key is current; the second stands for a retired key kept to read older files.
    stack = await startStack({ env: { ENCRYPTION_KEYS: `e2e-current:${key(32)},e2e-old:${key(32)}` } });
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => stack?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  it('harmonizes the messy file and serves decrypted, correct downloads', async () => {
    const submitted = await api.submit<SubmittedJob>(await openAsBlob(MESSY, { type: 'text/csv' }), 'messy-patients.csv');
    expect(submitted.status).toBe(202);
    id = submitted.body.id;
    const manifest = (await api.waitForStatus<Manifest>(id)).body;
    expect(manifest.status).toBe('completed');
    expect(manifest.counts).toMatchObject({ rows_in: 30, rows_rejected: 4, duplicates: 4, rows_out: 22 });

    const record = await api.request<{ size_bytes: number }>('GET', `/api/v1/jobs/${id}`);
    expect(record.body.size_bytes).toBe((await fs.stat(MESSY)).size);

    outputs = await downloadOutputs(api, id);
    const byId = new Map<string, Row>(outputs.csvRows.map((r) => [r.patient_id ?? '', r]));
    expect(outputs.csvRows).toHaveLength(22);
    expect(byId.get('MRN-1003')).toMatchObject({ family_name: 'Kowalski', given_name: 'Łukasz', birth_date: '1990-03-05' });
    expect(outputs.ndjson).toHaveLength(22);
    expect(outputs.ndjson.find((r) => r.patient_id === 'MRN-1003')).toMatchObject({ email: 'lukasz.k@example.net' });
    expect(outputs.rejects.map((r) => Number(r.row)).sort((a, b) => a - b)).toEqual([11, 12, 13, 23]);
    expect(outputs.report).toMatchObject({ rows_in: 30 });
  });

  it('leaves no readable patient value in any stored file', async () => {
    const dir = path.join(stack.dataDir, 'files');
    const files = await filesUnder(dir);
    const names = files.map((f) => path.relative(dir, f));
    expect(names).toContain(`uploads/${id}/input`);
    expect(names.filter((name) => name.startsWith(`results/${id}/`)).length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const bytes = await fs.readFile(file);
      expect(bytes.subarray(0, 4).toString('latin1'), file).toBe('HZE1');
      for (const marker of MARKERS) expect(bytes.includes(marker), `${marker} in ${file}`).toBe(false);
    }
  });

  it('refuses a tampered result file with file_tampered and sends none of it', async () => {
    const results = path.join(stack.dataDir, 'files', 'results', id);
    const name = (await fs.readdir(results)).find((n) => n.endsWith('harmonized.csv'));
    const file = path.join(results, name ?? 'harmonized.csv');
    const bytes = await fs.readFile(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0x20;
    await fs.writeFile(file, bytes);

    const res = await api.request<{ error: { code: string; message: string } }>('GET', `/api/v1/jobs/${id}/result?format=csv`);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: { code: 'file_tampered', message: 'the stored file failed its integrity check and was not sent; report this job id to the operator' },
    });
    for (const marker of MARKERS) expect(res.text).not.toContain(marker);
    // The job's other files are intact and still served.
    const ndjson = await api.request<undefined>('GET', `/api/v1/jobs/${id}/result?format=ndjson`);
    expect(ndjson.status).toBe(200);
    expect(ndjson.text).toContain('lukasz.k@example.net');
  });
});
