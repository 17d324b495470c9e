import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { loadConfig, type Config } from '@harmonizer/config';
import { createDb, type Database, type Job } from '@harmonizer/db';
import { RETENTION_SWEEP, createMaintenanceQueue, createRedisConnection, type MaintenanceQueue } from '@harmonizer/queue';
import { createLocalStorage, type ObjectStorage } from '@harmonizer/storage';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runRetentionSweep, startRetention, type RetentionDeps } from './retention.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HOUR = 3_600_000;
const logger = pino({ level: 'silent' });

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-retention-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** A fresh database of one dialect, and how to throw it away. */
interface Target {
  name: string;
  open(): Promise<{ db: Database; dispose(): Promise<void> }>;
}

const TARGETS: Target[] = [
  {
    name: 'sqlite',
    async open() {
      const db = await createDb({ kind: 'sqlite', file: path.join(root, `${randomUUID()}.sqlite`) });
      return { db, dispose: () => db.close() };
    },
  },
  {
    name: 'postgres',
    async open() {
      const schema = `test_retention_${process.pid}_${randomBytes(4).toString('hex')}`;
      const db = await createDb({ kind: 'postgres', url: POSTGRES_URL, schema });
      return {
        db,
        async dispose() {
          await db.close();
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          try {
            await client.query(`drop schema if exists "${schema}" cascade`);
          } finally {
            await client.end();
          }
        },
      };
    },
  },
];

/** Stores `text` under `key` the way the api and the worker do. */
const store = (storage: ObjectStorage, key: string, text: string) => storage.put(key, Readable.from([Buffer.from(text)]));

/**
 * A job with its upload stored, taken to `status` the way the api and the worker do; a completed
 * one has a harmonized file, a rejects file and a report under results/<id>/.
 */
async function makeJob(db: Database, storage: ObjectStorage, status: 'completed' | 'failed' | 'cancelled' | 'running' | 'queued'): Promise<Job> {
  const id = randomUUID();
  const upload = await store(storage, `uploads/${id}/input`, 'MRN,First Name\nP001,john\n');
  const { job } = await db.jobs.create({
    id,
    tenantId: 'local',
    dataset: 'patients',
    fileName: 'patients.csv',
    contentType: 'text/csv',
    sizeBytes: upload.size,
    sha256: upload.sha256,
    storageKey: `uploads/${id}/input`,
    options: {},
    idempotencyKey: null,
  });
  if (status === 'queued') return job;
  if (status === 'cancelled') return (await db.jobs.cancel(id))!;
  await db.jobs.markRunning(id);
  if (status === 'running') return (await db.jobs.get(id))!;
  if (status === 'failed') return (await db.jobs.markFailed(id, { code: 'processing_failed', message: 'x' }))!;
  const results = [
    { dataset: 'patients', type: 'harmonized' as const, format: 'csv', storageKey: `results/${id}/harmonized.csv`, count: 1, sizeBytes: 0 },
    { dataset: null, type: 'rejects' as const, format: 'ndjson', storageKey: `results/${id}/rejects.ndjson`, count: 0, sizeBytes: 0 },
    { dataset: null, type: 'report' as const, format: 'json', storageKey: `results/${id}/report.json`, count: 1, sizeBytes: 0 },
  ];
  for (const r of results) r.sizeBytes = (await store(storage, r.storageKey, `${r.type}\n`)).size;
  const done = await db.jobs.markCompleted(id, {
    detectedDataset: 'patients',
    counts: { rows_in: 1, rows_out: 1, rows_rejected: 0, duplicates: 0, warnings: 0 },
    results,
    metrics: { durationMs: 1, bytesIn: upload.size, recordsIn: 1, recordsOut: 1, recordsRejected: 0, duplicates: 0, errors: 0, warnings: 0 },
  });
  return done!;
}

const uploadStored = async (storage: ObjectStorage, job: Job) => (await storage.size(job.storageKey)) !== null;
async function resultsStored(db: Database, storage: ObjectStorage, job: Job): Promise<boolean[]> {
  const results = await db.jobs.listResults(job.id);
  return Promise.all(results.map(async (r) => (await storage.size(r.storageKey)) !== null));
}

describe.each(TARGETS)('runRetentionSweep ($name)', (target) => {
  let db: Database;
  let dispose: () => Promise<void>;
  let storage: ObjectStorage;

  beforeEach(async () => {
    ({ db, dispose } = await target.open());
    storage = createLocalStorage(path.join(root, randomUUID()));
  });
  afterEach(async () => {
    await dispose();
  });

  const deps = (over: Partial<RetentionDeps> = {}): RetentionDeps => ({
    db,
    storage,
    logger,
    retention: { uploadsMs: HOUR, resultsMs: HOUR },
    ...over,
  });

  it('removes the files of finished jobs older than the period and marks them; newer and active jobs keep theirs', async () => {
    const old = [await makeJob(db, storage, 'completed'), await makeJob(db, storage, 'failed'), await makeJob(db, storage, 'cancelled')];
    await delay(50);
    const newer = await makeJob(db, storage, 'completed');
    const running = await makeJob(db, storage, 'running');
    const queued = await makeJob(db, storage, 'queued');
    // The clock an hour after the newer job finished, less a little: the old ones are past the period, it is not.
    const now = new Date(Date.parse(newer.finishedAt!) + HOUR - 20);
    for (const job of old) expect(Date.parse(job.finishedAt!) + HOUR).toBeLessThan(now.getTime());

    const report = await runRetentionSweep(deps(), now);

    expect(report).toEqual({ uploadsDeleted: 3, resultsExpired: 3, failed: 0 });
    for (const job of old) {
      const row = (await db.jobs.get(job.id))!;
      expect(row.uploadDeletedAt, job.status).not.toBeNull();
      expect(row.expiredAt, job.status).not.toBeNull();
      expect(row.filesDeletedAt, job.status).not.toBeNull();
      expect(row.status).toBe(job.status);
      expect(await uploadStored(storage, job)).toBe(false);
    }
    const completedOld = old[0]!;
    expect(await resultsStored(db, storage, completedOld)).toEqual([false, false, false]);
    // The record of what was written stays; only the files go.
    expect((await db.jobs.listResults(completedOld.id)).length).toBe(3);

    for (const job of [newer, running, queued]) {
      const row = (await db.jobs.get(job.id))!;
      expect(row.uploadDeletedAt).toBeNull();
      expect(row.expiredAt).toBeNull();
      expect(row.filesDeletedAt).toBeNull();
      expect(await uploadStored(storage, job)).toBe(true);
    }
    expect(await resultsStored(db, storage, newer)).toEqual([true, true, true]);

    // Nothing left to do: a second pass changes nothing, not even the timestamps.
    const before = (await db.jobs.get(completedOld.id))!;
    expect(await runRetentionSweep(deps(), now)).toEqual({ uploadsDeleted: 0, resultsExpired: 0, failed: 0 });
    expect(await db.jobs.get(completedOld.id)).toEqual(before);

    // Later, the newer job's turn comes; active jobs are never touched however old.
    const later = new Date(now.getTime() + 10 * HOUR);
    expect(await runRetentionSweep(deps(), later)).toEqual({ uploadsDeleted: 1, resultsExpired: 1, failed: 0 });
    expect(await resultsStored(db, storage, newer)).toEqual([false, false, false]);
    expect(await uploadStored(storage, running)).toBe(true);
    expect(await uploadStored(storage, queued)).toBe(true);
  });

  it('uses each period for its own kind, and a null period keeps that kind forever', async () => {
    const job = await makeJob(db, storage, 'completed');
    const finished = Date.parse(job.finishedAt!);

    // Uploads after 1 h, results kept forever: 2 h later only the upload is gone.
    expect(await runRetentionSweep(deps({ retention: { uploadsMs: HOUR, resultsMs: null } }), new Date(finished + 2 * HOUR))).toEqual({
      uploadsDeleted: 1,
      resultsExpired: 0,
      failed: 0,
    });
    let row = (await db.jobs.get(job.id))!;
    expect(row.uploadDeletedAt).not.toBeNull();
    expect(row.expiredAt).toBeNull();
    expect(await uploadStored(storage, job)).toBe(false);
    expect(await resultsStored(db, storage, job)).toEqual([true, true, true]);

    // Results after 3 h: not yet at 2 h, gone at 4 h.
    const both = deps({ retention: { uploadsMs: HOUR, resultsMs: 3 * HOUR } });
    expect((await runRetentionSweep(both, new Date(finished + 2 * HOUR))).resultsExpired).toBe(0);
    expect((await runRetentionSweep(both, new Date(finished + 4 * HOUR))).resultsExpired).toBe(1);
    row = (await db.jobs.get(job.id))!;
    expect(row.expiredAt).not.toBeNull();
    expect(await resultsStored(db, storage, job)).toEqual([false, false, false]);
  });

  it('does not expire the results of a job whose files DELETE already removed', async () => {
    const job = await makeJob(db, storage, 'completed');
    await db.jobs.markFilesDeleted(job.id);
    const report = await runRetentionSweep(deps(), new Date(Date.parse(job.finishedAt!) + 2 * HOUR));
    expect(report.resultsExpired).toBe(0);
    expect((await db.jobs.get(job.id))!.expiredAt).toBeNull();
  });

  it('works through more jobs than one batch', async () => {
    const jobs = [];
    for (let i = 0; i < 5; i += 1) jobs.push(await makeJob(db, storage, i % 2 === 0 ? 'completed' : 'failed'));
    const last = Math.max(...jobs.map((j) => Date.parse(j.finishedAt!)));
    const report = await runRetentionSweep(deps({ batchSize: 2 }), new Date(last + 2 * HOUR));
    expect(report).toEqual({ uploadsDeleted: 5, resultsExpired: 5, failed: 0 });
    for (const job of jobs) expect(await uploadStored(storage, job)).toBe(false);
  });

  it('leaves a job whose files could not be removed unmarked for the next sweep, and goes on with the others', async () => {
    const jobs = [await makeJob(db, storage, 'completed'), await makeJob(db, storage, 'completed'), await makeJob(db, storage, 'completed')];
    const stuck = jobs[0]!;
    // The real storage, with removal of one job's upload failing (a disk error).
    const faulty: ObjectStorage = {
      ...storage,
      async removePrefix(prefix) {
        if (prefix === `uploads/${stuck.id}`) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        return storage.removePrefix(prefix);
      },
    };
    const now = new Date(Math.max(...jobs.map((j) => Date.parse(j.finishedAt!))) + 2 * HOUR);

    const report = await runRetentionSweep(deps({ storage: faulty, batchSize: 1 }), now);

    expect(report).toEqual({ uploadsDeleted: 2, resultsExpired: 3, failed: 1 });
    expect((await db.jobs.get(stuck.id))!.uploadDeletedAt).toBeNull();
    expect(await uploadStored(storage, stuck)).toBe(true);
    // Once the storage works again, the next sweep finishes the job.
    expect(await runRetentionSweep(deps(), now)).toEqual({ uploadsDeleted: 1, resultsExpired: 0, failed: 0 });
    expect(await uploadStored(storage, stuck)).toBe(false);
  });

  it('ends the pass after ten removals failed in a row (storage down) and marks nothing it did not remove', async () => {
    const jobs = [];
    for (let i = 0; i < 12; i += 1) jobs.push(await makeJob(db, storage, 'failed'));
    const down: ObjectStorage = {
      ...storage,
      async removePrefix() {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      },
    };
    const now = new Date(Math.max(...jobs.map((j) => Date.parse(j.finishedAt!))) + 2 * HOUR);
    expect(await runRetentionSweep(deps({ storage: down, batchSize: 5, retention: { uploadsMs: HOUR, resultsMs: null } }), now)).toEqual({
      uploadsDeleted: 0,
      resultsExpired: 0,
      failed: 10,
    });
    for (const job of jobs) expect((await db.jobs.get(job.id))!.uploadDeletedAt).toBeNull();
  });
});

describe('startRetention (BullMQ job scheduler on the maintenance queue)', () => {
  let prefix: string;
  let db: Database;
  let storage: ObjectStorage;
  let redis: ReturnType<typeof createRedisConnection>;
  let queue: MaintenanceQueue;
  const running: { stop(): Promise<void> }[] = [];

  const config = (env: Record<string, string>): Config =>
    loadConfig({ REDIS_URL, QUEUE_PREFIX: prefix, DATA_DIR: root, AUTH_MODE: 'none', ...env });

  beforeEach(async () => {
    prefix = `test-retention-${randomUUID()}`;
    db = await createDb({ kind: 'sqlite', file: path.join(root, `${prefix}.sqlite`) });
    storage = createLocalStorage(path.join(root, prefix));
    redis = createRedisConnection(REDIS_URL, 'consumer');
    queue = createMaintenanceQueue({ connection: redis, prefix });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
    await queue.queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
    await db.close();
  });

  async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > deadline) return value;
      await delay(100);
    }
  }

  it('schedules one sweep however many workers start, and the sweeps expire results once their period passed', async () => {
    const settings = config({ RESULT_RETENTION: '1s', UPLOAD_RETENTION: 'forever', RETENTION_SWEEP_INTERVAL_MS: '1000' });
    const job = await makeJob(db, storage, 'completed');
    running.push(startRetention(settings, { db, storage, logger }), startRetention(settings, { db, storage, logger }));

    const scheduler = await until(() => queue.scheduler(RETENTION_SWEEP), (s) => s !== null);
    expect(scheduler?.every).toBe(1000);
    expect(await queue.queue.getJobSchedulersCount()).toBe(1);

    const row = await until(() => db.jobs.get(job.id), (j) => j?.expiredAt !== null);
    expect(row?.expiredAt).not.toBeNull();
    // It expired no sooner than its period allowed.
    expect(Date.parse(row!.expiredAt!) - Date.parse(job.finishedAt!)).toBeGreaterThanOrEqual(1000);
    expect(await resultsStored(db, storage, job)).toEqual([false, false, false]);
    // UPLOAD_RETENTION=forever: the upload stays.
    expect(row?.uploadDeletedAt).toBeNull();
    expect(await uploadStored(storage, job)).toBe(true);
  });

  it('removes the schedule when both periods are forever', async () => {
    await queue.schedule(RETENTION_SWEEP, 60_000);
    expect(await queue.scheduler(RETENTION_SWEEP)).not.toBeNull();
    const off = startRetention(config({ RESULT_RETENTION: 'forever', UPLOAD_RETENTION: 'forever' }), { db, storage, logger });
    await off.stop(); // waits for the removal
    expect(await queue.scheduler(RETENTION_SWEEP)).toBeNull();
  });
});
