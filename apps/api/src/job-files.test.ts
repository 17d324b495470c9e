import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_FILES, completeJob, otherDatasetCsv } from './testing/complete-job.js';
import { submitCsv } from './testing/inject-upload.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });
const del = (id: string) => t.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}` });

describe('downloads', () => {
  it('streams the harmonized CSV (the default) and NDJSON with Content-Disposition', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id);

    const csv = await get(`/api/v1/jobs/${id}/result`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="${id}.harmonized.csv"`);
    expect(csv.body).toBe(RESULT_FILES.csv);

    const ndjson = await get(`/api/v1/jobs/${id}/result?format=ndjson`);
    expect(ndjson.statusCode).toBe(200);
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson');
    expect(ndjson.headers['content-disposition']).toBe(`attachment; filename="${id}.harmonized.ndjson"`);
    expect(ndjson.body).toBe(RESULT_FILES.ndjson);
  });

  it('serves the rejects as NDJSON and the report as JSON', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id);

    const rejects = await get(`/api/v1/jobs/${id}/rejects`);
    expect(rejects.statusCode).toBe(200);
    expect(rejects.headers['content-type']).toBe('application/x-ndjson');
    expect(rejects.body).toBe(RESULT_FILES.rejects);

    const report = await get(`/api/v1/jobs/${id}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(report.headers['content-disposition']).toBe(`attachment; filename="${id}.report.json"`);
    expect(report.json()).toEqual({ rows_in: 3, rows_out: 2 });
  });

  it('answers 409 job_not_completed naming the current status while the job is not completed', async () => {
    const id = await submitCsv(t.app);
    for (const file of ['result', 'rejects', 'report']) {
      const res = await get(`/api/v1/jobs/${id}/${file}`);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({ error: { code: 'job_not_completed', message: expect.stringContaining('queued') } });
    }
    await t.db.jobs.markRunning(id);
    expect((await get(`/api/v1/jobs/${id}/result`)).json().error.message).toContain('running');
  });

  it('answers 400 for a format it does not produce', async () => {
    const id = await submitCsv(t.app);
    const res = await get(`/api/v1/jobs/${id}/result?format=xml`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('format') });
  });

  it('serves one dataset of a multi-dataset job by name, its file name carrying the dataset', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id, ['patients', 'encounters']);
    const encounters = await get(`/api/v1/jobs/${id}/result?format=csv&dataset=encounters`);
    expect(encounters.statusCode).toBe(200);
    expect(encounters.body).toBe(otherDatasetCsv('encounters'));
    expect(encounters.headers['content-disposition']).toBe(`attachment; filename="${id}.encounters.harmonized.csv"`);
    const patients = await get(`/api/v1/jobs/${id}/result?format=ndjson&dataset=patients`);
    expect(patients.body).toBe(RESULT_FILES.ndjson);
  });

  it('answers 400 dataset_required, listing the datasets, when a job has several and none is named', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id, ['patients', 'encounters']);
    const res = await get(`/api/v1/jobs/${id}/result?format=csv`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'dataset_required', message: expect.stringContaining('patients, encounters') } });
    expect(t.specProblems('get', '/api/v1/jobs/{id}/result', res)).toEqual([]);
  });

  it('answers 404 result_not_found for a dataset the job does not have, and serves the only one without a name', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id);
    const missing = await get(`/api/v1/jobs/${id}/result?dataset=encounters`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'result_not_found', message: expect.stringContaining('it has: patients') } });
    const named = await get(`/api/v1/jobs/${id}/result?dataset=patients`);
    expect(named.statusCode).toBe(200);
    expect(named.headers['content-disposition']).toBe(`attachment; filename="${id}.harmonized.csv"`);
  });

  it('answers 404 result_not_found for a job whose file held no record of any dataset', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id, []);
    const res = await get(`/api/v1/jobs/${id}/result?format=csv`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'result_not_found', message: expect.stringContaining('no harmonized records') });
    expect((await get(`/api/v1/jobs/${id}/report`)).statusCode).toBe(200);
  });

  it('answers 404 job_not_found for an unknown job', async () => {
    for (const file of ['result', 'rejects', 'report']) {
      const res = await get(`/api/v1/jobs/00000000-0000-4000-8000-000000000000/${file}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('job_not_found');
    }
  });
});

describe('DELETE /api/v1/jobs/{id}', () => {
  it('cancels a queued job and takes it off the queue', async () => {
    const id = await submitCsv(t.app);
    expect(await t.queue.queue.getJob(id)).toBeDefined();

    const res = await del(id);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id, status: 'cancelled' });
    expect(t.specProblems('delete', '/api/v1/jobs/{id}', res)).toEqual([]);
    expect((await t.db.jobs.get(id))?.status).toBe('cancelled');
    expect(await t.queue.queue.getJob(id)).toBeUndefined();
  });

  it('cancels a running job, which a late worker cannot complete', async () => {
    const id = await submitCsv(t.app);
    await t.db.jobs.markRunning(id);
    const res = await del(id);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id, status: 'cancelled' });
    expect(await t.db.jobs.updateProgress(id, { percent: 50, recordsProcessed: 1, errorsFound: 0 })).toBe(false);
  });

  it('removes the stored files of a finished job, after which downloads answer 410', async () => {
    const id = await submitCsv(t.app);
    const job = await completeJob(t, id);

    const res = await del(id);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id, status: 'completed', files_deleted_at: expect.any(String) });
    expect(t.specProblems('delete', '/api/v1/jobs/{id}', res)).toEqual([]);

    expect(await t.storage.size(job.storageKey)).toBeNull();
    for (const result of await t.db.jobs.listResults(id)) expect(await t.storage.size(result.storageKey)).toBeNull();
    for (const file of ['result', 'rejects', 'report']) {
      const gone = await get(`/api/v1/jobs/${id}/${file}`);
      expect(gone.statusCode).toBe(410);
      expect(gone.json().error.code).toBe('files_deleted');
    }
    const record = (await get(`/api/v1/jobs/${id}`)).json();
    expect(record.status).toBe('completed');
    expect(record.files_deleted_at).toEqual(expect.any(String));
  });

  it('removes the upload of a cancelled job on a second DELETE', async () => {
    const id = await submitCsv(t.app);
    const job = await t.db.jobs.get(id);
    await del(id);
    const second = await del(id);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toMatchObject({ id, status: 'cancelled', files_deleted_at: expect.any(String) });
    expect(await t.storage.size(job!.storageKey)).toBeNull();
  });

  it('answers 404 for an unknown job', async () => {
    const res = await del('00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('job_not_found');
  });
});
