import {
  DEFAULT_OUTPUTS,
  decodeUtf8,
  getDataset,
  processChunk,
  toFhirResources,
  type AcceptedRecord,
  type AcceptedSink,
  type ChunkResult,
  type ChunkTask,
  type DecodeStats,
} from '@harmonizer/core';
import { Piscina } from 'piscina';
import { packedOf, RecordPacker, type PackedRecords } from './packed-records.js';
import { slabbed, slabbedOf, slabPlace, type SlabbedRecords } from './result-slabs.js';

/** The pool's result slabs, in a pool thread (piscina's workerData; pool.ts), else undefined. */
const slabBuffers = (): readonly SharedArrayBuffer[] | undefined => (Piscina.workerData as { slabs?: SharedArrayBuffer[] } | undefined)?.slabs;

/**
 * CSV records as the file's bytes (UTF-8, or Windows-1252 bytes among it), cut by the main
 * thread (chunk-cutter.ts) and decoded by the thread that runs the chunk.
 */
export type CsvBytesTask = Omit<ChunkTask, 'text' | 'format'> & { bytes: Uint8Array };

/** What a feeder hands the pool: records as text (JSON, NDJSON, FHIR) or CSV bytes. */
export type FedTask = ChunkTask | CsvBytesTask;

/** A chunk task as the worker sends it: the job's id as well, for the FHIR resources' meta.source. */
export type WorkerChunkTask = FedTask & {
  jobId?: string;
  /** Return the accepted records packed (PackedChunkResult) when they can be (see packed-records.ts). */
  pack?: boolean;
  /** A pool thread packs them into this result slab (result-slabs.ts) when they fit: a SlabbedChunkResult. */
  slab?: number;
};

/** A chunk result whose packed records lie in a result slab: `accepted` is empty. */
export type SlabbedChunkResult = ChunkResult & { slabbed: SlabbedRecords };

/** A chunk's result; `decoding`: what its bytes turned out to be, for a CsvBytesTask. */
export type WorkerChunkResult = (ChunkResult | PackedChunkResult | SlabbedChunkResult) & { decoding?: DecodeStats };

/** The task with its records as text: a CsvBytesTask's bytes decoded here, with what they were. */
function asTextTask(task: WorkerChunkTask): { task: ChunkTask & { jobId?: string; pack?: boolean; slab?: number }; decoding?: DecodeStats } {
  if (!('bytes' in task)) return { task };
  const { bytes, ...rest } = task;
  const { text, stats } = decodeUtf8(bytes);
  return { task: { ...rest, text }, decoding: stats };
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
export default function chunkTask(fed: WorkerChunkTask): WorkerChunkResult {
  const { task, decoding } = asTextTask(fed);
  const withDecoding = <T extends ChunkResult>(result: T): T & { decoding?: DecodeStats } => (decoding ? { ...result, decoding } : result);
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
    const slab = task.slab === undefined ? undefined : slabBuffers()?.[task.slab];
    if (slab && packer.slabBytes() <= slab.byteLength) {
      return withDecoding({ ...result, slabbed: slabbed(packer.finish(slabPlace(slab)), task.slab!) });
    }
    return withDecoding({ ...result, packed: packer.finish() });
  }
  if (!withFhir) return withDecoding(processChunk(task));
  const accepted: RecordWithFhir[] = [];
  const sink: AcceptedSink = (record, object) => accepted.push({ ...record, fhir: resourcesOf(record, object) });
  return withDecoding({ ...processChunk(task, sink), accepted });
}

/**
 * The pool's entry (pool.ts names it): chunkTask, with a packed result moved to the main thread
 * instead of cloned. Records packed into a result slab cross as offsets (result-slabs.ts); else
 * every array of PackedRecords has an ArrayBuffer of its own (packed-records.ts), so their
 * buffers are transferred, with the chunk's field profiles' HyperLogLogs (new per chunk): no copy
 * into the message and none out of it on the main thread (~1.2 MB per chunk each way, a 1M-row
 * job's 1.1 GB of results).
 */
export function pooledChunkTask(task: WorkerChunkTask): WorkerChunkResult {
  const result = chunkTask(task);
  const packed = packedOf(result);
  if (!packed && !slabbedOf(result)) return result;
  const transfer = new Set<ArrayBuffer>();
  const arrays: ArrayBufferView[] = [];
  if (packed) {
    arrays.push(packed.rows, packed.keys, packed.hasDedupKey, packed.csv.bytes, packed.csv.ends, packed.json.bytes, packed.json.ends);
    if (packed.fhir) {
      arrays.push(packed.fhir.made);
      for (const type of packed.fhir.types) arrays.push(type.bytes, type.ends, type.lines);
    }
  }
  // Each field profile's HyperLogLog (4 KiB, new per chunk) goes too.
  for (const profile of Object.values(result.stats.profile ?? {})) arrays.push(profile.hll);
  for (const array of arrays) transfer.add(array.buffer as ArrayBuffer);
  // piscina sends kValue with kTransferable as the transfer list (its Transferable interface).
  const movable = { [Piscina.transferableSymbol]: [...transfer], [Piscina.valueSymbol]: result } as unknown as Parameters<typeof Piscina.move>[0];
  return Piscina.move(movable) as unknown as WorkerChunkResult;
}
