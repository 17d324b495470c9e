import { and, asc, count, desc, eq, gt, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { assertPageLimit, decodeJobCursor, toJobPage, type JobCursor } from './job-cursor.js';
import * as change from './job-transitions.js';
import { TRANSITION_FROM } from './job-transitions.js';
import { mapJobRow, mapLogRow, mapMetricsRow, mapResultRow } from './map-row.js';
import { createPgRecoveryMethods } from './pg-recovery-methods.js';
import { jobLogs, jobMetrics, jobResults, jobs } from './schema/pg.js';
import { toStatusCounts } from './status-counts.js';
import type { Job, JobRepository, JobStatus } from './types.js';

/** The clock is the application's, as on SQLite, so both dialects stamp rows the same way. */
const now = (): Date => new Date();

/** Rows that come after the cursor in list order (created_at desc, id desc). */
const afterCursor = (cursor: JobCursor) => {
  const at = new Date(cursor.createdAt);
  return or(lt(jobs.createdAt, at), and(eq(jobs.createdAt, at), lt(jobs.id, cursor.id)));
};

export function createPgJobRepository(db: NodePgDatabase): JobRepository {
  const transition = async (id: string, from: readonly JobStatus[], values: PgUpdateSetSource<typeof jobs>) => {
    const [row] = await db
      .update(jobs)
      .set(values)
      .where(and(eq(jobs.id, id), inArray(jobs.status, [...from])))
      .returning();
    return row ? mapJobRow(row) : null;
  };

  const findOne = async (where: SQL): Promise<Job | null> => {
    const [row] = await db.select().from(jobs).where(where).limit(1);
    return row ? mapJobRow(row) : null;
  };

  return {
    ...createPgRecoveryMethods(db),

    async create(job) {
      // Conflict on the idempotency key only: a clash of ids is a bug and still throws. A racing
      // insert with the same key waits for the first to commit, then does nothing.
      const [row] = await db
        .insert(jobs)
        .values(change.insertedJob(job, now()))
        .onConflictDoNothing({ target: jobs.idempotencyKey })
        .returning();
      if (row) return { job: mapJobRow(row), created: true };
      const existing = job.idempotencyKey === null ? null : await findOne(eq(jobs.idempotencyKey, job.idempotencyKey));
      if (!existing) throw new Error(`job ${job.id} was neither inserted nor found by its idempotency key`);
      return { job: existing, created: false };
    },

    get(id) {
      return findOne(eq(jobs.id, id));
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
        .where(and(query.status === undefined ? undefined : eq(jobs.status, query.status), cursor && afterCursor(cursor)))
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(query.limit + 1);
      return toJobPage(rows.map(mapJobRow), query.limit);
    },

    markRunning(id) {
      const at = now();
      return transition(id, TRANSITION_FROM.markRunning, {
        status: 'running',
        attempts: sql`${jobs.attempts} + 1`,
        startedAt: sql`coalesce(${jobs.startedAt}, ${at.toISOString()}::timestamptz)`,
        updatedAt: at,
      });
    },

    async updateProgress(id, progress) {
      return (await transition(id, TRANSITION_FROM.updateProgress, change.progressed(progress, now()))) !== null;
    },

    markCompleted(id, done) {
      const at = now();
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(jobs)
          .set(change.completed(done, at))
          .where(and(eq(jobs.id, id), inArray(jobs.status, [...TRANSITION_FROM.markCompleted])))
          .returning();
        if (!row) return null;
        const results = change.resultRows(id, done, at);
        if (results.length > 0) await tx.insert(jobResults).values(results);
        await tx.insert(jobMetrics).values(change.metricsRow(id, done, at));
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

    async listResults(jobId) {
      const rows = await db
        .select()
        .from(jobResults)
        .where(eq(jobResults.jobId, jobId))
        .orderBy(asc(jobResults.dataset), asc(jobResults.type), asc(jobResults.format), asc(jobResults.storageKey));
      return rows.map(mapResultRow);
    },

    async getMetrics(jobId) {
      const [row] = await db.select().from(jobMetrics).where(eq(jobMetrics.jobId, jobId));
      return row ? mapMetricsRow(row) : null;
    },

    async appendLog(jobId, level, message, data) {
      await db.insert(jobLogs).values({ jobId, at: now(), level, message, data: data ?? null });
    },

    async listLogs(jobId, query) {
      assertPageLimit(query.limit);
      const rows = await db
        .select()
        .from(jobLogs)
        .where(and(eq(jobLogs.jobId, jobId), query.afterId === undefined ? undefined : gt(jobLogs.id, query.afterId)))
        .orderBy(asc(jobLogs.id))
        .limit(query.limit);
      return rows.map(mapLogRow);
    },

    async countByStatus() {
      return toStatusCounts(await db.select({ status: jobs.status, n: count() }).from(jobs).groupBy(jobs.status));
    },
  };
}
