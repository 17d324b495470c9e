import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ApiKeyRecord } from '@harmonizer/db';
import type { RouteDeps } from '../app-deps.js';
import { generateApiKey } from '../auth/api-key-secret.js';
import { scopeOf } from '../auth/tenant-scope.js';
import { knownRoles, ROLES, type Principal, type Role } from '../auth/principal.js';
import { auditActor } from '../audit.js';
import { ApiError } from '../errors.js';
import { API_PREFIX } from '../job-view.js';

interface CreateBody {
  name: string;
  roles: Role[];
}

interface KeyParams {
  id: string;
}

const createBody = {
  type: 'object',
  required: ['name', 'roles'],
  additionalProperties: false,
  properties: {
    // Printable: no control characters, so a name never forges a log or CSV line.
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]+$' },
    roles: { type: 'array', minItems: 1, maxItems: ROLES.length, uniqueItems: true, items: { type: 'string', enum: ROLES } },
  },
} as const;

const keyParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** 'key_' + 16 hex: names the key in lists and audit rows; not a secret. */
export const newApiKeyId = () => `key_${randomBytes(8).toString('hex')}`;

const apiKeyNotFound = (id: string) =>
  new ApiError(404, 'api_key_not_found', `no api key ${id.slice(0, 64)} in this tenant; see GET ${API_PREFIX}/api-keys`);

/** The wire form of a key: never its secret or hash. */
export function toApiKeyView(key: ApiKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    roles: key.roles,
    created_by: key.createdBy,
    created_at: key.createdAt,
    last_used_at: key.lastUsedAt,
    revoked_at: key.revokedAt,
  };
}

const principalOf = (request: FastifyRequest): Principal => {
  // Admin routes are never public, so the auth hook has set it; this guards a misconfigured route.
  if (!request.principal) throw new ApiError(401, 'unauthorized', 'missing credentials');
  return request.principal;
};

/**
 * API keys of the caller's tenant (admin only): create (the secret is shown once, in the 201),
 * list, get, revoke. A key of another tenant answers 404 like a missing one.
 */
export const apiKeysRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const keysOf = (request: FastifyRequest) => scopeOf(deps.db, principalOf(request).tenantId).apiKeys;

  app.post<{ Body: CreateBody }>(
    '/api-keys',
    { config: { access: 'admin', audit: 'api_key.create' }, schema: { body: createBody } },
    async (request, reply) => {
      const principal = principalOf(request);
      const { secret, prefix, hash } = generateApiKey();
      const roles = knownRoles(request.body.roles);
      const key = await keysOf(request).create({
        id: newApiKeyId(),
        name: request.body.name,
        prefix,
        keyHash: hash,
        roles,
        createdBy: auditActor(principal).actor,
      });
      request.auditTarget = key.id;
      request.log.info({ keyId: key.id, roles }, 'api key created');
      return reply
        .status(201)
        .header('location', `${API_PREFIX}/api-keys/${key.id}`)
        .header('cache-control', 'no-store')
        .send({ ...toApiKeyView(key), key: secret });
    },
  );

  app.get('/api-keys', { config: { access: 'admin' } }, async (request) => ({
    items: (await keysOf(request).list()).map(toApiKeyView),
  }));

  app.get<{ Params: KeyParams }>('/api-keys/:id', { config: { access: 'admin' }, schema: { params: keyParams } }, async (request) => {
    const key = await keysOf(request).get(request.params.id);
    if (!key) throw apiKeyNotFound(request.params.id);
    return toApiKeyView(key);
  });

  app.delete<{ Params: KeyParams }>(
    '/api-keys/:id',
    { config: { access: 'admin', audit: 'api_key.revoke' }, schema: { params: keyParams } },
    async (request) => {
      const key = await keysOf(request).revoke(request.params.id);
      if (!key) throw apiKeyNotFound(request.params.id);
      request.log.info({ keyId: key.id }, 'api key revoked');
      return toApiKeyView(key);
    },
  );
};
