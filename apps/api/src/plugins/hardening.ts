import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody } from '../errors.js';

/** Request headers a browser app may send cross-origin (Authorization is never covered by a wildcard). */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-API-Key'];
/** Response headers a browser app may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['Location', 'Retry-After', 'X-Progress', 'Content-Disposition', 'WWW-Authenticate'];

/**
 * Swagger UI at /docs loads only its own scripts and styles from 'self', so helmet's default
 * Content-Security-Policy serves it. Only upgrade-insecure-requests is dropped there: on an api
 * reached over plain http (the default), it would make the browser fetch the UI's scripts over
 * https and leave a blank page.
 */
const DOCS_HELMET = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } };

function setRouteConfig(route: RouteOptions, extra: Record<string, unknown>): void {
  route.config = { ...(route.config ?? {}), ...extra } as RouteOptions['config'];
}

type HeaderList = ReadonlyArray<readonly [string, string | number | readonly string[]]>;

/**
 * The headers @fastify/helmet sets with `options`, read once from a throwaway instance. Helmet's
 * headers (without CSP nonces, which this api does not use) are the same on every answer, but
 * the plugin rebuilds its middleware, CSP string included, on each request: a measurable share
 * of a status poll. So they are computed here once and set as they are on every request.
 */
async function helmetHeaders(options: Record<string, unknown>): Promise<HeaderList> {
  const probe = async (withHelmet: boolean) => {
    const app = Fastify({ logger: false });
    if (withHelmet) await app.register(fastifyHelmet, options);
    app.get('/', async () => 'probe');
    const res = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    return res.headers;
  };
  const [plain, helmeted] = await Promise.all([probe(false), probe(true)]);
  return Object.entries(helmeted).flatMap(([name, value]) =>
    value === undefined || name in plain ? [] : [[name, value] as const],
  );
}

/**
 * Security headers on every answer (helmet's defaults: CSP, HSTS, nosniff, frame and referrer
 * policies...) and CORS for the origins in CORS_ORIGINS only. Registered first, so a CORS
 * preflight (which carries no credentials) is answered before authentication, and 401/403/404
 * answers carry the same headers. With no CORS_ORIGINS nothing is registered for CORS: a
 * browser on another origin gets no Access-Control-* header and an OPTIONS request a 404.
 */
export const hardeningPlugin = fp<{ corsOrigins: readonly string[] }>(
  async (app, { corsOrigins }) => {
    app.addHook('onRoute', (route) => {
      if (route.url === '/docs' || route.url.startsWith('/docs/')) setRouteConfig(route, { helmet: DOCS_HELMET });
      // @fastify/cors' preflight route, added below, before the auth plugin (which marks it too) is there.
      if (route.url === '*' && route.method === 'OPTIONS') setRouteConfig(route, { access: 'public' });
    });
    // helmet's defaults on every answer (401s, 404s and errors too: set before anything else runs).
    const [everywhere, onDocs] = await Promise.all([helmetHeaders({}), helmetHeaders(DOCS_HELMET)]);
    app.addHook('onRequest', (request, reply, done) => {
      const headers = (request.routeOptions.config as { helmet?: unknown }).helmet === undefined ? everywhere : onDocs;
      for (const [name, value] of headers) reply.raw.setHeader(name, value);
      done();
    });
    if (corsOrigins.length > 0) {
      await app.register(fastifyCors, {
        // '*' only when listed; otherwise exactly the listed origins (no reflection, no patterns).
        origin: corsOrigins.includes('*') ? '*' : [...corsOrigins],
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
        allowedHeaders: CORS_ALLOWED_HEADERS,
        exposedHeaders: CORS_EXPOSED_HEADERS,
        credentials: false, // credentials travel in Authorization / X-API-Key, never in cookies
        maxAge: 600,
      });
    }
  },
  { name: 'harmonizer-hardening' },
);

/**
 * Fastify's `frameworkErrors` option: what it answers itself before any route, hook or error
 * handler runs (a path with broken percent-encoding, an over-long parameter), in our error shape
 * instead of Fastify's, which echoes the URL.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const [status, code, message] =
    error.code === 'FST_ERR_BAD_URL'
      ? [400, 'bad_url', 'the request path is not a valid URL: a percent-encoded sequence does not decode']
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? [414, 'url_too_long', 'a path parameter is longer than this service accepts']
        : [500, 'internal_error', 'the server failed to answer this request; try again later'];
  if (status >= 500) request.log.error({ code: error.code }, 'request failed before routing');
  void reply.status(status).header('x-content-type-options', 'nosniff').send(errorBody(code, message));
}
