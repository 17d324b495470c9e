import { createScanState, scanRecordBytes, type CsvDialect } from '@harmonizer/core';

export interface Chunk {
  /**
   * Whole records, each with its terminator (the last one of the file may lack it), as UTF-8
   * (or Windows-1252 bytes among it: see text-source.ts) in an ArrayBuffer of their own, so the
   * chunk is moved to a pool thread, not copied.
   */
  bytes: Uint8Array;
  /** Data record number of the first record in `bytes` (1-based). */
  firstRow: number;
  records: number;
}

/**
 * Bytes of CSV per chunk at most (bar one record longer than that): a chunk's text, its parsed
 * rows and its results are what a worker holds per chunk in flight, so with wide rows a chunk of
 * CHUNK_ROWS records would make the worker's memory grow with the row width. 128 KiB are ~880
 * rows of the issue-6 file: chunks that small cost no more CPU per row, and they took the
 * worker's peak RSS (200k rows, 2 threads) from 495 MB with 5,000-row chunks to ~345 MB with
 * 1,000 (bench/README.md, "Round 2").
 */
export const MAX_CHUNK_BYTES = 128 * 1024;

export interface ChunkCutter {
  /** Takes the bytes in any pieces; returns the chunks of `chunkRows` records (or `maxBytes` bytes) it completed. */
  push(bytes: Uint8Array): Chunk[];
  /** The last, shorter chunk (or null when nothing is left). */
  flush(): Chunk | null;
}

/**
 * Cuts the data part of a CSV, as bytes, into chunks of `chunkRows` whole records (fewer when the
 * chunk reaches `maxBytes` first: wide rows make big chunks) and numbers them before any
 * parsing, so every chunk task carries its exact firstRow and row numbers do not depend on the
 * chunk size. Core's quote-aware byte scanner does the reading (the reading processChunk's
 * parser follows, see scanRecordBytes): a quoted line break never splits a record, blank lines
 * count as records, and the counts agree with the parser's. The main thread neither decodes nor
 * builds strings here: each chunk is one copy of its bytes, decoded by the thread that runs it.
 */
export function createChunkCutter(delimiter: CsvDialect['delimiter'], chunkRows: number, maxBytes = Infinity): ChunkCutter {
  const state = createScanState();
  const cuts: number[] = [];
  /** Bytes of the chunk being gathered that came in earlier pieces (views of them). */
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  /** Whole records among the held bytes. */
  let records = 0;
  /** Bytes came in since the last record's end (an unterminated record, so far). */
  let open = false;
  let rowsBefore = 0;

  /** The held bytes and `piece`'s first `end` bytes, copied into one new buffer. */
  const take = (piece: Uint8Array, end: number, count: number): Chunk => {
    const bytes = new Uint8Array(heldBytes + end);
    let at = 0;
    for (const part of held) {
      bytes.set(part, at);
      at += part.length;
    }
    bytes.set(piece.subarray(0, end), at);
    held = [];
    heldBytes = 0;
    const chunk = { bytes, firstRow: rowsBefore + 1, records: count };
    rowsBefore += count;
    return chunk;
  };

  return {
    push(input) {
      if (input.length === 0) return [];
      const buffer = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      cuts.length = 0;
      scanRecordBytes(state, buffer, delimiter, cuts);
      open = cuts.length === 0 || cuts[cuts.length - 1]! < buffer.length;
      const chunks: Chunk[] = [];
      let start = 0;
      let pending = records; // records of the current chunk before this piece
      for (let k = 0; k < cuts.length; k++) {
        const end = cuts[k]!;
        pending += 1;
        if (pending >= chunkRows || heldBytes + end - start >= maxBytes) {
          chunks.push(take(buffer.subarray(start), end - start, pending));
          pending = 0;
          start = end;
        }
      }
      records = pending;
      if (start < buffer.length) {
        // The rest waits for more: a view of the piece, copied once when its chunk is taken.
        const rest = buffer.subarray(start);
        held.push(rest);
        heldBytes += rest.length;
      }
      return chunks;
    },
    flush() {
      if (heldBytes === 0) return null;
      const chunk = take(new Uint8Array(0), 0, records + (open ? 1 : 0));
      records = 0;
      open = false;
      return chunk;
    },
  };
}
