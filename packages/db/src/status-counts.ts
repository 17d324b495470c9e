import { JOB_STATUSES, type JobStatus } from './types.js';

/** Every status gets a number, 0 when no job has it, so metrics never miss a series. */
export function toStatusCounts(rows: { status: JobStatus; n: number }[]): Record<JobStatus, number> {
  const counts = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}
