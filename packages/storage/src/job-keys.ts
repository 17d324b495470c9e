/**
 * Where a job's files live in storage, for every process that writes or removes them (the api
 * stores uploads and deletes jobs, the worker writes results, the retention sweep expires both).
 */
export const jobUploadPrefix = (jobId: string): string => `uploads/${jobId}`;
export const jobResultsPrefix = (jobId: string): string => `results/${jobId}`;
