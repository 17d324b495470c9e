import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOWNLOAD_CHUNK_BYTES } from './send-stored-file.js';
import { submitCsv } from './testing/inject-upload.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

// Downloads read storage in DOWNLOAD_CHUNK_BYTES chunks: files around and across that size come
// out byte for byte as stored, with their Content-Length, in plaintext and with encryption at rest.

const SIZES = [0, 1, DOWNLOAD_CHUNK_BYTES - 1, DOWNLOAD_CHUNK_BYTES, DOWNLOAD_CHUNK_BYTES + 1, 2 * DOWNLOAD_CHUNK_BYTES + 65_537];

describe.each([
  ['plaintext', {}],
  ['encrypted at rest', { ENCRYPTION_KEYS: `test-key:${randomBytes(32).toString('base64')}` }],
])('downloads of large files (%s)', (_name, env: Record<string, string>) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(SIZES)('serves a harmonized CSV of %i bytes as stored', async (size) => {
    const id = await submitCsv(t.app);
    const csv = randomBytes(size);
    const storageKey = `results/${id}/patients.harmonized.csv`;
    await t.storage.put(storageKey, csv);
    await t.db.jobs.markRunning(id);
    await t.db.jobs.markCompleted(id, {
      detectedDataset: 'patients',
      counts: { rows_in: 1, rows_out: 1, rows_rejected: 0, duplicates: 0, warnings: 0 },
      results: [{ dataset: 'patients', type: 'harmonized', format: 'csv', storageKey, count: 1, sizeBytes: size }],
      metrics: { durationMs: 1, bytesIn: 1, recordsIn: 1, recordsOut: 1, recordsRejected: 0, duplicates: 0, errors: 0, warnings: 0 },
    });
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}/result?format=csv` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe(String(size));
    expect(res.rawPayload.equals(csv)).toBe(true);
  });
});
