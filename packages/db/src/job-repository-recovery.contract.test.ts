import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_TARGETS, type DbTarget } from './db-targets.test-support.js';
import { completedJob as done, ISO_MS, newJob } from './job-fixtures.test-support.js';
import type { Database, Job, JobRepository } from './types.js';

/** The reconciler's and the retry route's methods, on both dialects. */
describe.each(DB_TARGETS)('JobRepository recovery methods on $name', (kind) => {
  let target: DbTarget;
  let db: Database;
  let jobs: JobRepository;

  beforeEach(async () => {
    target = await kind.prepare();
    db = await target.open();
    jobs = db.jobs;
  });
  afterEach(() => target.cleanup());

  const inAMinute = () => new Date(Date.now() + 60_000).toISOString();
  const aMinuteAgo = () => new Date(Date.now() - 60_000).toISOString();
  const queued = async () => (await jobs.create(newJob())).job;
  const running = async () => (await jobs.markRunning((await queued()).id))!;
  const failed = async () => (await jobs.markFailed((await running()).id, { code: 'storage_full', message: 'disk full' }))!;
  const ids = (list: Job[]) => list.map((job) => job.id);

  it('lists jobs of the given statuses last updated before the instant, least recently updated first', async () => {
    const a = await queued();
    const b = await running();
    const c = await queued();
    await jobs.cancel(c.id);
    await jobs.updateProgress(b.id, { percent: 5, recordsProcessed: 1, errorsFound: 0 });

    const stale = await jobs.listStale({ statuses: ['queued', 'running'], updatedBefore: inAMinute(), limit: 10 });
    expect(ids(stale)).toEqual([a.id, b.id]);
    expect(ids(await jobs.listStale({ statuses: ['running'], updatedBefore: inAMinute(), limit: 10 }))).toEqual([b.id]);
    expect(await jobs.listStale({ statuses: ['queued', 'running'], updatedBefore: aMinuteAgo(), limit: 10 })).toEqual([]);
    expect(await jobs.listStale({ statuses: [], updatedBefore: inAMinute(), limit: 10 })).toEqual([]);
    expect(ids(await jobs.listStale({ statuses: ['queued', 'running'], updatedBefore: inAMinute(), limit: 1 }))).toEqual([a.id]);
  });

  it('requeues a failed job as a fresh round: error, progress and attempts cleared', async () => {
    const job = await failed();
    const back = await jobs.requeue(job.id, { from: 'failed' });
    expect(back).toMatchObject({
      id: job.id,
      status: 'queued',
      errorCode: null,
      errorMessage: null,
      finishedAt: null,
      startedAt: null,
      attempts: 0,
      progressPercent: 0,
      updatedAt: expect.stringMatching(ISO_MS),
    });
    expect(await jobs.get(job.id)).toEqual(back);
    expect(await jobs.markRunning(job.id)).toMatchObject({ status: 'running', attempts: 1 });
  });

  it('requeues from failed only, and never a job whose files were deleted', async () => {
    const active = await running();
    expect(await jobs.requeue(active.id, { from: 'failed' })).toBeNull();
    const finished = await running();
    await jobs.markCompleted(finished.id, done);
    expect(await jobs.requeue(finished.id, { from: 'failed' })).toBeNull();
    const cancelled = await queued();
    await jobs.cancel(cancelled.id);
    expect(await jobs.requeue(cancelled.id, { from: 'failed' })).toBeNull();
    const deleted = await failed();
    await jobs.markFilesDeleted(deleted.id);
    expect(await jobs.requeue(deleted.id, { from: 'failed' })).toBeNull();
    expect(await jobs.requeue(randomUUID(), { from: 'failed' })).toBeNull();
    expect((await jobs.get(deleted.id))!.status).toBe('failed');
  });

  it('requeues a lost running job keeping its attempts, only when no worker touched it since the instant', async () => {
    const job = await running();
    await jobs.updateProgress(job.id, { percent: 40, recordsProcessed: 400, errorsFound: 2 });
    expect(await jobs.requeue(job.id, { from: 'running', updatedBefore: aMinuteAgo() })).toBeNull();
    expect((await jobs.get(job.id))!.status).toBe('running');

    const back = await jobs.requeue(job.id, { from: 'running', updatedBefore: inAMinute() });
    expect(back).toMatchObject({ status: 'queued', attempts: 1, progressPercent: 0, recordsProcessed: 0, startedAt: job.startedAt });
    expect(await jobs.requeue(job.id, { from: 'running', updatedBefore: inAMinute() })).toBeNull();
    const failedJob = await failed();
    expect(await jobs.requeue(failedJob.id, { from: 'running', updatedBefore: inAMinute() })).toBeNull();
  });

  it('fails a running job only when it was not updated since the instant', async () => {
    const job = await running();
    const error = { code: 'processing_lost', message: 'lost' };
    expect(await jobs.failStale(job.id, error, aMinuteAgo())).toBeNull();
    expect(await jobs.failStale(job.id, error, inAMinute())).toMatchObject({
      status: 'failed',
      errorCode: 'processing_lost',
      finishedAt: expect.stringMatching(ISO_MS),
    });
    expect(await jobs.failStale(job.id, error, inAMinute())).toBeNull();
    const waiting = await queued();
    expect(await jobs.failStale(waiting.id, error, inAMinute())).toBeNull();
    expect((await jobs.get(waiting.id))!.status).toBe('queued');
  });

  it('lets exactly one of racing requeues win', async () => {
    const job = await failed();
    const results = await Promise.all(Array.from({ length: 6 }, () => jobs.requeue(job.id, { from: 'failed' })));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });
});
