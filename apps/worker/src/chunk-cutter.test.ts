import { createRecordSplitter } from '@harmonizer/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createChunkCutter, type Chunk } from './chunk-cutter.js';

/** Feeds `bytes` in pieces of `piece` bytes and returns every chunk, the last one included. */
function cutBytes(bytes: Uint8Array, chunkRows: number, piece: number, maxBytes = Infinity, delimiter: ';' | ',' = ';'): Chunk[] {
  const cutter = createChunkCutter(delimiter, chunkRows, maxBytes);
  const chunks: Chunk[] = [];
  for (let i = 0; i < bytes.length; i += piece) chunks.push(...cutter.push(bytes.subarray(i, i + piece)));
  const last = cutter.flush();
  if (last) chunks.push(last);
  return chunks;
}

const cut = (text: string, chunkRows: number, piece: number, maxBytes = Infinity) => cutBytes(Buffer.from(text), chunkRows, piece, maxBytes);
const textOf = (chunk: Chunk) => Buffer.from(chunk.bytes).toString('utf8');
const plain = (chunks: Chunk[]) => chunks.map((c) => ({ text: textOf(c), firstRow: c.firstRow, records: c.records }));

const DATA = ['a;1\r\n', 'b;"two\r\nlines"\r\n', 'c;"say ""hi""\nnow"\n', 'd;Zoë 4\n', 'e;5'];
/** The same five records, the last one terminated so that the block can repeat. */
const BLOCK = `${DATA.join('')}\n`;

/** The records core's string splitter finds in `text` (fed one character at a time, each record comes out whole). */
function stringRecords(text: string, delimiter: ';' | ','): string[] {
  const splitter = createRecordSplitter(delimiter);
  const records: string[] = [];
  for (const char of text) {
    const whole = splitter.push(char);
    if (whole !== '') records.push(whole);
  }
  const tail = splitter.flush();
  if (tail !== '') records.push(tail);
  return records;
}

describe('chunk cutter (bytes)', () => {
  it('cuts exactly chunkRows whole records, never inside a quoted line break', () => {
    const chunks = cut(DATA.join(''), 2, 1000);
    expect(chunks.map(textOf)).toEqual([DATA[0]! + DATA[1]!, DATA[2]! + DATA[3]!, DATA[4]]);
    expect(chunks.map((c) => [c.firstRow, c.records])).toEqual([[1, 2], [3, 2], [5, 1]]);
  });

  it('gives the same chunks whatever the size of the pieces, a piece ending inside a character included', () => {
    const text = BLOCK.repeat(7);
    const expected = plain(cut(text, 3, text.length));
    for (const piece of [1, 2, 3, 5, 8, 13]) expect(plain(cut(text, 3, piece))).toEqual(expected);
    expect(expected.reduce((sum, c) => sum + c.records, 0)).toBe(35);
    expect(expected.map((c) => c.text).join('')).toBe(text);
  });

  it('numbers rows so that the chunk size does not change which row is which', () => {
    const text = BLOCK.repeat(3);
    const starts = (rows: number) => cut(text, rows, 7).flatMap((c) => Array.from({ length: c.records }, (_, i) => c.firstRow + i));
    expect(starts(1)).toEqual(starts(4));
    expect(starts(1)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('ends a chunk at the record that reaches maxBytes, with the same records and row numbers', () => {
    const text = BLOCK.repeat(40);
    const whole = cut(text, 1000, text.length);
    expect(whole).toHaveLength(1);
    const longest = Math.max(...DATA.map((record) => Buffer.byteLength(record)));
    for (const piece of [1, 7, 64, text.length]) {
      const chunks = cut(text, 1000, piece, 50);
      expect(chunks.length).toBeGreaterThan(3);
      expect(chunks.map(textOf).join('')).toBe(text);
      expect(chunks.reduce((sum, c) => sum + c.records, 0)).toBe(whole[0]!.records);
      chunks.forEach((c, i) => {
        if (i > 0) expect(c.firstRow).toBe(chunks[i - 1]!.firstRow + chunks[i - 1]!.records);
        expect(c.records).toBeGreaterThan(0);
        // The record that reached the cap ends the chunk: never more than one record past it.
        expect(c.bytes.length).toBeLessThan(50 + longest);
      });
      // Where the chunks end does not depend on the pieces.
      expect(plain(chunks)).toEqual(plain(cut(text, 1000, text.length, 50)));
    }
  });

  it('returns nothing for empty data and does not count a final line break as a record', () => {
    expect(cut('', 10, 5)).toEqual([]);
    expect(plain(cut('x;1\n', 10, 5))).toEqual([{ text: 'x;1\n', firstRow: 1, records: 1 }]);
  });

  it('gives each chunk an ArrayBuffer of its own, so it can be moved to a thread', () => {
    const source = Buffer.from(BLOCK.repeat(5));
    const chunks = cutBytes(source, 4, 16);
    for (const chunk of chunks) {
      expect(chunk.bytes.byteOffset).toBe(0);
      expect(chunk.bytes.buffer.byteLength).toBe(chunk.bytes.length);
    }
    // Moving one away (as piscina's transfer list does) leaves the others and the source whole.
    structuredClone(chunks[0]!.bytes, { transfer: [chunks[0]!.bytes.buffer] });
    expect(chunks[0]!.bytes.length).toBe(0);
    expect(chunks.slice(1).map(textOf).join('')).toBe(BLOCK.repeat(5).slice(textOf(cutBytes(source, 4, 16)[0]!).length));
  });

  it('finds the records core\'s string splitter finds, on any text and any cut of its bytes', () => {
    const piece = fc.constantFrom('a', 'é', '😀', ',', ';', '"', '""', '\n', '\r\n', '\r', ' ', 'x1');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom(';', ','), (parts, size, delimiter) => {
        const text = parts.join('');
        const records = cutBytes(Buffer.from(text), 1, size, Infinity, delimiter as ';' | ',').map(textOf);
        expect(records).toEqual(stringRecords(text, delimiter as ';' | ','));
      }),
      { numRuns: 500 },
    );
  });
});
