import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as change from './job-transitions.js';
import { mapJobRow } from './map-row.js';
import { requeued, toInstant } from './recovery-transitions.js';
import { jobs } from './schema/sqlite.js';
import type { JobRepository } from './types.js';

type RecoveryMethods = Pick<JobRepository, 'listStale' | 'requeue' | 'failStale'>;

/** The reconciler's and the retry route's methods on SQLite; timestamps compare as ISO text. */
export function createSqliteRecoveryMethods(db: BetterSQLite3Database, tenantId?: string): RecoveryMethods {
  const own = tenantId === undefined ? undefined : eq(jobs.tenantId, tenantId);
  return {
    async listStale(query) {
      if (query.statuses.length === 0) return [];
      const rows = db
        .select()
        .from(jobs)
        .where(and(own, inArray(jobs.status, [...query.statuses]), lt(jobs.updatedAt, toInstant(query.updatedBefore))))
        .orderBy(asc(jobs.updatedAt), asc(jobs.id))
        .limit(query.limit)
        .all();
      return rows.map(mapJobRow);
    },

    async requeue(id, guard) {
      const condition =
        guard.from === 'failed'
          ? and(eq(jobs.status, 'failed'), isNull(jobs.filesDeletedAt), isNull(jobs.uploadDeletedAt))
          : and(eq(jobs.status, 'running'), lt(jobs.updatedAt, toInstant(guard.updatedBefore)));
      const row = db
        .update(jobs)
        .set(requeued(guard, new Date().toISOString()))
        .where(and(eq(jobs.id, id), own, condition))
        .returning()
        .get();
      return row ? mapJobRow(row) : null;
    },

    async failStale(id, error, updatedBefore) {
      const row = db
        .update(jobs)
        .set(change.failed(error, new Date().toISOString()))
        .where(and(eq(jobs.id, id), own, eq(jobs.status, 'running'), lt(jobs.updatedAt, toInstant(updatedBefore))))
        .returning()
        .get();
      return row ? mapJobRow(row) : null;
    },
  };
}
