import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createDb, type Database, type JobRepository } from '@harmonizer/db';
import {
  createHarmonizeQueue,
  createHarmonizeWorker,
  createRedisConnection,
  type HarmonizeQueue,
  type QueueJob,
  type QueueWorker,
} from '@harmonizer/queue';
import { createLocalStorage, type ObjectStorage } from '@harmonizer/storage';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from './metrics.js';
import { createPool, type ChunkPool } from './pool.js';
import { createProcessJob } from './process-job.js';
import { createFailureReconciler } from './reconcile-failed.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const PATIENTS = [
  'MRN;First Name;Last Name;DOB;Sex;ZIP',
  'P001;john;SMITH;01/02/1980;M;02134',
  'P002;Mary;Jones;1975-03-04;F;10001',
  'P002;Mary;Jones;1975-03-04;F;10001',
  'P003;Ann;Lee;01/01/2999;F;60601',
].join('\r\n');

let root: string;
let db: Database;
let storage: ObjectStorage;
let pool: ChunkPool;
type Redis = ReturnType<typeof createRedisConnection>;
let producer: Redis;
let consumer: Redis;
let queue: HarmonizeQueue;
let worker: QueueWorker | undefined;
let prefix: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-process-'));
  db = await createDb({ kind: 'sqlite', file: path.join(root, 'db.sqlite') });
  storage = createLocalStorage(path.join(root, 'files'));
  pool = createPool({ threads: 2 });
  producer = createRedisConnection(REDIS_URL, 'producer');
  consumer = createRedisConnection(REDIS_URL, 'consumer');
  prefix = `test-worker-${randomUUID()}`;
  queue = createHarmonizeQueue({ connection: producer, prefix, attempts: 2, backoffMs: 10 });
});

afterEach(async () => {
  await worker?.close();
  worker = undefined;
});

afterAll(async () => {
  await queue?.queue.obliterate({ force: true });
  await queue?.close();
  producer?.disconnect();
  consumer?.disconnect();
  await pool?.destroy();
  await db?.close();
  await fs.rm(root, { recursive: true, force: true });
});

/** Starts a real BullMQ worker running the processor, with the repository optionally wrapped. */
function startWorker(jobs: Partial<JobRepository> = {}) {
  const wrapped: Database = { ...db, jobs: { ...db.jobs, ...jobs } };
  const metrics = createWorkerMetrics({ pool });
  const logger = pino({ level: 'silent' });
  const processJob = createProcessJob({
    db: wrapped,
    storage,
    pool,
    metrics,
    logger,
    settings: { chunkRows: 2, progressIntervalMs: 0 },
  });
  worker = createHarmonizeWorker({ connection: consumer, prefix, concurrency: 1 }, processJob);
  const reconcile = createFailureReconciler({ db: wrapped, metrics, logger });
  worker.on('failed', (job, err) => void reconcile(job, err));
  return { worker, metrics };
}

/** Resolves with the BullMQ job when it settles for good (completed, or failed without retry left). */
function settled(w: QueueWorker, jobId: string): Promise<{ state: 'completed' | 'failed'; job: QueueJob }> {
  return new Promise((resolve) => {
    w.on('completed', (job) => {
      if (job.id === jobId) resolve({ state: 'completed', job });
    });
    w.on('failed', (job) => {
      if (job?.id === jobId && (job.attemptsMade >= (job.opts.attempts ?? 1) || job.finishedOn)) resolve({ state: 'failed', job });
    });
  });
}

async function submit(body: string, storageKey?: string): Promise<string> {
  const id = randomUUID();
  const key = storageKey ?? `uploads/${id}/input`;
  const stored = storageKey ? { size: 10, sha256: '0'.repeat(64) } : await storage.put(key, Readable.from([Buffer.from(body)]));
  await db.jobs.create({ tenantId: 'local', id, dataset: null, fileName: 'in.csv', contentType: 'text/csv', sizeBytes: stored.size, sha256: stored.sha256, storageKey: key, options: {}, idempotencyKey: null });
  return id;
}

const resultFiles = async (id: string) => (await fs.readdir(path.join(root, 'files', 'results', id)).catch(() => [])).sort();

describe('the job processor on a real BullMQ worker', () => {
  it('takes a queued job to completed, with counts, results, metrics and log lines', async () => {
    const { worker: w, metrics } = startWorker();
    const id = await submit(PATIENTS);
    const done = settled(w, id);
    await queue.enqueue(id);
    expect((await done).state).toBe('completed');
    const row = await db.jobs.get(id);
    expect(row).toMatchObject({ status: 'completed', detectedDataset: 'patients', counts: { rows_in: 4, rows_out: 2, rows_rejected: 1, duplicates: 1 } });
    expect((await db.jobs.listResults(id)).map((r) => `${r.type}.${r.format}`).sort()).toEqual([
      'harmonized.csv',
      'harmonized.fhir+ndjson',
      'harmonized.ndjson',
      'rejects.fhir+ndjson',
      'rejects.ndjson',
      'report.json',
    ]);
    expect(await resultFiles(id)).toEqual(['fhir', 'patients.harmonized.csv', 'patients.harmonized.ndjson', 'rejects.ndjson', 'report.json']);
    const logs = await db.jobs.listLogs(id, { limit: 10 });
    expect(logs.map((l) => l.message)).toEqual(['processing started', 'processing completed']);
    expect(JSON.stringify(logs)).not.toContain('SMITH'); // counts and mapping only, never values
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/harmonizer_jobs_finished_total\{status="completed"\} 1/);
    expect(text).toMatch(/harmonizer_records_processed_total\{outcome="duplicate"\} 1/);
  });

  it('fails a file with no recognizable header at once, with its code, without retrying', async () => {
    const { worker: w } = startWorker();
    const id = await submit('colour;weight\nred;3\n');
    const done = settled(w, id);
    await queue.enqueue(id);
    const { state, job } = await done;
    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(await db.jobs.get(id)).toMatchObject({ status: 'failed', errorCode: 'input.unknown_dataset' });
  });

  it('stops a job cancelled while it runs and leaves no result files', async () => {
    const { worker: w } = startWorker({
      // The user's DELETE lands while the worker reports its first progress.
      updateProgress: async (jobId, progress) => {
        await db.jobs.cancel(jobId);
        return db.jobs.updateProgress(jobId, progress);
      },
    });
    const id = await submit(PATIENTS);
    const done = settled(w, id);
    await queue.enqueue(id);
    expect((await done).state).toBe('completed'); // handled: nothing to retry
    expect(await db.jobs.get(id)).toMatchObject({ status: 'cancelled', counts: null });
    expect(await resultFiles(id)).toEqual([]);
    expect(await db.jobs.listResults(id)).toEqual([]);
  });

  it('removes the results of a job cancelled just before it would have completed', async () => {
    const { worker: w } = startWorker({
      markCompleted: async (jobId, completed) => {
        await db.jobs.cancel(jobId);
        return db.jobs.markCompleted(jobId, completed);
      },
    });
    const id = await submit(PATIENTS);
    const done = settled(w, id);
    await queue.enqueue(id);
    expect((await done).state).toBe('completed');
    expect((await db.jobs.get(id))?.status).toBe('cancelled');
    expect(await resultFiles(id)).toEqual([]);
  });

  it('keeps a cancelled job cancelled when a worker picks it up', async () => {
    const { worker: w } = startWorker();
    const id = await submit(PATIENTS);
    await db.jobs.cancel(id);
    const done = settled(w, id);
    await queue.enqueue(id);
    expect((await done).state).toBe('completed');
    expect(await db.jobs.get(id)).toMatchObject({ status: 'cancelled', attempts: 0 });
  });

  it('retries a transient failure and, when attempts run out, fails the row with a generic message', async () => {
    const { worker: w } = startWorker();
    const id = await submit('', 'uploads/missing/input'); // the stored file is gone: not the user's input at fault
    const done = settled(w, id);
    await queue.enqueue(id);
    const { state, job } = await done;
    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(2);
    await expect.poll(async () => (await db.jobs.get(id))?.status).toBe('failed');
    const row = await db.jobs.get(id);
    expect(row).toMatchObject({ errorCode: 'processing_failed', attempts: 2 });
    expect(row?.errorMessage).not.toMatch(/uploads|ENOENT|stored object/);
  });
});
