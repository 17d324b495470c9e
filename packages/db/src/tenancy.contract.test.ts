import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_TARGETS, type DbTarget } from './db-targets.test-support.js';
import { completedJob as done, newJob } from './job-fixtures.test-support.js';
import type { MappingProfileInput } from './mapping-profile.js';
import type { Database, Job, NewJob, TenantScope } from './types.js';

const fresh = (over: Partial<NewJob> = {}): Omit<NewJob, 'tenantId'> => {
  const { tenantId: _ignored, ...job } = newJob(over);
  return job;
};

const profile = (over: Partial<MappingProfileInput> = {}): MappingProfileInput => ({
  name: 'clinic',
  dataset: 'patients',
  columns: { MRN: 'patient_id' },
  codes: {},
  description: null,
  ...over,
});

describe.each(DB_TARGETS)('tenant scopes on $name', (kind) => {
  let target: DbTarget;
  let db: Database;
  let a: TenantScope;
  let b: TenantScope;
  let statements: string[];

  beforeEach(async () => {
    target = await kind.prepare();
    statements = [];
    db = await target.open({ onQuery: (sql) => statements.push(sql) });
    a = db.forTenant('tenant-a');
    b = db.forTenant('tenant-b');
  });
  afterEach(() => target.cleanup());

  /** A finished job of tenant A with results, metrics and a log written the way the worker does (system scope). */
  const completedOfA = async (): Promise<Job> => {
    const { job } = await a.jobs.create(fresh());
    await db.jobs.markRunning(job.id);
    await db.jobs.appendLog(job.id, 'info', 'job started');
    return (await db.jobs.markCompleted(job.id, done))!;
  };

  it('stamps the tenant on new jobs and on the rows the worker writes for them', async () => {
    const job = await completedOfA();
    expect(job.tenantId).toBe('tenant-a');
    expect(a.tenantId).toBe('tenant-a');
    expect(await a.jobs.get(job.id)).toMatchObject({ id: job.id, tenantId: 'tenant-a', status: 'completed' });
    expect(await a.jobs.listResults(job.id)).toHaveLength(done.results.length);
    expect(await a.jobs.getMetrics(job.id)).toMatchObject({ recordsIn: done.metrics.recordsIn });
    expect((await a.jobs.listLogs(job.id, { limit: 10 })).map((l) => l.message)).toEqual(['job started']);
    // The system scope still sees every tenant's job, as the worker and the reconciler need.
    expect(await db.jobs.get(job.id)).toMatchObject({ tenantId: 'tenant-a' });
  });

  it("shows another tenant's job as missing on every read", async () => {
    const job = await completedOfA();
    await a.jobs.create(fresh({ idempotencyKey: 'idem' }));
    expect(await b.jobs.get(job.id)).toBeNull();
    expect(await b.jobs.findByIdempotencyKey('idem')).toBeNull();
    expect(await b.jobs.list({ limit: 10 })).toEqual({ items: [], nextCursor: null });
    expect(await b.jobs.listResults(job.id)).toEqual([]);
    expect(await b.jobs.getMetrics(job.id)).toBeNull();
    expect(await b.jobs.listLogs(job.id, { limit: 10 })).toEqual([]);
  });

  it("cannot change another tenant's job", async () => {
    const queued = (await a.jobs.create(fresh())).job;
    expect(await b.jobs.cancel(queued.id)).toBeNull();
    expect((await a.jobs.get(queued.id))?.status).toBe('queued');

    const finished = await completedOfA();
    expect(await b.jobs.markFilesDeleted(finished.id)).toBeNull();
    expect((await a.jobs.get(finished.id))?.filesDeletedAt).toBeNull();

    const failed = (await a.jobs.create(fresh())).job;
    await db.jobs.markFailed(failed.id, { code: 'boom', message: 'failed' });
    expect(await b.jobs.requeue(failed.id, { from: 'failed' })).toBeNull();
    expect((await a.jobs.get(failed.id))?.status).toBe('failed');

    // The owner can do each of them.
    expect(await a.jobs.cancel(queued.id)).toMatchObject({ status: 'cancelled' });
    expect(await a.jobs.markFilesDeleted(finished.id)).toMatchObject({ filesDeletedAt: expect.any(String) });
    expect(await a.jobs.requeue(failed.id, { from: 'failed' })).toMatchObject({ status: 'queued' });
  });

  it('lists only the own jobs, across pages', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) {
      mine.push((await a.jobs.create(fresh())).job.id);
      await b.jobs.create(fresh());
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await a.jobs.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((j) => j.id));
      expect(page.items.every((j) => j.tenantId === 'tenant-a')).toBe(true);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual([...mine].sort());
    expect((await db.jobs.list({ limit: 100 })).items).toHaveLength(10);
  });

  it('keeps idempotency keys per tenant', async () => {
    const first = await a.jobs.create(fresh({ idempotencyKey: 'same' }));
    const other = await b.jobs.create(fresh({ idempotencyKey: 'same' }));
    const again = await a.jobs.create(fresh({ idempotencyKey: 'same' }));
    expect(first.created).toBe(true);
    expect(other).toMatchObject({ created: true, job: { tenantId: 'tenant-b' } });
    expect(other.job.id).not.toBe(first.job.id);
    expect(again).toEqual({ job: first.job, created: false });
    expect(await b.jobs.findByIdempotencyKey('same')).toEqual(other.job);
  });

  it('keeps mapping profiles per tenant, the same name in two tenants included', async () => {
    await a.mappings.create(profile({ description: 'of a' }));
    await b.mappings.create(profile({ description: 'of b', columns: { PID: 'patient_id' } }));
    expect((await a.mappings.get('clinic'))?.description).toBe('of a');
    expect((await b.mappings.get('clinic'))?.columns).toEqual({ PID: 'patient_id' });
    await a.mappings.create(profile({ name: 'only-a' }));
    expect((await b.mappings.list()).map((p) => p.name)).toEqual(['clinic']);
    expect(await b.mappings.get('only-a')).toBeNull();
    expect(await b.mappings.replace('only-a', { dataset: null, columns: {}, codes: {}, description: 'taken' })).toBeNull();
    expect(await b.mappings.delete('only-a')).toBe(false);
    expect((await a.mappings.get('only-a'))?.description).toBeNull();
    expect(await a.mappings.delete('clinic')).toBe(true);
    expect((await b.mappings.get('clinic'))?.description).toBe('of b');
  });

  it('refuses a tenant id that is not a plain identifier', () => {
    for (const bad of ['', ' tenant', "a' or '1'='1", 'x'.repeat(65), '-lead']) {
      expect(() => db.forTenant(bad)).toThrow(/tenant/);
    }
  });

  it('reports every statement to onQuery, and each of a tenant scope filters on tenant_id', async () => {
    const job = await completedOfA();
    const failed = (await a.jobs.create(fresh({ idempotencyKey: 'k' }))).job;
    await db.jobs.markFailed(failed.id, { code: 'boom', message: 'failed' });
    await a.mappings.create(profile());
    await a.apiKeys.create({ id: 'key_1', name: 'ci', prefix: 'hzk_12345678', keyHash: 'f'.repeat(64), roles: ['viewer'], createdBy: null });
    await db.audit.append({ tenantId: 'tenant-a', actor: 'u', actorKind: 'user', action: 'job.create', target: job.id, outcome: 201, ip: null, requestId: null });

    statements.length = 0;
    const scope = db.forTenant('tenant-a');
    await scope.jobs.create(fresh({ idempotencyKey: 'k' })); // insert, then the lookup of the existing job
    await scope.jobs.get(job.id);
    await scope.jobs.findByIdempotencyKey('k');
    await scope.jobs.list({ limit: 1 });
    await scope.jobs.list({ limit: 1, cursor: (await scope.jobs.list({ limit: 1 })).nextCursor! });
    await scope.jobs.cancel(job.id);
    await scope.jobs.markFilesDeleted(job.id);
    await scope.jobs.requeue(failed.id, { from: 'failed' });
    await scope.jobs.listResults(job.id);
    await scope.jobs.getMetrics(job.id);
    await scope.jobs.listLogs(job.id, { limit: 5, afterId: 0 });
    await scope.mappings.create(profile({ name: 'second' }));
    await scope.mappings.get('clinic');
    await scope.mappings.list();
    await scope.mappings.replace('clinic', { dataset: null, columns: {}, codes: {}, description: null });
    await scope.mappings.delete('second');
    await scope.apiKeys.create({ id: 'key_2', name: 'ci', prefix: 'hzk_abcdefgh', keyHash: 'e'.repeat(64), roles: ['admin'], createdBy: 'u' });
    await scope.apiKeys.list();
    await scope.apiKeys.get('key_1');
    await scope.apiKeys.revoke('key_1');
    await scope.audit.list({ limit: 5, action: 'job.create' });

    expect(statements.length).toBeGreaterThanOrEqual(23);
    const unfiltered = statements.filter((s) => {
      const lower = s.toLowerCase();
      if (lower.startsWith('insert')) return !/"tenant_id"/.test(lower.slice(0, lower.indexOf(' values ')));
      return !/ where .*"tenant_id" = /.test(lower);
    });
    expect(unfiltered).toEqual([]);
  });
});
