import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { authEnv, bearer, tokenFor } from '../testing/auth-tokens.js';
import { completeJob } from '../testing/complete-job.js';
import { footprint } from '../testing/footprint.js';
import { injectUpload, PATIENTS_CSV } from '../testing/inject-upload.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

const ALICE = bearer(tokenFor('acme', ['submitter'], 'alice'));
const BOB = bearer(tokenFor('acme', ['submitter'], 'bob'));
const CAROL_OF_GLOBEX = bearer(tokenFor('globex', ['submitter'], 'carol'));

const file = { name: 'file', filename: 'patients.csv', content: PATIENTS_CSV };
const submit = (t: TestApp, headers: Record<string, string>) => injectUpload(t.app, [file], headers);

function expectTooMany(res: LightMyRequestResponse, code: string, maxSeconds: number): number {
  expect(res.statusCode).toBe(429);
  expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  return retryAfter;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('POST /jobs submission limits', () => {
  describe('per user or api key', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: authEnv({ RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '2', RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '0' }) });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers 429 rate_limited with Retry-After past the limit, keeps nothing, and counts each user apart', async () => {
      expect((await submit(t, ALICE)).statusCode).toBe(202);
      expect((await submit(t, ALICE)).statusCode).toBe(202);
      const before = await footprint(t);
      const refused = await submit(t, ALICE);
      expectTooMany(refused, 'rate_limited', 60);
      expect(refused.json().error.message).toContain('2 a minute');
      expect(t.specProblems('post', '/api/v1/jobs', refused)).toEqual([]);
      expect(await footprint(t)).toEqual(before);

      expect((await submit(t, BOB)).statusCode).toBe(202);
    });

    it('does not count requests refused before it (no credentials, wrong role)', async () => {
      const dave = bearer(tokenFor('acme', ['submitter'], 'dave'));
      const daveViewer = bearer(tokenFor('acme', ['viewer'], 'dave'));
      for (let i = 0; i < 3; i += 1) {
        expect((await submit(t, {})).statusCode).toBe(401);
        expect((await submit(t, daveViewer)).statusCode).toBe(403);
      }
      expect((await submit(t, dave)).statusCode).toBe(202);
      expect((await submit(t, dave)).statusCode).toBe(202);
      expect((await submit(t, dave)).statusCode).toBe(429);
    });
  });

  it('limits a tenant as a whole, all its users together, and no other tenant', async () => {
    const t = await createTestApp({ env: authEnv({ RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0', RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '3' }) });
    try {
      expect((await submit(t, ALICE)).statusCode).toBe(202);
      expect((await submit(t, ALICE)).statusCode).toBe(202);
      expect((await submit(t, BOB)).statusCode).toBe(202);
      const refused = await submit(t, BOB);
      expectTooMany(refused, 'rate_limited', 60);
      expect(refused.json().error.message).toContain('this tenant');
      expect((await submit(t, CAROL_OF_GLOBEX)).statusCode).toBe(202);
    } finally {
      await t.close();
    }
  });

  it('is shared by every api on the same Redis and queue prefix', async () => {
    const env = authEnv({ QUEUE_PREFIX: `test-rl-${randomBytes(4).toString('hex')}`, RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '2' });
    const one = await createTestApp({ env });
    const two = await createTestApp({ env });
    try {
      expect((await submit(one, ALICE)).statusCode).toBe(202);
      expect((await submit(two, ALICE)).statusCode).toBe(202);
      expectTooMany(await submit(one, ALICE), 'rate_limited', 60);
      expectTooMany(await submit(two, ALICE), 'rate_limited', 60);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('answers 0 as no limit', async () => {
    const t = await createTestApp({ env: { RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '0', RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '0' } });
    try {
      for (let i = 0; i < 8; i += 1) expect((await submit(t, {})).statusCode).toBe(202);
    } finally {
      await t.close();
    }
  });
});

describe('status poll limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: authEnv({ STATUS_POLL_LIMIT: 'on' }) });
  });
  afterAll(async () => {
    await t?.close();
  });

  const poll = (id: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}/status`, headers });
  async function submitted(): Promise<string> {
    const res = await submit(t, ALICE);
    expect(res.statusCode).toBe(202);
    return res.json().id as string;
  }

  it('answers 429 polling_too_fast to a poll sooner than the last Retry-After, then lets the next one through on time', async () => {
    const id = await submitted();
    const first = await poll(id, ALICE);
    expect(first.statusCode).toBe(202);
    expect(first.headers['retry-after']).toBe('2');

    const tooSoon = await poll(id, ALICE);
    expectTooMany(tooSoon, 'polling_too_fast', 2);
    expect(t.specProblems('get', '/api/v1/jobs/{id}/status', tooSoon)).toEqual([]);

    // 250 ms early is still on time: 2 s - 250 ms after the first answer.
    await sleep(1800);
    expect((await poll(id, ALICE)).statusCode).toBe(202);
    expect((await poll(id, ALICE)).statusCode).toBe(429);
  });

  it('uses the Retry-After of the last answer: 1 s while running', async () => {
    const id = await submitted();
    await t.db.jobs.markRunning(id);
    const first = await poll(id, ALICE);
    expect(first.statusCode).toBe(202);
    expect(first.headers['retry-after']).toBe('1');
    expect(expectTooMany(await poll(id, ALICE), 'polling_too_fast', 1)).toBe(1);
    await sleep(800);
    expect((await poll(id, ALICE)).statusCode).toBe(202);
  });

  it('counts each principal apart, and a job of another tenant stays 404', async () => {
    const id = await submitted();
    expect((await poll(id, ALICE)).statusCode).toBe(202);
    expect((await poll(id, BOB)).statusCode).toBe(202);
    expect((await poll(id, ALICE)).statusCode).toBe(429);
    for (let i = 0; i < 3; i += 1) expect((await poll(id, CAROL_OF_GLOBEX)).json().error.code).toBe('job_not_found');
  });

  it('never limits polls of a finished job', async () => {
    const id = await submitted();
    expect((await poll(id, ALICE)).statusCode).toBe(202);
    await completeJob(t, id);
    for (let i = 0; i < 5; i += 1) expect((await poll(id, ALICE)).statusCode).toBe(200);
  });
});

describe('limits while Redis is down', () => {
  it('let status polls through and refuse submissions with 503, never 500', async () => {
    const t = await createTestApp({
      env: { REDIS_URL: 'redis://127.0.0.1:1', STATUS_POLL_LIMIT: 'on', RATE_LIMIT_SUBMISSIONS_PER_MINUTE: '1', RATE_LIMIT_TENANT_SUBMISSIONS_PER_MINUTE: '1' },
    });
    try {
      const { job } = await t.db.forTenant('local').jobs.create({ // AUTH_MODE=none acts for tenant 'local'
        id: randomUUID(),
        fileName: 'p.csv',
        contentType: 'text/csv',
        sizeBytes: 10,
        sha256: '0'.repeat(64),
        dataset: null,
        options: {},
        storageKey: 'uploads/x/input',
        idempotencyKey: null,
      });
      for (let i = 0; i < 3; i += 1) {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${job.id}/status` });
        expect(res.statusCode).toBe(202);
      }
      const res = await submit(t, {});
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('queue_unavailable');
    } finally {
      await t.close();
    }
  });
});
