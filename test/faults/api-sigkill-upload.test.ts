import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { patientsCsv } from '../../bench/generate-patients.mjs';
import { createApiClient } from '../helpers/api-client.js';
import { openServicesDb, tempFiles, visibleFiles } from '../helpers/fault-checks.js';
import type { StatusBody, SubmittedJob } from '../helpers/job-types.js';
import { printOutputOnFailure } from '../helpers/print-output.js';
import { startServices, type ServiceProcess, type Services } from '../helpers/services.js';
import { startSlowUpload } from '../helpers/slow-upload.js';

const IDLE_TIMEOUT_MS = 1_000;
/** About 11 KB of real patient rows per write. */
const CHUNK = [...patientsCsv({ seed: 5, rows: 100 })].join('');

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('the api killed with SIGKILL during a streaming upload', () => {
  let services: Services;
  let apiProcess: ServiceProcess;

  beforeAll(async () => {
    // No worker at first: what matters is what the api leaves behind.
    services = await startServices({ env: { UPLOAD_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS) } });
    apiProcess = await services.startApi();
  });
  afterAll(async () => services?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => services?.output()));

  const jobCount = async () => {
    const db = await openServicesDb(services);
    try {
      return (await db.jobs.list({ limit: 100 })).items.length;
    } finally {
      await db.close();
    }
  };

  it('leaves no job row and no visible file, and the next api start removes the temp file', async () => {
    const upload = startSlowUpload(services.baseUrl, { chunk: CHUNK, intervalMs: 50, chunks: 10_000 });
    await until(async () => upload.sent() > 200_000 && (await tempFiles(services.storageDir)).length === 1, 'the upload to be stored');

    apiProcess.kill('SIGKILL');
    expect((await apiProcess.exited).signal).toBe('SIGKILL');
    expect(await upload.outcome).toEqual({ error: expect.any(String) });
    expect(await jobCount()).toBe(0);
    expect(await visibleFiles(services.storageDir)).toEqual([]);
    const leftover = await tempFiles(services.storageDir);
    expect(leftover).toEqual([expect.stringMatching(/^\.tmp\/uploads-.*\.part$/)]);

    // A live upload touches its file at least once per idle timeout; this one stopped for good.
    await sleep(2 * IDLE_TIMEOUT_MS + 200);
    apiProcess = await services.startApi();
    expect(await tempFiles(services.storageDir)).toEqual([]);
    expect(await visibleFiles(services.storageDir)).toEqual([]);

    const api = createApiClient(services.baseUrl);
    const res = await api.submit<SubmittedJob>(new Blob([CHUNK], { type: 'text/csv' }), 'patients.csv');
    expect(res.status).toBe(202);
    await services.startWorker();
    expect((await api.waitForStatus<StatusBody>(res.body.id)).body.status).toBe('completed');
    console.info('[api SIGKILL mid-upload] cut-off upload: no 202, job rows 0, visible files 0, temp files after restart 0; next upload accepted 1, completed 1');
  });

  it('cuts off an upload whose client goes silent and keeps nothing of it', async () => {
    const before = await jobCount();
    const visibleBefore = await visibleFiles(services.storageDir);
    const upload = startSlowUpload(services.baseUrl, { chunk: CHUNK, intervalMs: 20, chunks: 10_000 });
    await until(async () => upload.sent() > 50_000, 'some of the upload to be sent');
    upload.pause();

    expect(await upload.outcome).toEqual({ error: expect.any(String) });
    await until(async () => (await tempFiles(services.storageDir)).length === 0, 'the temp file to be removed');
    expect(await jobCount()).toBe(before);
    expect(await visibleFiles(services.storageDir)).toEqual(visibleBefore);
    expect(apiProcess.isRunning()).toBe(true);
  });
});
