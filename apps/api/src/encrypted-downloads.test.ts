import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_FILES, completeJob } from './testing/complete-job.js';
import { PATIENTS_CSV, submitCsv } from './testing/inject-upload.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ENCRYPTION_KEYS: `test-key:${randomBytes(32).toString('base64')}` } });
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });
const storedFile = (key: string) => path.join(t.config.storageDir, key);
/** Where the job's file of this type and format is stored, as the job row records it. */
async function resultFile(id: string, type: string, format: string): Promise<string> {
  const result = (await t.db.jobs.listResults(id)).find((r) => r.type === type && r.format === format);
  if (!result) throw new Error(`job ${id} has no ${type} ${format}`);
  return storedFile(result.storageKey);
}

describe('downloads with encryption at rest', () => {
  it('stores the upload encrypted but records its plaintext size and sha256', async () => {
    const id = await submitCsv(t.app);
    const job = (await get(`/api/v1/jobs/${id}`)).json();
    expect(job.size_bytes).toBe(Buffer.byteLength(PATIENTS_CSV));
    expect(job.sha256).toBe(createHash('sha256').update(PATIENTS_CSV).digest('hex'));
    const onDisk = await fs.readFile(storedFile(`uploads/${id}/input`));
    expect(onDisk.subarray(0, 4).toString()).toBe('HZE1');
    expect(onDisk.includes('Ann')).toBe(false);
  });

  it('decrypts on the fly: downloads are the plaintext with its own Content-Length', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id);
    const res = await get(`/api/v1/jobs/${id}/result`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(RESULT_FILES.csv);
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(RESULT_FILES.csv)));
    expect((await fs.readFile(await resultFile(id, 'harmonized', 'csv'))).includes('Ann')).toBe(false);
  });

  it('refuses a tampered file with 500 file_tampered, sending none of it', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id);
    const file = await resultFile(id, 'rejects', 'ndjson');
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 20] ^= 0x01; // inside the last record's ciphertext
    await fs.writeFile(file, bytes);

    const res = await get(`/api/v1/jobs/${id}/rejects`);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'file_tampered', message: 'the stored file failed its integrity check and was not sent; report this job id to the operator' },
    });
    expect(res.body).not.toContain('results/');
    expect(t.specProblems('get', '/api/v1/jobs/{id}/rejects', res)).toEqual([]);
    // The other files of the job are intact and still served.
    expect((await get(`/api/v1/jobs/${id}/report`)).statusCode).toBe(200);
  });

  it('refuses a file that was replaced by plaintext', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id);
    await fs.writeFile(await resultFile(id, 'harmonized', 'csv'), RESULT_FILES.csv);
    const res = await get(`/api/v1/jobs/${id}/result`);
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('file_tampered');
  });
});
