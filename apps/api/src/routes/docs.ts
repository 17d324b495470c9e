import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

/** openapi.yaml at the repository root: the same relative path from src/routes and dist/routes. */
export const OPENAPI_PATH = fileURLToPath(new URL('../../../../openapi.yaml', import.meta.url));

/**
 * The hand-written spec is the contract (a test keeps it and the routes in step); it is served
 * as written at /docs (UI), /docs/json and /docs/yaml. Not encapsulated, so `app.swagger()`
 * gives the parsed spec to whoever holds the app.
 */
export const docsRoutes = fp(
  async (app) => {
    await app.register(fastifySwagger, { mode: 'static', specification: { path: OPENAPI_PATH, baseDir: path.dirname(OPENAPI_PATH) } });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  },
  { name: 'harmonizer-docs' },
);
