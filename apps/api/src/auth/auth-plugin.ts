import type { FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '@harmonizer/config';
import type { Database } from '@harmonizer/db';
import { recordAudit } from '../audit.js';
import { ApiError } from '../errors.js';
import { hashApiKey, isWellFormedApiKey, looksLikeApiKey } from './api-key-secret.js';
import { AuthFailure } from './auth-failure.js';
import { createJwtVerifier, type JwtVerifier } from './jwt-verifier.js';
import { ROLES, hasRole, knownRoles, localPrincipal, type Principal, type Role } from './principal.js';

/** last_used_at of a key is written at most this often (per key, per api process). */
export const API_KEY_TOUCH_INTERVAL_MS = 60_000;

/**
 * Routes plugins register for themselves, which cannot carry our route config: the Swagger UI
 * and spec under /docs, and @fastify/cors' preflight route. Marked public as they are added.
 */
function isPluginPublicRoute(route: RouteOptions): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return route.url === '/docs' || route.url.startsWith('/docs/') || (route.url === '*' && methods.every((m) => m === 'OPTIONS'));
}

/** The one credential of a request: `Authorization: Bearer <jwt | hzk_ key>` or `X-API-Key: hzk_...`. */
function readCredential(request: FastifyRequest): { kind: 'jwt' | 'api_key'; value: string } {
  const authorization = request.headers.authorization;
  const apiKeyHeader = request.headers['x-api-key'];
  if (Array.isArray(apiKeyHeader)) throw new AuthFailure('malformed_credentials', 'send one X-API-Key header');
  if (authorization !== undefined && apiKeyHeader !== undefined) {
    throw new AuthFailure('malformed_credentials', 'send one credential: either Authorization or X-API-Key, not both');
  }
  if (apiKeyHeader !== undefined) return { kind: 'api_key', value: apiKeyHeader.trim() };
  if (authorization === undefined || authorization.trim() === '') {
    throw new AuthFailure('missing_credentials', 'missing credentials: send Authorization: Bearer <token> or X-API-Key: <api key>');
  }
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw new AuthFailure('malformed_credentials', 'the Authorization header must be "Bearer <token>"');
  return { kind: looksLikeApiKey(match[1]) ? 'api_key' : 'jwt', value: match[1] };
}

function forbidden(needed: Role, principal: Principal): ApiError {
  if (principal.roles.length === 0) {
    return new ApiError(403, 'forbidden', `the credential grants none of the roles ${ROLES.join(', ')}; this needs the ${needed} role`);
  }
  const above = ROLES.slice(0, ROLES.indexOf(needed));
  const acceptable = above.length > 0 ? ` (or ${above.join(' or ')})` : '';
  return new ApiError(403, 'forbidden', `this needs the ${needed} role${acceptable}; the credential has ${principal.roles.join(', ')}`);
}

/**
 * Who is calling, and may they: every request to a route gets `request.principal`, and is
 * refused unless the route's `config.access` allows it. AUTH_MODE=none makes every request the
 * admin of the one configured tenant. With AUTH_MODE=required, public routes need nothing, the
 * others a JWT (see createJwtVerifier) or an api key; a refused credential answers 401 and a
 * missing role 403, both written to the audit log. A route that declares no access is refused
 * to everyone: forgetting it never opens a route.
 */
export const authPlugin = fp<{ config: Config; db: Database }>(
  async (app, { config, db }) => {
    app.decorateRequest('principal', null);
    app.addHook('onRoute', (route) => {
      if (route.config?.access === undefined && isPluginPublicRoute(route)) route.config = { ...route.config, access: 'public' };
    });

    const auth = config.auth;
    if (auth.mode === 'none') {
      const principal = localPrincipal(auth.tenantId);
      app.addHook('onRequest', async (request) => {
        request.principal = principal;
      });
      return;
    }
    if (auth.jwt === null) throw new Error('AUTH_MODE=required needs a JWT key source (loadApiConfig refuses this configuration)');
    // Reads the key files now: an unusable one stops the api before it listens.
    const verifier: JwtVerifier = createJwtVerifier(auth.jwt);
    const lastTouched = new Map<string, number>();

    async function apiKeyPrincipal(request: FastifyRequest, secret: string): Promise<Principal> {
      if (!isWellFormedApiKey(secret)) throw new AuthFailure('malformed_credentials', 'the api key is not well-formed (hzk_ and 43 characters)');
      const key = await db.apiKeys.findByHash(hashApiKey(secret));
      if (!key) throw new AuthFailure('unknown_api_key', 'the api key is not valid');
      if (key.revokedAt !== null) throw new AuthFailure('revoked_api_key', `the api key ${key.id} was revoked at ${key.revokedAt}`, key.tenantId);
      const now = Date.now();
      if (now - (lastTouched.get(key.id) ?? Number.NEGATIVE_INFINITY) >= API_KEY_TOUCH_INTERVAL_MS) {
        lastTouched.set(key.id, now);
        await db.apiKeys.touch(key.id, new Date(now).toISOString()).catch((err: unknown) => {
          request.log.warn({ keyId: key.id, errorName: err instanceof Error ? err.name : typeof err }, 'could not record the api key use');
        });
      }
      return { tenantId: key.tenantId, subject: key.id, kind: 'api_key', keyId: key.id, roles: knownRoles(key.roles) };
    }

    app.addHook('onRequest', async (request) => {
      if (request.is404) return; // answered 404 route_not_found, whoever asks
      const access = request.routeOptions.config.access;
      if (access === 'public') return;
      let principal: Principal;
      try {
        const credential = readCredential(request);
        principal = credential.kind === 'api_key' ? await apiKeyPrincipal(request, credential.value) : verifier.verify(credential.value);
      } catch (err) {
        if (err instanceof AuthFailure) {
          void recordAudit(db, request, { action: 'auth.failure', outcome: 401, tenantId: err.tenantId, data: { reason: err.reason } });
        }
        throw err;
      }
      request.principal = principal;
      if (access === undefined) {
        void recordAudit(db, request, { action: 'access.denied', outcome: 403, data: { route: request.routeOptions.url ?? null } });
        throw new ApiError(403, 'forbidden', 'this route declares no access rule, so nobody may call it');
      }
      if (!hasRole(principal.roles, access)) {
        void recordAudit(db, request, {
          action: 'access.denied',
          outcome: 403,
          data: { needed: access, route: request.routeOptions.url ?? null, method: request.method },
        });
        throw forbidden(access, principal);
      }
    });
  },
  { name: 'harmonizer-auth' },
);
