import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authEnv, bearer, tokenFor } from '../testing/auth-tokens.js';
import { completeJob } from '../testing/complete-job.js';
import { injectUpload, PATIENTS_CSV } from '../testing/inject-upload.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

// GET /jobs/{id}/status keeps completed jobs' manifests in memory (see job-status.ts): the
// answers from memory must be the database's answer, and only ever to the job's own tenant.

const A = bearer(tokenFor('tenant-a', ['viewer', 'submitter'], 'alice'));
const B = bearer(tokenFor('tenant-b', ['admin'], 'bob'));

describe('status of a completed job, answered from memory after the first poll', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: authEnv() });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function submitAs(headers: Record<string, string>): Promise<string> {
    const res = await injectUpload(t.app, [{ name: 'file', filename: 'patients.csv', content: PATIENTS_CSV }], headers);
    expect(res.statusCode).toBe(202);
    return (res.json() as { id: string }).id;
  }
  const status = (id: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}/status`, headers });

  it('answers the same manifest, headers and spec-valid body from memory as from the database', async () => {
    const id = await submitAs(A);
    expect((await status(id, A)).statusCode).toBe(202); // active: never kept
    await completeJob(t, id);
    const first = await status(id, A);
    const again = await status(id, A);
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(first.body);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['content-type']).toMatch(/^application\/json/);
    expect(again.headers['content-security-policy']).toBeDefined();
    expect(t.specProblems('GET', '/api/v1/jobs/{id}/status', again)).toEqual([]);
    expect(again.json()).toMatchObject({ id, status: 'completed', counts: { rows_out: 2 } });
  });

  it("answers another tenant 404 for a job whose manifest this api holds, exactly as for a missing job", async () => {
    const id = await submitAs(A);
    await completeJob(t, id);
    expect((await status(id, A)).statusCode).toBe(200); // now in memory for tenant-a
    const theirs = await status(id, B);
    const missingId = randomUUID();
    const missing = await status(missingId, B);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).toBe(missing.body.replace(missingId, id));
    // A credential without a role, or none at all, is refused before the memory is looked at.
    expect((await status(id, bearer(tokenFor('tenant-a', [], 'nobody')))).statusCode).toBe(403);
    expect((await status(id, {})).statusCode).toBe(401);
  });

  it('does not keep failed jobs: a retried job answers its new status', async () => {
    const id = await submitAs(A);
    await t.db.jobs.markRunning(id);
    await t.db.jobs.markFailed(id, { code: 'storage.tampered', message: 'failed for the test' });
    expect((await status(id, A)).json()).toMatchObject({ status: 'failed' });
    const retry = await t.app.inject({ method: 'POST', url: `/api/v1/jobs/${id}/retry`, headers: A });
    expect(retry.statusCode).toBe(202);
    const after = await status(id, A);
    expect(after.statusCode).toBe(202);
    expect(after.json()).toMatchObject({ status: 'queued' });
  });
});
