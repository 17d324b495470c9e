import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { patientsCsv } from '../../bench/generate-patients.mjs';
import { createApiClient, type ApiClient } from '../helpers/api-client.js';
import { openServicesDb } from '../helpers/fault-checks.js';
import type { ErrorBody, StatusBody, SubmittedJob } from '../helpers/job-types.js';
import { printOutputOnFailure } from '../helpers/print-output.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { startServices, type ServiceProcess, type Services } from '../helpers/services.js';

const smallCsv = (seed: number) => new Blob([...patientsCsv({ seed, rows: 200 })], { type: 'text/csv' });

describe('Redis unavailable', () => {
  let redis: PrivateRedis;
  let services: Services;
  let api: ApiClient;
  let worker: ServiceProcess;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    services = await startServices({
      redisUrl: redis.url,
      env: { RECONCILE_INTERVAL_MS: '500', WORKER_LOCK_MS: '2000', JOB_BACKOFF_MS: '200' },
    });
    await services.startApi();
    worker = await services.startWorker();
    api = createApiClient(services.baseUrl);
  });
  afterAll(async () => {
    await services?.stop();
    await redis?.dispose();
  });
  beforeEach((context) => printOutputOnFailure(context, () => services?.output()));

  const submit = async (seed: number) => api.submit<SubmittedJob | ErrorBody>(smallCsv(seed), `patients-${seed}.csv`);

  it('refuses submissions with 503, keeps serving reads, and completes every job accepted before the outage after it', async () => {
    const finished: string[] = [];
    for (const seed of [1, 2]) {
      const res = await submit(seed);
      expect(res.status).toBe(202);
      finished.push((res.body as SubmittedJob).id);
    }
    for (const id of finished) expect((await api.waitForStatus<StatusBody>(id)).body.status).toBe('completed');

    // With no worker running, these stay queued: their only queue entries live in Redis.
    worker.kill('SIGTERM');
    await worker.exited;
    const pending: string[] = [];
    for (const seed of [3, 4, 5, 6, 7]) {
      const res = await submit(seed);
      expect(res.status).toBe(202);
      pending.push((res.body as SubmittedJob).id);
    }

    await redis.stop();

    const refused = await submit(8);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((refused.body as ErrorBody).error.code).toBe('queue_unavailable');
    const ready = await api.request<ErrorBody>('GET', '/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error.message).toMatch(/redis/);
    for (const id of finished) {
      expect((await api.request<StatusBody>('GET', `/api/v1/jobs/${id}/status`)).status).toBe(200);
      const result = await api.request<undefined>('GET', `/api/v1/jobs/${id}/result?format=csv`);
      expect(result.status).toBe(200);
      expect(result.text.length).toBeGreaterThan(0);
      expect((await api.request<unknown>('GET', `/api/v1/jobs/${id}/report`)).status).toBe(200);
    }
    for (const id of pending) {
      const status = await api.request<StatusBody>('GET', `/api/v1/jobs/${id}/status`);
      expect([status.status, status.body.status]).toEqual([202, 'queued']);
    }
    // A worker started during the outage waits for Redis instead of crashing.
    await services.startWorker();

    // Back empty: every queue entry is gone; the rows still say queued.
    await redis.start();
    for (const id of pending) expect((await api.waitForStatus<StatusBody>(id, undefined, 60_000)).body.status).toBe('completed');
    // The api's own Redis connection comes back on its reconnect schedule, which can trail the
    // worker's: until then a submission is refused with 503 queue_unavailable, never accepted and lost.
    let after = await submit(9);
    for (const deadline = Date.now() + 15_000; after.status === 503 && Date.now() < deadline; after = await submit(9)) {
      expect((after.body as ErrorBody).error.code).toBe('queue_unavailable');
      await sleep(200);
    }
    expect(after.status).toBe(202);
    expect((await api.waitForStatus<StatusBody>((after.body as SubmittedJob).id)).body.status).toBe('completed');
    expect((await api.request<unknown>('GET', '/ready')).status).toBe(200);

    const db = await openServicesDb(services);
    try {
      for (const id of pending) expect((await db.jobs.get(id))?.attempts).toBe(1);
      const counts = await db.jobs.countByStatus();
      console.info(
        `[redis outage] accepted ${finished.length + pending.length + 1}, completed ${counts.completed}, ` +
          `refused during outage 1, failed ${counts.failed}`,
      );
      expect(counts).toMatchObject({ completed: finished.length + pending.length + 1, failed: 0, queued: 0, running: 0 });
    } finally {
      await db.close();
    }
  });
});
