import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const ADMIN_A = bearer(tokenFor('tenant-a', ['admin'], 'alice'));
const ADMIN_B = bearer(tokenFor('tenant-b', ['admin'], 'bob'));

interface KeyView {
  id: string;
  name: string;
  prefix: string;
  roles: string[];
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  key?: string;
}

const errorOf = (res: { json(): unknown }) => (res.json() as { error: { code: string; message: string } }).error;

async function createKey(headers: Record<string, string>, body: unknown = { name: 'nightly import', roles: ['submitter'] }) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: body as object });
  return { res, key: res.json() as KeyView & { key: string } };
}
const getKey = (id: string, headers: Record<string, string> = ADMIN_A) =>
  t.app.inject({ method: 'GET', url: `/api/v1/api-keys/${id}`, headers });
const revokeKey = (id: string, headers: Record<string, string> = ADMIN_A) =>
  t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers });
const listJobs = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/v1/jobs', headers });

describe('POST /api/v1/api-keys', () => {
  it('answers 201 with the secret once, as the spec says, and the key works until it is revoked', async () => {
    const { res, key } = await createKey(ADMIN_A);
    expect(res.statusCode).toBe(201);
    expect(t.specProblems('post', '/api/v1/api-keys', res)).toEqual([]);
    expect(res.headers.location).toBe(`/api/v1/api-keys/${key.id}`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(key).toMatchObject({ name: 'nightly import', roles: ['submitter'], created_by: 'alice', last_used_at: null, revoked_at: null });
    expect(key.id).toMatch(/^key_[0-9a-f]{16}$/);
    expect(key.key).toMatch(/^hzk_[A-Za-z0-9_-]{43}$/);
    expect(key.prefix).toBe(key.key.slice(0, 12));

    // Used as X-API-Key: it submits in the admin's tenant, and its use is recorded.
    const submitted = await injectUpload(t.app, [{ name: 'file', filename: 'p.csv', content: PATIENTS_CSV }], { 'x-api-key': key.key });
    expect(submitted.statusCode).toBe(202);
    const jobId = (submitted.json() as { id: string }).id;
    expect((await t.db.forTenant('tenant-a').jobs.get(jobId))?.tenantId).toBe('tenant-a');
    const used = (await getKey(key.id)).json() as KeyView;
    expect(used.last_used_at).not.toBeNull();
    expect(Date.parse(used.last_used_at ?? '')).toBeGreaterThanOrEqual(Date.parse(key.created_at));

    // As a Bearer credential too.
    expect((await listJobs(bearer(key.key))).statusCode).toBe(200);

    const revoked = await revokeKey(key.id);
    expect(revoked.statusCode).toBe(200);
    expect(t.specProblems('delete', '/api/v1/api-keys/{id}', revoked)).toEqual([]);
    const revokedAt = (revoked.json() as KeyView).revoked_at;
    expect(revokedAt).not.toBeNull();

    for (const headers of [{ 'x-api-key': key.key }, bearer(key.key)]) {
      const refused = await listJobs(headers);
      expect(refused.statusCode).toBe(401);
      expect(errorOf(refused).code).toBe('unauthorized');
      expect(refused.body).not.toContain(key.key);
    }
    // Revoking again keeps the first time.
    const again = await revokeKey(key.id);
    expect(again.statusCode).toBe(200);
    expect((again.json() as KeyView).revoked_at).toBe(revokedAt);
  });

  it('stores only the sha256 of the key: the secret is nowhere in the database file', async () => {
    const { key } = await createKey(ADMIN_A, { name: 'stored', roles: ['viewer'] });
    const hash = createHash('sha256').update(key.key).digest('hex');
    expect(await t.db.apiKeys.findByHash(hash)).toMatchObject({ id: key.id, tenantId: 'tenant-a', prefix: key.prefix, roles: ['viewer'] });
    if (t.config.database.kind !== 'sqlite') throw new Error('this test reads the SQLite file');
    const file = t.config.database.file;
    const bytes = Buffer.concat(
      await Promise.all([file, `${file}-wal`].map((f) => readFile(f).catch(() => Buffer.alloc(0)))),
    ).toString('latin1');
    expect(bytes).toContain(hash); // the check can see the row...
    expect(bytes).not.toContain(key.key); // ...and the secret is not in it
    expect(bytes).not.toContain(key.key.slice(12)); // nor the part past the shown prefix
  });

  it('keeps the roles as a set, in hierarchy order', async () => {
    const { res, key } = await createKey(ADMIN_A, { name: 'two roles', roles: ['viewer', 'admin'] });
    expect(res.statusCode).toBe(201);
    expect(key.roles).toEqual(['admin', 'viewer']);
  });

  it.each([
    ['no roles', { name: 'x', roles: [] }, 'roles'],
    ['an unknown role', { name: 'x', roles: ['root'] }, 'roles'],
    ['a repeated role', { name: 'x', roles: ['viewer', 'viewer'] }, 'roles'],
    ['no name', { roles: ['viewer'] }, 'name'],
    ['an empty name', { name: '', roles: ['viewer'] }, 'name'],
    ['a name of 101 characters', { name: 'n'.repeat(101), roles: ['viewer'] }, 'name'],
    ['a name with a newline', { name: 'a\nb', roles: ['viewer'] }, 'name'],
  ])('answers 400 validation_failed naming the field for %s', async (_what, body, field) => {
    const { res } = await createKey(ADMIN_A, body);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'validation_failed', message: expect.stringContaining(field) });
  });

  it('lets a key act only with its own roles: a viewer key reads but cannot submit or make keys', async () => {
    const { key } = await createKey(ADMIN_A, { name: 'reader', roles: ['viewer'] });
    expect((await listJobs({ 'x-api-key': key.key })).statusCode).toBe(200);
    const submit = await injectUpload(t.app, [{ name: 'file', filename: 'p.csv', content: PATIENTS_CSV }], { 'x-api-key': key.key });
    expect(submit.statusCode).toBe(403);
    const make = await createKey({ 'x-api-key': key.key });
    expect(make.res.statusCode).toBe(403);
    expect(errorOf(make.res).code).toBe('forbidden');
  });

  it('lets an admin key make keys, recorded as made by that key', async () => {
    const { key: adminKey } = await createKey(ADMIN_A, { name: 'automation', roles: ['admin'] });
    const { res, key } = await createKey({ 'x-api-key': adminKey.key }, { name: 'made by a key', roles: ['viewer'] });
    expect(res.statusCode).toBe(201);
    expect(key.created_by).toBe(adminKey.id);
  });
});

describe('GET /api/v1/api-keys', () => {
  it("lists the tenant's keys newest first, without secrets or hashes", async () => {
    const first = (await createKey(ADMIN_B, { name: 'b-first', roles: ['viewer'] })).key;
    const second = (await createKey(ADMIN_B, { name: 'b-second', roles: ['submitter'] })).key;
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: ADMIN_B });
    expect(res.statusCode).toBe(200);
    expect(t.specProblems('get', '/api/v1/api-keys', res)).toEqual([]);
    const items = (res.json() as { items: KeyView[] }).items;
    expect(items.map((k) => k.id)).toEqual([second.id, first.id]);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(['created_at', 'created_by', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at', 'roles']);
    }
    for (const secret of [first.key, second.key]) {
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain(createHash('sha256').update(secret).digest('hex'));
    }
    // Tenant A's keys are not in B's list.
    const listA = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: ADMIN_A });
    const idsA = (listA.json() as { items: KeyView[] }).items.map((k) => k.id);
    expect(idsA).not.toContain(first.id);
    expect(idsA).not.toContain(second.id);
  });

  it('shows one key by id, without its secret', async () => {
    const { key } = await createKey(ADMIN_A, { name: 'single', roles: ['viewer'] });
    const res = await getKey(key.id);
    expect(res.statusCode).toBe(200);
    expect(t.specProblems('get', '/api/v1/api-keys/{id}', res)).toEqual([]);
    expect(res.json()).toMatchObject({ id: key.id, name: 'single', prefix: key.prefix });
    expect(res.body).not.toContain(key.key);
  });
});

describe('keys of another tenant', () => {
  it('answer 404 api_key_not_found to get and revoke, and stay usable', async () => {
    const { key } = await createKey(ADMIN_A, { name: 'a-only', roles: ['viewer'] });
    for (const [method, res] of [['get', await getKey(key.id, ADMIN_B)], ['delete', await revokeKey(key.id, ADMIN_B)]] as const) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('api_key_not_found');
      expect(t.specProblems(method, '/api/v1/api-keys/{id}', res)).toEqual([]);
    }
    expect((await getKey(key.id)).json()).toMatchObject({ revoked_at: null });
    expect((await listJobs({ 'x-api-key': key.key })).statusCode).toBe(200);
    // Same answer as an id nobody has.
    const missing = await getKey('key_0000000000000000', ADMIN_B);
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('api_key_not_found');
  });
});

describe('who may manage keys', () => {
  const routes = [
    { method: 'POST', url: '/api/v1/api-keys', path: '/api/v1/api-keys', payload: { name: 'x', roles: ['viewer'] } },
    { method: 'GET', url: '/api/v1/api-keys', path: '/api/v1/api-keys' },
    { method: 'GET', url: '/api/v1/api-keys/key_0000000000000000', path: '/api/v1/api-keys/{id}' },
    { method: 'DELETE', url: '/api/v1/api-keys/key_0000000000000000', path: '/api/v1/api-keys/{id}' },
  ] as const;

  it.each(['submitter', 'viewer'] as const)('refuses a %s with 403 forbidden on every key route', async (role) => {
    for (const route of routes) {
      const res = await t.app.inject({ method: route.method, url: route.url, payload: 'payload' in route ? route.payload : undefined, headers: bearer(tokenFor('tenant-a', [role])) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
      expect(errorOf(res)).toMatchObject({ code: 'forbidden', message: expect.stringContaining('admin') });
      expect(t.specProblems(route.method, route.path, res)).toEqual([]);
    }
  });

  it('refuses a request without credentials with 401 on every key route', async () => {
    for (const route of routes) {
      const res = await t.app.inject({ method: route.method, url: route.url, payload: 'payload' in route ? route.payload : undefined });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(errorOf(res).code).toBe('unauthorized');
      expect(t.specProblems(route.method, route.path, res)).toEqual([]);
    }
  });
});
