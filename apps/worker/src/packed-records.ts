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
}

/** Appends UTF-8 text to a growing buffer. */
class ByteBuilder {
  private buf = Buffer.allocUnsafeSlow(64 * 1024);
  length = 0;

  add(text: string): void {
    const need = this.length + text.length * 3 + 1;
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.length += this.buf.write(text, this.length, 'utf8');
    this.buf[this.length++] = 0x0a;
  }

  /** The bytes written, in an ArrayBuffer of their own (a view would clone the whole buffer). */
  bytes(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.length));
  }
}

/**
 * Packs accepted records (with their FHIR resources when `fhir` is given: [resourceType, json,
 * ...] per record, as chunk-task makes them). Records with a version (medications) are not
 * packed: the caller checks canPack first.
 */
export function packRecords(records: readonly AcceptedRecord[], fhir: readonly (readonly string[])[] | null): PackedRecords {
  const count = records.length;
  const rows = new Uint32Array(count);
  const keys = new Uint32Array(count * KEY_WORDS);
  const hasDedupKey = new Uint8Array(count);
  const csv = new ByteBuilder();
  const json = new ByteBuilder();
  const csvEnds = new Uint32Array(count);
  const jsonEnds = new Uint32Array(count);
  const words = new Uint32Array(4);
  const types = new Map<string, { builder: ByteBuilder; ends: Uint32Array; lines: Uint32Array; count: number }>();
  const made = fhir ? new Uint16Array(count) : null;
  for (let i = 0; i < count; i++) {
    const record = records[i]!;
    rows[i] = record.row;
    keys.set(keyWords(record.exactKey, words), i * KEY_WORDS);
    if (record.dedupKey !== null) {
      keys.set(keyWords(record.dedupKey, words), i * KEY_WORDS + 4);
      hasDedupKey[i] = 1;
    }
    csv.add(record.csv);
    csvEnds[i] = csv.length;
    json.add(record.json);
    jsonEnds[i] = json.length;
    const resources = fhir?.[i];
    if (resources && made) {
      made[i] = Math.min(0xffff, resources.length / 2);
      for (let r = 0; r + 1 < resources.length; r += 2) {
        const resourceType = resources[r]!;
        let type = types.get(resourceType);
        if (!type) {
          type = { builder: new ByteBuilder(), ends: new Uint32Array(count), lines: new Uint32Array(count), count: 0 };
          types.set(resourceType, type);
        }
        type.builder.add(resources[r + 1]!);
        type.count++;
      }
    }
    // Every type's running end and line count, for this record (most records add to one type).
    for (const type of types.values()) {
      type.ends[i] = type.builder.length;
      type.lines[i] = type.count;
    }
  }
  return {
    count,
    rows,
    keys,
    hasDedupKey,
    csv: { bytes: csv.bytes(), ends: csvEnds },
    json: { bytes: json.bytes(), ends: jsonEnds },
    fhir: made
      ? {
          types: [...types].map(([resourceType, t]) => ({ resourceType, bytes: t.builder.bytes(), ends: t.ends, lines: t.lines })),
          made,
        }
      : null,
  };
}

/** True when the records can be packed: none carries a version (that needs the record objects). */
export const canPack = (records: readonly AcceptedRecord[]) => records.every((r) => r.version === undefined);

/**
 * The bytes of the kept records' lines (keep[i] = 1), in order: the whole buffer when every
 * record is kept, else the kept runs copied into one buffer.
 */
export function keptBytes(lines: PackedLines, keep: Uint8Array): Uint8Array {
  const { bytes, ends } = lines;
  const runs: Uint8Array[] = [];
  let total = 0;
  let runStart = -1;
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    if (keep[i] === 1) {
      if (runStart === -1) runStart = start;
    } else if (runStart !== -1) {
      if (start > runStart) runs.push(bytes.subarray(runStart, start));
      total += start - runStart;
      runStart = -1;
    }
    start = end;
  }
  if (runStart !== -1 && start > runStart) {
    runs.push(bytes.subarray(runStart, start));
    total += start - runStart;
  }
  if (runs.length === 1 && total === bytes.length) return bytes;
  return runs.length === 1 ? runs[0]! : Buffer.concat(runs, total);
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
