import { openAsBlob } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { patientsCsv, writePatientsCsv } from '../../bench/generate-patients.mjs';
import { createApiClient, type ApiClient } from '../helpers/api-client.js';
import { expectedFiles, openServicesDb, outputDigests, visibleFiles } from '../helpers/fault-checks.js';
import type { StatusBody, SubmittedJob } from '../helpers/job-types.js';
import { printOutputOnFailure } from '../helpers/print-output.js';
import { startServices, type ServiceProcess, type Services } from '../helpers/services.js';
import { startSlowUpload } from '../helpers/slow-upload.js';

const ROWS = 150_000;
const SHUTDOWN_TIMEOUT_MS = 2_000;
/** The stopping worker's: short enough that the job (150k rows on one thread: ~3-4 s) cannot finish in it after reaching 10%. */
const WORKER_SHUTDOWN_TIMEOUT_MS = 500;
/** The worker's hand-back grace after the timeout (apps/worker/src/main.ts), plus process start-up slack. */
const WORKER_EXIT_BOUND_MS = WORKER_SHUTDOWN_TIMEOUT_MS + 5_000 + 3_000;

describe('SIGTERM to the api and the worker', () => {
  let services: Services;
  let api: ApiClient;
  let apiProcess: ServiceProcess;
  let workDir: string;
  let bigFile: string;

  beforeAll(async () => {
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'harmonizer-fault-term-'));
    bigFile = path.join(workDir, 'patients-150k.csv');
    [services] = await Promise.all([
      startServices({
        env: {
          WORKER_THREADS: '1',
          CHUNK_ROWS: '2000',
          SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
          WORKER_LOCK_MS: '2000',
          JOB_BACKOFF_MS: '200',
        },
      }),
      writePatientsCsv({ seed: 9, rows: ROWS, out: bigFile }),
    ]);
    apiProcess = await services.startApi();
    api = createApiClient(services.baseUrl);
  });
  afterAll(async () => {
    await services?.stop();
    if (workDir) await fs.rm(workDir, { recursive: true, force: true });
  });
  beforeEach((context) => printOutputOnFailure(context, () => services?.output()));

  const submitBig = async () => {
    const res = await api.submit<SubmittedJob>(await openAsBlob(bigFile, { type: 'text/csv' }), 'patients-150k.csv', { dataset: 'patients' });
    expect(res.status).toBe(202);
    return res.body.id;
  };

  it('hands a running job back on worker SIGTERM; another worker completes it with one set of outputs', async () => {
    const stopping = await services.startWorker({ SHUTDOWN_TIMEOUT_MS: String(WORKER_SHUTDOWN_TIMEOUT_MS) });
    const id = await submitBig();
    await api.waitForStatus<StatusBody>(id, (body) => body.status === 'running' && (body.progress?.percent ?? 0) >= 10, 60_000);
    await services.startWorker();

    const signalled = Date.now();
    stopping.kill('SIGTERM');
    const exit = await stopping.exited;
    const exitMs = Date.now() - signalled;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(WORKER_EXIT_BOUND_MS);

    expect((await api.waitForStatus<StatusBody>(id, undefined, 60_000)).body.status).toBe('completed');
    const clean = await submitBig();
    expect((await api.waitForStatus<StatusBody>(clean, undefined, 60_000)).body.status).toBe('completed');
    const digests = await outputDigests(services.storageDir, id);
    expect(Object.keys(digests).length).toBeGreaterThanOrEqual(3);
    expect(digests).toEqual(await outputDigests(services.storageDir, clean));

    const db = await openServicesDb(services);
    try {
      expect(await visibleFiles(services.storageDir)).toEqual(await expectedFiles(db, [id, clean]));
      expect((await db.jobs.get(id))?.attempts).toBe(2);
      expect((await db.jobs.get(clean))?.attempts).toBe(1);
      const logs = await db.jobs.listLogs(id, { limit: 100 });
      expect(logs.filter((log) => log.message === 'processing completed')).toHaveLength(1);
      expect(logs.some((log) => log.message.includes('handed back'))).toBe(true);
    } finally {
      await db.close();
    }
    console.info(`[worker SIGTERM] exited 0 after ${exitMs} ms; job completed once on the other worker; outputs identical`);
  });

  it('finishes an upload in flight on api SIGTERM, exits in time, and the accepted job completes', async () => {
    const chunk = [...patientsCsv({ seed: 4, rows: 50 })].join('');
    const upload = startSlowUpload(services.baseUrl, { chunk, intervalMs: 40, chunks: 20 });
    while (upload.sent() < chunk.length * 3) await new Promise((resolve) => setTimeout(resolve, 10));

    const signalled = Date.now();
    apiProcess.kill('SIGTERM');
    const outcome = await upload.outcome;
    const exit = await apiProcess.exited;
    const exitMs = Date.now() - signalled;
    expect(outcome).toMatchObject({ status: 202 });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1_000);

    apiProcess = await services.startApi();
    await services.startWorker();
    const id = (JSON.parse((outcome as { body: string }).body) as SubmittedJob).id;
    expect((await api.waitForStatus<StatusBody>(id)).body.status).toBe('completed');
    console.info(`[api SIGTERM] upload in flight answered 202, api exited 0 after ${exitMs} ms, job completed`);
  });
});
