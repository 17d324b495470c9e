import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { injectUpload, PATIENTS_CSV } from './testing/inject-upload.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  for (const p of await t.local.mappings.list()) await t.local.mappings.delete(p.name);
});

const PROFILE = {
  name: 'clinic-a',
  dataset: 'patients',
  columns: { 'Pt Ident': 'patient_id', Bday: 'birth_date' },
  codes: { gender: { '1': 'male', '2': 'female' } },
  description: 'Clinic A export',
};

const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/mappings', payload: payload as object });
const errorOf = (res: { json(): unknown }) => (res.json() as { error: { code: string; message: string } }).error;

describe('POST /api/v1/mappings', () => {
  it('saves a profile and answers 201 with its Location, as the spec says', async () => {
    const res = await post(PROFILE);
    expect(res.statusCode).toBe(201);
    expect(t.specProblems('post', '/api/v1/mappings', res)).toEqual([]);
    expect(res.headers.location).toBe('/api/v1/mappings/clinic-a');
    expect(res.json()).toMatchObject({ ...PROFILE, links: { self: '/api/v1/mappings/clinic-a' } });
    expect((await t.local.mappings.get('clinic-a'))?.columns).toEqual(PROFILE.columns);
  });

  it('answers 409 mapping_exists for a name already saved', async () => {
    await post(PROFILE);
    const res = await post({ ...PROFILE, description: 'again' });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('mapping_exists');
  });

  it('answers 400 naming the field for a bad name', async () => {
    const res = await post({ ...PROFILE, name: 'Clinic A' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).message).toContain('name');
  });

  it('answers 400 naming the column whose field the dataset does not have', async () => {
    const res = await post({ ...PROFILE, columns: { 'Pt Ident': 'patient_idd' } });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'invalid_mapping', message: expect.stringContaining('columns.Pt Ident') });
  });

  it('answers 400 naming a code map field the dataset does not have, and an unknown dataset', async () => {
    const codes = await post({ ...PROFILE, codes: { colour: { a: 'b' } } });
    expect(errorOf(codes).message).toContain('codes.colour');
    const dataset = await post({ ...PROFILE, dataset: 'nope' });
    expect(dataset.statusCode).toBe(400);
    expect(errorOf(dataset).message).toContain('dataset');
  });
});

describe('GET, PUT and DELETE /api/v1/mappings/{name}', () => {
  it('lists and reads saved profiles', async () => {
    await post(PROFILE);
    await post({ name: 'bare' });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/mappings' });
    expect(t.specProblems('get', '/api/v1/mappings', list)).toEqual([]);
    expect((list.json() as { items: { name: string }[] }).items.map((p) => p.name)).toEqual(['bare', 'clinic-a']);
    const one = await t.app.inject({ method: 'GET', url: '/api/v1/mappings/bare' });
    expect(t.specProblems('get', '/api/v1/mappings/{name}', one)).toEqual([]);
    expect(one.json()).toMatchObject({ name: 'bare', dataset: null, columns: {}, codes: {}, description: null });
  });

  it('answers 404 mapping_not_found for an unknown name', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/mappings/ghost' });
    expect(res.statusCode).toBe(404);
    expect(t.specProblems('get', '/api/v1/mappings/{name}', res)).toEqual([]);
    expect(errorOf(res).code).toBe('mapping_not_found');
  });

  it('replaces a profile with PUT and 404s for an unknown one', async () => {
    await post(PROFILE);
    const res = await t.app.inject({ method: 'PUT', url: '/api/v1/mappings/clinic-a', payload: { columns: { MRN: 'patient_id' } } });
    expect(res.statusCode).toBe(200);
    expect(t.specProblems('put', '/api/v1/mappings/{name}', res)).toEqual([]);
    expect(res.json()).toMatchObject({ name: 'clinic-a', dataset: null, columns: { MRN: 'patient_id' }, codes: {} });
    const missing = await t.app.inject({ method: 'PUT', url: '/api/v1/mappings/ghost', payload: {} });
    expect(missing.statusCode).toBe(404);
  });

  it('deletes a profile with 204, then 404', async () => {
    await post(PROFILE);
    const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/mappings/clinic-a' });
    expect(res.statusCode).toBe(204);
    expect(await t.local.mappings.get('clinic-a')).toBeNull();
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/mappings/clinic-a' })).statusCode).toBe(404);
  });
});

describe('POST /api/v1/jobs with options.mapping_profile', () => {
  const submit = (options: unknown) =>
    injectUpload(t.app, [
      { name: 'options', value: JSON.stringify(options) },
      { name: 'file', filename: 'patients.csv', content: PATIENTS_CSV },
    ]);

  it('stores the profile merged into the job options, the job own entries winning', async () => {
    await post(PROFILE);
    const res = await submit({
      mapping_profile: 'clinic-a',
      mapping: { Bday: 'deceased_date' },
      code_map: { gender: { '2': 'other' }, marital_status: { W: 'W' } },
    });
    expect(res.statusCode).toBe(202);
    const job = await t.db.jobs.get((res.json() as { id: string }).id);
    expect(job?.options).toEqual({
      mapping_profile: 'clinic-a',
      mapping: { 'Pt Ident': 'patient_id', Bday: 'deceased_date' },
      code_map: { gender: { '1': 'male', '2': 'other' }, marital_status: { W: 'W' } },
    });
  });

  it('keeps the copy when the profile changes later', async () => {
    await post(PROFILE);
    const res = await submit({ mapping_profile: 'clinic-a' });
    await t.app.inject({ method: 'DELETE', url: '/api/v1/mappings/clinic-a' });
    const job = await t.db.jobs.get((res.json() as { id: string }).id);
    expect(job?.options.mapping).toEqual(PROFILE.columns);
  });

  it('answers 400 mapping_not_found naming an unknown profile, keeping no job', async () => {
    const before = (await t.db.jobs.list({ limit: 100 })).items.length;
    const res = await submit({ mapping_profile: 'ghost' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'mapping_not_found', message: expect.stringContaining('ghost') });
    expect((await t.db.jobs.list({ limit: 100 })).items).toHaveLength(before);
  });
});
