import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createDb, type Database } from '@harmonizer/db';
import {
  createHarmonizeQueue,
  createHarmonizeWorker,
  createRedisConnection,
  type HarmonizeQueue,
  type QueueJob,
  type QueueWorker,
} from '@harmonizer/queue';
import { createEncryptedStorage, createLocalStorage, type EncryptionKey, type ObjectStorage } from '@harmonizer/storage';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from './metrics.js';
import { createPool, type ChunkPool } from './pool.js';
import { createProcessJob } from './process-job.js';
import { createFailureReconciler } from './reconcile-failed.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PATIENTS = 'MRN;First Name;Last Name;DOB\nP001;john;SMITH;01/02/1980\nP002;Mary;Jones;1975-03-04\n';
const current: EncryptionKey = { id: 'k2', key: randomBytes(32) };
const retired: EncryptionKey = { id: 'k1', key: randomBytes(32) };

let root: string;
let db: Database;
/** What the worker reads with: encrypted at rest with the current key only. */
let storage: ObjectStorage;
let pool: ChunkPool;
type Redis = ReturnType<typeof createRedisConnection>;
let producer: Redis;
let consumer: Redis;
let queue: HarmonizeQueue;
let worker: QueueWorker | undefined;
let prefix: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-storage-'));
  db = await createDb({ kind: 'sqlite', file: path.join(root, 'db.sqlite') });
  storage = createEncryptedStorage(createLocalStorage(path.join(root, 'files')), { current });
  pool = createPool({ threads: 1 });
  producer = createRedisConnection(REDIS_URL, 'producer');
  consumer = createRedisConnection(REDIS_URL, 'consumer');
  prefix = `test-worker-storage-${randomUUID()}`;
  // Three attempts: a permanent failure must stop after the first.
  queue = createHarmonizeQueue({ connection: producer, prefix, attempts: 3, backoffMs: 10 });
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

/** Runs the job on a real BullMQ worker over the encrypted storage until it settles for good. */
async function run(id: string): Promise<QueueJob> {
  const metrics = createWorkerMetrics({ pool });
  const logger = pino({ level: 'silent' });
  const processJob = createProcessJob({ db, storage, pool, metrics, logger, settings: { chunkRows: 10, progressIntervalMs: 0 } });
  worker = createHarmonizeWorker({ connection: consumer, prefix, concurrency: 1 }, processJob);
  const reconcile = createFailureReconciler({ db, metrics, logger });
  const settled = new Promise<QueueJob>((resolve) => {
    worker?.on('completed', (job) => job.id === id && resolve(job));
    worker?.on('failed', (job, err) => {
      void reconcile(job, err);
      if (job?.id === id && (err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1))) resolve(job);
    });
  });
  await queue.enqueue(id);
  return settled;
}

/** Stores the upload through `writer` (an encrypted storage over the same directory) and a queued job row for it. */
async function submit(writer: ObjectStorage): Promise<{ id: string; file: string }> {
  const id = randomUUID();
  const storageKey = `uploads/${id}/input`;
  const { size, sha256 } = await writer.put(storageKey, Readable.from([Buffer.from(PATIENTS)]));
  await db.jobs.create({ tenantId: 'local', id, dataset: null, fileName: 'in.csv', contentType: 'text/csv', sizeBytes: size, sha256, storageKey, options: {}, idempotencyKey: null });
  return { id, file: path.join(root, 'files', storageKey) };
}

const resultFiles = async (id: string) => fs.readdir(path.join(root, 'files', 'results', id)).catch(() => []);

describe('the job processor on encrypted storage', () => {
  it('completes a job whose upload is intact', async () => {
    const { id } = await submit(storage);
    await run(id);
    expect(await db.jobs.get(id)).toMatchObject({ status: 'completed', counts: { rows_in: 2, rows_out: 2 } });
  });

  it('fails a job whose stored upload was tampered with as storage.tampered, at once and without results', async () => {
    const { id, file } = await submit(storage);
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0x01; // one bit, inside the last chunk
    await fs.writeFile(file, bytes);
    const job = await run(id);
    expect(job.attemptsMade).toBe(1);
    const row = await db.jobs.get(id);
    expect(row).toMatchObject({ status: 'failed', errorCode: 'storage.tampered', attempts: 1, counts: null });
    expect(row?.errorMessage).toMatch(/integrity check/);
    expect(await resultFiles(id)).toEqual([]);
    expect((await db.jobs.listLogs(id, { limit: 10 })).map((l) => [l.message, l.data?.code])).toContainEqual(['stored upload unreadable', 'storage.tampered']);
  });

  it('fails a job whose upload was encrypted with a key no longer configured as storage.unknown_key, without retrying', async () => {
    const { id } = await submit(createEncryptedStorage(createLocalStorage(path.join(root, 'files')), { current: retired }));
    const job = await run(id);
    expect(job.attemptsMade).toBe(1);
    const row = await db.jobs.get(id);
    expect(row).toMatchObject({ status: 'failed', errorCode: 'storage.unknown_key', attempts: 1 });
    expect(row?.errorMessage).toContain('"k1"');
    expect(row?.errorMessage).toContain('ENCRYPTION_KEYS');
  });
});
