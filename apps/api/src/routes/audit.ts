import type { FastifyPluginAsync } from 'fastify';
import type { AuditRecord } from '@harmonizer/db';
import type { RouteDeps } from '../app-deps.js';
import { scopeOf } from '../auth/tenant-scope.js';
import { ApiError } from '../errors.js';

interface AuditQuery {
  limit: number;
  cursor?: string;
  action?: string;
}

const auditQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { type: 'string', minLength: 1, maxLength: 512 },
    action: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z_]+(\\.[a-z_]+)*$' },
  },
  additionalProperties: false,
} as const;

/** The wire form of an audit row, snake_case like the rest of the api. */
export function toAuditView(r: AuditRecord) {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    actor_kind: r.actorKind,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    ip: r.ip,
    request_id: r.requestId,
    data: r.data ?? null,
  };
}

/** GET /audit: the caller's tenant's audit log, newest first, paged like GET /jobs (admin only). */
export const auditRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.get<{ Querystring: AuditQuery }>(
    '/audit',
    { config: { access: 'admin' }, schema: { querystring: auditQuery } },
    async (request) => {
      if (!request.principal) throw new ApiError(401, 'unauthorized', 'missing credentials');
      const { limit, cursor, action } = request.query;
      const page = await scopeOf(deps.db, request.principal.tenantId).audit.list({
        limit,
        ...(cursor !== undefined ? { cursor } : {}),
        ...(action !== undefined ? { action } : {}),
      });
      return { items: page.items.map(toAuditView), next_cursor: page.nextCursor };
    },
  );
};
