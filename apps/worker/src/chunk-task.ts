import {
  DEFAULT_OUTPUTS,
  getDataset,
  processChunk,
  toFhirResources,
  type AcceptedRecord,
  type AcceptedSink,
  type ChunkResult,
  type ChunkTask,
} from '@harmonizer/core';
import { RecordPacker, type PackedRecords } from './packed-records.js';

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
 * (unless the dataset's records carry versions, or the job writes Parquet, which reads the
 * record objects), each packed as soon as processChunk accepts it.
 */
export default function chunkTask(task: WorkerChunkTask): ChunkResult | PackedChunkResult {
  const outputs = task.options.outputs ?? DEFAULT_OUTPUTS;
  const jobId = task.jobId;
  const withFhir = jobId !== undefined && outputs.includes('fhir');
  // Each record's FHIR resources, from its JSON object (no parsing of the JSON line back).
  const resourcesOf = (record: AcceptedRecord, object: Record<string, unknown>): string[] => {
    const fhir: string[] = [];
    for (const resource of toFhirResources(task.dataset, object, { jobId: jobId!, row: record.row })) {
      fhir.push(resource.resourceType, JSON.stringify(resource));
    }
    return fhir;
  };
  if (task.pack && !outputs.includes('parquet') && getDataset(task.dataset).versioning === undefined) {
    const packer = new RecordPacker(withFhir);
    const result = processChunk(task, (record, object) => packer.add(record, withFhir ? resourcesOf(record, object) : null));
    return { ...result, packed: packer.finish() };
  }
  if (!withFhir) return processChunk(task);
  const accepted: RecordWithFhir[] = [];
  const sink: AcceptedSink = (record, object) => accepted.push({ ...record, fhir: resourcesOf(record, object) });
  return { ...processChunk(task, sink), accepted };
}
