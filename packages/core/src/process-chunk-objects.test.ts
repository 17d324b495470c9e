import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchHeaders } from './mapping/match-headers.js';
import { processChunk } from './process-chunk.js';
import type { AcceptedRecord } from './types.js';
import { csvLine } from './writers/csv-line.js';
import { recordJson, recordObject } from './writers/record-json.js';

// Unmapped columns (they become extras) with keys an object treats specially.
const HEADER = ['MRN', 'First Name', 'Last Name', 'DOB', 'Sex', 'Phone', '__proto__', 'toString', '1', 'Notes'];

const cell = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('', 'P1', '01/02/1980', '1980-02-30', 'M', 'female', '(617) 555-0100', 'Zoë', '李', 'x\ny', '{"a":1}'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

describe('processChunk objects', () => {
  it('hands out, per accepted record, the object its JSON line was made from (equal to parsing the line)', () => {
    let seen = 0;
    let withExtras = 0;
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: HEADER.length, maxLength: HEADER.length }), { minLength: 1, maxLength: 20 }), fc.boolean(), (rows, deidentify) => {
        const task = {
          dataset: 'patients' as const,
          delimiter: ',' as const,
          mapping: matchHeaders(HEADER, 'patients'),
          text: rows.map((r) => csvLine(r)).join('\n') + '\n',
          firstRow: 1,
          options: deidentify ? { deidentify: true } : {},
          referenceDate: '2025-06-15',
          deidentifySalt: 'salt',
        };
        const objects: Record<string, unknown>[] = [];
        const sunk: AcceptedRecord[] = [];
        const streamed = processChunk(task, (record, object) => {
          sunk.push(record);
          objects.push(object);
        });
        const result = processChunk(task);
        // With a sink the records go there, in order, and nothing else changes.
        expect(streamed.accepted).toEqual([]);
        expect(sunk).toEqual(result.accepted);
        expect(streamed.rejects).toEqual(result.rejects);
        expect(streamed.stats).toEqual(result.stats);
        expect(objects).toHaveLength(result.accepted.length);
        seen += objects.length;
        withExtras += objects.filter((o) => o.extras !== undefined).length;
        result.accepted.forEach((record, i) => {
          expect(JSON.stringify(objects[i])).toBe(record.json);
          expect(objects[i]).toStrictEqual(JSON.parse(record.json));
        });
      }),
      { numRuns: 300 },
    );
    expect(seen).toBeGreaterThan(100);
    expect(withExtras).toBeGreaterThan(50);
  });

  it('recordJson is JSON.stringify of recordObject', () => {
    const record = { a: 'x', b: null };
    expect(recordJson(['a', 'b', 'c'], record, { k: 'v' }, 3)).toBe(JSON.stringify(recordObject(['a', 'b', 'c'], record, { k: 'v' }, 3)));
    expect(recordObject(['a', 'b', 'c'], record, null, 3)).toStrictEqual({ a: 'x', b: null, c: null, _row: 3 });
  });
});
