import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Database, type NewJob } from '@harmonizer/db';
import { createHarmonizeQueue, createRedisConnection, type HarmonizeQueue } from '@harmonizer/queue';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReconciler, type ReconcilerDeps } from './reconciler.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SETTINGS = { intervalMs: 1_000, lockMs: 1_000, progressIntervalMs: 100, attempts: 2 };

let root: string;
let db: Database;
let redis: ReturnType<typeof createRedisConnection>;
let queue: HarmonizeQueue;
let prefix: string;

const newJob = (): NewJob => ({
  tenantId: 'local',
  id: randomUUID(),
  dataset: 'patients',
  fileName: 'p.csv',
  contentType: 'text/csv',
  sizeBytes: 10,
  sha256: 'a'.repeat(64),
  storageKey: `uploads/${randomUUID()}/input`,
  options: {},
  idempotencyKey: null,
});

/** A reconciler that sees the clock a minute ahead, so every row is past its grace and stale windows. */
function reconciler(over: Partial<ReconcilerDeps> = {}) {
  return createReconciler({
    db,
    queue,
    lock: redis,
    lockKey: `${prefix}:reconciler`,
    logger: pino({ level: 'silent' }),
    settings: SETTINGS,
    now: () => Date.now() + 60_000,
    ...over,
  });
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'worker-reconciler-'));
  redis = createRedisConnection(REDIS_URL, 'producer');
});
beforeEach(async () => {
  prefix = `test-reconciler-${randomUUID()}`;
  db = await createDb({ kind: 'sqlite', file: path.join(root, `${prefix}.sqlite`) });
  queue = createHarmonizeQueue({ connection: redis, prefix, attempts: 2, backoffMs: 10 });
  await queue.queue.waitUntilReady();
});
afterEach(async () => {
  await queue.queue.obliterate({ force: true });
  await queue.close();
  await redis.del(`${prefix}:reconciler`);
  await db.close();
});
afterAll(async () => {
  redis.disconnect();
  await fs.rm(root, { recursive: true, force: true });
});

describe('reconciler', () => {
  it('enqueues a queued row that has no queue entry, once, and leaves one that has', async () => {
    const orphan = (await db.jobs.create(newJob())).job;
    const listed = (await db.jobs.create(newJob())).job;
    await queue.enqueue(listed.id);

    const report = await reconciler().runOnce();

    expect(report?.enqueued).toContain(orphan.id);
    expect(report?.enqueued).not.toContain(listed.id);
    expect(await queue.exists(orphan.id)).toBe(true);
    expect((await queue.queue.getJob(orphan.id))?.data).toEqual({ jobId: orphan.id });
    expect((await db.jobs.get(orphan.id))?.status).toBe('queued');
  });

  it('leaves a queued row alone while it is younger than the grace period', async () => {
    const fresh = (await db.jobs.create(newJob())).job;
    const report = await reconciler({ now: Date.now }).runOnce();
    expect(report?.enqueued).not.toContain(fresh.id);
    expect(await queue.exists(fresh.id)).toBe(false);
  });

  it('queues a lost running job again while attempts remain', async () => {
    const { job } = await db.jobs.create(newJob());
    await db.jobs.markRunning(job.id);

    const report = await reconciler().runOnce();

    expect(report?.requeued).toContain(job.id);
    expect(await db.jobs.get(job.id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(await queue.exists(job.id)).toBe(true);
  });

  it('fails a lost running job with processing_lost once its attempts are used up', async () => {
    const { job } = await db.jobs.create(newJob());
    await db.jobs.markRunning(job.id);
    await db.jobs.markRunning(job.id);

    const report = await reconciler().runOnce();

    expect(report?.failed).toContain(job.id);
    expect(await db.jobs.get(job.id)).toMatchObject({ status: 'failed', errorCode: 'processing_lost' });
    expect(await queue.exists(job.id)).toBe(false);
  });

  it('leaves a running row alone while its queue entry exists or a worker touched it recently', async () => {
    const held = (await db.jobs.create(newJob())).job;
    await db.jobs.markRunning(held.id);
    await queue.enqueue(held.id);
    expect((await reconciler().runOnce())?.requeued).not.toContain(held.id);

    const live = (await db.jobs.create(newJob())).job;
    await db.jobs.markRunning(live.id);
    const report = await reconciler({ now: Date.now, lockKey: `${prefix}:reconciler-2` }).runOnce();
    await redis.del(`${prefix}:reconciler-2`);

    expect(report?.requeued).not.toContain(live.id);
    expect(report?.failed).not.toContain(live.id);
    expect((await db.jobs.get(held.id))?.status).toBe('running');
    expect((await db.jobs.get(live.id))?.status).toBe('running');
  });

  it('lets one worker of many reconcile per interval', async () => {
    const orphan = (await db.jobs.create(newJob())).job;
    const passes = await Promise.all([reconciler().runOnce(), reconciler().runOnce(), reconciler().runOnce()]);
    expect(passes.filter((pass) => pass !== null)).toHaveLength(1);
    expect(passes.find((pass) => pass !== null)?.enqueued).toContain(orphan.id);
    expect(await redis.pttl(`${prefix}:reconciler`)).toBeGreaterThan(0);
  });

  it('keeps running passes on its timer and stops cleanly', async () => {
    const r = reconciler({ settings: { ...SETTINGS, intervalMs: 100 } });
    r.start();
    const orphan = (await db.jobs.create(newJob())).job;
    for (let i = 0; i < 100 && !(await queue.exists(orphan.id)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await r.stop();
    expect(await queue.exists(orphan.id)).toBe(true);
  });
});
