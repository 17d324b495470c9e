import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { patientsCsv } from '../../bench/generate-patients.mjs';
import { createApiClient, type ApiClient } from '../helpers/api-client.js';
import { expectedFiles, filesUnder, openServicesDb, tempFiles, visibleFiles } from '../helpers/fault-checks.js';
import type { StatusBody, SubmittedJob } from '../helpers/job-types.js';
import { printOutputOnFailure } from '../helpers/print-output.js';
import { startServices, type Services } from '../helpers/services.js';
import { mountTinyFilesystem, type TinyFilesystem } from '../helpers/tiny-filesystem.js';

const DISK_BYTES = 2 * 1024 * 1024;
// About 450 KB in: it fits, but its outputs (CSV, NDJSON, rejects) do not fit in what is left.
const BIG_ROWS = 4_000;

interface FailedBody extends StatusBody {
  error: { code: string; message: string };
}

const csvBlob = (seed: number, rows: number) => new Blob([...patientsCsv({ seed, rows })], { type: 'text/csv' });

describe('the disk fills up while a job writes its results', () => {
  let disk: TinyFilesystem | null;
  let services: Services;
  let api: ApiClient;

  beforeAll(async () => {
    disk = await mountTinyFilesystem(DISK_BYTES);
    if (!disk) return;
    services = await startServices({
      env: { STORAGE_DIR: disk.dir, WORKER_THREADS: '1', JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '100', WORKER_LOCK_MS: '2000' },
    });
    await services.startApi();
    await services.startWorker();
    api = createApiClient(services.baseUrl);
  });
  afterAll(async () => {
    await services?.stop();
    await disk?.dispose();
  });
  beforeEach((context) => printOutputOnFailure(context, () => services?.output()));

  it('fails the job with storage_full, leaves nothing partial, keeps serving, and a retry completes once space is back', async (context) => {
    if (!disk) return context.skip('mounting a tmpfs is not allowed here (needs root or CAP_SYS_ADMIN)');
    const big = await api.submit<SubmittedJob>(csvBlob(21, BIG_ROWS), 'patients-big.csv', { dataset: 'patients' });
    expect(big.status).toBe(202);
    const id = big.body.id;

    const failed = await api.waitForStatus<FailedBody>(id, undefined, 60_000);
    expect(failed.body.status).toBe('failed');
    expect(failed.body.error.code).toBe('storage_full');
    expect(failed.body.error.message).toMatch(/space/);
    expect(await filesUnder(`${disk.dir}/results`)).toEqual([]);
    expect(await tempFiles(disk.dir)).toEqual([]);

    const small = await api.submit<SubmittedJob>(csvBlob(22, 100), 'patients-small.csv', { dataset: 'patients' });
    expect(small.status).toBe(202);
    expect((await api.waitForStatus<StatusBody>(small.body.id)).body.status).toBe('completed');

    await disk.resize(32 * 1024 * 1024);
    const retried = await api.request<SubmittedJob>('POST', `/api/v1/jobs/${id}/retry`);
    expect(retried.status).toBe(202);
    expect((await api.waitForStatus<StatusBody>(id, undefined, 60_000)).body.status).toBe('completed');
    const db = await openServicesDb(services);
    try {
      expect(await visibleFiles(disk.dir)).toEqual(await expectedFiles(db, [id, small.body.id]));
      expect((await filesUnder(`${disk.dir}/results/${id}`)).length).toBeGreaterThanOrEqual(3);
    } finally {
      await db.close();
    }
    console.info('[disk full] accepted 2 (+1 retry), failed storage_full 1, completed 2 after the retry, partial files 0');
  });
});
