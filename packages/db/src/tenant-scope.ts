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

/**
 * Builds Database.forTenant: checks the id, then narrows the tenant-filtered job repository to
 * what a tenant may do (no worker or reconciler transitions), with the tenant stamped on new jobs.
 */
export function tenantScopes(build: (tenantId: string) => TenantParts): (tenantId: string) => TenantScope {
  return (tenantId) => {
    if (!TENANT_ID_PATTERN.test(tenantId)) throw new Error('tenant id does not match TENANT_ID_PATTERN');
    const parts = build(tenantId);
    return {
      tenantId,
      jobs: tenantJobs(parts.jobs, tenantId),
      mappings: parts.mappings,
      apiKeys: parts.apiKeys,
      audit: parts.audit,
    };
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
