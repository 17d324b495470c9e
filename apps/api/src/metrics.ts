import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '@harmonizer/db';
import type { HarmonizeQueue } from '@harmonizer/queue';
import { withTimeout } from './with-timeout.js';

export interface ApiMetrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly jobsSubmitted: Counter<'dataset'>;
}

const SCRAPE_TIMEOUT_MS = 1_000;

/**
 * The api's own registry (never the global one), so several apps in one process, as in tests,
 * do not collide. Queue and job gauges are read at scrape time; when Redis or the database does
 * not answer, that gauge is left empty instead of failing the whole scrape.
 */
export function createApiMetrics(deps: { db: Database; queue: HarmonizeQueue }): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'harmonizer_api_' });

  const httpDuration = new Histogram({
    name: 'harmonizer_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const jobsSubmitted = new Counter({
    name: 'harmonizer_jobs_submitted_total',
    help: 'Jobs accepted by POST /api/v1/jobs, by requested dataset ("auto" when detection was asked for).',
    labelNames: ['dataset'] as const,
    registers: [registry],
  });

  new Gauge({
    name: 'harmonizer_queue_jobs',
    help: 'Jobs in the Redis queue by BullMQ state, read at scrape time.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      try {
        const counts = await withTimeout(deps.queue.counts(), SCRAPE_TIMEOUT_MS, 'redis');
        this.reset();
        for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
      } catch {
        this.reset();
      }
    },
  });

  new Gauge({
    name: 'harmonizer_jobs',
    help: 'Jobs in the database by status, read at scrape time.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      try {
        const counts = await withTimeout(deps.db.jobs.countByStatus(), SCRAPE_TIMEOUT_MS, 'database');
        this.reset();
        for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
      } catch {
        this.reset();
      }
    },
  });

  return { registry, httpDuration, jobsSubmitted };
}
