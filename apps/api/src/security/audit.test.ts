import { randomBytes } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '@harmonizer/db';
import { flushAudit } from '../audit.js';
import { completeJob } from '../testing/complete-job.js';
import { injectUpload, PATIENTS_CSV } from '../testing/inject-upload.js';
import { authEnv, bearer, tokenFor } from '../testing/auth-tokens.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';


let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: authEnv() });
});
afterAll(async () => {
  await t?.close();
});

const ADMIN = bearer(tokenFor('audit-a', ['admin'], 'alice'));
const SUBMITTER = bearer(tokenFor('audit-a', ['submitter'], 'sam'));
const VIEWER = bearer(tokenFor('audit-a', ['viewer'], 'vic'));

const errorOf = (res: { json(): unknown }) => (res.json() as { error: { code: string; message: string } }).error;

/** The tenant's rows of one action, newest first, once every write in flight has landed. */
async function rows(tenant: string, action: string): Promise<AuditRecord[]> {
  await flushAudit(t.db);
  return (await t.db.forTenant(tenant).audit.list({ limit: 200, action })).items;
}

/** The id of the tenant's newest row (0 when none): rows written after it have higher ids. */
async function mark(tenant: string): Promise<number> {
  await flushAudit(t.db);
  return (await t.db.forTenant(tenant).audit.list({ limit: 1 })).items[0]?.id ?? 0;
}

/** Waits for the newest row of an action written after `since` (onResponse runs as the answer finishes). */
async function newRow(tenant: string, action: string, since: number): Promise<AuditRecord> {
  return vi.waitFor(
    async () => {
      const [row] = (await rows(tenant, action)).filter((r) => r.id > since);
      if (!row) throw new Error(`no new ${action} row`);
      return row;
    },
    { timeout: 3_000, interval: 20 },
  );
}

const submit = (headers: Record<string, string>) =>
  injectUpload(t.app, [{ name: 'file', filename: 'patients.csv', content: PATIENTS_CSV }], headers);

describe('audit rows', () => {
  it('records a submission with who, tenant, ip, request id, target and outcome, and no record values', async () => {
    const since = await mark('audit-a');
    const res = await submit(SUBMITTER);
    expect(res.statusCode).toBe(202);
    const jobId = (res.json() as { id: string }).id;
    const row = await newRow('audit-a', 'job.create', since);
    expect(row).toMatchObject({
      tenantId: 'audit-a',
      actor: 'sam',
      actorKind: 'user',
      action: 'job.create',
      target: jobId,
      outcome: 202,
      ip: '127.0.0.1',
      data: null,
    });
    expect(row.requestId).toMatch(/\S/);
    expect(Date.parse(row.at)).not.toBeNaN();
    const all = JSON.stringify(await t.db.forTenant('audit-a').audit.list({ limit: 200 }));
    for (const value of ['Ann', 'Lee', '1980-01-02']) expect(all).not.toContain(value);
  });

  it('records a refused submission with its status and error code', async () => {
    const since = await mark('audit-a');
    const res = await injectUpload(t.app, [{ name: 'dataset', value: 'patients' }], SUBMITTER);
    expect(res.statusCode).toBe(400);
    const row = await newRow('audit-a', 'job.create', since);
    expect(row).toMatchObject({ actor: 'sam', outcome: 400, target: null, data: { error: 'file_missing' } });
  });

  it('records downloads of records and reports, and a refused download as access.denied only', async () => {
    const jobId = (await submit(SUBMITTER)).json().id as string;
    await completeJob(t, jobId);
    const since = await mark('audit-a');
    const download = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}/result`, headers: SUBMITTER });
    expect(download.statusCode).toBe(200);
    const rejects = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}/rejects`, headers: SUBMITTER });
    expect(rejects.statusCode).toBe(200);
    const report = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}/report`, headers: VIEWER });
    expect(report.statusCode).toBe(200);

    const downloads = await vi.waitFor(async () => {
      const found = (await rows('audit-a', 'job.download')).filter((r) => r.id > since);
      if (found.length < 2) throw new Error('rows not there yet');
      return found;
    });
    expect(downloads).toHaveLength(2);
    for (const row of downloads) expect(row).toMatchObject({ actor: 'sam', target: jobId, outcome: 200, tenantId: 'audit-a' });
    expect(await newRow('audit-a', 'job.report', since)).toMatchObject({ actor: 'vic', target: jobId, outcome: 200 });

    // A viewer may not download records: one access.denied row, no job.download row.
    const beforeDenied = await mark('audit-a');
    const denied = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}/result`, headers: VIEWER });
    expect(denied.statusCode).toBe(403);
    const deniedRow = await newRow('audit-a', 'access.denied', beforeDenied);
    expect(deniedRow).toMatchObject({ actor: 'vic', actorKind: 'user', tenantId: 'audit-a', outcome: 403 });
    await flushAudit(t.db);
    expect((await rows('audit-a', 'job.download')).filter((r) => r.id > beforeDenied)).toEqual([]);
  });

  it('records a cancel of an active job and a delete of a finished one under their own actions', async () => {
    const active = (await submit(SUBMITTER)).json().id as string;
    let since = await mark('audit-a');
    const cancel = await t.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${active}`, headers: SUBMITTER });
    expect(cancel.statusCode).toBe(202);
    expect(await newRow('audit-a', 'job.cancel', since)).toMatchObject({ target: active, outcome: 202, actor: 'sam' });

    const done = (await submit(SUBMITTER)).json().id as string;
    await completeJob(t, done);
    since = await mark('audit-a');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${done}`, headers: SUBMITTER });
    expect(del.statusCode).toBe(202);
    expect(await newRow('audit-a', 'job.delete', since)).toMatchObject({ target: done, outcome: 202, actor: 'sam' });
    expect((await rows('audit-a', 'job.cancel')).map((r) => r.target)).not.toContain(done);
  });

  it('records a job of another tenant as a 404 under the caller, with the id asked for', async () => {
    const theirs = (await submit(bearer(tokenFor('audit-b', ['submitter'], 'zed')))).json().id as string;
    const since = await mark('audit-a');
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${theirs}`, headers: SUBMITTER });
    expect(res.statusCode).toBe(404);
    const row = await newRow('audit-a', 'job.delete', since);
    expect(row).toMatchObject({ tenantId: 'audit-a', actor: 'sam', target: theirs, outcome: 404, data: { error: 'job_not_found' } });
    // Tenant B's own log does not show A's attempt.
    expect((await rows('audit-b', 'job.delete')).map((r) => r.target)).not.toContain(theirs);
  });

  it('records key creation and revocation without the secret, and a use of the revoked key as auth.failure', async () => {
    let since = await mark('audit-a');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: ADMIN, payload: { name: 'ci', roles: ['viewer'] } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    expect(await newRow('audit-a', 'api_key.create', since)).toMatchObject({ actor: 'alice', actorKind: 'user', target: id, outcome: 201 });
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: ADMIN });
    expect(revoked.statusCode).toBe(200);
    expect(await newRow('audit-a', 'api_key.revoke', since)).toMatchObject({ actor: 'alice', target: id, outcome: 200 });

    since = await mark('audit-a');
    const refused = await t.app.inject({ method: 'GET', url: '/api/v1/jobs', headers: { 'x-api-key': key } });
    expect(refused.statusCode).toBe(401);
    const failure = await newRow('audit-a', 'auth.failure', since);
    expect(failure).toMatchObject({ tenantId: 'audit-a', outcome: 401, ip: '127.0.0.1', data: { reason: 'revoked_api_key' } });
    const all = JSON.stringify(await t.db.forTenant('audit-a').audit.list({ limit: 200 }));
    expect(all).not.toContain(key);
    expect(all).not.toContain(key.slice(12));
  });

  it('records what an api key does under the key id', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: ADMIN, payload: { name: 'uploader', roles: ['submitter'] } });
    const { id, key } = created.json() as { id: string; key: string };
    const since = await mark('audit-a');
    expect((await submit({ 'x-api-key': key })).statusCode).toBe(202);
    expect(await newRow('audit-a', 'job.create', since)).toMatchObject({ actor: id, actorKind: 'api_key', outcome: 202 });
  });

  it('records an auth failure of an unknown caller with no tenant, its ip and request id, and not the token', async () => {
    const forged = tokenFor('audit-a', ['admin'], 'mallory', { key: 'another-secret-of-32-characters-at-least' });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/jobs', headers: bearer(forged), remoteAddress: '203.0.113.7' });
    expect(res.statusCode).toBe(401);
    if (t.config.database.kind !== 'sqlite') throw new Error('this test reads the SQLite file');
    // Rows without a tenant are no tenant's to read through the api: read the table itself.
    const file = new Sqlite(t.config.database.file, { readonly: true, fileMustExist: true });
    try {
      const found = await vi.waitFor(async () => {
        await flushAudit(t.db);
        const row = file
          .prepare("select * from audit_log where action = 'auth.failure' and ip = '203.0.113.7' order by id desc limit 1")
          .get() as Record<string, unknown> | undefined;
        if (!row) throw new Error('no row yet');
        return row;
      });
      expect(found).toMatchObject({ tenant_id: null, actor: null, actor_kind: null, outcome: 401 });
      expect(found.request_id).toEqual(expect.any(String));
      expect(JSON.stringify(found)).not.toContain(forged);
      expect(JSON.stringify(found)).not.toContain(forged.split('.')[2]);
    } finally {
      file.close();
    }
    // And no tenant's log lists it.
    expect((await rows('audit-a', 'auth.failure')).map((r) => r.ip)).not.toContain('203.0.113.7');
  });

  it('records mapping changes', async () => {
    const since = await mark('audit-a');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/mappings',
      headers: SUBMITTER,
      payload: { name: 'clinic-a', columns: { 'Pt Ident': 'patient_id' } },
    });
    expect(created.statusCode).toBe(201);
    expect(await newRow('audit-a', 'mapping.create', since)).toMatchObject({ target: 'clinic-a', outcome: 201, actor: 'sam' });
    const removed = await t.app.inject({ method: 'DELETE', url: '/api/v1/mappings/clinic-a', headers: SUBMITTER });
    expect(removed.statusCode).toBe(204);
    expect(await newRow('audit-a', 'mapping.delete', since)).toMatchObject({ target: 'clinic-a', outcome: 204 });
  });
});

describe('GET /api/v1/audit', () => {
  const TENANT = 'audit-pages';
  const PAGE_ADMIN = bearer(tokenFor(TENANT, ['admin'], 'pat'));
  const list = (query: string, headers: Record<string, string> = PAGE_ADMIN) =>
    t.app.inject({ method: 'GET', url: `/api/v1/audit${query}`, headers });

  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      await t.db.audit.append({
        tenantId: TENANT,
        actor: `user-${i}`,
        actorKind: 'user',
        action: i % 2 === 0 ? 'job.create' : 'job.download',
        target: `target-${i}`,
        outcome: 200,
        ip: '127.0.0.1',
        requestId: `req-seed-${i}`,
        data: i === 0 ? { error: 'file_missing' } : null,
      });
    }
  });

  it('pages newest first with next_cursor until null, as the spec says', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`?limit=2&action=job.create${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode).toBe(200);
      expect(t.specProblems('get', '/api/v1/audit', res)).toEqual([]);
      const page = res.json() as { items: { target: string; id: number }[]; next_cursor: string | null };
      seen.push(...page.items.map((r) => r.target));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual(['target-4', 'target-2', 'target-0']);
    expect(pages).toBe(2);

    const all = await list('?limit=200');
    const items = (all.json() as { items: { id: number; target: string; actor: string; actor_kind: string; data: unknown }[] }).items;
    // The admin's own GET /audit requests are not audited, so these are exactly the seeded rows.
    expect(items.map((r) => r.target)).toEqual(['target-4', 'target-3', 'target-2', 'target-1', 'target-0']);
    expect(items.map((r) => r.id)).toEqual([...items.map((r) => r.id)].sort((a, b) => b - a));
    expect(items[4]).toMatchObject({ actor: 'user-0', actor_kind: 'user', data: { error: 'file_missing' }, request_id: 'req-seed-0' });
  });

  it('pages without repeats or gaps across page sizes', async () => {
    const first = (await list('?limit=3')).json() as { items: { target: string }[]; next_cursor: string };
    const second = (await list(`?limit=3&cursor=${encodeURIComponent(first.next_cursor)}`)).json() as {
      items: { target: string }[];
      next_cursor: string | null;
    };
    expect([...first.items, ...second.items].map((r) => r.target)).toEqual(['target-4', 'target-3', 'target-2', 'target-1', 'target-0']);
    expect(second.next_cursor).toBeNull();
  });

  it("shows only the caller's tenant", async () => {
    const res = await list('?limit=200', ADMIN);
    const targets = (res.json() as { items: { target: string | null }[] }).items.map((r) => r.target);
    expect(targets).not.toContain('target-0');
  });

  it('answers 400 for a cursor it did not issue and for a bad limit or action', async () => {
    const cursor = await list('?cursor=not-a-cursor');
    expect(cursor.statusCode).toBe(400);
    expect(errorOf(cursor).code).toBe('invalid_cursor');
    for (const query of ['?limit=0', '?limit=201', '?action=DROP%20TABLE']) {
      const res = await list(query);
      expect(res.statusCode, query).toBe(400);
      expect(errorOf(res).code).toBe('validation_failed');
    }
  });

  it.each([
    ['submitter', SUBMITTER],
    ['viewer', VIEWER],
  ])('refuses a %s with 403 forbidden', async (_role, headers) => {
    const res = await list('', headers);
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('forbidden');
  });

  it('refuses a request without credentials with 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});

describe('on Postgres', () => {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `test_audit_${process.pid}_${randomBytes(4).toString('hex')}`;
  let p: TestApp;
  beforeAll(async () => {
    p = await createTestApp({ env: authEnv({ DATABASE_URL: url, DATABASE_SCHEMA: schema }) });
  });
  afterAll(async () => {
    await p?.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  });

  it('writes and pages the same rows, and a key works until revoked', async () => {
    const admin = bearer(tokenFor('pg-tenant', ['admin'], 'olga'));
    const created = await p.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: admin, payload: { name: 'pg', roles: ['submitter'] } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    const submitted = await injectUpload(p.app, [{ name: 'file', filename: 'p.csv', content: PATIENTS_CSV }], { 'x-api-key': key });
    expect(submitted.statusCode).toBe(202);
    const jobId = (submitted.json() as { id: string }).id;
    expect((await p.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: admin })).statusCode).toBe(200);
    expect((await p.app.inject({ method: 'GET', url: '/api/v1/jobs', headers: { 'x-api-key': key } })).statusCode).toBe(401);

    const expected: [string, string | null, number][] = [
      ['auth.failure', null, 401],
      ['api_key.revoke', id, 200],
      ['job.create', jobId, 202],
      ['api_key.create', id, 201],
    ];
    const seen = await vi.waitFor(async () => {
      await flushAudit(p.db);
      const items: { id: number; action: string; target: string | null; outcome: number; actor: string | null }[] = [];
      let cursor: string | null = null;
      do {
        const res = await p.app.inject({ method: 'GET', url: `/api/v1/audit?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: admin });
        expect(p.specProblems('get', '/api/v1/audit', res)).toEqual([]);
        const page = res.json() as { items: typeof items; next_cursor: string | null };
        items.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor !== null && items.length < 10);
      if (items.length < expected.length) throw new Error('rows not there yet');
      return items;
    });
    // Pages of one row each: every row once, ids falling. (Rows are in the order they were written;
    // on a connection pool two rows of back-to-back requests may land either way round.)
    expect(seen.map((r) => [r.action, r.target, r.outcome]).sort()).toEqual([...expected].sort());
    const ids = seen.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    expect(seen.find((r) => r.action === 'job.create')?.actor).toBe(id);
    expect(JSON.stringify(seen)).not.toContain(key);
  });
});
