export const QUEUE_NAME = 'harmonize';
export const HARMONIZE_JOB = 'harmonize';

/** The queue carries a pointer only: the database row is the truth and Redis never sees PHI. */
export interface HarmonizeJobData {
  jobId: string;
}
