import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeJob } from './testing/complete-job.js';
import { PATIENTS_CSV, submitCsv } from './testing/inject-upload.js';
import { createTestApp, type TestApp } from './testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('GET /api/v1/jobs', () => {
  it('pages through every job newest first with next_cursor, and filters by status', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await submitCsv(t.app));
    await completeJob(t, ids[1]!);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/v1/jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      expect(t.specProblems('get', '/api/v1/jobs', res)).toEqual([]);
      const page = res.json() as { items: { id: string }[]; next_cursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    // Newest first: the reverse of submission order (ids break ties within one millisecond).
    const created = await Promise.all(seen.map(async (id) => (await t.db.jobs.get(id))!.createdAt));
    expect([...created].sort().reverse()).toEqual(created);
    expect(seen).toEqual(expect.arrayContaining(ids));

    const completed = (await get('/api/v1/jobs?status=completed&limit=100')).json() as { items: { id: string; status: string }[] };
    expect(completed.items.map((item) => item.id)).toContain(ids[1]);
    expect(completed.items.every((item) => item.status === 'completed')).toBe(true);
  });

  it('uses 20 as the default page size', async () => {
    const res = await get('/api/v1/jobs');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeLessThanOrEqual(20);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['status=done', 'status'],
  ])('answers 400 validation_failed naming the field for %s', async (query, field) => {
    const res = await get(`/api/v1/jobs?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect(res.json().error.message).toContain(field);
  });

  it('answers 400 invalid_cursor for a cursor it did not issue', async () => {
    const res = await get('/api/v1/jobs?cursor=bm90LWEtY3Vyc29y');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'invalid_cursor', message: expect.any(String) } });
  });
});

describe('GET /api/v1/jobs/{id}', () => {
  it('returns the whole record in snake_case, with metrics once completed', async () => {
    const id = await submitCsv(t.app);
    const queued = await get(`/api/v1/jobs/${id}`);
    expect(queued.statusCode).toBe(200);
    expect(queued.json()).toMatchObject({ id, status: 'queued', datasets: [], metrics: null, counts: null, error: null, attempts: 0 });
    expect(t.specProblems('get', '/api/v1/jobs/{id}', queued)).toEqual([]);

    await completeJob(t, id);
    const res = await get(`/api/v1/jobs/${id}`);
    expect(t.specProblems('get', '/api/v1/jobs/{id}', res)).toEqual([]);
    expect(res.json()).toMatchObject({
      id,
      status: 'completed',
      dataset: null,
      detected_dataset: 'patients',
      datasets: ['patients'],
      file_name: 'patients.csv',
      size_bytes: Buffer.byteLength(PATIENTS_CSV),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      options: {},
      progress: { percent: expect.any(Number), records_processed: expect.any(Number), errors_found: expect.any(Number) },
      counts: { rows_in: 3, rows_out: 2, rows_rejected: 1, duplicates: 0, warnings: 0 },
      attempts: 1,
      started_at: expect.any(String),
      finished_at: expect.any(String),
      files_deleted_at: null,
      metrics: { duration_ms: 12, records_in: 3, records_out: 2, records_rejected: 1 },
      links: {
        self: `/api/v1/jobs/${id}`,
        rejects: `/api/v1/jobs/${id}/rejects`,
        report: `/api/v1/jobs/${id}/report`,
        logs: `/api/v1/jobs/${id}/logs`,
      },
    });
  });

  it.each(['00000000-0000-4000-8000-000000000000', 'not-a-uuid'])('answers 404 job_not_found for %s', async (id) => {
    const res = await get(`/api/v1/jobs/${id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'job_not_found', message: expect.any(String) } });
  });
});

describe('GET /api/v1/jobs/{id}/status', () => {
  const status = (id: string) => get(`/api/v1/jobs/${id}/status`);

  it('answers 202 with progress, Retry-After and X-Progress while queued, then running', async () => {
    const id = await submitCsv(t.app);
    const queued = await status(id);
    expect(queued.statusCode).toBe(202);
    expect(queued.headers['retry-after']).toBe('2');
    expect(queued.headers['x-progress']).toBe('0%');
    expect(queued.json()).toEqual({ id, status: 'queued', progress: { percent: 0, records_processed: 0, errors_found: 0 } });
    expect(t.specProblems('get', '/api/v1/jobs/{id}/status', queued)).toEqual([]);

    await t.db.jobs.markRunning(id);
    await t.db.jobs.updateProgress(id, { percent: 42.5, recordsProcessed: 1200, errorsFound: 3 });
    const running = await status(id);
    expect(running.statusCode).toBe(202);
    expect(running.headers['retry-after']).toBe('1');
    expect(running.headers['x-progress']).toBe('42%');
    expect(running.json()).toEqual({ id, status: 'running', progress: { percent: 42.5, records_processed: 1200, errors_found: 3 } });
  });

  it('answers 200 with a manifest of outputs, rejects and report once completed', async () => {
    const id = await submitCsv(t.app);
    const job = await completeJob(t, id);
    const res = await status(id);
    expect(res.statusCode).toBe(200);
    expect(t.specProblems('get', '/api/v1/jobs/{id}/status', res)).toEqual([]);
    const manifest = res.json();
    expect(manifest).toEqual({
      id,
      status: 'completed',
      completed_at: job.finishedAt,
      // RESULT_RETENTION defaults to 30 days.
      expires_at: new Date(Date.parse(job.finishedAt!) + 30 * 86_400_000).toISOString(),
      counts: { rows_in: 3, rows_out: 2, rows_rejected: 1, duplicates: 0, warnings: 0 },
      datasets: ['patients'],
      output: expect.arrayContaining([
        { type: 'harmonized', dataset: 'patients', format: 'csv', url: `/api/v1/jobs/${id}/result?format=csv&dataset=patients`, count: 2 },
        { type: 'harmonized', dataset: 'patients', format: 'ndjson', url: `/api/v1/jobs/${id}/result?format=ndjson&dataset=patients`, count: 2 },
      ]),
      error: [{ type: 'rejects', url: `/api/v1/jobs/${id}/rejects`, count: 1 }],
      report: `/api/v1/jobs/${id}/report`,
    });
    expect(manifest.output).toHaveLength(2);
  });

  it('lists the harmonized files of every dataset a job wrote, and the datasets on the job record', async () => {
    const id = await submitCsv(t.app);
    await completeJob(t, id, ['patients', 'encounters']);
    const res = await status(id);
    expect(t.specProblems('get', '/api/v1/jobs/{id}/status', res)).toEqual([]);
    const manifest = res.json();
    // detected_dataset (patients, the first record's) first, then the others by name.
    expect(manifest.datasets).toEqual(['patients', 'encounters']);
    expect(manifest.output.map((o: { dataset: string; format: string; url: string }) => [o.dataset, o.format, o.url])).toEqual([
      ['patients', 'csv', `/api/v1/jobs/${id}/result?format=csv&dataset=patients`],
      ['patients', 'ndjson', `/api/v1/jobs/${id}/result?format=ndjson&dataset=patients`],
      ['encounters', 'csv', `/api/v1/jobs/${id}/result?format=csv&dataset=encounters`],
      ['encounters', 'ndjson', `/api/v1/jobs/${id}/result?format=ndjson&dataset=encounters`],
    ]);
    const record = await get(`/api/v1/jobs/${id}`);
    expect(t.specProblems('get', '/api/v1/jobs/{id}', record)).toEqual([]);
    expect(record.json()).toMatchObject({ detected_dataset: 'patients', datasets: ['patients', 'encounters'] });
  });

  it('answers 200 with the error once failed', async () => {
    const id = await submitCsv(t.app);
    await t.db.jobs.markRunning(id);
    await t.db.jobs.markFailed(id, { code: 'input.no_header', message: 'the file has no header row' });
    const res = await status(id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id, status: 'failed', error: { code: 'input.no_header', message: 'the file has no header row' } });
    expect(t.specProblems('get', '/api/v1/jobs/{id}/status', res)).toEqual([]);
  });

  it('answers 200 with the status once cancelled', async () => {
    const id = await submitCsv(t.app);
    await t.db.jobs.cancel(id);
    const res = await status(id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id, status: 'cancelled' });
  });

  it('answers 404 for an unknown job', async () => {
    const res = await status('00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('job_not_found');
  });
});

describe('GET /api/v1/jobs/{id}/logs', () => {
  it('pages through the log lines oldest first with next_after', async () => {
    const id = await submitCsv(t.app);
    await t.db.jobs.appendLog(id, 'info', 'started', { attempt: 1 });
    await t.db.jobs.appendLog(id, 'warn', 'slow chunk', { chunk: 3, ms: 900 });
    await t.db.jobs.appendLog(id, 'info', 'finished');

    const first = await get(`/api/v1/jobs/${id}/logs?limit=2`);
    expect(first.statusCode).toBe(200);
    expect(t.specProblems('get', '/api/v1/jobs/{id}/logs', first)).toEqual([]);
    const page = first.json();
    expect(page.items.map((line: { message: string }) => line.message)).toEqual(['started', 'slow chunk']);
    expect(page.items[1]).toMatchObject({ level: 'warn', data: { chunk: 3, ms: 900 }, at: expect.any(String) });
    expect(page.next_after).toBe(page.items[1].id);

    const rest = (await get(`/api/v1/jobs/${id}/logs?limit=2&after=${page.next_after}`)).json();
    expect(rest.items.map((line: { message: string }) => line.message)).toEqual(['finished']);
    expect(rest.next_after).toBeNull();
  });

  it('answers 404 for an unknown job', async () => {
    const res = await get('/api/v1/jobs/00000000-0000-4000-8000-000000000000/logs');
    expect(res.statusCode).toBe(404);
  });
});
