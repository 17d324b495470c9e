import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Job } from '@harmonizer/db';
import type { HarmonizeQueue } from '@harmonizer/queue';
import { jobUploadPrefix } from '@harmonizer/storage';
import type { RouteDeps } from './app-deps.js';
import { tenantScope } from './auth/tenant-scope.js';
import { ApiError } from './errors.js';
import { readUpload } from './read-upload.js';
import { resolveMappingProfile } from './resolve-mapping-profile.js';
import { withTimeout } from './with-timeout.js';

export const REDIS_TIMEOUT_MS = 3_000;
export const QUEUE_RETRY_AFTER_SECONDS = 5;

export const queueUnavailable = () =>
  new ApiError(503, 'queue_unavailable', 'the job queue is unavailable; nothing was kept, submit the file again later', {
    'retry-after': String(QUEUE_RETRY_AFTER_SECONDS),
  });

/**
 * Refuses at once (503) while Redis is down. Right after start-up the connection may still be
 * opening: wait for it, within the same bound.
 */
export async function assertQueueReachable(queue: HarmonizeQueue): Promise<void> {
  await withTimeout(
    queue.queue.waitUntilReady().then(() => queue.ping()),
    REDIS_TIMEOUT_MS,
    'redis',
  ).catch(() => {
    throw queueUnavailable();
  });
}

/** 1 to 200 printable ASCII characters, as most Idempotency-Key implementations accept. */
function readIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (typeof header === 'string' && /^[\x20-\x7e]{1,200}$/.test(header)) return header;
  throw new ApiError(400, 'invalid_idempotency_key', 'Idempotency-Key must be one header of 1 to 200 printable ASCII characters');
}

export interface Submission {
  /** False when an Idempotency-Key matched an earlier job, which is returned instead. */
  created: boolean;
  job: Job;
}

/**
 * POST /jobs: store the upload, insert the queued row (the truth), then put its id on the queue.
 * Redis is checked before the upload is read, so while it is down nothing is accepted (503). If
 * the enqueue itself fails after the row is in (Redis dropped in between), the job is still
 * accepted: its row stays queued with its upload, and the workers' reconciler enqueues it once
 * Redis answers. A 202 therefore always means the job will run. The job, its Idempotency-Key and
 * the mapping profile it names all belong to the caller's tenant.
 */
export function createSubmitJob(deps: RouteDeps) {
  const { db, storage, queue, metrics, config } = deps;

  return async function submitJob(request: FastifyRequest): Promise<Submission> {
    const idempotencyKey = readIdempotencyKey(request.headers['idempotency-key']);
    const tenant = tenantScope(db, request);
    if (idempotencyKey !== null) {
      const existing = await tenant.jobs.findByIdempotencyKey(idempotencyKey);
      if (existing) return { created: false, job: existing };
    }
    // Refuse before reading a large upload when Redis is down.
    await assertQueueReachable(queue);

    const id = randomUUID();
    const storagePrefix = jobUploadPrefix(id);
    const upload = await readUpload(request, {
      storage,
      maxUploadBytes: config.maxUploadBytes,
      storageKey: `${storagePrefix}/input`,
      storagePrefix,
      maxFieldBytes: config.limits.fieldBytes,
    });
    const removeUpload = () => storage.removePrefix(storagePrefix).catch(() => undefined);

    let created: { job: Job; created: boolean };
    try {
      const options = await resolveMappingProfile(tenant.mappings, upload.options);
      created = await tenant.jobs.create({ id, ...upload, options: { ...options }, storageKey: `${storagePrefix}/input`, idempotencyKey });
    } catch (err) {
      await removeUpload();
      throw err;
    }
    if (!created.created) {
      await removeUpload(); // a concurrent request with the same key won the race
      return created;
    }

    try {
      await withTimeout(queue.enqueue(id), REDIS_TIMEOUT_MS, 'redis');
    } catch (err) {
      request.log.warn({ jobId: id, err }, 'enqueue failed; the job stays queued for the reconciler to enqueue');
    }
    metrics.jobsSubmitted.inc({ dataset: upload.dataset ?? 'auto' });
    request.log.info({ jobId: id, sizeBytes: upload.sizeBytes, dataset: upload.dataset }, 'job submitted');
    return created;
  };
}
