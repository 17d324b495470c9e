import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footprint } from './testing/footprint.js';
import { PATIENTS_CSV, injectUpload } from './testing/inject-upload.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const file = (content: string = PATIENTS_CSV) => ({ name: 'file', filename: 'patients.csv', content });

describe('POST /api/v1/jobs with an Idempotency-Key', () => {
  it.each([
    ['over 200 characters', 'k'.repeat(201)],
    ['with a control character', 'a\u0007b'],
  ])('answers 400 invalid_idempotency_key for a key %s, and keeps nothing', async (_, key) => {
    const before = await footprint(t);
    const res = await injectUpload(t.app, [file()], { 'idempotency-key': key });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid_idempotency_key', message: expect.any(String) } });
    expect(await footprint(t)).toEqual(before);
  });

  it('returns the first job for a repeated Idempotency-Key without storing the second upload', async () => {
    const key = `key-${Date.now()}`;
    const first = await injectUpload(t.app, [file()], { 'idempotency-key': key });
    expect(first.statusCode).toBe(202);
    const before = await footprint(t);

    const again = await injectUpload(t.app, [file('id\n9\n')], { 'idempotency-key': key });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(again.headers.location).toBe(first.headers.location);
    expect(t.specProblems('post', '/api/v1/jobs', again)).toEqual([]);
    expect(await footprint(t)).toEqual(before);
  });
});

describe('POST /api/v1/jobs with one Idempotency-Key at the same time', () => {
  it('creates one job and keeps one upload', async () => {
    const before = await footprint(t);
    const key = `race-${Date.now()}`;
    const answers = await Promise.all([1, 2, 3].map(() => injectUpload(t.app, [file()], { 'idempotency-key': key })));
    const ids = new Set(answers.map((res) => res.json().id));
    expect(ids.size).toBe(1);
    expect(answers.filter((res) => res.statusCode === 202)).toHaveLength(1);
    expect(answers.filter((res) => res.statusCode === 200)).toHaveLength(2);
    const after = await footprint(t);
    expect(after.jobs).toBe(before.jobs + 1);
    expect(after.uploads).toBe(before.uploads + 1);
  });
});
