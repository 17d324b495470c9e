import { Redis } from 'ioredis';

/**
 * Producers fail fast while Redis is down (so the api can answer 503 at once); blocking consumers
 * must retry forever, as BullMQ requires `maxRetriesPerRequest: null` for workers.
 */
export function createRedisConnection(url: string, role: 'producer' | 'consumer'): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'consumer' ? null : 1,
    enableOfflineQueue: role === 'consumer',
    lazyConnect: false,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}
