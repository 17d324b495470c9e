import type { ArrayPlace, PackedLines, PackedRecords } from './packed-records.js';

/**
 * Bytes of one result slab: a chunk's packed results (~1.2 MB for a 128 KiB chunk of the issue-6
 * file, FHIR included). A chunk whose results need more gets fresh buffers instead.
 */
export const SLAB_BYTES = 2 * 1024 * 1024;

/**
 * Result slabs: SharedArrayBuffers made once per pool and given to every thread at its start
 * (piscina's workerData), which a thread packs a chunk's results into instead of new
 * ArrayBuffers moved to the main thread. Every ArrayBuffer that reaches the main thread counts
 * as new external memory there, and V8 starts a full GC for every few dozen MB of it: with a
 * 1M-row job's ~1.3 GB of results that was ~55 full GCs, about half of the main thread's CPU.
 * A slab is handed to one task at a time (acquire) and comes back (release) once the merge's
 * writes of its bytes are done (the pipeline waits for the writers' settled()).
 */
export interface ResultSlabs {
  readonly buffers: readonly SharedArrayBuffer[];
  /** A free slab's index, or undefined when every slab is in use (the task gets fresh buffers). */
  acquire(): number | undefined;
  release(index: number): void;
  /** Slabs not in use. */
  readonly free: number;
}

export function createResultSlabs(count: number, bytes = SLAB_BYTES): ResultSlabs {
  const buffers = Array.from({ length: count }, () => new SharedArrayBuffer(bytes));
  const free = buffers.map((_, i) => count - 1 - i);
  const inUse = new Set<number>();
  return {
    buffers,
    acquire() {
      const index = free.pop();
      if (index !== undefined) inUse.add(index);
      return index;
    },
    release(index) {
      if (!inUse.delete(index)) throw new Error(`result slab ${index} released but not in use`);
      free.push(index);
    },
    get free() {
      return free.length;
    },
  };
}

/** The slabs one job holds: released once each (a later release of the same one does nothing), all at its end. */
export interface JobSlabs {
  readonly buffers: readonly SharedArrayBuffer[];
  acquire(): number | undefined;
  release(index: number): void;
  /** After the job's tasks have all settled and its writers committed or aborted. */
  releaseAll(): void;
}

/** A job's share of the pool's slabs (none when the pool has no slabs: every task gets fresh buffers). */
export function createJobSlabs(slabs: ResultSlabs | undefined): JobSlabs {
  const held = new Set<number>();
  return {
    buffers: slabs?.buffers ?? [],
    acquire() {
      const index = slabs?.acquire();
      if (index !== undefined) held.add(index);
      return index;
    },
    release(index) {
      if (held.delete(index)) slabs?.release(index);
    },
    releaseAll() {
      for (const index of held) slabs?.release(index);
      held.clear();
    },
  };
}

/** An ArrayPlace that hands out a slab's bytes in order, each array at a multiple of 8. */
export function slabPlace(buffer: SharedArrayBuffer): ArrayPlace {
  let offset = 0;
  const take = (bytes: number) => {
    const at = offset;
    offset += Math.ceil(bytes / 8) * 8;
    if (offset > buffer.byteLength) throw new Error('result slab overrun (RecordPacker.slabBytes undercounted)');
    return at;
  };
  return {
    u8: (length) => new Uint8Array(buffer, take(length), length),
    u16: (length) => new Uint16Array(buffer, take(length * 2), length),
    u32: (length) => new Uint32Array(buffer, take(length * 4), length),
  };
}

/** Where an array lies in its slab. */
export interface SlabRef {
  offset: number;
  length: number;
}

interface SlabbedLines {
  bytes: SlabRef;
  ends: SlabRef;
}

/**
 * PackedRecords whose arrays lie in slab `slab`, each given by where it lies: what a thread sends
 * back, since a SharedArrayBuffer (or a view of one) in a message would also be new external
 * memory to the receiver. The main thread makes the views again over its own slab (unslab).
 */
export interface SlabbedRecords {
  slab: number;
  count: number;
  rows: SlabRef;
  keys: SlabRef;
  hasDedupKey: SlabRef;
  csv: SlabbedLines;
  json: SlabbedLines;
  fhir: { types: (SlabbedLines & { resourceType: string; lines: SlabRef })[]; made: SlabRef } | null;
}

const ref = (array: Uint8Array | Uint16Array | Uint32Array): SlabRef => ({ offset: array.byteOffset, length: array.length });
const refLines = (lines: PackedLines): SlabbedLines => ({ bytes: ref(lines.bytes), ends: ref(lines.ends) });

/** The slab form of records packed into slab `slab` (with slabPlace over it). */
export function slabbed(packed: PackedRecords, slab: number): SlabbedRecords {
  return {
    slab,
    count: packed.count,
    rows: ref(packed.rows),
    keys: ref(packed.keys),
    hasDedupKey: ref(packed.hasDedupKey),
    csv: refLines(packed.csv),
    json: refLines(packed.json),
    fhir: packed.fhir
      ? {
          types: packed.fhir.types.map((type) => ({ resourceType: type.resourceType, ...refLines(type), lines: ref(type.lines) })),
          made: ref(packed.fhir.made),
        }
      : null,
  };
}

/** The packed records again, as views of the slab's buffer. */
export function unslab(records: SlabbedRecords, buffer: SharedArrayBuffer): PackedRecords {
  const u8 = (r: SlabRef) => new Uint8Array(buffer, r.offset, r.length);
  const u32 = (r: SlabRef) => new Uint32Array(buffer, r.offset, r.length);
  const lines = (l: SlabbedLines): PackedLines => ({ bytes: u8(l.bytes), ends: u32(l.ends) });
  return {
    borrowed: true,
    count: records.count,
    rows: u32(records.rows),
    keys: u32(records.keys),
    hasDedupKey: u8(records.hasDedupKey),
    csv: lines(records.csv),
    json: lines(records.json),
    fhir: records.fhir
      ? {
          types: records.fhir.types.map((type) => ({ resourceType: type.resourceType, ...lines(type), lines: u32(type.lines) })),
          made: new Uint16Array(buffer, records.fhir.made.offset, records.fhir.made.length),
        }
      : null,
  };
}

/** Whether a chunk result carries its packed records in a slab (see chunk-task). */
export function slabbedOf(result: object): SlabbedRecords | null {
  return (result as { slabbed?: SlabbedRecords }).slabbed ?? null;
}
