import type { RequeueGuard } from './types.js';

/** The ISO form both dialects compare against: SQLite compares the text, so it must match what it stores. */
export const toInstant = (iso: string): string => {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new Error(`not a timestamp: ${iso}`);
  return at.toISOString();
};

/**
 * Column values of a job sent back to the queue. A retry after failure starts a new round (attempts
 * and start time reset, as BullMQ's new job counts from zero); a lost job keeps its attempts, so the
 * reconciler can tell when they run out. `T` is the dialect's timestamp value.
 */
export function requeued<T>(guard: RequeueGuard, now: T) {
  return {
    status: 'queued' as const,
    progressPercent: 0,
    recordsProcessed: 0,
    errorsFound: 0,
    errorCode: null,
    errorMessage: null,
    finishedAt: null,
    updatedAt: now,
    ...(guard.from === 'failed' ? { attempts: 0, startedAt: null } : {}),
  };
}
