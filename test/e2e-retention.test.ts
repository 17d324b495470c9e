import { openAsBlob, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import type { ErrorBody, Manifest, StatusBody, SubmittedJob } from './helpers/job-types.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { startStack, type Stack } from './helpers/start-stack.js';

const PATIENTS = path.join(import.meta.dirname, 'fixtures/ohdsi-dbt-synthea/patients.csv');
const INVALID_JSON = path.join(import.meta.dirname, 'fixtures/bad/invalid.json');

interface JobRecord {
  id: string;
  status: string;
  finished_at: string | null;
  files_deleted_at: string | null;
  upload_deleted_at: string | null;
  expired_at: string | null;
  expires_at: string | null;
}

type RetentionManifest = Manifest & { expires_at: string | null };

async function filesOf(dataDir: string, id: string): Promise<string[]> {
  const root = path.join(dataDir, 'files');
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((file) => file.includes(id));
}

describe.each([
  { name: 'sqlite', postgres: false },
  { name: 'postgres', postgres: true },
])('retention with real processes ($name)', ({ postgres }) => {
  let stack: Stack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack({
      postgres,
      // Auth and the poll limit are other tests' subject: off here, so the test polls like the others.
      env: { AUTH_MODE: 'none', STATUS_POLL_LIMIT: 'off', RESULT_RETENTION: '2s', UPLOAD_RETENTION: '2s', RETENTION_SWEEP_INTERVAL_MS: '1000' },
    });
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  async function waitForRecord(id: string, done: (job: JobRecord) => boolean, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await api.request<JobRecord>('GET', `/api/v1/jobs/${id}`);
      expect(res.status).toBe(200);
      if (done(res.body)) return res.body;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${JSON.stringify(res.body)} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('expires a completed job: expires_at announced, then 410 results_expired and expired_at, files gone', async () => {
    const submitted = await api.submit<SubmittedJob>(await openAsBlob(PATIENTS, { type: 'text/csv' }), 'patients.csv', { dataset: 'patients' });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id;

    const done = await api.waitForStatus<RetentionManifest>(id);
    expect(done.body.status).toBe('completed');
    // The status manifest says when the files go: completed_at + RESULT_RETENTION.
    expect(Date.parse(done.body.expires_at!) - Date.parse(done.body.completed_at)).toBe(2_000);

    const expired = await waitForRecord(id, (job) => job.expired_at !== null);
    expect(expired.status).toBe('completed');
    expect(Date.parse(expired.expires_at!)).toBe(Date.parse(expired.finished_at!) + 2_000);
    expect(Date.parse(expired.expired_at!)).toBeGreaterThanOrEqual(Date.parse(expired.expires_at!));
    expect(expired.files_deleted_at).not.toBeNull();

    for (const url of [`/api/v1/jobs/${id}/result?format=csv`, `/api/v1/jobs/${id}/rejects`, `/api/v1/jobs/${id}/report`]) {
      const res = await api.request<ErrorBody>('GET', url);
      expect({ url, status: res.status, code: res.body.error.code }).toEqual({ url, status: 410, code: 'results_expired' });
    }
    const manifest = await api.request<RetentionManifest>('GET', `/api/v1/jobs/${id}/status`);
    expect(manifest.status).toBe(200);
    expect(manifest.body.expires_at).toBe(expired.expires_at);

    // The upload goes by its own period (also 2 s here); then nothing of the job is left on disk.
    const gone = await waitForRecord(id, (job) => job.upload_deleted_at !== null);
    expect(gone.upload_deleted_at).not.toBeNull();
    expect(await filesOf(stack.dataDir, id)).toEqual([]);
  });

  it('refuses to retry a failed job once its upload expired: 410 upload_expired', async () => {
    const submitted = await api.submit<SubmittedJob>(new Blob([readFileSync(INVALID_JSON)], { type: 'application/json' }), 'invalid.json');
    expect(submitted.status).toBe(202);
    const id = submitted.body.id;
    const failed = await api.waitForStatus<StatusBody>(id);
    expect(failed.body.status).toBe('failed');

    const gone = await waitForRecord(id, (job) => job.upload_deleted_at !== null);
    expect(gone.status).toBe('failed');
    expect(await filesOf(stack.dataDir, id)).toEqual([]);

    const retry = await api.request<ErrorBody>('POST', `/api/v1/jobs/${id}/retry`);
    expect(retry.status).toBe(410);
    expect(retry.body.error.code).toBe('upload_expired');
    expect((await api.request<JobRecord>('GET', `/api/v1/jobs/${id}`)).body.status).toBe('failed');
  });
});
