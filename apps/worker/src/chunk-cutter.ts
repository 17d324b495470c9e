import { createRecordSplitter, type CsvDialect } from '@harmonizer/core';

export interface Chunk {
  /** Whole records, each with its terminator (the last one of the file may lack it). */
  text: string;
  /** Data record number of the first record in `text` (1-based). */
  firstRow: number;
  records: number;
}

export interface ChunkCutter {
  /** Takes decoded text in any pieces; returns the chunks of exactly `chunkRows` records it completed. */
  push(text: string): Chunk[];
  /** The last, shorter chunk (or null when nothing is left). */
  flush(): Chunk | null;
}

/**
 * Cuts the data part of a CSV into chunks of `chunkRows` whole records and numbers them before
 * any parsing, so every ChunkTask carries its exact firstRow and row numbers do not depend on
 * the chunk size. Core's quote-aware record splitter does the reading (the same reading
 * processChunk's parser follows): a quoted line break never splits a record, blank lines count
 * as records, and the counts agree with the parser's. Text reaches the splitter in pieces that
 * cannot complete more records than the current chunk still needs, so a chunk ends exactly
 * where it should.
 */
export function createChunkCutter(delimiter: CsvDialect['delimiter'], chunkRows: number): ChunkCutter {
  const splitter = createRecordSplitter(delimiter);
  let parts: string[] = [];
  let rowsBefore = 0;

  const take = (): Chunk => {
    const records = splitter.records - rowsBefore;
    const chunk = { text: parts.join(''), firstRow: rowsBefore + 1, records };
    rowsBefore = splitter.records;
    parts = [];
    return chunk;
  };

  return {
    push(text) {
      const chunks: Chunk[] = [];
      let start = 0;
      while (start < text.length) {
        // A record holds at least one line feed, so a piece with no more line feeds than the
        // chunk still needs cannot complete more records than that.
        let missing = chunkRows - (splitter.records - rowsBefore);
        let end = start;
        while (missing > 0 && end < text.length) {
          const lineFeed = text.indexOf('\n', end);
          end = lineFeed < 0 ? text.length : lineFeed + 1;
          missing -= 1;
        }
        const whole = splitter.push(start === 0 && end === text.length ? text : text.slice(start, end));
        if (whole !== '') parts.push(whole);
        if (splitter.records - rowsBefore >= chunkRows) chunks.push(take());
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
