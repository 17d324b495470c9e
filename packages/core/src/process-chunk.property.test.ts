import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { harmonizeText } from './harmonize-text.js';
import { InputError } from './input-error.js';
import { matchHeaders } from './mapping/match-headers.js';
import { processChunk } from './process-chunk.js';
import type { ChunkResult } from './types.js';

const REFERENCE_DATE = '2025-06-15';
const HEADER = ['MRN', 'First Name', 'Last Name', 'DOB', 'Sex', 'ZIP', 'Phone', 'Email'];

/** The outcome contract of the engine: a result, or an InputError; anything else thrown is a bug. */
function outcome<T>(run: () => T): T | InputError {
  try {
    return run();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

/** Every row in is accounted for once, and every line written is valid JSON. */
function expectConsistent(chunk: ChunkResult) {
  expect(chunk.stats.rowsIn).toBe(chunk.accepted.length + chunk.rejects.length);
  expect(chunk.stats.rowsRejected).toBe(chunk.rejects.length);
  for (const record of chunk.accepted) expect(() => JSON.parse(record.json)).not.toThrow();
  for (const line of chunk.rejects) expect(() => JSON.parse(line)).not.toThrow();
  const rows = chunk.accepted.map((record) => record.row);
  expect([...rows].sort((a, b) => a - b)).toEqual(rows);
}

const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', '"', 'a"b', 'x\ny', '01/02/1980', '1980-02-30', 'M', 'female', '02134', '+1 (617) 555-0100', 'a@b', '=cmd', 'N/A'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

/** Patients rows of random shape (ragged, quoted, unquoted, broken quotes) under a real header. */
const patientsText = fc
  .record({
    eol: fc.constantFrom('\n', '\r\n'),
    breakQuote: fc.boolean(),
    rows: fc.array(fc.array(cell, { minLength: 0, maxLength: 10 }), { maxLength: 25 }),
  })
  .map(({ eol, breakQuote, rows }) => {
    const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    const body = rows.map((row) => row.map(quote).join(',')).join(eol);
    const text = `${HEADER.join(',')}${eol}${body}`;
    return breakQuote ? text.replace(/"([^"]*)$/, '$1') : text;
  });

describe('the engine on hostile input (property)', () => {
  it('turns random patients rows into a consistent result or an InputError', () => {
    fc.assert(
      fc.property(patientsText, (text) => {
        const result = outcome(() => harmonizeText(text, { dataset: 'patients', referenceDate: REFERENCE_DATE }));
        if (!(result instanceof InputError)) expectConsistent(result.chunk);
      }),
      { numRuns: 200 },
    );
  });

  it('turns any text, detected or named, into a result or an InputError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 })),
        fc.constantFrom(undefined, 'patients'),
        (text, dataset) => {
          const result = outcome(() => harmonizeText(text, { ...(dataset ? { dataset } : {}), referenceDate: REFERENCE_DATE }));
          if (!(result instanceof InputError)) expectConsistent(result.chunk);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a zero-byte file and completes a header-only file with no rows', () => {
    expect((outcome(() => harmonizeText('')) as InputError).code).toBe('input.empty');
    const headerOnly = outcome(() => harmonizeText(`${HEADER.join(',')}\r\n`, { dataset: 'patients' }));
    expect(headerOnly).not.toBeInstanceOf(InputError);
    expect((headerOnly as Exclude<typeof headerOnly, InputError>).chunk.stats.rowsIn).toBe(0);
  });

  it('processes rows with huge fields, quoted line breaks included, without losing a row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 1_000_000 }), fc.constantFrom('x', 'a b,"c"\n'), (size, unit) => {
        const huge = unit.repeat(Math.ceil(size / unit.length));
        const text = `${HEADER.join(',')}\n1,"${huge.replace(/"/g, '""')}",Lee,1980-01-02,F,02134,,\n2,Ann,Lee,1980-01-02,F,02134,,\n`;
        const result = outcome(() => harmonizeText(text, { dataset: 'patients', referenceDate: REFERENCE_DATE }));
        expect(result).not.toBeInstanceOf(InputError);
        const { chunk } = result as Exclude<typeof result, InputError>;
        expectConsistent(chunk);
        expect(chunk.stats.rowsIn).toBe(2);
      }),
      { numRuns: 4 },
    );
  });

  it('reads JSON records nested a little as a result', () => {
    expectNestedRecordsRead(fc.integer({ min: 1, max: 500 }));
  });

  // Deeper than about 4,000 levels JSON.stringify overflows the stack: such a record must come
  // out as a rejected row (or an InputError), never as a RangeError the worker would retry.
  it('reads deeply nested JSON records as a result, never a stack overflow', () => {
    expectNestedRecordsRead(fc.integer({ min: 5_000, max: 60_000 }));
  });
});

/** NDJSON records with one value nested `depth` levels deep (arrays or objects) read as a result or an InputError. */
function expectNestedRecordsRead(depths: fc.Arbitrary<number>) {
  const mapping = matchHeaders(['MRN', 'First Name', 'payload'], 'patients');
  fc.assert(
    fc.property(depths, fc.constantFrom('array', 'object'), (depth, kind) => {
      const nested = kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const text = `{"MRN":"1","First Name":"Ann","payload":${nested}}\n{"MRN":"2","First Name":"Bo"}`;
      const result = outcome(() =>
        processChunk({ dataset: 'patients', delimiter: ',', mapping, format: 'records', text, firstRow: 1, options: {}, referenceDate: REFERENCE_DATE }),
      );
      if (!(result instanceof InputError)) expectConsistent(result);
    }),
    { numRuns: 10 },
  );
}
