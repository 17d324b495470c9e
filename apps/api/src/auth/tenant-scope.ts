import type { FastifyRequest } from 'fastify';
import type { Database, TenantScope } from '@harmonizer/db';

/** The tenant a request acts for. Only public routes have no principal, and they touch no tenant data. */
export function tenantOf(request: FastifyRequest): string {
  if (!request.principal) throw new Error(`${request.method} ${request.routeOptions.url ?? ''} reads tenant data but is public`);
  return request.principal.tenantId;
}

/** Scopes kept per database: building one (its repositories and their closures) is a cost on every request. */
const MAX_CACHED_SCOPES = 1000;
const scopes = new WeakMap<Database, Map<string, TenantScope>>();

/**
 * db.forTenant(tenantId), built once per tenant and reused: a scope holds no state of its own
 * (its repositories filter every statement on its tenant id), so one serves every request of
 * that tenant. At most MAX_CACHED_SCOPES tenants are kept; the least recently used goes first.
 */
export function scopeOf(db: Database, tenantId: string): TenantScope {
  let byTenant = scopes.get(db);
  if (!byTenant) scopes.set(db, (byTenant = new Map()));
  let scope = byTenant.get(tenantId);
  if (scope) {
    byTenant.delete(tenantId); // re-inserted below: Map order is recency order
  } else {
    scope = db.forTenant(tenantId);
    if (byTenant.size >= MAX_CACHED_SCOPES) byTenant.delete(byTenant.keys().next().value as string);
  }
  byTenant.set(tenantId, scope);
  return scope;
}

/** The caller's tenant's repositories: every route reads and writes through these, never db.jobs. */
export const tenantScope = (db: Database, request: FastifyRequest): TenantScope => scopeOf(db, tenantOf(request));
