import { createRecordSplitter, type CsvDialect } from '@harmonizer/core';

export interface Chunk {
  /** Whole records, each with its terminator (the last one of the file may lack it). */
  text: string;
  /** Data record number of the first record in `text` (1-based). */
  firstRow: number;
  records: number;
}

/**
 * Characters of CSV text per chunk at most (bar one record longer than that): a chunk's text,
 * its parsed rows and its results are what a worker holds per chunk in flight, so with wide
 * rows a chunk of CHUNK_ROWS records would make the worker's memory grow with the row width.
 * 128 Ki characters are ~880 rows of the issue-6 file: chunks that small cost no more CPU per
 * row, and they took the worker's peak RSS (200k rows, 2 threads) from 495 MB with 5,000-row
 * chunks to ~345 MB with 1,000 (bench/README.md, "Round 2").
 */
export const MAX_CHUNK_CHARS = 128 * 1024;

/** Lines fed to the splitter at a time when a character cap applies, so a chunk overshoots it by little. */
const LINES_PER_STEP = 64;

export interface ChunkCutter {
  /** Takes decoded text in any pieces; returns the chunks of `chunkRows` records (or `maxChars` characters) it completed. */
  push(text: string): Chunk[];
  /** The last, shorter chunk (or null when nothing is left). */
  flush(): Chunk | null;
}

/**
 * Cuts the data part of a CSV into chunks of `chunkRows` whole records (fewer when the chunk's
 * text reaches `maxChars` first: wide rows make big chunks) and numbers them before
 * any parsing, so every ChunkTask carries its exact firstRow and row numbers do not depend on
 * the chunk size. Core's quote-aware record splitter does the reading (the same reading
 * processChunk's parser follows): a quoted line break never splits a record, blank lines count
 * as records, and the counts agree with the parser's. Text reaches the splitter in pieces that
 * cannot complete more records than the current chunk still needs, so a chunk ends exactly
 * where it should. (Where a chunk capped by `maxChars` ends also depends on the pieces, by up
 * to LINES_PER_STEP records: outputs do not, since rows are numbered here and the results are
 * merged in order whatever the chunk sizes.)
 */
export function createChunkCutter(delimiter: CsvDialect['delimiter'], chunkRows: number, maxChars = Infinity): ChunkCutter {
  const splitter = createRecordSplitter(delimiter);
  let parts: string[] = [];
  let chars = 0;
  let rowsBefore = 0;
  const step = Number.isFinite(maxChars) ? LINES_PER_STEP : Infinity;

  const take = (): Chunk => {
    const records = splitter.records - rowsBefore;
    const chunk = { text: parts.join(''), firstRow: rowsBefore + 1, records };
    rowsBefore = splitter.records;
    parts = [];
    chars = 0;
    return chunk;
  };

  return {
    push(text) {
      const chunks: Chunk[] = [];
      let start = 0;
      while (start < text.length) {
        // A record holds at least one line feed, so a piece with no more line feeds than the
        // chunk still needs cannot complete more records than that.
        let missing = Math.min(step, chunkRows - (splitter.records - rowsBefore));
        let end = start;
        while (missing > 0 && end < text.length) {
          const lineFeed = text.indexOf('\n', end);
          end = lineFeed < 0 ? text.length : lineFeed + 1;
          missing -= 1;
        }
        const whole = splitter.push(start === 0 && end === text.length ? text : text.slice(start, end));
        if (whole !== '') {
          parts.push(whole);
          chars += whole.length;
        }
        const records = splitter.records - rowsBefore;
        if (records >= chunkRows || (chars >= maxChars && records > 0)) chunks.push(take());
        start = end;
      }
      return chunks;
    },
    flush() {
      const tail = splitter.flush();
      if (tail !== '') parts.push(tail);
      return parts.length === 0 ? null : take();
    },
  };
}
