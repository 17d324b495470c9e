import { openAsBlob } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writePatientsCsv } from '../bench/generate-patients.mjs';
import { createApiClient, type ApiClient } from './helpers/api-client.js';
import type { ErrorBody, StatusBody, SubmittedJob } from './helpers/job-types.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { startStack, type Stack } from './helpers/start-stack.js';

const BIG_ROWS = 250_000;
const SMALL = path.join(import.meta.dirname, 'fixtures/ohdsi-dbt-synthea/patients.csv');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe('cancelling a running job', () => {
  let stack: Stack;
  let api: ApiClient;
  let workDir: string;
  let bigFile: string;

  beforeAll(async () => {
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'harmonizer-e2e-big-'));
    bigFile = path.join(workDir, 'patients-250k.csv');
    // One thread and small chunks: the job runs long enough to be caught running.
    [stack] = await Promise.all([
      startStack({ env: { WORKER_THREADS: '1', CHUNK_ROWS: '2000', WORKER_CONCURRENCY: '1' } }),
      writePatientsCsv({ seed: 11, rows: BIG_ROWS, out: bigFile }),
    ]);
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => {
    await stack?.stop();
    if (workDir) await fs.rm(workDir, { recursive: true, force: true });
  });
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  it('stops a running job on DELETE, answers 409 for its result and leaves no result files', async () => {
    const submitted = await api.submit<SubmittedJob>(await openAsBlob(bigFile, { type: 'text/csv' }), 'patients-250k.csv', {
      dataset: 'patients',
    });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id;

    const running = await api.waitForStatus<StatusBody>(id, (body) => body.status !== 'queued');
    expect(running.body.status).toBe('running');
    expect(running.status).toBe(202);
    expect(running.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(running.headers.get('x-progress')).toMatch(/^\d{1,3}%$/);

    const cancel = await api.request<unknown>('DELETE', `/api/v1/jobs/${id}`);
    expect(cancel.status).toBe(202);

    const after = await api.waitForStatus<StatusBody>(id, (body) => body.status !== 'running', 10_000);
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('cancelled');
    const result = await api.request<ErrorBody>('GET', `/api/v1/jobs/${id}/result?format=csv`);
    expect(result.status).toBe(409);
    expect(result.body.error.code).toEqual(expect.any(String));

    // The worker (concurrency 1) takes the next job only once it has let go of the cancelled one,
    // so when the next job completes the cancelled one has certainly stopped writing.
    const next = await api.submit<SubmittedJob>(await openAsBlob(SMALL, { type: 'text/csv' }), 'patients.csv', { dataset: 'patients' });
    const nextDone = await api.waitForStatus<StatusBody>(next.body.id);
    expect(nextDone.body.status).toBe('completed');

    const files = await filesUnder(path.join(stack.dataDir, 'files'));
    expect(files.filter((file) => file.includes(id) && !file.startsWith('uploads'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('.tmp'))).toEqual([]);
    expect((await api.request<StatusBody>('GET', `/api/v1/jobs/${id}/status`)).body.status).toBe('cancelled');
  });
});
