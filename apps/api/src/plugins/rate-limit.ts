import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '@harmonizer/config';
import { createRedisConnection } from '@harmonizer/queue';
import { ApiError } from '../errors.js';
import { createPollLimit, limitIdentity, type PollLimit } from '../poll-limit.js';
import { withTimeout } from '../with-timeout.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler of POST /jobs: 429 `rate_limited` past the per-principal or per-tenant submissions a minute. */
    submissionRateLimit: (request: FastifyRequest) => Promise<void>;
    /** The status poll limit (lets everything through when STATUS_POLL_LIMIT=off). */
    pollLimit: PollLimit;
  }
}

const MINUTE_MS = 60_000;
/** How long start-up waits for the limits' Redis connection before going on without it. */
const CONNECT_WAIT_MS = 2_000;

/**
 * Resolves once the connection is ready or its first attempt failed (bounded): commands sent
 * before it is ready fail at once, and the first requests after start would not be counted.
 */
function firstConnectionAttempt(redis: ReturnType<typeof createRedisConnection>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, CONNECT_WAIT_MS);
    redis.once('ready', done);
    redis.once('error', done);
  });
}
/** Redis answering slower than this does not hold up a submission: the limit is skipped. */
const REDIS_TIMEOUT_MS = 1_000;

interface Limiter {
  max: number;
  who: string;
  check: ReturnType<FastifyRequest['server']['createRateLimit']>;
}

/**
 * Request limits counted in Redis, so every api process shares them: submissions per minute per
 * principal and per tenant (@fastify/rate-limit's Redis store, fixed one-minute windows), and the
 * status poll limit. They use a connection of their own under `<QUEUE_PREFIX>:`; while Redis is
 * down the limits let requests through (submissions are refused by the queue check anyway).
 */
export const rateLimitPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    const { submissionsPerMinute, tenantSubmissionsPerMinute, statusPoll } = config.limits;
    const limitSubmissions = submissionsPerMinute > 0 || tenantSubmissionsPerMinute > 0;
    const redis = limitSubmissions || statusPoll ? createRedisConnection(config.redisUrl, 'producer') : null;
    if (redis) {
      redis.on('error', () => undefined); // the queue's own connection reports Redis outages
      await firstConnectionAttempt(redis);
      app.addHook('onClose', async () => {
        if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
        else redis.disconnect();
      });
    }
    app.decorate('pollLimit', createPollLimit(statusPoll ? redis : null, `${config.queuePrefix}:limits:poll:`));

    const limiters: Limiter[] = [];
    if (redis && limitSubmissions) {
      await app.register(fastifyRateLimit, {
        global: false,
        redis,
        skipOnError: true,
        nameSpace: `${config.queuePrefix}:limits:rate:`,
        timeWindow: MINUTE_MS,
      });
      // Counters live at <prefix>:limits:rate:<store tag>submit:principal:<tenant>:<kind>:<id> and
      // ...submit:tenant:<tenant>, each expiring with its window (createRateLimit's child store
      // tags its keys with a route, 'undefinedundefined-' for limiters made outside one).
      const add = (max: number, who: string, key: (request: FastifyRequest) => string) => {
        if (max > 0) limiters.push({ max, who, check: app.createRateLimit({ max, timeWindow: MINUTE_MS, keyGenerator: key }) });
      };
      add(submissionsPerMinute, 'this user or api key', (request) => {
        const { tenant, principal } = limitIdentity(request);
        return `submit:principal:${tenant}:${principal}`;
      });
      add(tenantSubmissionsPerMinute, 'this tenant', (request) => `submit:tenant:${limitIdentity(request).tenant}`);
    }

    app.decorate('submissionRateLimit', async (request: FastifyRequest) => {
      for (const limiter of limiters) {
        let result: Awaited<ReturnType<Limiter['check']>>;
        try {
          result = await withTimeout(limiter.check(request), REDIS_TIMEOUT_MS, 'redis');
        } catch (err) {
          request.log.debug({ err: (err as Error).message }, 'submission rate limit skipped: redis did not answer');
          return;
        }
        if (!result.isAllowed && result.isExceeded) {
          const seconds = Math.max(1, result.ttlInSeconds);
          throw new ApiError(
            429,
            'rate_limited',
            `too many job submissions: ${limiter.who} may submit ${limiter.max} a minute; retry in ${seconds} s`,
            { 'retry-after': String(seconds) },
          );
        }
      }
    });
  },
  { name: 'harmonizer-rate-limit' },
);
