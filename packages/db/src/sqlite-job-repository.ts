import { and, asc, count, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import { assertPageLimit, decodeJobCursor, toJobPage, type JobCursor } from './job-cursor.js';
import * as change from './job-transitions.js';
import { FINISHED_STATUSES, TRANSITION_FROM } from './job-transitions.js';
import { mapJobRow, mapLogRow, mapMetricsRow, mapResultRow } from './map-row.js';
import { jsonValue, once, type PlaceholdersOf } from './prepared.js';
import { toInstant } from './recovery-transitions.js';
import { createSqliteRecoveryMethods } from './sqlite-recovery-methods.js';
import { jobLogs, jobMetrics, jobResults, jobs } from './schema/sqlite.js';
import { toStatusCounts } from './status-counts.js';
import type { Job, JobRepository, JobStatus } from './types.js';

/** ISO text with ms and 'Z' sorts in time order, which the indexes and cursors rely on. */
const now = (): string => new Date().toISOString();

type TenantColumn = typeof jobs.tenantId | typeof jobResults.tenantId | typeof jobMetrics.tenantId | typeof jobLogs.tenantId;

/** Rows that come after the cursor in list order (created_at desc, id desc). */
const afterCursor = (cursor: JobCursor) =>
  or(lt(jobs.createdAt, cursor.createdAt), and(eq(jobs.createdAt, cursor.createdAt), lt(jobs.id, cursor.id)));

/**
 * better-sqlite3 is synchronous; the methods are async only to honour the contract, so errors
 * surface as rejections like they do on Postgres.
 *
 * Without `tenantId` this is the system scope (every tenant's jobs). With it, every statement
 * also says `tenant_id = ?`, so another tenant's job reads as missing: see forTenant.
 */
export function createSqliteJobRepository(db: BetterSQLite3Database, tenantId?: string): JobRepository {
  /** `tenant_id = ?` on the given table's column in a tenant's scope; nothing in the system scope. */
  const own = (column: TenantColumn) => (tenantId === undefined ? undefined : eq(column, tenantId));

  const transition = (id: string, from: readonly JobStatus[], values: SQLiteUpdateSetSource<typeof jobs>) => {
    const row = db
      .update(jobs)
      .set(values)
      .where(and(eq(jobs.id, id), own(jobs.tenantId), inArray(jobs.status, [...from])))
      .returning()
      .get();
    return row ? mapJobRow(row) : null;
  };

  const ph = sql.placeholder;
  /** `id = ?` on the job row, in this scope. */
  const thisJob = () => and(eq(jobs.id, ph('id')), own(jobs.tenantId));
  type ResultRow = ReturnType<typeof change.resultRows<string>>[number];
  type MetricsRow = ReturnType<typeof change.metricsRow<string>>;
  // The per-job statements, prepared on first use (see prepared.ts). They run on the same
  // connection, so the ones markCompleted uses are inside its transaction.
  type InsertedJob = ReturnType<typeof change.insertedJob<string>>;
  const prepared = {
    // Every upload inserts a job: prepared like the worker's statements (options is JSON text, see create).
    create: once(() => {
      const values = {
        id: ph('id'),
        tenantId: ph('tenantId'),
        status: ph('status'),
        dataset: ph('dataset'),
        fileName: ph('fileName'),
        contentType: ph('contentType'),
        sizeBytes: ph('sizeBytes'),
        sha256: ph('sha256'),
        storageKey: ph('storageKey'),
        options: sql`${ph('options')}`,
        idempotencyKey: ph('idempotencyKey'),
        createdAt: ph('createdAt'),
        updatedAt: ph('updatedAt'),
      } satisfies Record<keyof InsertedJob, unknown>;
      return db
        .insert(jobs)
        .values(values as unknown as typeof jobs.$inferInsert)
        .onConflictDoNothing({ target: [jobs.tenantId, jobs.idempotencyKey] })
        .returning()
        .prepare();
    }),
    get: once(() => db.select().from(jobs).where(thisJob()).prepare()),
    markRunning: once(() =>
      db
        .update(jobs)
        .set({
          status: 'running',
          attempts: sql`${jobs.attempts} + 1`,
          startedAt: sql`coalesce(${jobs.startedAt}, ${ph('at')})`,
          updatedAt: sql`${ph('at')}`,
        })
        .where(and(thisJob(), inArray(jobs.status, [...TRANSITION_FROM.markRunning])))
        .returning()
        .prepare(),
    ),
    updateProgress: once(() =>
      db
        .update(jobs)
        .set({
          progressPercent: sql`${ph('percent')}`,
          recordsProcessed: sql`${ph('recordsProcessed')}`,
          errorsFound: sql`${ph('errorsFound')}`,
          updatedAt: sql`${ph('at')}`,
        })
        .where(and(thisJob(), inArray(jobs.status, [...TRANSITION_FROM.updateProgress])))
        .prepare(),
    ),
    complete: once(() =>
      db
        .update(jobs)
        .set({
          status: 'completed',
          detectedDataset: sql`${ph('detectedDataset')}`,
          counts: sql`${ph('counts')}`,
          progressPercent: 100,
          recordsProcessed: sql`${ph('recordsProcessed')}`,
          errorsFound: sql`${ph('errorsFound')}`,
          finishedAt: sql`${ph('at')}`,
          updatedAt: sql`${ph('at')}`,
        })
        .where(and(thisJob(), inArray(jobs.status, [...TRANSITION_FROM.markCompleted])))
        .returning()
        .prepare(),
    ),
    insertResult: once(() => {
      const values: PlaceholdersOf<ResultRow> = {
        jobId: ph('jobId'),
        tenantId: ph('tenantId'),
        dataset: ph('dataset'),
        type: ph('type'),
        format: ph('format'),
        storageKey: ph('storageKey'),
        count: ph('count'),
        sizeBytes: ph('sizeBytes'),
        createdAt: ph('createdAt'),
      };
      return db.insert(jobResults).values(values).prepare();
    }),
    insertMetrics: once(() => {
      const values: PlaceholdersOf<MetricsRow> = {
        jobId: ph('jobId'),
        tenantId: ph('tenantId'),
        durationMs: ph('durationMs'),
        bytesIn: ph('bytesIn'),
        recordsIn: ph('recordsIn'),
        recordsOut: ph('recordsOut'),
        recordsRejected: ph('recordsRejected'),
        duplicates: ph('duplicates'),
        errors: ph('errors'),
        warnings: ph('warnings'),
        createdAt: ph('createdAt'),
      };
      return db.insert(jobMetrics).values(values).prepare();
    }),
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
          data: sql`${ph('data')}`,
        })
        .prepare(),
    ),
  };

  const findOne = (where: SQL | undefined): Job | null => {
    const row = db.select().from(jobs).where(and(where, own(jobs.tenantId))).get();
    return row ? mapJobRow(row) : null;
  };

  return {
    ...createSqliteRecoveryMethods(db, tenantId),

    async create(job) {
      // Conflict on the idempotency key only: a clash of ids is a bug and still throws.
      const inserted = change.insertedJob(job, now());
      const row = prepared.create().get({ ...inserted, options: jsonValue(inserted.options) });
      if (row) return { job: mapJobRow(row), created: true };
      const existing =
        job.idempotencyKey === null
          ? null
          : findOne(and(eq(jobs.tenantId, job.tenantId), eq(jobs.idempotencyKey, job.idempotencyKey)));
      if (!existing) throw new Error(`job ${job.id} was neither inserted nor found by its idempotency key`);
      return { job: existing, created: false };
    },

    async get(id) {
      const row = prepared.get().get({ id });
      return row ? mapJobRow(row) : null;
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
        .where(
          and(
            own(jobs.tenantId),
            query.status === undefined ? undefined : eq(jobs.status, query.status),
            cursor && afterCursor(cursor),
          ),
        )
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(query.limit + 1)
        .all();
      return toJobPage(rows.map(mapJobRow), query.limit);
    },

    async markRunning(id) {
      const row = prepared.markRunning().get({ id, at: now() });
      return row ? mapJobRow(row) : null;
    },

    async updateProgress(id, progress) {
      const { progressPercent: percent, recordsProcessed, errorsFound, updatedAt: at } = change.progressed(progress, now());
      return prepared.updateProgress().run({ id, percent, recordsProcessed, errorsFound, at }).changes > 0;
    },

    async markCompleted(id, done) {
      const at = now();
      // Immediate: take the write lock up front rather than upgrading mid-transaction.
      return db.transaction(
        () => {
          const values = change.completed(done, at);
          const row = prepared.complete().get({
            id,
            detectedDataset: values.detectedDataset,
            counts: jsonValue(values.counts),
            recordsProcessed: values.recordsProcessed,
            errorsFound: values.errorsFound,
            at,
          });
          if (!row) return null;
          // The job row says whose results these are.
          for (const result of change.resultRows(id, row.tenantId, done, at)) prepared.insertResult().run(result);
          prepared.insertMetrics().run(change.metricsRow(id, row.tenantId, done, at));
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

    async markUploadDeleted(id) {
      const at = now();
      return transition(id, TRANSITION_FROM.markUploadDeleted, {
        uploadDeletedAt: sql`coalesce(${jobs.uploadDeletedAt}, ${at})`,
        updatedAt: at,
      });
    },

    async markExpired(id) {
      const at = now();
      return transition(id, TRANSITION_FROM.markExpired, {
        expiredAt: sql`coalesce(${jobs.expiredAt}, ${at})`,
        filesDeletedAt: sql`coalesce(${jobs.filesDeletedAt}, ${at})`,
        updatedAt: at,
      });
    },

    async listForRetention(query) {
      assertPageLimit(query.limit);
      const kept =
        query.kind === 'upload' ? isNull(jobs.uploadDeletedAt) : and(isNull(jobs.expiredAt), isNull(jobs.filesDeletedAt));
      const rows = db
        .select()
        .from(jobs)
        .where(
          and(
            own(jobs.tenantId),
            inArray(jobs.status, [...FINISHED_STATUSES]),
            lt(jobs.finishedAt, toInstant(query.finishedBefore)),
            kept,
          ),
        )
        .orderBy(asc(jobs.finishedAt), asc(jobs.id))
        .limit(query.limit)
        .all();
      return rows.map(mapJobRow);
    },

    async listResults(jobId) {
      const rows = db
        .select()
        .from(jobResults)
        .where(and(eq(jobResults.jobId, jobId), own(jobResults.tenantId)))
        .orderBy(asc(jobResults.dataset), asc(jobResults.type), asc(jobResults.format), asc(jobResults.storageKey))
        .all();
      return rows.map(mapResultRow);
    },

    async getMetrics(jobId) {
      const row = db
        .select()
        .from(jobMetrics)
        .where(and(eq(jobMetrics.jobId, jobId), own(jobMetrics.tenantId)))
        .get();
      return row ? mapMetricsRow(row) : null;
    },

    async appendLog(jobId, level, message, data) {
      prepared.appendLog().run({ jobId, at: now(), level, message, data: jsonValue(data) });
    },

    async listLogs(jobId, query) {
      assertPageLimit(query.limit);
      const rows = db
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
        .limit(query.limit)
        .all();
      return rows.map(mapLogRow);
    },

    async countByStatus() {
      return toStatusCounts(
        db.select({ status: jobs.status, n: count() }).from(jobs).where(own(jobs.tenantId)).groupBy(jobs.status).all(),
      );
    },
  };
}
