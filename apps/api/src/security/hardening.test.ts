import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authEnv, bearer, tokenFor } from '../testing/auth-tokens.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { expectNoInternals } from './expect-no-internals.js';

const APP_ORIGIN = 'https://app.example.org';
const OTHER_ORIGIN = 'https://evil.example.net';

function expectSecurityHeaders(res: LightMyRequestResponse): void {
  expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
  expect(res.headers['content-security-policy']).toContain("object-src 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers['x-powered-by']).toBeUndefined();
}

describe('security headers (helmet)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: authEnv() });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['a public probe', '/health', 200, {}],
    ['an authenticated read', '/api/v1/jobs', 200, bearer(tokenFor('acme', ['viewer']))],
    ['a 401', '/api/v1/jobs', 401, {}],
    ['a 403', '/api/v1/audit', 403, bearer(tokenFor('acme', ['viewer']))],
    ['an unknown route (404)', '/nope', 404, {}],
  ] as const)('are on %s', async (_what, url, status, headers) => {
    const res = await t.app.inject({ method: 'GET', url, headers });
    expect(res.statusCode).toBe(status);
    expectSecurityHeaders(res);
  });

  it('let the Swagger UI at /docs load: its page, scripts and styles come from self under a CSP that allows them', async () => {
    let res = await t.app.inject({ method: 'GET', url: '/docs' });
    if (res.statusCode === 302) res = await t.app.inject({ method: 'GET', url: new URL(res.headers.location as string, 'http://x/docs').pathname });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'self'[^;]*'unsafe-inline'/);
    expect(csp).toContain("img-src 'self' data:");
    // Over plain http this would send the browser to https for every script: a blank page.
    expect(csp).not.toContain('upgrade-insecure-requests');

    // No inline script (CSP forbids it), and every script and stylesheet is same-origin and served.
    const html = res.body;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
    const assets = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.some((a) => a.endsWith('swagger-ui-bundle.js'))).toBe(true);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const url = new URL(asset, 'http://127.0.0.1/docs/').pathname;
      const loaded = await t.app.inject({ method: 'GET', url });
      expect(loaded.statusCode, url).toBe(200);
    }
    // The UI reads the spec from ./json, same origin (connect-src falls back to default-src 'self').
    const spec = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().openapi).toMatch(/^3\.1/);
  });
});

describe('CORS', () => {
  describe('with no CORS_ORIGINS (the default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('sends no Access-Control-* header to any origin', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/jobs', headers: { origin: APP_ORIGIN } });
      expect(res.statusCode).toBe(200);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    });

    it('answers a preflight 404 without allowing anything', async () => {
      const res = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/jobs',
        headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('with CORS_ORIGINS listing one origin, and auth required', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: authEnv({ CORS_ORIGINS: `${APP_ORIGIN}, https://admin.example.org` }) });
    });
    afterAll(async () => {
      await t?.close();
    });

    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/jobs',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, idempotency-key' },
      });

    it('answers the preflight of a listed origin without credentials, allowing Authorization', async () => {
      const res = await preflight(APP_ORIGIN);
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
      expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
      expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('idempotency-key');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('allows no other origin', async () => {
      const res = await preflight(OTHER_ORIGIN);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const get = await t.app.inject({ method: 'GET', url: '/health', headers: { origin: OTHER_ORIGIN } });
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('lets the listed origin read answers, a 401 included, and the headers polling needs', async () => {
      const ok = await t.app.inject({ method: 'GET', url: '/api/v1/jobs', headers: { origin: APP_ORIGIN, ...bearer(tokenFor('acme', ['viewer'])) } });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(String(ok.headers.vary).toLowerCase()).toContain('origin');
      expect(String(ok.headers['access-control-expose-headers'])).toContain('Retry-After');
      expect(String(ok.headers['access-control-expose-headers'])).toContain('Location');

      const refused = await t.app.inject({ method: 'GET', url: '/api/v1/jobs', headers: { origin: APP_ORIGIN } });
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    });
  });

  it("allows every origin only when CORS_ORIGINS lists '*'", async () => {
    const t = await createTestApp({ env: { CORS_ORIGINS: '*' } });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/health', headers: { origin: OTHER_ORIGIN } });
      expect(res.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await t.close();
    }
  });
});

describe('request bodies and malformed requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { JSON_BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const postJson = (payload: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/mappings', payload, headers: { 'content-type': 'application/json' } });

  it('accepts a JSON body under JSON_BODY_LIMIT_BYTES', async () => {
    const res = await postJson(JSON.stringify({ name: 'small', columns: { MRN: 'id' } }));
    expect(res.statusCode).toBe(201);
  });

  it('answers 413 body_too_large for a JSON body over JSON_BODY_LIMIT_BYTES, and keeps nothing', async () => {
    const res = await postJson(JSON.stringify({ name: 'huge', description: 'x'.repeat(900), columns: { a: 'x'.repeat(1500) } }));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'body_too_large', message: expect.any(String) } });
    expect(t.specProblems('post', '/api/v1/mappings', res)).toEqual([]);
    expectNoInternals(res.body);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/mappings/huge' })).statusCode).toBe(404);
  });

  it.each([
    ['truncated JSON', '{"name": "x", "columns": {'],
    ['not JSON at all', 'name=x'],
    ['a JSON prototype attack', '{"name":"p","__proto__":{"admin":true}}'],
  ])('answers 400 without internals for %s', async (_what, payload) => {
    const res = await postJson(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    expectNoInternals(res.body);
  });

  it('answers 415 for a body type the route does not take', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/mappings', payload: '<x/>', headers: { 'content-type': 'application/xml' } });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
    expectNoInternals(res.body);
  });

  it('answers 404 route_not_found for an unknown route, naming only the path', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/../../etc/passwd?x=<script>' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route_not_found');
    expect(res.body).not.toContain('<script>');
    expectNoInternals(res.body);
  });

  it.each([
    ['/api/v1/jobs?limit=9999', 400, 'validation_failed'],
    ['/api/v1/jobs?cursor=%00%ff', 400, 'invalid_cursor'],
    ['/api/v1/jobs/%E0%A4%A', 400, 'bad_url'],
    ['/api/v1/jobs/not-a-job/status', 404, 'job_not_found'],
  ])('answers %s with %i %s in the error shape, without internals', async (url, status, code) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(res.body).not.toContain('%E0');
    expectNoInternals(res.body);
  });
});
