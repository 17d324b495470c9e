import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_TARGETS, type DbTarget } from './db-targets.test-support.js';
import { completedJob as done, ISO_MS, newJob } from './job-fixtures.test-support.js';
import type { Database, Job, JobRepository } from './types.js';

describe.each(DB_TARGETS)('retention methods on $name', (kind) => {
  let target: DbTarget;
  let db: Database;
  let jobs: JobRepository;

  beforeEach(async () => {
    target = await kind.prepare();
    db = await target.open();
    jobs = db.jobs;
  });
  afterEach(() => target.cleanup());

  const completed = async (tenantId = 'local'): Promise<Job> => {
    const { job } = await jobs.create(newJob({ tenantId }));
    await jobs.markRunning(job.id);
    return (await jobs.markCompleted(job.id, done))!;
  };
  const failed = async (): Promise<Job> => {
    const { job } = await jobs.create(newJob());
    return (await jobs.markFailed(job.id, { code: 'boom', message: 'failed' }))!;
  };
  const cancelled = async (): Promise<Job> => (await jobs.cancel((await jobs.create(newJob())).job.id))!;
  /** A boundary strictly between what finished before and what finishes after. */
  const boundary = async (): Promise<string> => {
    await sleep(5);
    const at = new Date().toISOString();
    await sleep(5);
    return at;
  };
  const ids = (list: Job[]) => list.map((j) => j.id);
  const later = () => new Date(Date.now() + 60_000).toISOString();

  it('lists finished jobs older than the period, oldest first, of every tenant', async () => {
    const first = await completed('tenant-a');
    await sleep(2);
    const second = await failed();
    await sleep(2);
    const third = await cancelled();
    const cut = await boundary();
    await completed(); // finished after the cut
    await jobs.create(newJob()); // queued
    const run = (await jobs.create(newJob())).job;
    await jobs.markRunning(run.id); // running

    for (const kindOf of ['upload', 'results'] as const) {
      expect(ids(await jobs.listForRetention({ kind: kindOf, finishedBefore: cut, limit: 10 }))).toEqual([first.id, second.id, third.id]);
      expect(ids(await jobs.listForRetention({ kind: kindOf, finishedBefore: cut, limit: 2 }))).toEqual([first.id, second.id]);
    }
    expect(await jobs.listForRetention({ kind: 'upload', finishedBefore: later(), limit: 10 })).toHaveLength(4);
  });

  it('marks an upload deleted once, and lists it no more for uploads but still for results', async () => {
    const job = await completed();
    const marked = await jobs.markUploadDeleted(job.id);
    expect(marked).toMatchObject({ id: job.id, uploadDeletedAt: expect.stringMatching(ISO_MS), expiredAt: null, filesDeletedAt: null });
    await sleep(5);
    expect((await jobs.markUploadDeleted(job.id))?.uploadDeletedAt).toBe(marked?.uploadDeletedAt);
    expect(await jobs.listForRetention({ kind: 'upload', finishedBefore: later(), limit: 10 })).toEqual([]);
    expect(ids(await jobs.listForRetention({ kind: 'results', finishedBefore: later(), limit: 10 }))).toEqual([job.id]);
  });

  it('marks results expired once, setting files_deleted_at with it', async () => {
    const job = await completed();
    const expired = await jobs.markExpired(job.id);
    expect(expired).toMatchObject({ expiredAt: expect.stringMatching(ISO_MS), uploadDeletedAt: null });
    expect(expired?.filesDeletedAt).toBe(expired?.expiredAt);
    await sleep(5);
    const again = await jobs.markExpired(job.id);
    expect([again?.expiredAt, again?.filesDeletedAt]).toEqual([expired?.expiredAt, expired?.filesDeletedAt]);
    expect(await jobs.get(job.id)).toEqual(again);
    expect(await jobs.listForRetention({ kind: 'results', finishedBefore: later(), limit: 10 })).toEqual([]);
    expect(ids(await jobs.listForRetention({ kind: 'upload', finishedBefore: later(), limit: 10 }))).toEqual([job.id]);
  });

  it('leaves jobs whose files a user deleted out of the results sweep', async () => {
    const job = await completed();
    await jobs.markFilesDeleted(job.id);
    expect(await jobs.listForRetention({ kind: 'results', finishedBefore: later(), limit: 10 })).toEqual([]);
  });

  it('does not mark active or missing jobs', async () => {
    const queued = (await jobs.create(newJob())).job;
    expect(await jobs.markUploadDeleted(queued.id)).toBeNull();
    expect(await jobs.markExpired(queued.id)).toBeNull();
    expect(await jobs.get(queued.id)).toMatchObject({ uploadDeletedAt: null, expiredAt: null, filesDeletedAt: null });
    expect(await jobs.markExpired('no-such-job')).toBeNull();
  });

  it('refuses to retry a failed job whose upload is gone', async () => {
    const job = await failed();
    await jobs.markUploadDeleted(job.id);
    expect(await jobs.requeue(job.id, { from: 'failed' })).toBeNull();
    expect(await db.forTenant('local').jobs.requeue(job.id, { from: 'failed' })).toBeNull();
    expect((await jobs.get(job.id))?.status).toBe('failed');
  });

  it('rejects a limit below one and a timestamp that is not one', async () => {
    await expect(jobs.listForRetention({ kind: 'upload', finishedBefore: later(), limit: 0 })).rejects.toThrow(RangeError);
    await expect(jobs.listForRetention({ kind: 'upload', finishedBefore: 'yesterday', limit: 5 })).rejects.toThrow();
  });
});
