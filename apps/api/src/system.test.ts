import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitCsv } from './testing/inject-upload.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const get = (app: TestApp, url: string) => app.app.inject({ method: 'GET', url });

describe('probes and version', () => {
  it('answers /health with 200 ok', async () => {
    const res = await get(t, '/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers /ready with 200 when the database and Redis answer', async () => {
    const res = await get(t, '/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    expect(t.specProblems('get', '/ready', res)).toEqual([]);
  });

  it('reports the root package version and the Node version', async () => {
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const res = await get(t, '/version');
    expect(res.json()).toEqual({ name: root.name, version: root.version, node: process.version });
  });

  it('answers an unknown route with 404 route_not_found', async () => {
    const res = await get(t, '/api/v1/nothing-here?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'route_not_found', message: 'no route for GET /api/v1/nothing-here' } });
  });
});

describe('metrics', () => {
  it('exposes request durations by route template, submissions, queue depth and jobs by status', async () => {
    const id = await submitCsv(t.app);
    await get(t, `/api/v1/jobs/${id}`);
    await get(t, `/no-such-page-${id}`);
    const res = await get(t, '/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const body = res.body;
    expect(body).toContain(`harmonizer_http_request_duration_seconds_count{method="GET",route="/api/v1/jobs/:id",status_code="200"} 1`);
    expect(body).toMatch(/route="unmatched",status_code="404"/);
    expect(body).not.toContain(id);
    expect(body).toMatch(/harmonizer_jobs_submitted_total\{dataset="auto"\} 1/);
    expect(body).toMatch(/harmonizer_queue_jobs\{state="waiting"\} 1/);
    expect(body).toMatch(/harmonizer_jobs\{status="queued"\} 1/);
    expect(body).toContain('harmonizer_api_process_cpu_user_seconds_total');
  });

  it('serves the same registry at /api/v1/metrics', async () => {
    const res = await get(t, '/api/v1/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('harmonizer_jobs_submitted_total');
  });
});

describe('with Redis down', () => {
  let down: TestApp;
  beforeAll(async () => {
    down = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(async () => {
    await down?.close();
  });

  it('answers /ready with 503 not_ready naming redis', async () => {
    const res = await get(down, '/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: { code: 'not_ready', message: 'redis is down' } });
    expect(down.specProblems('get', '/ready', res)).toEqual([]);
  });

  it('still answers a scrape, leaving the queue gauge empty', async () => {
    const res = await get(down, '/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/harmonizer_jobs\{status="queued"\} 0/);
    expect(res.body).not.toMatch(/harmonizer_queue_jobs\{/);
  });
});

describe('unexpected failures', () => {
  it('answer 500 internal_error without internals', async () => {
    const broken = await createTestApp();
    try {
      await broken.db.close();
      const res = await get(broken, '/api/v1/jobs');
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        error: { code: 'internal_error', message: 'the server failed to answer this request; try again later' },
      });
      expect(res.body).not.toMatch(/database|sqlite|stack|at /i);
    } finally {
      await broken.close();
    }
  });
});
