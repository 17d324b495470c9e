import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authEnv, bearer, tokenFor } from '../testing/auth-tokens.js';
import { completeJob } from '../testing/complete-job.js';
import { injectUpload, PATIENTS_CSV } from '../testing/inject-upload.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

const A = { ...bearer(tokenFor('tenant-a', ['admin'], 'alice')) };
const B = { ...bearer(tokenFor('tenant-b', ['admin'], 'bob')) };

const errorOf = (res: { json(): unknown }) => (res.json() as { error: { code: string; message: string } }).error;

async function submit(t: TestApp, headers: Record<string, string>, extra: Record<string, string> = {}, options?: object) {
  const parts = [
    { name: 'file', filename: 'patients.csv', content: PATIENTS_CSV },
    ...(options ? [{ name: 'options', value: JSON.stringify(options) }] : []),
  ];
  const res = await injectUpload(t.app, parts, { ...headers, ...extra });
  if (res.statusCode !== 202 && res.statusCode !== 200) throw new Error(`submit failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
}

/** Every job route, for a job id: what tenant B tries on tenant A's job. */
const jobRequests = (id: string) =>
  [
    { method: 'GET', url: `/api/v1/jobs/${id}` },
    { method: 'GET', url: `/api/v1/jobs/${id}/status` },
    { method: 'GET', url: `/api/v1/jobs/${id}/result` },
    { method: 'GET', url: `/api/v1/jobs/${id}/result?format=ndjson` },
    { method: 'GET', url: `/api/v1/jobs/${id}/rejects` },
    { method: 'GET', url: `/api/v1/jobs/${id}/report` },
    { method: 'GET', url: `/api/v1/jobs/${id}/logs` },
    { method: 'GET', url: `/api/v1/jobs/${id}/fhir/Patient` },
    { method: 'POST', url: `/api/v1/jobs/${id}/retry` },
    { method: 'DELETE', url: `/api/v1/jobs/${id}` },
  ] as const;

describe('tenant isolation through the api', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: authEnv() });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("answers 404 job_not_found for another tenant's job on every job route, exactly as for a missing one", async () => {
    const { id } = await submit(t, A);
    await completeJob(t, id);
    const missing = randomUUID();
    for (const request of jobRequests(id)) {
      const theirs = await t.app.inject({ ...request, headers: B });
      const none = await t.app.inject({ method: request.method, url: request.url.replace(id, missing), headers: B });
      expect({ request: request.url, status: theirs.statusCode }).toEqual({ request: request.url, status: 404 });
      expect(theirs.body).toBe(none.body.replace(missing, id));
      expect(errorOf(theirs).code).toBe('job_not_found');
    }
    // Nothing B did changed A's job: still completed, files there.
    const mine = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}/result`, headers: A });
    expect(mine.statusCode).toBe(200);
    expect((await t.db.jobs.get(id))?.filesDeletedAt).toBeNull();
  });

  it("lists only the caller's jobs", async () => {
    const a = await submit(t, A);
    const b = await submit(t, B);
    const ids = async (headers: Record<string, string>) =>
      ((await t.app.inject({ method: 'GET', url: '/api/v1/jobs?limit=100', headers })).json() as { items: { id: string }[] }).items.map((j) => j.id);
    const listA = await ids(A);
    const listB = await ids(B);
    expect(listA).toContain(a.id);
    expect(listA).not.toContain(b.id);
    expect(listB).toEqual([b.id]);
    expect((await t.db.jobs.get(a.id))?.tenantId).toBe('tenant-a');
    expect((await t.db.jobs.get(b.id))?.tenantId).toBe('tenant-b');
  });

  it('keeps Idempotency-Keys per tenant: the same key makes one job in each', async () => {
    const key = { 'idempotency-key': `shared-${randomUUID()}` };
    const a1 = await submit(t, A, key);
    const b1 = await submit(t, B, key);
    const a2 = await submit(t, A, key);
    expect(b1.id).not.toBe(a1.id);
    expect(a2.id).toBe(a1.id);
    expect((await t.db.jobs.get(b1.id))?.tenantId).toBe('tenant-b');
  });

  it('keeps mapping profiles per tenant: the same name in two tenants, each job using its own', async () => {
    const profile = (column: string) => ({ name: 'clinic', dataset: 'patients', columns: { [column]: 'patient_id' } });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/mappings', headers: A, payload: profile('A Ident') })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/mappings', headers: B, payload: profile('B Ident') })).statusCode).toBe(201);

    const readB = await t.app.inject({ method: 'GET', url: '/api/v1/mappings/clinic', headers: B });
    expect((readB.json() as { columns: object }).columns).toEqual({ 'B Ident': 'patient_id' });
    const listB = (await t.app.inject({ method: 'GET', url: '/api/v1/mappings', headers: B })).json() as { items: { name: string }[] };
    expect(listB.items.map((m) => m.name)).toEqual(['clinic']);

    const jobB = await submit(t, B, {}, { mapping_profile: 'clinic' });
    expect((await t.db.jobs.get(jobB.id))?.options).toMatchObject({ mapping: { 'B Ident': 'patient_id' } });

    // B deleting "clinic" deletes B's; A's stays, and a name only A has is missing for B.
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/mappings/clinic', headers: B })).statusCode).toBe(204);
    expect(await t.db.forTenant('tenant-a').mappings.get('clinic')).not.toBeNull();
    await t.app.inject({ method: 'POST', url: '/api/v1/mappings', headers: A, payload: { ...profile('X'), name: 'only-a' } });
    expect(errorOf(await t.app.inject({ method: 'GET', url: '/api/v1/mappings/only-a', headers: B })).code).toBe('mapping_not_found');
    const refused = await injectUpload(t.app, [
      { name: 'file', filename: 'p.csv', content: PATIENTS_CSV },
      { name: 'options', value: JSON.stringify({ mapping_profile: 'only-a' }) },
    ], B);
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused).code).toBe('mapping_not_found');
  });
});

/** The tables that hold tenant data. */
const TENANT_TABLES = /\b(?:from|into|update|join)\s+(?:"[a-z0-9_]+"\.)?"?(jobs|job_results|job_logs|job_metrics|mapping_profiles|api_keys|audit_log)"?/gi;

/**
 * True when a statement touching tenant tables is confined to one tenant: an insert names the
 * tenant_id column, anything else filters on tenant_id in its WHERE. Not tenant-filtered by
 * design: the api-key lookup by hash and its last-used update (before the tenant is known).
 */
function tenantConfined(sql: string): boolean {
  const s = sql.replace(/\s+/g, ' ');
  if (/^insert into/i.test(s)) {
    const columns = /^insert into [^(]+\(([^)]*)\)/i.exec(s)?.[1] ?? '';
    return /"?tenant_id"?/.test(columns);
  }
  const where = s.slice(s.search(/\bwhere\b/i) >= 0 ? s.search(/\bwhere\b/i) : s.length);
  return /"?tenant_id"?\s*=/.test(where);
}
const isKeyLookup = (sql: string) => /"api_keys"/.test(sql) && (/"key_hash"\s*=/.test(sql) || /^update "?[a-z0-9_".]*api_keys"? set "last_used_at"/i.test(sql.trim()));

describe('the tenant-confinement check itself', () => {
  it('flags statements that are not confined to a tenant', () => {
    expect(tenantConfined('select "id" from "jobs" where "jobs"."id" = ?')).toBe(false);
    expect(tenantConfined('select "id", "tenant_id" from "jobs" where "jobs"."status" = ?')).toBe(false);
    expect(tenantConfined('insert into "jobs" ("id", "status") values (?, ?)')).toBe(false);
    expect(tenantConfined('select "id" from "jobs" where ("jobs"."id" = ? and "jobs"."tenant_id" = ?)')).toBe(true);
    expect(tenantConfined('insert into "jobs" ("id", "tenant_id") values (?, ?)')).toBe(true);
  });
});

const targets = [
  { name: 'sqlite', env: (): Record<string, string> => ({}) },
  {
    name: 'postgres',
    env: (): Record<string, string> => ({ DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', DATABASE_SCHEMA: `test_tenancy_${randomBytes(4).toString('hex')}` }),
  },
] as const;

describe.each(targets)('every statement the api runs for a tenant names the tenant ($name)', ({ name, env }) => {
  let t: TestApp;
  const statements: string[] = [];
  let recording = false;
  const dbEnv = env();

  beforeAll(async () => {
    t = await createTestApp({ env: authEnv(dbEnv), onQuery: (sql) => recording && statements.push(sql) });
  });
  afterAll(async () => {
    await t?.close();
    if (name === 'postgres' && dbEnv.DATABASE_SCHEMA) {
      const client = new pg.Client({ connectionString: dbEnv.DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${dbEnv.DATABASE_SCHEMA}" cascade`);
      } finally {
        await client.end();
      }
    }
  });

  it('on submit, read, download, list, logs, cancel, delete, retry, mappings, api keys and audit', async () => {
    // Fixtures (not recorded): a completed and a failed job of tenant-a.
    const done = await submit(t, A);
    await completeJob(t, done.id);
    const failed = await submit(t, A);
    await t.db.jobs.markRunning(failed.id);
    await t.db.jobs.markFailed(failed.id, { code: 'worker.crashed', message: 'the worker stopped' });

    recording = true;
    const call = async (method: string, url: string, headers: Record<string, string> = A, payload?: object) =>
      t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
    const active = await submit(t, A, { 'idempotency-key': 'k-1' });
    await submit(t, A, { 'idempotency-key': 'k-1' });
    await call('POST', '/api/v1/mappings', A, { name: 'm', dataset: 'patients', columns: { 'Pt Ident': 'patient_id' } });
    await submit(t, A, {}, { mapping_profile: 'm' });
    const statuses: number[] = [];
    for (const [method, url] of [
      ['GET', '/api/v1/jobs'],
      ['GET', '/api/v1/jobs?status=completed&limit=1'],
      ['GET', `/api/v1/jobs/${done.id}`],
      ['GET', `/api/v1/jobs/${done.id}/status`],
      ['GET', `/api/v1/jobs/${active.id}/status`],
      ['GET', `/api/v1/jobs/${done.id}/result`],
      ['GET', `/api/v1/jobs/${done.id}/rejects`],
      ['GET', `/api/v1/jobs/${done.id}/report`],
      ['GET', `/api/v1/jobs/${done.id}/logs`],
      ['GET', `/api/v1/jobs/${done.id}/fhir/Patient`],
      ['POST', `/api/v1/jobs/${failed.id}/retry`],
      ['DELETE', `/api/v1/jobs/${active.id}`],
      ['DELETE', `/api/v1/jobs/${done.id}`],
      ['GET', '/api/v1/mappings'],
      ['GET', '/api/v1/mappings/m'],
      ['DELETE', '/api/v1/mappings/m'],
      ['GET', '/api/v1/api-keys'],
      ['GET', '/api/v1/audit'],
    ] as const) {
      statuses.push((await call(method, url)).statusCode);
    }
    await call('PUT', '/api/v1/mappings/m', A, { dataset: 'patients' });
    const created = await call('POST', '/api/v1/api-keys', A, { name: 'k', roles: ['viewer'] });
    const key = created.json() as { id: string; key: string };
    await call('GET', '/api/v1/jobs', { 'x-api-key': key.key });
    await call('GET', `/api/v1/api-keys/${key.id}`);
    await call('DELETE', `/api/v1/api-keys/${key.id}`);
    await call('GET', '/api/v1/jobs', bearer(tokenFor('tenant-a', ['viewer'], 'v', { expiresIn: -3600 })));
    await new Promise((resolve) => setTimeout(resolve, 100)); // fire-and-forget audit rows
    recording = false;

    expect(statuses.every((s) => s < 500)).toBe(true);
    const touching = statements.filter((sql) => new RegExp(TENANT_TABLES.source, 'i').test(sql));
    expect(touching.length).toBeGreaterThan(30);
    const tables = new Set(touching.flatMap((sql) => [...sql.matchAll(TENANT_TABLES)].map((m) => m[1])));
    expect([...tables].sort()).toEqual(['api_keys', 'audit_log', 'job_logs', 'job_metrics', 'job_results', 'jobs', 'mapping_profiles']);
    const unconfined = touching.filter((sql) => !tenantConfined(sql) && !isKeyLookup(sql));
    expect(unconfined).toEqual([]);
  });
});
