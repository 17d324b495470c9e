import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { patientsCsv } from '../bench/generate-patients.mjs';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import type { ErrorBody, JobList } from './helpers/job-types.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { startStack, type Stack } from './helpers/start-stack.js';

const MAX_UPLOAD_BYTES = 1_048_576;

/** A real patients CSV of at least `bytes` bytes, so only its size is wrong with it. */
function patientsBlobOfAtLeast(bytes: number): Blob {
  const parts: string[] = [];
  let size = 0;
  for (const chunk of patientsCsv({ seed: 7, rows: 50_000 })) {
    parts.push(chunk);
    size += Buffer.byteLength(chunk);
    if (size >= bytes) break;
  }
  return new Blob(parts, { type: 'text/csv' });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('client errors over HTTP', () => {
  let stack: Stack;
  let api: ApiClient;

  beforeAll(async () => {
    // Every answer here comes from the api before any work is queued: no worker needed.
    stack = await startStack({ worker: false, env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => stack?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  it('answers 413 with an error body for an upload over MAX_UPLOAD_BYTES and keeps nothing of it', async () => {
    const blob = patientsBlobOfAtLeast(2 * MAX_UPLOAD_BYTES);
    expect(blob.size).toBeGreaterThan(2 * MAX_UPLOAD_BYTES - 1);

    const res = await api.submit<ErrorBody>(blob, 'big-patients.csv', { dataset: 'patients' });

    expect(res.status).toBe(413);
    expect(res.body.error.code).toMatch(/too_large/);
    expect(res.body.error.message).toContain(String(MAX_UPLOAD_BYTES));
    const list = await api.request<JobList>('GET', '/api/v1/jobs');
    expect(list.body.items).toEqual([]);
    expect(await filesUnder(path.join(stack.dataDir, 'files'))).toEqual([]);
  });

  it('answers 400 naming the file part when the form has no file', async () => {
    const form = new FormData();
    form.append('dataset', 'patients');

    const res = await api.request<ErrorBody>('POST', '/api/v1/jobs', { body: form });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toMatch(/file/);
    expect(res.body.error.message).toMatch(/file/);
  });

  it('answers 400 naming the options field when options are not JSON', async () => {
    const file = new Blob(['MRN,DOB\n1,2001-01-01\n'], { type: 'text/csv' });

    const res = await api.submit<ErrorBody>(file, 'tiny.csv', { options: '{dedup_keys: [id' });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toMatch(/options/);
    expect(res.body.error.message).toMatch(/options/);
  });

  it('answers 400 for an empty file', async () => {
    const res = await api.submit<ErrorBody>(new Blob([], { type: 'text/csv' }), 'empty.csv');

    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/empty/i);
  });

  it('answers 404 with an error body for an unknown job id on every job route', async () => {
    const id = randomUUID();
    for (const suffix of ['', '/status', '/result', '/rejects', '/report', '/logs']) {
      const res = await api.request<ErrorBody>('GET', `/api/v1/jobs/${id}${suffix}`);
      expect(res.status, suffix).toBe(404);
      expect(res.body.error.code, suffix).toMatch(/not_found/);
    }
    const deleted = await api.request<ErrorBody>('DELETE', `/api/v1/jobs/${id}`);
    expect(deleted.status).toBe(404);
  });
});
