import { DEFAULT_OUTPUTS, processChunk, toFhirResources, type AcceptedRecord, type ChunkResult, type ChunkTask } from '@harmonizer/core';
import { canPack, packRecords, type PackedRecords } from './packed-records.js';

/** A chunk task as the worker sends it: the job's id as well, for the FHIR resources' meta.source. */
export interface WorkerChunkTask extends ChunkTask {
  jobId?: string;
  /** Return the accepted records packed (PackedChunkResult) when they can be (see packed-records.ts). */
  pack?: boolean;
}

/** An accepted record with its FHIR resources made in the thread: [resourceType, json, resourceType, json, ...]. */
export type RecordWithFhir = AcceptedRecord & { fhir?: string[] };

/** A chunk result whose accepted records travel as bytes and words: `accepted` is empty. */
export type PackedChunkResult = ChunkResult & { packed: PackedRecords };

/**
 * Thread entry for the pool: pure CPU work on one chunk of whole records. When the job writes
 * FHIR, each accepted record's resources are made here too (map, stringify), so the main
 * thread only routes lines to files. With task.pack, the accepted records go back packed
 * (unless one carries a version, or the job writes Parquet, which reads the record objects).
 */
export default function chunkTask(task: WorkerChunkTask): ChunkResult | PackedChunkResult {
  const outputs = task.options.outputs ?? DEFAULT_OUTPUTS;
  const jobId = task.jobId;
  const made: string[][] | null = jobId !== undefined && outputs.includes('fhir') ? [] : null;
  // The records' JSON objects, so FHIR mapping does not parse each JSON line back.
  const objects: Record<string, unknown>[] | undefined = made ? [] : undefined;
  const result = processChunk(task, objects);
  if (made && objects && jobId !== undefined) {
    for (let i = 0; i < result.accepted.length; i++) {
      const record = result.accepted[i]!;
      const resources = toFhirResources(task.dataset, objects[i]!, { jobId, row: record.row });
      const fhir: string[] = [];
      for (const resource of resources) fhir.push(resource.resourceType, JSON.stringify(resource));
      made.push(fhir);
    }
  }
  if (task.pack && !outputs.includes('parquet') && canPack(result.accepted)) {
    return { accepted: [], rejects: result.rejects, stats: result.stats, packed: packRecords(result.accepted, made) };
  }
  if (made) (result.accepted as RecordWithFhir[]).forEach((record, i) => (record.fhir = made[i]));
  return result;
}
