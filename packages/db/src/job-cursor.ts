import { InvalidCursorError, type Job } from './types.js';

/** Where the previous page ended, in the list order (created_at desc, id desc). */
export interface JobCursor {
  createdAt: string;
  id: string;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeJobCursor(job: Pick<Job, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([job.createdAt, job.id]), 'utf8').toString('base64url');
}

/** Throws InvalidCursorError for anything encodeJobCursor did not produce. */
export function decodeJobCursor(cursor: string): JobCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || !ISO_MS.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
    throw new InvalidCursorError();
  }
  if (typeof id !== 'string' || id === '') throw new InvalidCursorError();
  return { createdAt, id };
}

/**
 * Repositories fetch limit + 1 rows: the extra row only says that another page exists, and the
 * cursor points at the last row returned so the next page starts right after it.
 */
export function toJobPage(rows: Job[], limit: number): { items: Job[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeJobCursor(last) : null };
}

export function assertPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
}
