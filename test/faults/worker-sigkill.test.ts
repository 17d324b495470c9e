import { openAsBlob } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writePatientsCsv } from '../../bench/generate-patients.mjs';
import { createApiClient, type ApiClient } from '../helpers/api-client.js';
import { expectedFiles, openServicesDb, outputDigests, tempFiles, visibleFiles } from '../helpers/fault-checks.js';
import type { StatusBody, SubmittedJob } from '../helpers/job-types.js';
import { printOutputOnFailure } from '../helpers/print-output.js';
import { startServices, type ServiceProcess, type Services } from '../helpers/services.js';

const ROWS = 300_000;

describe('a worker killed with SIGKILL in the middle of a job', () => {
  let services: Services;
  let api: ApiClient;
  let firstWorker: ServiceProcess;
  let workDir: string;
  let bigFile: string;

  beforeAll(async () => {
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'harmonizer-fault-kill-'));
    bigFile = path.join(workDir, 'patients-300k.csv');
    [services] = await Promise.all([
      // One thread and small chunks keep the job running for seconds; a short lock makes the
      // dead worker's job stall quickly, and a healthy one must keep renewing it all along.
      startServices({
        env: { WORKER_THREADS: '1', CHUNK_ROWS: '2000', WORKER_LOCK_MS: '2000', RECONCILE_INTERVAL_MS: '1000', JOB_BACKOFF_MS: '200' },
      }),
      writePatientsCsv({ seed: 3, rows: ROWS, out: bigFile }),
    ]);
    await services.startApi();
    firstWorker = await services.startWorker();
    api = createApiClient(services.baseUrl);
  });
  afterAll(async () => {
    await services?.stop();
    if (workDir) await fs.rm(workDir, { recursive: true, force: true });
  });
  beforeEach((context) => printOutputOnFailure(context, () => services?.output()));

  const submitBig = async () => {
    const res = await api.submit<SubmittedJob>(await openAsBlob(bigFile, { type: 'text/csv' }), 'patients-300k.csv', { dataset: 'patients' });
    expect(res.status).toBe(202);
    return res.body.id;
  };

  it('completes the job on a new worker with outputs byte-identical to a clean run, and no partial or duplicate files', async () => {
    const clean = await submitBig();
    expect((await api.waitForStatus<StatusBody>(clean)).body.status).toBe('completed');

    const faulted = await submitBig();
    // Well into the file, so the kill lands mid-processing with temp outputs half written.
    await api.waitForStatus<StatusBody>(faulted, (body) => body.status === 'running' && (body.progress?.percent ?? 0) >= 20, 60_000);
    firstWorker.kill('SIGKILL');
    expect(await firstWorker.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await api.request<StatusBody>('GET', `/api/v1/jobs/${faulted}/status`)).body.status).toBe('running');
    const tempAfterKill = await tempFiles(services.storageDir);

    await services.startWorker();
    expect((await api.waitForStatus<StatusBody>(faulted, undefined, 60_000)).body.status).toBe('completed');

    const [cleanDigests, faultedDigests] = [await outputDigests(services.storageDir, clean), await outputDigests(services.storageDir, faulted)];
    expect(Object.keys(faultedDigests).length).toBeGreaterThanOrEqual(3);
    expect(faultedDigests).toEqual(cleanDigests);

    const db = await openServicesDb(services);
    try {
      // Exactly the files the database points at: no partial, temp-named or duplicate output.
      expect(await visibleFiles(services.storageDir)).toEqual(await expectedFiles(db, [clean, faulted]));
      expect(await db.jobs.listResults(faulted)).toHaveLength(Object.keys(faultedDigests).length);
      // The clean run was never declared stalled while healthy; the faulted one ran exactly twice.
      expect((await db.jobs.get(clean))?.attempts).toBe(1);
      expect((await db.jobs.get(faulted))?.attempts).toBe(2);
    } finally {
      await db.close();
    }
    console.info(
      `[worker SIGKILL] outputs identical: ${JSON.stringify(faultedDigests) === JSON.stringify(cleanDigests)}; ` +
        `temp files the killed worker left: ${tempAfterKill.length}`,
    );
  });
});
