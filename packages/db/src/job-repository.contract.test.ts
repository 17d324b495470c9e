import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_TARGETS, type DbTarget } from './db-targets.test-support.js';
import { completedJob as done, ISO_MS, newJob } from './job-fixtures.test-support.js';
import { InvalidCursorError, JOB_STATUSES, type Database, type Job, type JobRepository, type NewJob } from './types.js';

const newestFirst = (a: Job, b: Job) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;

describe.each(DB_TARGETS)('JobRepository on $name', (kind) => {
  let target: DbTarget;
  let db: Database;
  let jobs: JobRepository;

  beforeEach(async () => {
    target = await kind.prepare();
    db = await target.open();
    jobs = db.jobs;
  });
  afterEach(() => target.cleanup());

  const running = async (over: Partial<NewJob> = {}) => {
    const { job } = await jobs.create(newJob(over));
    return (await jobs.markRunning(job.id))!;
  };

  it('creates a queued job and reads back every field', async () => {
    const input = newJob({ idempotencyKey: 'key-1', contentType: null, dataset: null });
    const { job, created } = await jobs.create(input);
    expect(created).toBe(true);
    expect(job).toEqual({
      ...input,
      status: 'queued',
      detectedDataset: null,
      progressPercent: 0,
      recordsProcessed: 0,
      errorsFound: 0,
      counts: null,
      errorCode: null,
      errorMessage: null,
      attempts: 0,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: job.createdAt,
      startedAt: null,
      finishedAt: null,
      filesDeletedAt: null,
      uploadDeletedAt: null,
      expiredAt: null,
    });
    expect(await jobs.get(job.id)).toEqual(job);
    expect(await jobs.get(randomUUID())).toBeNull();
  });

  it('returns the first job for a repeated idempotency key', async () => {
    const first = await jobs.create(newJob({ idempotencyKey: 'same' }));
    const second = await jobs.create(newJob({ idempotencyKey: 'same', fileName: 'other.csv' }));
    expect(second).toEqual({ job: first.job, created: false });
    expect(await jobs.findByIdempotencyKey('same')).toEqual(first.job);
    expect(await jobs.findByIdempotencyKey('unused')).toBeNull();
    const a = await jobs.create(newJob());
    const b = await jobs.create(newJob());
    expect([a.created, b.created]).toEqual([true, true]);
  });

  it('stores one job when creates with the same key race', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => jobs.create(newJob({ idempotencyKey: 'race' }))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    expect((await jobs.list({ limit: 100 })).items).toHaveLength(1);
  });

  it('lists newest first across pages with no gaps or duplicates', async () => {
    for (let i = 0; i < 7; i++) await jobs.create(newJob());
    const expected = (await jobs.list({ limit: 100 })).items;
    expect(expected).toHaveLength(7);
    expect([...expected].sort(newestFirst)).toEqual(expected);

    const seen: Job[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await jobs.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((j) => j.id)).toEqual(expected.map((j) => j.id));
  });

  it('filters the list by status, also across pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await jobs.create(newJob())).job.id);
    const cancelledIds = [ids[0]!, ids[2]!, ids[5]!];
    for (const id of cancelledIds) await jobs.cancel(id);
    const first = await jobs.list({ status: 'cancelled', limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const second = await jobs.list({ status: 'cancelled', limit: 2, cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items];
    expect(all.every((j) => j.status === 'cancelled')).toBe(true);
    expect(all.map((j) => j.id).sort()).toEqual([...cancelledIds].sort());
    expect((await jobs.list({ status: 'queued', limit: 10 })).items).toHaveLength(3);
  });

  it('rejects a cursor it did not issue', async () => {
    const forged = Buffer.from(JSON.stringify({ at: 'yesterday' })).toString('base64url');
    for (const cursor of ['not a cursor!', forged, Buffer.from('["2024-01-01", "x"]').toString('base64url')]) {
      await expect(jobs.list({ limit: 5, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
  });

  it('marks running only from queued or running, counting attempts', async () => {
    const { job } = await jobs.create(newJob());
    const first = await jobs.markRunning(job.id);
    expect(first).toMatchObject({ status: 'running', attempts: 1, startedAt: expect.stringMatching(ISO_MS) });
    const retry = await jobs.markRunning(job.id);
    expect(retry).toMatchObject({ status: 'running', attempts: 2, startedAt: first!.startedAt });
    await jobs.markFailed(job.id, { code: 'input.unreadable', message: 'no rows' });
    expect(await jobs.markRunning(job.id)).toBeNull();
    expect(await jobs.markRunning(randomUUID())).toBeNull();
    const completed = await running();
    await jobs.markCompleted(completed.id, done);
    expect(await jobs.markRunning(completed.id)).toBeNull();
  });

  it('keeps a cancelled job cancelled when a worker picks it up', async () => {
    const { job } = await jobs.create(newJob());
    expect(await jobs.cancel(job.id)).toMatchObject({ status: 'cancelled', finishedAt: expect.stringMatching(ISO_MS) });
    expect(await jobs.markRunning(job.id)).toBeNull();
    expect(await jobs.updateProgress(job.id, { percent: 50, recordsProcessed: 5, errorsFound: 0 })).toBe(false);
    expect(await jobs.markCompleted(job.id, done)).toBeNull();
    expect(await jobs.markFailed(job.id, { code: 'x', message: 'y' })).toBeNull();
    expect(await jobs.get(job.id)).toMatchObject({ status: 'cancelled', attempts: 0, counts: null, errorCode: null });
    expect(await jobs.listResults(job.id)).toEqual([]);
    expect(await jobs.getMetrics(job.id)).toBeNull();
  });

  it('tells a running worker to stop once its job is cancelled', async () => {
    const job = await running();
    expect(await jobs.updateProgress(job.id, { percent: 12.5, recordsProcessed: 100, errorsFound: 3 })).toBe(true);
    expect(await jobs.get(job.id)).toMatchObject({ progressPercent: 12.5, recordsProcessed: 100, errorsFound: 3 });
    expect(await jobs.cancel(job.id)).toMatchObject({ status: 'cancelled' });
    expect(await jobs.updateProgress(job.id, { percent: 20, recordsProcessed: 200, errorsFound: 3 })).toBe(false);
    expect(await jobs.markCompleted(job.id, done)).toBeNull();
    expect(await jobs.get(job.id)).toMatchObject({ status: 'cancelled', recordsProcessed: 100 });
  });

  it('accepts progress only while running', async () => {
    const { job } = await jobs.create(newJob());
    expect(await jobs.updateProgress(job.id, { percent: 1, recordsProcessed: 1, errorsFound: 0 })).toBe(false);
    expect(await jobs.updateProgress(randomUUID(), { percent: 1, recordsProcessed: 1, errorsFound: 0 })).toBe(false);
    expect((await jobs.get(job.id))!.progressPercent).toBe(0);
  });

  it('completes a running job with its results and metrics', async () => {
    const job = await running();
    const completed = await jobs.markCompleted(job.id, done);
    expect(completed).toMatchObject({
      status: 'completed',
      detectedDataset: 'patients',
      counts: done.counts,
      progressPercent: 100,
      finishedAt: expect.stringMatching(ISO_MS),
    });
    expect(await jobs.get(job.id)).toEqual(completed);
    const results = await jobs.listResults(job.id);
    expect(results).toHaveLength(done.results.length);
    expect(results).toEqual(
      expect.arrayContaining(done.results.map((r) => ({ ...r, jobId: job.id, createdAt: completed!.finishedAt }))),
    );
    expect(await jobs.getMetrics(job.id)).toEqual({ jobId: job.id, ...done.metrics });
    expect(await jobs.markCompleted(job.id, done)).toBeNull();
  });

  it('stores one harmonized file per dataset and format, and null for the job-wide files', async () => {
    const job = await running();
    const perDataset = ['patients', 'encounters'].flatMap((dataset) =>
      (['csv', 'ndjson'] as const).map((format) => ({
        dataset,
        type: 'harmonized' as const,
        format,
        storageKey: `out/${dataset}.${format}`,
        count: dataset.length,
        sizeBytes: 10,
      })),
    );
    const jobWide = done.results.filter((r) => r.dataset === null);
    await jobs.markCompleted(job.id, { ...done, results: [...perDataset, ...jobWide] });
    const results = await jobs.listResults(job.id);
    expect(results.map((r) => [r.dataset, r.type, r.format])).toEqual([
      [null, 'rejects', 'ndjson'],
      [null, 'report', 'json'],
      ['encounters', 'harmonized', 'csv'],
      ['encounters', 'harmonized', 'ndjson'],
      ['patients', 'harmonized', 'csv'],
      ['patients', 'harmonized', 'ndjson'],
    ]);
    expect(results.find((r) => r.dataset === 'encounters' && r.format === 'csv')).toMatchObject({ storageKey: 'out/encounters.csv', count: 10 });
  });

  it('keeps several files of one dataset, type and format apart by their storage key', async () => {
    const job = await running();
    const fhir = (type: string) => ({ dataset: 'medications', type: 'harmonized' as const, format: 'fhir+ndjson', storageKey: `out/fhir/${type}.ndjson`, count: 1, sizeBytes: 1 });
    await jobs.markCompleted(job.id, { ...done, results: [fhir('MedicationRequest'), fhir('MedicationAdministration')] });
    expect((await jobs.listResults(job.id)).map((r) => r.storageKey).sort()).toEqual([
      'out/fhir/MedicationAdministration.ndjson',
      'out/fhir/MedicationRequest.ndjson',
    ]);
  });

  it('leaves the job running when storing its results fails', async () => {
    const job = await running();
    const first = done.results[0]!;
    await expect(jobs.markCompleted(job.id, { ...done, results: [first, first] })).rejects.toThrow();
    expect(await jobs.get(job.id)).toMatchObject({ status: 'running', counts: null, finishedAt: null });
    expect(await jobs.listResults(job.id)).toEqual([]);
    expect(await jobs.getMetrics(job.id)).toBeNull();
  });

  it('fails active jobs only, keeping the error', async () => {
    const { job } = await jobs.create(newJob());
    expect(await jobs.markFailed(job.id, { code: 'input.empty', message: 'the file has no rows' })).toMatchObject({
      status: 'failed',
      errorCode: 'input.empty',
      errorMessage: 'the file has no rows',
      finishedAt: expect.stringMatching(ISO_MS),
    });
    expect(await jobs.cancel(job.id)).toBeNull();
    expect(await jobs.markFailed(job.id, { code: 'other', message: 'other' })).toBeNull();
    expect((await jobs.get(job.id))!.errorCode).toBe('input.empty');
  });

  it('records file deletion for finished jobs only, once', async () => {
    const { job } = await jobs.create(newJob());
    expect(await jobs.markFilesDeleted(job.id)).toBeNull();
    await jobs.cancel(job.id);
    const deleted = await jobs.markFilesDeleted(job.id);
    expect(deleted!.filesDeletedAt).toMatch(ISO_MS);
    const again = await jobs.markFilesDeleted(job.id);
    expect(again!.filesDeletedAt).toBe(deleted!.filesDeletedAt);
  });

  it('appends logs and pages them oldest first', async () => {
    const { job } = await jobs.create(newJob());
    const { job: other } = await jobs.create(newJob());
    for (let i = 0; i < 5; i++) await jobs.appendLog(job.id, i === 4 ? 'warn' : 'info', `step ${i}`, { step: i });
    await jobs.appendLog(job.id, 'error', 'no data');
    await jobs.appendLog(other.id, 'info', 'elsewhere');
    const first = await jobs.listLogs(job.id, { limit: 4 });
    expect(first.map((l) => l.message)).toEqual(['step 0', 'step 1', 'step 2', 'step 3']);
    expect(first[0]).toEqual({ id: expect.any(Number), jobId: job.id, at: expect.stringMatching(ISO_MS), level: 'info', message: 'step 0', data: { step: 0 } });
    const rest = await jobs.listLogs(job.id, { limit: 4, afterId: first.at(-1)!.id });
    expect(rest.map((l) => [l.level, l.message, l.data])).toEqual([['warn', 'step 4', { step: 4 }], ['error', 'no data', null]]);
    expect(await jobs.listLogs(job.id, { limit: 4, afterId: rest.at(-1)!.id })).toEqual([]);
  });

  it('counts jobs in every status, zero included', async () => {
    expect(await jobs.countByStatus()).toEqual(Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])));
    await jobs.create(newJob());
    await jobs.create(newJob());
    await running();
    const { job } = await jobs.create(newJob());
    await jobs.cancel(job.id);
    expect(await jobs.countByStatus()).toEqual({ queued: 2, running: 1, completed: 0, failed: 0, cancelled: 1 });
  });

  it('migrates idempotently when the same database is opened again', async () => {
    const { job } = await jobs.create(newJob());
    const again = await target.open();
    await again.ping();
    expect(await again.jobs.get(job.id)).toEqual(job);
  });

  it('opens a fresh database from two racing createDb calls', async () => {
    const fresh = await kind.prepare();
    try {
      const [a, b] = await Promise.all([fresh.open(), fresh.open()]);
      const { job } = await a.jobs.create(newJob());
      expect(await b.jobs.get(job.id)).toEqual(job);
    } finally {
      await fresh.cleanup();
    }
  });
});
