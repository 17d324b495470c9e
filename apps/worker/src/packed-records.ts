import type { AcceptedRecord } from '@harmonizer/core';
import { keyWords } from '@harmonizer/core';

/** Words of a record's keys in PackedRecords.keys: the exact key's four, then the dedup key's four. */
export const KEY_WORDS = 8;

/** One output's lines for a chunk's accepted records, as UTF-8 bytes: record i's lines end at ends[i]. */
export interface PackedLines {
  /** Every record's lines, each ending with '\n', in record order. */
  bytes: Uint8Array;
  /** Byte offset where record i's lines end (record i starts where record i - 1 ends; equal: no line). */
  ends: Uint32Array;
}

/** The FHIR resources of one type made from a chunk's accepted records. */
export interface PackedFhirType extends PackedLines {
  resourceType: string;
  /** Lines (resources) up to and including record i. */
  lines: Uint32Array;
}

/**
 * A chunk's accepted records as a few byte and word arrays instead of an object (and five
 * strings) per record: what crosses from a pool thread to the main thread, where merging only
 * needs each record's row and keys, and the writers only the bytes of the records it keeps.
 * Structured clone copies a typed array with one memcpy, where an array of objects is
 * serialized and rebuilt field by field; and the main thread's heap holds no per-record
 * objects, which kept chunks in flight alive long enough to be promoted and collected late.
 */
export interface PackedRecords {
  count: number;
  rows: Uint32Array;
  /** KEY_WORDS per record: the 128 bits of exactKey and of dedupKey (keyWords of the strings). */
  keys: Uint32Array;
  /** 1 when the record has a dedup key. */
  hasDedupKey: Uint8Array;
  csv: PackedLines;
  json: PackedLines;
  /** null when the job writes no FHIR. */
  fhir: { types: PackedFhirType[]; /** resources made per record (0: skipped) */ made: Uint16Array } | null;
  /** The arrays are views of a result slab, reused once the writers are settled (result-slabs.ts): written as borrowed. */
  borrowed?: boolean;
}

/** A Uint32Array that grows as words are set past its end; `words(n)` copies the first n out. */
class WordList {
  private data: Uint32Array;

  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(1, capacity));
  }

  /** The array to write index `last` in, grown (doubling) when needed. */
  reserve(last: number): Uint32Array {
    if (last >= this.data.length) {
      const bigger = new Uint32Array(Math.max(last + 1, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    return this.data;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  /** The first n words (0 where never set), copied to `place`. */
  words(n: number, place: ArrayPlace = FRESH): Uint32Array {
    const out = place.u32(n);
    if (n > 0) out.set(this.reserve(n - 1).subarray(0, n));
    return out;
  }
}

/**
 * Where finish() puts a chunk's arrays: each in a fresh ArrayBuffer of its own (moved to the
 * main thread), or one after the other in a result slab (result-slabs.ts).
 */
export interface ArrayPlace {
  u8(length: number): Uint8Array;
  u16(length: number): Uint16Array;
  u32(length: number): Uint32Array;
}

export const FRESH: ArrayPlace = {
  u8: (length) => new Uint8Array(length),
  u16: (length) => new Uint16Array(length),
  u32: (length) => new Uint32Array(length),
};

/** Bytes an array of `bytes` takes in a slab: each array starts at a multiple of 8. */
export const slabBytes = (bytes: number) => Math.ceil(bytes / 8) * 8;

/**
 * UTF-8 lines in a growing buffer, each ending with '\n', with the byte end of every line kept
 * (lineEnd) for the records' ends. Each line is encoded as it comes (one Buffer.write, which
 * allocates nothing; joining lines into batches first allocated twice the output in strings).
 */
class LineBuilder {
  private buf: Buffer;
  private length = 0;
  private readonly ends = new WordList(256);
  /** Lines added. */
  lines = 0;

  /** role: what the lines are ('csv', 'json', a FHIR resource type), to reuse that role's scratch buffer. */
  constructor(private readonly role: string) {
    this.buf = takeScratch(role);
  }

  add(text: string): void {
    const need = this.length + text.length * 3 + 1;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.length += this.buf.write(text, this.length, 'utf8');
    this.buf[this.length++] = 0x0a;
    this.ends.reserve(this.lines)[this.lines++] = this.length;
  }

  /** Byte offset where line i ends (after its newline). */
  lineEnd(i: number): number {
    return this.ends.at(i);
  }

  /** Every line's end, copied to `place`. */
  lineEnds(place: ArrayPlace = FRESH): Uint32Array {
    return this.ends.words(this.lines, place);
  }

  /** Bytes written so far. */
  get byteLength(): number {
    return this.length;
  }

  /**
   * The bytes written, copied to `place` (a view would clone the whole buffer); the builder's
   * buffer goes back to the thread's scratch buffers, so call it once, last.
   */
  bytes(place: ArrayPlace = FRESH): Uint8Array {
    const bytes = place.u8(this.length);
    bytes.set(this.buf.subarray(0, this.length));
    if (this.buf.length <= MAX_SCRATCH_BYTES && (scratch.has(this.role) || scratch.size < MAX_SCRATCH)) scratch.set(this.role, this.buf);
    return bytes;
  }
}

/**
 * Buffers builders write into, kept by the thread between chunks, one per role: every chunk's
 * bytes are copied out (bytes()), so the same few buffers, grown to the largest chunk's
 * outputs of their kind, serve every chunk instead of each builder growing a new one from
 * 64 KiB, chunk after chunk.
 */
const scratch = new Map<string, Buffer>();
/** Roles kept at most (CSV, NDJSON and a few FHIR types), and the largest buffer kept (a huge record's is dropped). */
const MAX_SCRATCH = 8;
const MAX_SCRATCH_BYTES = 8 * 1024 * 1024;

function takeScratch(role: string): Buffer {
  const buf = scratch.get(role);
  if (!buf) return Buffer.allocUnsafeSlow(64 * 1024);
  // Taken until the builder gives it back: a second builder of the role gets a buffer of its own.
  scratch.delete(role);
  return buf;
}

interface FhirTypeBuilder {
  builder: LineBuilder;
  /** Per record, the type's lines up to and including it. */
  lines: WordList;
  /** Records whose line counts are filled in (the running count holds for records without the type). */
  filled: number;
}

/**
 * Packs accepted records one at a time, as processChunk accepts them (chunk-task's sink): each
 * record's strings are encoded at once and are garbage right away, so a chunk's
 * results never pile up on the thread's heap as strings (what kept the young generation's
 * survivors, and the scavenges' copying, high). Records with a version (medications) are not
 * packed: the caller checks first.
 */
export class RecordPacker {
  private count = 0;
  private readonly rows: WordList;
  private readonly keys: WordList;
  /** 1 per record with a dedup key (kept as words while growing, bytes when finished). */
  private readonly hasDedupKey: WordList;
  private readonly csv = new LineBuilder('csv');
  private readonly json = new LineBuilder('json');
  private readonly types = new Map<string, FhirTypeBuilder>();
  private readonly made: WordList | null;
  private readonly words = new Uint32Array(4);

  /** withFhir: the records come with their FHIR resources ([resourceType, json, ...] each). */
  constructor(withFhir: boolean, expected = 1024) {
    this.rows = new WordList(expected);
    this.keys = new WordList(expected * KEY_WORDS);
    this.hasDedupKey = new WordList(expected);
    this.made = withFhir ? new WordList(expected) : null;
  }

  add(record: AcceptedRecord, fhir: readonly string[] | null): void {
    const i = this.count++;
    this.rows.reserve(i)[i] = record.row;
    const keys = this.keys.reserve(i * KEY_WORDS + KEY_WORDS - 1);
    keys.set(keyWords(record.exactKey, this.words), i * KEY_WORDS);
    if (record.dedupKey !== null) {
      keys.set(keyWords(record.dedupKey, this.words), i * KEY_WORDS + 4);
      this.hasDedupKey.reserve(i)[i] = 1;
    }
    this.csv.add(record.csv);
    this.json.add(record.json);
    if (!this.made) return;
    const resources = fhir ?? [];
    this.made.reserve(i)[i] = Math.min(0xffff, resources.length / 2);
    for (let r = 0; r + 1 < resources.length; r += 2) {
      const resourceType = resources[r]!;
      let type = this.types.get(resourceType);
      // Records before this one had no resource of the type: their line counts stay 0.
      if (!type) this.types.set(resourceType, (type = { builder: new LineBuilder(resourceType), lines: new WordList(64), filled: i }));
      type.builder.add(resources[r + 1]!);
    }
    // Every type's running line count, for this record (records it skipped included).
    for (const type of this.types.values()) {
      const lines = type.lines.reserve(i);
      for (let j = type.filled; j <= i; j++) lines[j] = type.builder.lines;
      type.filled = i + 1;
    }
  }

  /** Bytes finish() puts in a slab (each array rounded up to a multiple of 8). */
  slabBytes(): number {
    const n = this.count;
    let bytes = slabBytes(n * 4) * 3 + slabBytes(n * KEY_WORDS * 4) + slabBytes(n) + slabBytes(this.csv.byteLength) + slabBytes(this.json.byteLength);
    if (this.made) bytes += slabBytes(n * 2);
    for (const type of this.types.values()) bytes += slabBytes(type.builder.byteLength) + slabBytes(n * 4) * 2;
    return bytes;
  }

  /** The packed arrays, each copied to `place` (fresh buffers unless a slab is given; see slabBytes). */
  finish(place: ArrayPlace = FRESH): PackedRecords {
    const n = this.count;
    const hasDedupKey = place.u8(n);
    if (n > 0) hasDedupKey.set(this.hasDedupKey.reserve(n - 1).subarray(0, n));
    let fhir: PackedRecords['fhir'] = null;
    if (this.made) {
      const made = place.u16(n);
      if (n > 0) made.set(this.made.reserve(n - 1).subarray(0, n));
      fhir = { types: [...this.types].map(([resourceType, t]) => fhirType(resourceType, t, n, place)), made };
    }
    // One CSV and one NDJSON line per record: the lines' ends are the records'.
    return {
      count: n,
      rows: this.rows.words(n, place),
      keys: this.keys.words(n * KEY_WORDS, place),
      hasDedupKey,
      csv: { bytes: this.csv.bytes(place), ends: this.csv.lineEnds(place) },
      json: { bytes: this.json.bytes(place), ends: this.json.lineEnds(place) },
      fhir,
    };
  }
}

/** A FHIR type's packed lines: record i's resources end where its last line (lines[i] - 1) ends. */
function fhirType(resourceType: string, type: FhirTypeBuilder, n: number, place: ArrayPlace): PackedFhirType {
  const lines = type.lines.words(n, place);
  const ends = place.u32(n);
  for (let i = 0; i < n; i++) ends[i] = lines[i]! > 0 ? type.builder.lineEnd(lines[i]! - 1) : 0;
  return { resourceType, bytes: type.builder.bytes(place), ends, lines };
}

/**
 * The kept records' lines (keep[i] = 1), in order, as views of `lines.bytes`: one per run of
 * kept records (the whole buffer when every record is kept). Nothing is copied: a copy per chunk
 * and output file was about 1 GB of short-lived buffers in a 1M-row job, and buffers are freed
 * only when the main thread's GC gets round to them, which is what its RSS is made of.
 */
export function keptRuns(lines: PackedLines, keep: Uint8Array): Uint8Array[] {
  const { bytes, ends } = lines;
  const runs: Uint8Array[] = [];
  let runStart = -1;
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    if (keep[i] === 1) {
      if (runStart === -1) runStart = start;
    } else if (runStart !== -1) {
      if (start > runStart) runs.push(bytes.subarray(runStart, start));
      runStart = -1;
    }
    start = end;
  }
  if (runStart !== -1 && start > runStart) runs.push(runStart === 0 && start === bytes.length ? bytes : bytes.subarray(runStart, start));
  return runs;
}

/** Lines of the kept records (from PackedFhirType.lines). */
export function keptLines(lines: Uint32Array, keep: Uint8Array): number {
  let count = 0;
  let before = 0;
  for (let i = 0; i < lines.length; i++) {
    const upTo = lines[i]!;
    if (keep[i] === 1) count += upTo - before;
    before = upTo;
  }
  return count;
}

/** Whether a chunk result carries its accepted records packed (see chunk-task). */
export function packedOf(result: object): PackedRecords | null {
  return (result as { packed?: PackedRecords }).packed ?? null;
}
