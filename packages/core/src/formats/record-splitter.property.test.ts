import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DELIMITERS } from './sniff-csv.js';
import { createRecordSplitter } from './record-splitter.js';

/** CSV-ish text rich in what the splitter must get right: quotes, separators, CR, LF. */
const csvish = fc
  .array(fc.oneof(fc.constantFrom('"', '""', ',', ';', '\t', '|', '\n', '\r\n', '\r', 'a', 'bc', ' ', 'é', '\u2028'), fc.string({ maxLength: 5 })), {
    maxLength: 80,
  })
  .map((parts) => parts.join(''));

/** Cut points dividing `text` into pieces, as network reads would. */
const piecesOf = (text: string, cuts: number[]) => {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(text.slice(from, point));
    from = point;
  }
  pieces.push(text.slice(from));
  return pieces;
};

function split(pieces: string[], delimiter?: (typeof DELIMITERS)[number]) {
  const splitter = createRecordSplitter(delimiter);
  const out = pieces.map((piece) => splitter.push(piece));
  const rest = splitter.flush();
  return { out, rest, records: splitter.records };
}

describe('record splitter on hostile input (property)', () => {
  it('loses and repeats nothing, however the text is cut into pieces', () => {
    fc.assert(
      fc.property(fc.oneof(csvish, fc.string({ unit: 'binary', maxLength: 200 })), fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const { out, rest } = split(piecesOf(text, cuts));
        expect(out.join('') + rest).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts at the same record boundaries whatever the pieces, with or without a known delimiter', () => {
    fc.assert(
      fc.property(csvish, fc.array(fc.nat(), { maxLength: 12 }), fc.option(fc.constantFrom(...DELIMITERS), { nil: undefined }), (text, cuts, delimiter) => {
        const whole = split([text], delimiter);
        const pieced = split(piecesOf(text, cuts), delimiter);
        expect(pieced.records).toBe(whole.records);
        expect(pieced.rest).toBe(whole.rest);
      }),
      { numRuns: 300 },
    );
  });

  it('holds a huge quoted field with line breaks as one record, in linear time', () => {
    const field = `"${'line one, "" quoted\n'.repeat(100_000)}"`;
    const text = `a,b\n1,${field}\n2,x\n`;
    const { out, rest, records } = split(piecesOf(text, Array.from({ length: 400 }, (_, i) => i * 5_003)), ',');
    expect(out.join('') + rest).toBe(text);
    expect(records).toBe(3);
  });

  it('returns nothing for zero bytes', () => {
    expect(split([''])).toEqual({ out: [''], rest: '', records: 0 });
  });
});
