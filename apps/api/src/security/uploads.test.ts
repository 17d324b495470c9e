import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footprint } from '../testing/footprint.js';
import { injectUpload, PATIENTS_CSV } from '../testing/inject-upload.js';
import { multipartBody } from '../testing/multipart-body.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { expectNoInternals } from './expect-no-internals.js';

const FIELD_LIMIT = 100;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { MAX_UPLOAD_PARTS: '3', MAX_FIELD_BYTES: String(FIELD_LIMIT), MAX_UPLOAD_BYTES: '4096' } });
});
afterAll(async () => {
  await t?.close();
});

const file = (filename = 'patients.csv') => ({ name: 'file', filename, content: PATIENTS_CSV });

async function expectRefused(parts: Parameters<typeof injectUpload>[1], status: number, code: string): Promise<string> {
  const before = await footprint(t);
  const res = await injectUpload(t.app, parts);
  expect(res.statusCode).toBe(status);
  expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
  expectNoInternals(res.body);
  expect(await footprint(t)).toEqual(before);
  return res.json().error.message as string;
}

/** Every file under the storage root, relative to it. */
async function storedFiles(): Promise<string[]> {
  const entries = await readdir(t.config.storageDir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(t.config.storageDir, path.join(e.parentPath, e.name)));
}

describe('upload limits from the configuration', () => {
  it('answers 400 too_many_parts past MAX_UPLOAD_PARTS, and keeps nothing', async () => {
    const parts = [{ name: 'dataset', value: 'patients' }, { name: 'options', value: '{}' }, file(), { name: 'extra', value: 'x' }];
    await expectRefused(parts, 400, 'too_many_parts');
  });

  it('takes a form of exactly MAX_UPLOAD_PARTS parts', async () => {
    const res = await injectUpload(t.app, [{ name: 'dataset', value: 'patients' }, { name: 'options', value: '{}' }, file()]);
    expect(res.statusCode).toBe(202);
  });

  it.each([
    ['options before the file', [{ name: 'options', value: JSON.stringify({ mapping: { a: 'x'.repeat(200) } }) }, file()], 'options'],
    ['options after the file (stored, then removed)', [file(), { name: 'options', value: JSON.stringify({ mapping: { a: 'x'.repeat(200) } }) }], 'options'],
    ['a long dataset', [{ name: 'dataset', value: 'p'.repeat(FIELD_LIMIT + 1) }, file()], 'dataset'],
  ])('answers 413 field_too_large naming the part for %s, and keeps nothing', async (_what, parts, name) => {
    const message = await expectRefused(parts, 413, 'field_too_large');
    expect(message).toContain(`"${name}"`);
    expect(message).toContain(`${FIELD_LIMIT} bytes`);
  });

  it('still answers 413 upload_too_large for a file over MAX_UPLOAD_BYTES', async () => {
    await expectRefused([{ name: 'file', filename: 'big.csv', content: `id\n${'1\n'.repeat(3000)}` }], 413, 'upload_too_large');
  });
});

describe('file names as sent', () => {
  it.each(['../../etc/passwd', '..\\..\\windows\\system32\\config', '/etc/shadow', 'ré<script>alert(1)</script>.csv'])(
    'stores %s under a generated id, and shows the name as sent',
    async (filename) => {
      const res = await injectUpload(t.app, [file(filename)]);
      expect(res.statusCode).toBe(202);
      const id = res.json().id as string;
      expect(await storedFiles()).toContain(path.join('uploads', id, 'input'));
      expect((await storedFiles()).filter((f) => !f.startsWith(`uploads${path.sep}`))).toEqual([]);

      const record = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}` });
      expect(record.headers['content-type']).toMatch(/^application\/json/);
      expect(record.headers['x-content-type-options']).toBe('nosniff');
      expect(record.json().file_name).toBe(filename);
    },
  );
});

describe('malformed multipart bodies', () => {
  it.each([
    ['no boundary', 'multipart/form-data', 'file=x'],
    ['a boundary that never appears', 'multipart/form-data; boundary=abc', 'this is not multipart'],
    ['a header-only part', 'multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'],
    ['a part without Content-Disposition', 'multipart/form-data; boundary=b', '--b\r\nContent-Type: text/csv\r\n\r\nid\n1\n\r\n--b--\r\n'],
  ])('answers 400 for %s, without internals, keeping nothing', async (_what, contentType, payload) => {
    const before = await footprint(t);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/jobs', payload, headers: { 'content-type': contentType } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: expect.stringMatching(/^(invalid_multipart|file_missing|unknown_field)$/), message: expect.any(String) } });
    expectNoInternals(res.body);
    expect(await footprint(t)).toEqual(before);
  });

  it('answers a body cut inside the file 400 without internals', async () => {
    const { payload, headers } = multipartBody([file()]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/jobs', payload: payload.subarray(0, payload.length - 40), headers });
    expect(res.statusCode).toBe(400);
    expectNoInternals(res.body);
  });
});
