import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET_NAMES } from '@harmonizer/core';
import { createTestApp, type TestApp } from './testing/test-app.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

let t: TestApp;
const routes: string[] = [];

beforeAll(async () => {
  t = await createTestApp({
    onRoute: (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        // HEAD twins of GET routes are Fastify's; /docs is the served UI and spec themselves.
        if (method === 'HEAD' || route.url.startsWith('/docs')) continue;
        routes.push(`${method} ${route.url.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
      }
    },
  });
});
afterAll(async () => {
  await t?.close();
});

type Spec = { paths: Record<string, Record<string, unknown>> } & Record<string, unknown>;
const spec = () => t.app.swagger() as unknown as Spec;

function specRoutes(): string[] {
  return Object.entries(spec().paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => (HTTP_METHODS as readonly string[]).includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('openapi.yaml', () => {
  it('describes every route the app serves, and no route it does not', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect([...new Set(routes)].sort()).toEqual(specRoutes().sort());
  });

  it('is OpenAPI 3.1 with the shared error schema', () => {
    expect(spec().openapi).toMatch(/^3\.1\./);
    const error = (spec().components as { schemas: Record<string, unknown> }).schemas.Error;
    expect(error).toMatchObject({ required: ['error'], properties: { error: { required: ['code', 'message'] } } });
  });

  it('lists the datasets the engine knows', () => {
    const post = spec().paths['/api/v1/jobs']?.post as {
      requestBody: { content: Record<string, { schema: { properties: { dataset: { enum: string[] } } } }> };
    };
    expect(post.requestBody.content['multipart/form-data']?.schema.properties.dataset.enum).toEqual([...DATASET_NAMES]);
  });

  it('is served at /docs/json and /docs/yaml, with the UI at /docs', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    expect(json.json().paths['/api/v1/jobs']).toBeDefined();
    const yaml = await t.app.inject({ method: 'GET', url: '/docs/yaml' });
    expect(yaml.body).toContain('openapi: 3.1.0');
    const ui = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
