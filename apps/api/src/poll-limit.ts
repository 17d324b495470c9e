import type { FastifyRequest } from 'fastify';
import type { createRedisConnection } from '@harmonizer/queue';
import { ApiError } from './errors.js';
import { withTimeout } from './with-timeout.js';

type Redis = ReturnType<typeof createRedisConnection>;

/**
 * Who a request counts against: its tenant, and the user or api key within it. Requests without
 * a principal (public routes only) count as one 'anonymous' tenant, by ip.
 */
export function limitIdentity(request: FastifyRequest): { tenant: string; principal: string } {
  const { principal } = request;
  if (!principal) return { tenant: 'anonymous', principal: `ip:${request.ip}` };
  return { tenant: principal.tenantId, principal: `${principal.kind}:${principal.keyId ?? principal.subject}` };
}

/** A poll this much before its Retry-After is still on time: clocks and networks jitter. */
export const POLL_EARLY_MS = 250;
/** Redis answering slower than this does not hold up a status poll: the poll is let through. */
const REDIS_TIMEOUT_MS = 500;

export interface PollLimit {
  /**
   * Called for an active job about to be answered 202 with `Retry-After: retryAfterSeconds`.
   * Throws 429 `polling_too_fast` when the same principal polled the same job less than the
   * previous answer's Retry-After ago.
   */
  check(request: FastifyRequest, jobId: string, retryAfterSeconds: number): Promise<void>;
}

const noLimit: PollLimit = { check: async () => undefined };

/**
 * Status poll limit, shared by every api through Redis: one SET NX PX per poll of an active
 * job; the key lives until the next poll is due. A Redis failure lets the poll through.
 */
export function createPollLimit(redis: Redis | null, keyPrefix: string): PollLimit {
  if (redis === null) return noLimit;
  return {
    async check(request, jobId, retryAfterSeconds) {
      const { tenant, principal } = limitIdentity(request);
      const key = `${keyPrefix}${tenant}:${principal}:${jobId}`;
      const windowMs = Math.max(1, retryAfterSeconds * 1000 - POLL_EARLY_MS);
      let remainingMs: number;
      try {
        const set = await withTimeout(redis.set(key, '1', 'PX', windowMs, 'NX'), REDIS_TIMEOUT_MS, 'redis');
        if (set === 'OK') return;
        remainingMs = await withTimeout(redis.pttl(key), REDIS_TIMEOUT_MS, 'redis');
      } catch (err) {
        request.log.debug({ err: (err as Error).message }, 'status poll limit skipped: redis did not answer');
        return;
      }
      if (remainingMs <= 0) return; // expired between the two calls
      const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
      throw new ApiError(
        429,
        'polling_too_fast',
        `this job was polled less than its Retry-After ago; poll again in ${seconds} s`,
        { 'retry-after': String(seconds) },
      );
    },
  };
}
