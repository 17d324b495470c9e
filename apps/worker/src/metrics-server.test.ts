import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerMetrics } from './metrics.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const pool = { threads: 3, queueSize: () => 7, utilization: () => 0.25 };

describe('worker metrics server', () => {
  it('serves Prometheus text with the job metrics and the pool gauges read at scrape time', async () => {
    const metrics = createWorkerMetrics({ pool });
    metrics.jobsFinished.inc({ status: 'completed' });
    server = await startMetricsServer(metrics.registry, { host: '127.0.0.1', port: 0 });
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    expect(body).toContain('harmonizer_jobs_finished_total{status="completed"} 1');
    expect(body).toContain('harmonizer_jobs_finished_total{status="cancelled"} 0');
    expect(body).toContain('harmonizer_pool_threads 3');
    expect(body).toContain('harmonizer_pool_queue_size 7');
    expect(body).toContain('harmonizer_pool_utilization_ratio 0.25');
    expect(body).toContain('harmonizer_worker_process_cpu_seconds_total');
  });

  it('answers /health and a JSON 404 elsewhere', async () => {
    server = await startMetricsServer(createWorkerMetrics({ pool }).registry, { host: '127.0.0.1', port: 0 });
    const health = await fetch(`http://127.0.0.1:${server.port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const missing = await fetch(`http://127.0.0.1:${server.port}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
