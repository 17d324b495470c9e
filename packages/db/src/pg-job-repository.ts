import { and, asc, count, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { assertPageLimit, decodeJobCursor, toJobPage, type JobCursor } from './job-cursor.js';
import * as change from './job-transitions.js';
import { FINISHED_STATUSES, TRANSITION_FROM } from './job-transitions.js';
import { mapJobRow, mapLogRow, mapMetricsRow, mapResultRow } from './map-row.js';
import { createPgRecoveryMethods } from './pg-recovery-methods.js';
import { jsonValue, once } from './prepared.js';
import { toInstant } from './recovery-transitions.js';
import { jobLogs, jobMetrics, jobResults, jobs } from './schema/pg.js';
import { toStatusCounts } from './status-counts.js';
import type { Job, JobRepository, JobStatus } from './types.js';

/** The clock is the application's, as on SQLite, so both dialects stamp rows the same way. */
const now = (): Date => new Date();

type TenantColumn = typeof jobs.tenantId | typeof jobResults.tenantId | typeof jobMetrics.tenantId | typeof jobLogs.tenantId;

/** Rows that come after the cursor in list order (created_at desc, id desc). */
const afterCursor = (cursor: JobCursor) => {
  const at = new Date(cursor.createdAt);
  return or(lt(jobs.createdAt, at), and(eq(jobs.createdAt, at), lt(jobs.id, cursor.id)));
};

/**
 * Without `tenantId` this is the system scope (every tenant's jobs). With it, every statement
 * also says `tenant_id = ?`, so another tenant's job reads as missing: see forTenant.
 */
export function createPgJobRepository(db: NodePgDatabase, tenantId?: string): JobRepository {
  /** `tenant_id = ?` on the given table's column in a tenant's scope; nothing in the system scope. */
  const own = (column: TenantColumn) => (tenantId === undefined ? undefined : eq(column, tenantId));

  const transition = async (id: string, from: readonly JobStatus[], values: PgUpdateSetSource<typeof jobs>) => {
    const [row] = await db
      .update(jobs)
      .set(values)
      .where(and(eq(jobs.id, id), own(jobs.tenantId), inArray(jobs.status, [...from])))
      .returning();
    return row ? mapJobRow(row) : null;
  };

  const ph = sql.placeholder;
  /** `id = $n` on the job row, in this scope. */
  const thisJob = () => and(eq(jobs.id, ph('id')), own(jobs.tenantId));
  // The per-job statements, prepared on first use as named server-side statements (see
  // prepared.ts). A tenant's statements have the same text for every tenant (the tenant id is a
  // parameter), so one name per scope kind. markCompleted's transaction runs on its own
  // connection and builds its statements there.
  const scope = tenantId === undefined ? 'system' : 'tenant';
  const prepared = {
    get: once(() => db.select().from(jobs).where(thisJob()).limit(1).prepare(`harmonizer_job_get_${scope}`)),
    markRunning: once(() =>
      db
        .update(jobs)
        .set({
          status: 'running',
          attempts: sql`${jobs.attempts} + 1`,
          startedAt: sql`coalesce(${jobs.startedAt}, ${ph('at')}::timestamptz)`,
          updatedAt: sql`${ph('at')}::timestamptz`,
        })
        .where(and(thisJob(), inArray(jobs.status, [...TRANSITION_FROM.markRunning])))
        .returning()
        .prepare(`harmonizer_job_mark_running_${scope}`),
    ),
    updateProgress: once(() =>
      db
        .update(jobs)
        .set({
          progressPercent: sql`${ph('percent')}`,
          recordsProcessed: sql`${ph('recordsProcessed')}`,
          errorsFound: sql`${ph('errorsFound')}`,
          updatedAt: sql`${ph('at')}::timestamptz`,
        })
        .where(and(thisJob(), inArray(jobs.status, [...TRANSITION_FROM.updateProgress])))
        .returning({ id: jobs.id })
        .prepare(`harmonizer_job_update_progress_${scope}`),
    ),
    appendLog: once(() =>
      db
        .insert(jobLogs)
        .values({
          jobId: ph('jobId'),
          // The job row says whose log this is (null, refused, for a job that does not exist).
          tenantId: tenantId ?? sql<string>`(select ${jobs.tenantId} from ${jobs} where ${jobs.id} = ${ph('jobId')})`,
          at: ph('at'),
          level: ph('level'),
          message: ph('message'),
          data: sql`${ph('data')}::jsonb`,
        })
        .prepare(`harmonizer_job_append_log_${scope}`),
    ),
  };

  const findOne = async (where: SQL | undefined): Promise<Job | null> => {
    const [row] = await db
      .select()
      .from(jobs)
      .where(and(where, own(jobs.tenantId)))
      .limit(1);
    return row ? mapJobRow(row) : null;
  };

  return {
    ...createPgRecoveryMethods(db, tenantId),

    async create(job) {
      // Conflict on the idempotency key only: a clash of ids is a bug and still throws. A racing
      // insert with the same key waits for the first to commit, then does nothing.
      const [row] = await db
        .insert(jobs)
        .values(change.insertedJob(job, now()))
        .onConflictDoNothing({ target: [jobs.tenantId, jobs.idempotencyKey] })
        .returning();
      if (row) return { job: mapJobRow(row), created: true };
      const existing =
        job.idempotencyKey === null
          ? null
          : await findOne(and(eq(jobs.tenantId, job.tenantId), eq(jobs.idempotencyKey, job.idempotencyKey)));
      if (!existing) throw new Error(`job ${job.id} was neither inserted nor found by its idempotency key`);
      return { job: existing, created: false };
    },

    async get(id) {
      const [row] = await prepared.get().execute({ id });
      return row ? mapJobRow(row) : null;
    },

    findByIdempotencyKey(key) {
      return findOne(eq(jobs.idempotencyKey, key));
    },

    async list(query) {
      assertPageLimit(query.limit);
      const cursor = query.cursor === undefined ? undefined : decodeJobCursor(query.cursor);
      const rows = await db
        .select()
        .from(jobs)
        .where(
          and(
            own(jobs.tenantId),
            query.status === undefined ? undefined : eq(jobs.status, query.status),
            cursor && afterCursor(cursor),
          ),
        )
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(query.limit + 1);
      return toJobPage(rows.map(mapJobRow), query.limit);
    },

    async markRunning(id) {
      const [row] = await prepared.markRunning().execute({ id, at: now().toISOString() });
      return row ? mapJobRow(row) : null;
    },

    async updateProgress(id, progress) {
      const { progressPercent: percent, recordsProcessed, errorsFound, updatedAt } = change.progressed(progress, now());
      const rows = await prepared.updateProgress().execute({ id, percent, recordsProcessed, errorsFound, at: updatedAt.toISOString() });
      return rows.length > 0;
    },

    markCompleted(id, done) {
      const at = now();
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(jobs)
          .set(change.completed(done, at))
          .where(and(eq(jobs.id, id), own(jobs.tenantId), inArray(jobs.status, [...TRANSITION_FROM.markCompleted])))
          .returning();
        if (!row) return null;
        // The job row says whose results these are.
        const results = change.resultRows(id, row.tenantId, done, at);
        if (results.length > 0) await tx.insert(jobResults).values(results);
        await tx.insert(jobMetrics).values(change.metricsRow(id, row.tenantId, done, at));
        return mapJobRow(row);
      });
    },

    markFailed(id, error) {
      return transition(id, TRANSITION_FROM.markFailed, change.failed(error, now()));
    },

    cancel(id) {
      return transition(id, TRANSITION_FROM.cancel, change.cancelled(now()));
    },

    markFilesDeleted(id) {
      const at = now();
      return transition(id, TRANSITION_FROM.markFilesDeleted, {
        filesDeletedAt: sql`coalesce(${jobs.filesDeletedAt}, ${at.toISOString()}::timestamptz)`,
        updatedAt: at,
      });
    },

    markUploadDeleted(id) {
      const at = now();
      return transition(id, TRANSITION_FROM.markUploadDeleted, {
        uploadDeletedAt: sql`coalesce(${jobs.uploadDeletedAt}, ${at.toISOString()}::timestamptz)`,
        updatedAt: at,
      });
    },

    markExpired(id) {
      const at = now();
      return transition(id, TRANSITION_FROM.markExpired, {
        expiredAt: sql`coalesce(${jobs.expiredAt}, ${at.toISOString()}::timestamptz)`,
        filesDeletedAt: sql`coalesce(${jobs.filesDeletedAt}, ${at.toISOString()}::timestamptz)`,
        updatedAt: at,
      });
    },

    async listForRetention(query) {
      assertPageLimit(query.limit);
      const kept =
        query.kind === 'upload' ? isNull(jobs.uploadDeletedAt) : and(isNull(jobs.expiredAt), isNull(jobs.filesDeletedAt));
      const rows = await db
        .select()
        .from(jobs)
        .where(
          and(
            own(jobs.tenantId),
            inArray(jobs.status, [...FINISHED_STATUSES]),
            lt(jobs.finishedAt, new Date(toInstant(query.finishedBefore))),
            kept,
          ),
        )
        .orderBy(asc(jobs.finishedAt), asc(jobs.id))
        .limit(query.limit);
      return rows.map(mapJobRow);
    },

    async listResults(jobId) {
      const rows = await db
        .select()
        .from(jobResults)
        .where(and(eq(jobResults.jobId, jobId), own(jobResults.tenantId)))
        .orderBy(asc(jobResults.dataset), asc(jobResults.type), asc(jobResults.format), asc(jobResults.storageKey));
      return rows.map(mapResultRow);
    },

    async getMetrics(jobId) {
      const [row] = await db
        .select()
        .from(jobMetrics)
        .where(and(eq(jobMetrics.jobId, jobId), own(jobMetrics.tenantId)));
      return row ? mapMetricsRow(row) : null;
    },

    async appendLog(jobId, level, message, data) {
      await prepared.appendLog().execute({ jobId, at: now(), level, message, data: jsonValue(data) });
    },

    async listLogs(jobId, query) {
      assertPageLimit(query.limit);
      const rows = await db
        .select()
        .from(jobLogs)
        .where(
          and(
            eq(jobLogs.jobId, jobId),
            own(jobLogs.tenantId),
            query.afterId === undefined ? undefined : gt(jobLogs.id, query.afterId),
          ),
        )
        .orderBy(asc(jobLogs.id))
        .limit(query.limit);
      return rows.map(mapLogRow);
    },

    async countByStatus() {
      return toStatusCounts(
        await db.select({ status: jobs.status, n: count() }).from(jobs).where(own(jobs.tenantId)).groupBy(jobs.status),
      );
    },
  };
}
