import { DEFAULT_OUTPUTS, processChunk, toFhirResources, type AcceptedRecord, type ChunkResult, type ChunkTask } from '@harmonizer/core';

/** A chunk task as the worker sends it: the job's id as well, for the FHIR resources' meta.source. */
export interface WorkerChunkTask extends ChunkTask {
  jobId?: string;
}

/** An accepted record with its FHIR resources made in the thread: [resourceType, json, resourceType, json, ...]. */
export type RecordWithFhir = AcceptedRecord & { fhir?: string[] };

/**
 * Thread entry for the pool: pure CPU work on one chunk of whole records. When the job writes
 * FHIR, each accepted record's resources are made here too (parse, map, stringify), so the main
 * thread only routes lines to files.
 */
export default function chunkTask(task: WorkerChunkTask): ChunkResult {
  const result = processChunk(task);
  const outputs = task.options.outputs ?? DEFAULT_OUTPUTS;
  if (task.jobId !== undefined && outputs.includes('fhir')) {
    for (const record of result.accepted as RecordWithFhir[]) {
      const resources = toFhirResources(task.dataset, JSON.parse(record.json) as Record<string, unknown>, { jobId: task.jobId, row: record.row });
      const fhir: string[] = [];
      for (const resource of resources) fhir.push(resource.resourceType, JSON.stringify(resource));
      record.fhir = fhir;
    }
  }
  return result;
}
