import { TENANT_ID_PATTERN } from '@harmonizer/config';
import type { MappingRepository } from './mapping-profile.js';
import type { JobRepository, TenantApiKeyRepository, TenantAuditReader, TenantJobRepository, TenantScope } from './types.js';

/** What a dialect provides for one tenant; every repository in it filters on tenant_id itself. */
export interface TenantParts {
  /** A JobRepository built with this tenant id (every statement says tenant_id = ?). */
  jobs: JobRepository;
  mappings: MappingRepository;
  apiKeys: TenantApiKeyRepository;
  audit: TenantAuditReader;
}

/** Tenants whose scopes are kept (the least recently used one goes first past it). */
export const CACHED_TENANT_SCOPES = 256;

/**
 * Builds Database.forTenant: checks the id, then narrows the tenant-filtered job repository to
 * what a tenant may do (no worker or reconciler transitions), with the tenant stamped on new jobs.
 * A tenant's scope is built once and kept (up to `cached` tenants): its repositories prepare
 * their statements on first use, and a scope built per request prepared them again on every
 * request (~0.35 ms of the api's CPU per POST, most of a status poll's database time).
 * Repositories hold nothing else, so a kept scope answers exactly as a new one would.
 */
export function tenantScopes(build: (tenantId: string) => TenantParts, cached = CACHED_TENANT_SCOPES): (tenantId: string) => TenantScope {
  const scopes = new Map<string, TenantScope>();
  return (tenantId) => {
    const kept = scopes.get(tenantId);
    if (kept) {
      // Most recently used last: Map keeps insertion order.
      scopes.delete(tenantId);
      scopes.set(tenantId, kept);
      return kept;
    }
    if (!TENANT_ID_PATTERN.test(tenantId)) throw new Error('tenant id does not match TENANT_ID_PATTERN');
    const parts = build(tenantId);
    const scope: TenantScope = {
      tenantId,
      jobs: tenantJobs(parts.jobs, tenantId),
      mappings: parts.mappings,
      apiKeys: parts.apiKeys,
      audit: parts.audit,
    };
    scopes.set(tenantId, scope);
    if (scopes.size > cached) scopes.delete(scopes.keys().next().value!);
    return scope;
  };
}

function tenantJobs(jobs: JobRepository, tenantId: string): TenantJobRepository {
  return {
    create: (job) => jobs.create({ ...job, tenantId }),
    get: (id) => jobs.get(id),
    findByIdempotencyKey: (key) => jobs.findByIdempotencyKey(key),
    list: (query) => jobs.list(query),
    cancel: (id) => jobs.cancel(id),
    markFilesDeleted: (id) => jobs.markFilesDeleted(id),
    requeue: (id, guard) => jobs.requeue(id, guard),
    listResults: (jobId) => jobs.listResults(jobId),
    getMetrics: (jobId) => jobs.getMetrics(jobId),
    listLogs: (jobId, query) => jobs.listLogs(jobId, query),
  };
}
