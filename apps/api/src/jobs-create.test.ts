import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footprint } from './testing/footprint.js';
import { PATIENTS_CSV, injectUpload } from './testing/inject-upload.js';
import { multipartBody } from './testing/multipart-body.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

const LIMIT = 1024;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(LIMIT) } });
});
afterAll(async () => {
  await t?.close();
});

const file = (content: string = PATIENTS_CSV) => ({ name: 'file', filename: 'patients.csv', content });

async function expectRefused(
  parts: Parameters<typeof injectUpload>[1],
  status: number,
  code: string,
  headers: Record<string, string> = {},
) {
  const before = await footprint(t);
  const res = await injectUpload(t.app, parts, headers);
  expect(res.statusCode).toBe(status);
  expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
  expect(await footprint(t)).toEqual(before);
  return res.json().error.message as string;
}

describe('POST /api/v1/jobs', () => {
  it('accepts an upload with 202, a Location header and the job links, and queues the job id', async () => {
    const res = await injectUpload(t.app, [file()]);
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'queued',
      dataset: null,
      created_at: expect.any(String),
      links: {
        self: `/api/v1/jobs/${body.id}`,
        status: `/api/v1/jobs/${body.id}/status`,
        result: `/api/v1/jobs/${body.id}/result`,
      },
    });
    expect(res.headers.location).toBe(`/api/v1/jobs/${body.id}`);
    expect(t.specProblems('post', '/api/v1/jobs', res)).toEqual([]);

    const job = await t.db.jobs.get(body.id);
    expect(job).toMatchObject({
      status: 'queued',
      fileName: 'patients.csv',
      contentType: 'text/csv',
      sizeBytes: Buffer.byteLength(PATIENTS_CSV),
      sha256: createHash('sha256').update(PATIENTS_CSV).digest('hex'),
    });
    expect(await text(await t.storage.read(job!.storageKey))).toBe(PATIENTS_CSV);
    const queued = await t.queue.queue.getJob(body.id);
    expect(queued?.data).toEqual({ jobId: body.id });
  });

  it('takes dataset and options whether they come before or after the file', async () => {
    const fields = [
      { name: 'dataset', value: 'patients' },
      { name: 'options', value: '{"dedup_keys":["patient_id"]}' },
    ];
    for (const parts of [[...fields, file()], [file(), ...fields]]) {
      const res = await injectUpload(t.app, parts);
      expect(res.statusCode).toBe(202);
      expect(res.json().dataset).toBe('patients');
      const job = await t.db.jobs.get(res.json().id);
      expect(job?.dataset).toBe('patients');
      expect(job?.options).toEqual({ dedup_keys: ['patient_id'] });
    }
  });

  it('answers 400 file_missing when the form has no file part', async () => {
    await expectRefused([{ name: 'dataset', value: 'patients' }], 400, 'file_missing');
  });

  it('answers 400 file_missing when "file" is sent as a text field instead of a file', async () => {
    const message = await expectRefused([{ name: 'file', value: PATIENTS_CSV }], 400, 'file_missing');
    expect(message).toContain('file upload');
  });

  it('answers 400 file_empty for a zero-byte file and keeps nothing', async () => {
    await expectRefused([file('')], 400, 'file_empty');
  });

  it('answers 413 upload_too_large stating the limit, and keeps nothing', async () => {
    const message = await expectRefused([file('x'.repeat(LIMIT + 1))], 413, 'upload_too_large');
    expect(message).toContain(`${LIMIT} bytes`);
  });

  it('accepts a file of exactly the limit', async () => {
    const res = await injectUpload(t.app, [file('x'.repeat(LIMIT))]);
    expect(res.statusCode).toBe(202);
  });

  it('answers 400 invalid_dataset listing the valid names, before or after the file', async () => {
    for (const order of ['before', 'after']) {
      const dataset = { name: 'dataset', value: 'martians' };
      const parts = order === 'before' ? [dataset, file()] : [file(), dataset];
      const message = await expectRefused(parts, 400, 'invalid_dataset');
      expect(message).toContain('martians');
      expect(message).toContain('patients');
    }
  });

  it('answers 400 invalid_options when options is not JSON', async () => {
    const message = await expectRefused([file(), { name: 'options', value: '{dedup_keys:' }], 400, 'invalid_options');
    expect(message).toMatch(/^options must be a JSON object: /);
  });

  it('answers 400 invalid_options when options is JSON but not an object', async () => {
    const message = await expectRefused([{ name: 'options', value: '["id"]' }, file()], 400, 'invalid_options');
    expect(message).toMatch(/^options must be a JSON object: /);
  });

  it('answers 400 invalid_options naming the field that is wrong', async () => {
    const message = await expectRefused([file(), { name: 'options', value: '{"dedup_keys":"id"}' }], 400, 'invalid_options');
    expect(message).toContain('dedup_keys');
  });

  it('answers 400 invalid_options when dedup_keys name no field of the given dataset', async () => {
    const parts = [file(), { name: 'dataset', value: 'patients' }, { name: 'options', value: '{"dedup_keys":["shoe_size"]}' }];
    const message = await expectRefused(parts, 400, 'invalid_options');
    expect(message).toContain('shoe_size');
  });

  it('answers 400 unknown_field for a part it does not take', async () => {
    const message = await expectRefused([file(), { name: 'colour', value: 'blue' }], 400, 'unknown_field');
    expect(message).toContain('colour');
  });

  it('answers 400 unknown_field for a file sent under another name', async () => {
    await expectRefused([{ name: 'upload', filename: 'p.csv', content: PATIENTS_CSV }], 400, 'unknown_field');
  });

  it('answers 415 unsupported_media_type for a body that is not multipart', async () => {
    const before = await footprint(t);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/jobs', payload: { file: 'x' } });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ error: { code: 'unsupported_media_type', message: expect.any(String) } });
    expect(await footprint(t)).toEqual(before);
  });

  it('answers 400 invalid_multipart for a multipart body without a boundary', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      payload: 'file=x',
      headers: { 'content-type': 'multipart/form-data; charset=utf-8' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid_multipart', message: expect.stringContaining('Boundary') } });
  });

  it('answers 400 invalid_multipart for a body cut off inside the file, and keeps nothing', async () => {
    const before = await footprint(t);
    const { payload, headers } = multipartBody([file('x'.repeat(500))]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/jobs', payload: payload.subarray(0, 300), headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_multipart');
    expect(await footprint(t)).toEqual(before);
  });

  it('answers 400 invalid_multipart for a body with no part under its boundary', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      payload: 'this is not multipart',
      headers: { 'content-type': 'multipart/form-data; boundary=abc' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_multipart');
  });

  it('answers 413 field_too_large naming the part for an options part over 64 KiB', async () => {
    const big = JSON.stringify({ mapping: { a: 'x'.repeat(70 * 1024) } });
    const message = await expectRefused([{ name: 'options', value: big }, file()], 413, 'field_too_large');
    expect(message).toContain('"options"');
    expect(message).toContain('65536 bytes');
  });

  it('answers 400 too_many_files for a second file, and keeps neither', async () => {
    await expectRefused([file(), { name: 'file', filename: 'b.csv', content: PATIENTS_CSV }], 400, 'too_many_files');
  });

  it('answers 400 duplicate_field for a field sent twice', async () => {
    const dataset = { name: 'dataset', value: 'patients' };
    await expectRefused([dataset, dataset, file()], 400, 'duplicate_field');
  });

  it('counts accepted jobs in harmonizer_jobs_submitted_total by dataset', async () => {
    const scrape = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const count = (body: string) => Number(/harmonizer_jobs_submitted_total\{dataset="patients"\} (\d+)/.exec(body)?.[1] ?? 0);
    const before = count(await scrape());
    await injectUpload(t.app, [{ name: 'dataset', value: 'patients' }, file()]);
    expect(count(await scrape())).toBe(before + 1);
  });
});

describe('POST /api/v1/jobs while Redis is down', () => {
  it('answers 503 queue_unavailable with Retry-After and keeps neither upload nor row', async () => {
    const down = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const res = await injectUpload(down.app, [file()]);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toEqual({ error: { code: 'queue_unavailable', message: expect.any(String) } });
      expect(await footprint(down)).toEqual({ uploads: 0, temp: 0, jobs: 0 });
    } finally {
      await down.close();
    }
  });
});
