import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeJob } from './testing/complete-job.js';
import { submitCsv } from './testing/inject-upload.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const retry = (app: TestApp, id: string) => app.app.inject({ method: 'POST', url: `/api/v1/jobs/${id}/retry` });

/** A submitted job that a worker took and then failed, as after a full disk. */
async function failedJob(app: TestApp = t): Promise<string> {
  const id = await submitCsv(app.app);
  await app.db.jobs.markRunning(id);
  await app.db.jobs.markFailed(id, { code: 'storage_full', message: 'the disk was full' });
  await app.queue.queue.remove(id); // BullMQ drops jobs that failed for good
  return id;
}

describe('POST /api/v1/jobs/{id}/retry', () => {
  it('queues a failed job again with 202, its error cleared, and puts it back on the queue', async () => {
    const id = await failedJob();

    const res = await retry(t, id);

    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe(`/api/v1/jobs/${id}`);
    expect(res.json()).toMatchObject({ id, status: 'queued' });
    expect(t.specProblems('post', '/api/v1/jobs/{id}/retry', res)).toEqual([]);
    expect(await t.db.jobs.get(id)).toMatchObject({ status: 'queued', errorCode: null, attempts: 0, finishedAt: null });
    expect(await t.queue.exists(id)).toBe(true);
    const logs = await t.db.jobs.listLogs(id, { limit: 10 });
    expect(logs.map((log) => log.message)).toContain('retry requested');
  });

  it('answers 409 job_not_retryable, naming the status, for a job that is not failed', async () => {
    const queued = await submitCsv(t.app);
    const completed = await submitCsv(t.app);
    await completeJob(t, completed);
    for (const [id, status] of [[queued, 'queued'], [completed, 'completed']] as const) {
      const res = await retry(t, id);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({ error: { code: 'job_not_retryable', message: expect.stringContaining(status) } });
      expect(t.specProblems('post', '/api/v1/jobs/{id}/retry', res)).toEqual([]);
      expect((await t.db.jobs.get(id))?.status).toBe(status);
    }
  });

  it('answers 410 input_deleted when the failed job has no stored upload any more', async () => {
    const deleted = await failedJob();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${deleted}` })).statusCode).toBe(202);
    const lost = await failedJob();
    await t.storage.removePrefix(`uploads/${lost}`);
    for (const id of [deleted, lost]) {
      const res = await retry(t, id);
      expect(res.statusCode).toBe(410);
      expect(res.json().error.code).toBe('input_deleted');
      expect(t.specProblems('post', '/api/v1/jobs/{id}/retry', res)).toEqual([]);
      expect((await t.db.jobs.get(id))?.status).toBe('failed');
    }
  });

  it('answers 404 for an unknown job', async () => {
    const res = await retry(t, randomUUID());
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('job_not_found');
  });

  it('lets only one of two racing retries queue the job', async () => {
    const id = await failedJob();
    const [a, b] = await Promise.all([retry(t, id), retry(t, id)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([202, 409]);
  });
});

describe('POST /api/v1/jobs/{id}/retry while Redis is down', () => {
  it('answers 503 queue_unavailable with Retry-After and leaves the job failed', async () => {
    const down = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const id = randomUUID();
      await down.storage.put(`uploads/${id}/input`, Readable.from(['id\n1\n']));
      await down.db.jobs.create({
        id,
        tenantId: 'local',
        dataset: null,
        fileName: 'p.csv',
        contentType: 'text/csv',
        sizeBytes: 5,
        sha256: 'a'.repeat(64),
        storageKey: `uploads/${id}/input`,
        options: {},
        idempotencyKey: null,
      });
      await down.db.jobs.markFailed(id, { code: 'processing_failed', message: 'failed' });

      const res = await retry(down, id);

      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().error.code).toBe('queue_unavailable');
      expect((await down.db.jobs.get(id))?.status).toBe('failed');
    } finally {
      await down.close();
    }
  });
});
