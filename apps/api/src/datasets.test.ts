import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET_NAMES, describeDatasets } from '@harmonizer/core';
import { createTestApp, type TestApp } from './testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('GET /api/v1/datasets', () => {
  it('lists every dataset with fields, key, column sets and rules, as the spec says', async () => {
    const res = await get('/api/v1/datasets');
    expect(res.statusCode).toBe(200);
    expect(t.specProblems('get', '/api/v1/datasets', res)).toEqual([]);
    const body = res.json() as { datasets: { name: string }[]; rules: { code: string }[] };
    expect(body.datasets.map((d) => d.name)).toEqual([...DATASET_NAMES]);
    expect(body.datasets).toEqual(describeDatasets());
    expect(body.rules.map((r) => r.code)).toContain('date.unparseable');
  });
});

describe('GET /api/v1/datasets/{name}', () => {
  it('answers one dataset', async () => {
    const res = await get('/api/v1/datasets/patients');
    expect(res.statusCode).toBe(200);
    expect(t.specProblems('get', '/api/v1/datasets/{name}', res)).toEqual([]);
    expect(res.json()).toMatchObject({
      name: 'patients',
      fhir_resource: 'Patient',
      natural_key: ['patient_id'],
      fields: expect.arrayContaining([expect.objectContaining({ name: 'birth_date', type: 'date', fhir_path: 'Patient.birthDate' })]),
    });
  });

  it('answers 404 dataset_not_found naming the datasets for an unknown name', async () => {
    const res = await get('/api/v1/datasets/drugs');
    expect(res.statusCode).toBe(404);
    expect(t.specProblems('get', '/api/v1/datasets/{name}', res)).toEqual([]);
    expect(res.json().error.code).toBe('dataset_not_found');
    expect(res.json().error.message).toContain('patients');
  });
});
