import { describe, expect, it } from 'vitest';
import { createChunkCutter, type Chunk } from './chunk-cutter.js';

/** Feeds `text` in pieces of `piece` characters and returns every chunk, the last one included. */
function cut(text: string, chunkRows: number, piece: number): Chunk[] {
  const cutter = createChunkCutter(';', chunkRows);
  const chunks: Chunk[] = [];
  for (let i = 0; i < text.length; i += piece) chunks.push(...cutter.push(text.slice(i, i + piece)));
  const last = cutter.flush();
  if (last) chunks.push(last);
  return chunks;
}

const DATA = ['a;1\r\n', 'b;"two\r\nlines"\r\n', 'c;"say ""hi""\nnow"\n', 'd;4\n', 'e;5'];
/** The same five records, the last one terminated so that the block can repeat. */
const BLOCK = `${DATA.join('')}\n`;

describe('chunk cutter', () => {
  it('cuts exactly chunkRows whole records, never inside a quoted line break', () => {
    const chunks = cut(DATA.join(''), 2, 1000);
    expect(chunks.map((c) => c.text)).toEqual([DATA[0]! + DATA[1]!, DATA[2]! + DATA[3]!, DATA[4]]);
    expect(chunks.map((c) => [c.firstRow, c.records])).toEqual([[1, 2], [3, 2], [5, 1]]);
  });

  it('gives the same chunks whatever the size of the pieces it is fed', () => {
    const text = BLOCK.repeat(7);
    const expected = cut(text, 3, text.length);
    for (const piece of [1, 2, 3, 5, 8, 13]) expect(cut(text, 3, piece)).toEqual(expected);
    expect(expected.reduce((sum, c) => sum + c.records, 0)).toBe(35);
  });

  it('numbers rows so that the chunk size does not change which row is which', () => {
    const text = BLOCK.repeat(3);
    const starts = (rows: number) => cut(text, rows, 7).flatMap((c) => Array.from({ length: c.records }, (_, i) => c.firstRow + i));
    expect(starts(1)).toEqual(starts(4));
    expect(starts(1)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('ends a chunk early when its text reaches maxChars, with the same records and row numbers', () => {
    const text = BLOCK.repeat(40);
    const capped = (piece: number) => {
      const cutter = createChunkCutter(';', 1000, 50);
      const chunks: Chunk[] = [];
      for (let i = 0; i < text.length; i += piece) chunks.push(...cutter.push(text.slice(i, i + piece)));
      const last = cutter.flush();
      if (last) chunks.push(last);
      return chunks;
    };
    const whole = cut(text, 1000, text.length);
    expect(whole).toHaveLength(1);
    for (const piece of [1, 7, 64, text.length]) {
      const chunks = capped(piece);
      expect(chunks.length).toBeGreaterThan(3);
      expect(chunks.map((c) => c.text).join('')).toBe(text);
      expect(chunks.reduce((sum, c) => sum + c.records, 0)).toBe(whole[0]!.records);
      // Each chunk starts where the previous one ended, and none is much longer than the cap.
      chunks.forEach((c, i) => {
        if (i > 0) expect(c.firstRow).toBe(chunks[i - 1]!.firstRow + chunks[i - 1]!.records);
        expect(c.records).toBeGreaterThan(0);
      });
      if (piece < 64) for (const c of chunks) expect(c.text.length).toBeLessThan(50 + 30);
    }
  });

  it('returns nothing for empty data and does not count a final line break as a record', () => {
    expect(cut('', 10, 5)).toEqual([]);
    expect(cut('x;1\n', 10, 5)).toEqual([{ text: 'x;1\n', firstRow: 1, records: 1 }]);
  });
});
