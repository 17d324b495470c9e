import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../../../test/helpers/private-redis.js';
import { PATIENTS_CSV, injectUpload } from './testing/inject-upload.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

let redis: PrivateRedis;
let t: TestApp;

beforeAll(async () => {
  // A Redis of this test's own: it is made to refuse writes, which must not disturb other tests.
  redis = await startPrivateRedis();
  t = await createTestApp({ env: { REDIS_URL: redis.url } });
  await t.queue.queue.waitUntilReady();
});
afterAll(async () => {
  await t?.close();
  await redis?.dispose();
});

describe('POST /api/v1/jobs when the enqueue fails after the row is stored', () => {
  it('still accepts the job with 202 and keeps its row queued and its upload for the reconciler', async () => {
    // Redis answers PING (the pre-check passes) but refuses every write, so the enqueue fails.
    await redis.command('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    await redis.command('CONFIG', 'SET', 'maxmemory', '1');
    let res;
    try {
      res = await injectUpload(t.app, [{ name: 'file', filename: 'patients.csv', content: PATIENTS_CSV }]);
    } finally {
      await redis.command('CONFIG', 'SET', 'maxmemory', '0');
    }

    expect(res.statusCode).toBe(202);
    const id = res.json().id as string;
    expect(t.specProblems('post', '/api/v1/jobs', res)).toEqual([]);
    expect(await t.db.jobs.get(id)).toMatchObject({ status: 'queued', errorCode: null });
    expect(await t.storage.size(`uploads/${id}/input`)).toBe(PATIENTS_CSV.length);
    expect(await t.queue.exists(id)).toBe(false);
  });
});
