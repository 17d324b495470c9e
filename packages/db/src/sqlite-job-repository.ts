import { and, asc, count, desc, eq, gt, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import { assertPageLimit, decodeJobCursor, toJobPage, type JobCursor } from './job-cursor.js';
import * as change from './job-transitions.js';
import { TRANSITION_FROM } from './job-transitions.js';
import { mapJobRow, mapLogRow, mapMetricsRow, mapResultRow } from './map-row.js';
import { createSqliteRecoveryMethods } from './sqlite-recovery-methods.js';
import { jobLogs, jobMetrics, jobResults, jobs } from './schema/sqlite.js';
import { toStatusCounts } from './status-counts.js';
import type { Job, JobRepository, JobStatus } from './types.js';

/** ISO text with ms and 'Z' sorts in time order, which the indexes and cursors rely on. */
const now = (): string => new Date().toISOString();

/** Rows that come after the cursor in list order (created_at desc, id desc). */
const afterCursor = (cursor: JobCursor) =>
  or(lt(jobs.createdAt, cursor.createdAt), and(eq(jobs.createdAt, cursor.createdAt), lt(jobs.id, cursor.id)));

/**
 * better-sqlite3 is synchronous; the methods are async only to honour the contract, so errors
 * surface as rejections like they do on Postgres.
 */
export function createSqliteJobRepository(db: BetterSQLite3Database): JobRepository {
  const transition = (id: string, from: readonly JobStatus[], values: SQLiteUpdateSetSource<typeof jobs>) => {
    const row = db
      .update(jobs)
      .set(values)
      .where(and(eq(jobs.id, id), inArray(jobs.status, [...from])))
      .returning()
      .get();
    return row ? mapJobRow(row) : null;
  };

  const findOne = (where: SQL): Job | null => {
    const row = db.select().from(jobs).where(where).get();
    return row ? mapJobRow(row) : null;
  };

  return {
    ...createSqliteRecoveryMethods(db),

    async create(job) {
      // Conflict on the idempotency key only: a clash of ids is a bug and still throws.
      const row = db
        .insert(jobs)
        .values(change.insertedJob(job, now()))
        .onConflictDoNothing({ target: jobs.idempotencyKey })
        .returning()
        .get();
      if (row) return { job: mapJobRow(row), created: true };
      const existing = job.idempotencyKey === null ? null : findOne(eq(jobs.idempotencyKey, job.idempotencyKey));
      if (!existing) throw new Error(`job ${job.id} was neither inserted nor found by its idempotency key`);
      return { job: existing, created: false };
    },

    async get(id) {
      return findOne(eq(jobs.id, id));
    },

    async findByIdempotencyKey(key) {
      return findOne(eq(jobs.idempotencyKey, key));
    },

    async list(query) {
      assertPageLimit(query.limit);
      const cursor = query.cursor === undefined ? undefined : decodeJobCursor(query.cursor);
      const rows = db
        .select()
        .from(jobs)
        .where(and(query.status === undefined ? undefined : eq(jobs.status, query.status), cursor && afterCursor(cursor)))
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(query.limit + 1)
        .all();
      return toJobPage(rows.map(mapJobRow), query.limit);
    },

    async markRunning(id) {
      const at = now();
      return transition(id, TRANSITION_FROM.markRunning, {
        status: 'running',
        attempts: sql`${jobs.attempts} + 1`,
        startedAt: sql`coalesce(${jobs.startedAt}, ${at})`,
        updatedAt: at,
      });
    },

    async updateProgress(id, progress) {
      return transition(id, TRANSITION_FROM.updateProgress, change.progressed(progress, now())) !== null;
    },

    async markCompleted(id, done) {
      const at = now();
      // Immediate: take the write lock up front rather than upgrading mid-transaction.
      return db.transaction(
        (tx) => {
          const row = tx
            .update(jobs)
            .set(change.completed(done, at))
            .where(and(eq(jobs.id, id), inArray(jobs.status, [...TRANSITION_FROM.markCompleted])))
            .returning()
            .get();
          if (!row) return null;
          const results = change.resultRows(id, done, at);
          if (results.length > 0) tx.insert(jobResults).values(results).run();
          tx.insert(jobMetrics).values(change.metricsRow(id, done, at)).run();
          return mapJobRow(row);
        },
        { behavior: 'immediate' },
      );
    },

    async markFailed(id, error) {
      return transition(id, TRANSITION_FROM.markFailed, change.failed(error, now()));
    },

    async cancel(id) {
      return transition(id, TRANSITION_FROM.cancel, change.cancelled(now()));
    },

    async markFilesDeleted(id) {
      const at = now();
      return transition(id, TRANSITION_FROM.markFilesDeleted, {
        filesDeletedAt: sql`coalesce(${jobs.filesDeletedAt}, ${at})`,
        updatedAt: at,
      });
    },

    async listResults(jobId) {
      const rows = db
        .select()
        .from(jobResults)
        .where(eq(jobResults.jobId, jobId))
        .orderBy(asc(jobResults.dataset), asc(jobResults.type), asc(jobResults.format), asc(jobResults.storageKey))
        .all();
      return rows.map(mapResultRow);
    },

    async getMetrics(jobId) {
      const row = db.select().from(jobMetrics).where(eq(jobMetrics.jobId, jobId)).get();
      return row ? mapMetricsRow(row) : null;
    },

    async appendLog(jobId, level, message, data) {
      db.insert(jobLogs).values({ jobId, at: now(), level, message, data: data ?? null }).run();
    },

    async listLogs(jobId, query) {
      assertPageLimit(query.limit);
      const rows = db
        .select()
        .from(jobLogs)
        .where(and(eq(jobLogs.jobId, jobId), query.afterId === undefined ? undefined : gt(jobLogs.id, query.afterId)))
        .orderBy(asc(jobLogs.id))
        .limit(query.limit)
        .all();
      return rows.map(mapLogRow);
    },

    async countByStatus() {
      return toStatusCounts(db.select({ status: jobs.status, n: count() }).from(jobs).groupBy(jobs.status).all());
    },
  };
}
