import { randomUUID } from 'node:crypto';
import Fastify, { type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlugin } from '../auth/auth-plugin.js';
import { ROLES, type RouteAccess } from '../auth/principal.js';
import { errorsPlugin } from '../plugins/errors.js';
import { authEnv, bearer, tokenFor } from '../testing/auth-tokens.js';
import { completeJob } from '../testing/complete-job.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

const TENANT = 'acme';
const MISSING_JOB = randomUUID();

interface Probe {
  /** The least role the route needs, as the issue-4 contract gives it. */
  access: RouteAccess;
  method: string;
  /** `{job}` is replaced by a completed job of the tenant. */
  url: string;
  payload?: object;
  /** What a caller with the role gets: status and, for errors, the code. */
  allowed: [number, string?];
}

/**
 * Every route of the api, with the access the contract gives it and a request whose answer
 * shows the caller got past auth. A route missing here fails the route-table test.
 */
const PROBES: Record<string, Probe> = {
  'GET /health': { access: 'public', method: 'GET', url: '/health', allowed: [200] },
  'GET /ready': { access: 'public', method: 'GET', url: '/ready', allowed: [200] },
  'GET /version': { access: 'public', method: 'GET', url: '/version', allowed: [200] },
  'GET /metrics': { access: 'public', method: 'GET', url: '/metrics', allowed: [200] },
  'GET /api/v1/metrics': { access: 'public', method: 'GET', url: '/api/v1/metrics', allowed: [200] },
  'POST /api/v1/jobs': { access: 'submitter', method: 'POST', url: '/api/v1/jobs', payload: {}, allowed: [415, 'unsupported_media_type'] },
  'GET /api/v1/jobs': { access: 'viewer', method: 'GET', url: '/api/v1/jobs', allowed: [200] },
  'GET /api/v1/jobs/:id': { access: 'viewer', method: 'GET', url: '/api/v1/jobs/{job}', allowed: [200] },
  'DELETE /api/v1/jobs/:id': { access: 'submitter', method: 'DELETE', url: `/api/v1/jobs/${MISSING_JOB}`, allowed: [404, 'job_not_found'] },
  'GET /api/v1/jobs/:id/status': { access: 'viewer', method: 'GET', url: '/api/v1/jobs/{job}/status', allowed: [200] },
  'GET /api/v1/jobs/:id/result': { access: 'submitter', method: 'GET', url: '/api/v1/jobs/{job}/result', allowed: [200] },
  'GET /api/v1/jobs/:id/rejects': { access: 'submitter', method: 'GET', url: '/api/v1/jobs/{job}/rejects', allowed: [200] },
  'GET /api/v1/jobs/:id/fhir/:resourceType': {
    access: 'submitter',
    method: 'GET',
    url: '/api/v1/jobs/{job}/fhir/Patient',
    allowed: [404, 'result_not_found'],
  },
  'GET /api/v1/jobs/:id/report': { access: 'viewer', method: 'GET', url: '/api/v1/jobs/{job}/report', allowed: [200] },
  'GET /api/v1/jobs/:id/logs': { access: 'viewer', method: 'GET', url: '/api/v1/jobs/{job}/logs', allowed: [200] },
  'POST /api/v1/jobs/:id/retry': { access: 'submitter', method: 'POST', url: `/api/v1/jobs/${MISSING_JOB}/retry`, allowed: [404, 'job_not_found'] },
  'GET /api/v1/datasets': { access: 'viewer', method: 'GET', url: '/api/v1/datasets', allowed: [200] },
  'GET /api/v1/datasets/:name': { access: 'viewer', method: 'GET', url: '/api/v1/datasets/patients', allowed: [200] },
  'POST /api/v1/mappings': { access: 'submitter', method: 'POST', url: '/api/v1/mappings', payload: {}, allowed: [400, 'validation_failed'] },
  'GET /api/v1/mappings': { access: 'viewer', method: 'GET', url: '/api/v1/mappings', allowed: [200] },
  'GET /api/v1/mappings/:name': { access: 'viewer', method: 'GET', url: '/api/v1/mappings/saved', allowed: [200] },
  'PUT /api/v1/mappings/:name': {
    access: 'submitter',
    method: 'PUT',
    url: '/api/v1/mappings/nothing-saved',
    payload: { dataset: 'patients' },
    allowed: [404, 'mapping_not_found'],
  },
  'DELETE /api/v1/mappings/:name': { access: 'submitter', method: 'DELETE', url: '/api/v1/mappings/nothing-saved', allowed: [404, 'mapping_not_found'] },
  'POST /api/v1/api-keys': { access: 'admin', method: 'POST', url: '/api/v1/api-keys', payload: {}, allowed: [400, 'validation_failed'] },
  'GET /api/v1/api-keys': { access: 'admin', method: 'GET', url: '/api/v1/api-keys', allowed: [200] },
  'GET /api/v1/api-keys/:id': { access: 'admin', method: 'GET', url: '/api/v1/api-keys/key_0000000000000000', allowed: [404, 'api_key_not_found'] },
  'DELETE /api/v1/api-keys/:id': { access: 'admin', method: 'DELETE', url: '/api/v1/api-keys/key_0000000000000000', allowed: [404, 'api_key_not_found'] },
  'GET /api/v1/audit': { access: 'admin', method: 'GET', url: '/api/v1/audit', allowed: [200] },
};

const routes: RouteOptions[] = [];
let t: TestApp;
let jobId: string;

beforeAll(async () => {
  t = await createTestApp({ env: authEnv(), onRoute: (route) => void routes.push(route) });
  const scope = t.db.forTenant(TENANT);
  jobId = randomUUID();
  await scope.jobs.create({
    id: jobId,
    dataset: 'patients',
    fileName: 'p.csv',
    contentType: 'text/csv',
    sizeBytes: 10,
    sha256: 'a'.repeat(64),
    storageKey: `uploads/${jobId}/input`,
    options: {},
    idempotencyKey: null,
  });
  await completeJob(t, jobId);
  await scope.mappings.create({ name: 'saved', dataset: 'patients', columns: { 'Pt Ident': 'patient_id' }, codes: {}, description: null });
});
afterAll(async () => {
  await t?.close();
});

const methodsOf = (route: RouteOptions) => (Array.isArray(route.method) ? route.method : [route.method]);
/** Our routes (not HEAD twins, not the plugins' /docs and CORS preflight ones), as "METHOD /url". */
const ownRouteKeys = () =>
  routes.flatMap((route) =>
    route.url.startsWith('/docs') || route.url === '*' ? [] : methodsOf(route).filter((m) => m !== 'HEAD').map((m) => `${m} ${route.url}`),
  );

describe('the route table', () => {
  it('declares config.access on every route, plugin routes included', () => {
    expect(routes.length).toBeGreaterThan(20);
    const undeclared = routes.filter((route) => route.config?.access === undefined).map((r) => `${methodsOf(r).join(',')} ${r.url}`);
    expect(undeclared).toEqual([]);
    for (const route of routes.filter((r) => r.url === '/docs' || r.url.startsWith('/docs/'))) expect(route.config?.access).toBe('public');
  });

  it('gives every route the access the contract says, and the matrix below probes every route', () => {
    const keys = ownRouteKeys();
    expect([...new Set(keys)].sort()).toEqual(Object.keys(PROBES).sort());
    for (const route of routes) {
      for (const method of methodsOf(route)) {
        const probe = PROBES[`${method} ${route.url}`];
        if (probe) expect({ route: `${method} ${route.url}`, access: route.config?.access }).toEqual({ route: `${method} ${route.url}`, access: probe.access });
      }
    }
  });

  it('says the same in openapi.yaml: x-required-role, or security: [] on public operations', () => {
    const spec = t.app.swagger() as unknown as { paths: Record<string, Record<string, { 'x-required-role'?: string; security?: unknown[] }>> };
    for (const [key, probe] of Object.entries(PROBES)) {
      const [method, url] = key.split(' ') as [string, string];
      const op = spec.paths[url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()];
      expect(op, key).toBeDefined();
      if (probe.access === 'public') expect(op?.security, key).toEqual([]);
      else expect(op?.['x-required-role'], key).toBe(probe.access);
    }
  });
});

describe('route x role matrix', () => {
  const callers = {
    admin: bearer(tokenFor(TENANT, ['admin'], 'ada')),
    submitter: bearer(tokenFor(TENANT, ['submitter'], 'sam')),
    viewer: bearer(tokenFor(TENANT, ['viewer'], 'vic')),
    'no token': {},
  } as const;
  const rank = (role: string) => ROLES.indexOf(role as (typeof ROLES)[number]);

  for (const [key, probe] of Object.entries(PROBES)) {
    it(`${key} (${probe.access})`, async () => {
      for (const [caller, headers] of Object.entries(callers)) {
        const res = await t.app.inject({
          method: probe.method as 'GET',
          url: probe.url.replace('{job}', jobId),
          headers,
          ...(probe.payload ? { payload: probe.payload } : {}),
        });
        const code = res.headers['content-type']?.toString().startsWith('application/json') ? (res.json() as { error?: { code: string } }).error?.code : undefined;
        const expected =
          probe.access === 'public'
            ? probe.allowed
            : caller === 'no token'
              ? [401, 'unauthorized']
              : rank(caller) <= rank(probe.access)
                ? probe.allowed
                : [403, 'forbidden'];
        expect({ caller, status: res.statusCode, code }, res.body.slice(0, 300)).toEqual({ caller, status: expected[0], code: expected[1] });
        if (expected[0] === 403) expect((res.json() as { error: { message: string } }).error.message).toContain(`needs the ${probe.access} role`);
      }
    });
  }

  it('answers 403 on every non-public route to a valid token with no known role', async () => {
    const headers = bearer(tokenFor(TENANT, ['superuser', 'auditor'], 'eve'));
    for (const [key, probe] of Object.entries(PROBES)) {
      if (probe.access === 'public') continue;
      const res = await t.app.inject({ method: probe.method as 'GET', url: probe.url.replace('{job}', jobId), headers });
      expect({ key, status: res.statusCode }).toEqual({ key, status: 403 });
      expect((res.json() as { error: { message: string } }).error.message).toMatch(/grants none of the roles admin, submitter, viewer/);
    }
  });
});

describe('a route that declares no access', () => {
  it('is refused to everyone, admins included', async () => {
    const app = Fastify();
    await app.register(errorsPlugin, { maxUploadBytes: 1 });
    await app.register(authPlugin, { config: t.config, db: t.db });
    app.get('/forgotten', async () => ({ secret: true }));
    app.get('/declared', { config: { access: 'viewer' } }, async () => ({ ok: true }));
    try {
      const forgotten = await app.inject({ method: 'GET', url: '/forgotten', headers: bearer(tokenFor(TENANT, ['admin'])) });
      expect(forgotten.statusCode).toBe(403);
      expect(forgotten.json()).toEqual({ error: { code: 'forbidden', message: 'this route declares no access rule, so nobody may call it' } });
      expect((await app.inject({ method: 'GET', url: '/forgotten' })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/declared', headers: bearer(tokenFor(TENANT, ['viewer'])) })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
