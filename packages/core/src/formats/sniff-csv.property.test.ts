import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { DELIMITERS, sniffCsv } from './sniff-csv.js';

/** The outcome contract: a dialect, or an InputError; anything else thrown is a bug. */
function sniffOutcome(sample: string, final: boolean) {
  try {
    return sniffCsv(sample, final);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

/** Cells that stress CSV: quotes, separators, line breaks, spaces, non-ASCII, formula starts. */
const cell = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('', '"', '""', 'a,b', 'a;b', 'x\ny', 'x\r\ny', '  ', '\t', 'é', '=1+1', 'N/A', '\u0000', '\uFEFF'),
);

/** A CSV text of random shape: any delimiter, LF or CRLF, quoted or not, ragged rows, sometimes a broken quote. */
const csvText = fc
  .record({
    delimiter: fc.constantFrom(...DELIMITERS),
    eol: fc.constantFrom('\n', '\r\n'),
    quoteAll: fc.boolean(),
    breakQuote: fc.boolean(),
    rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 8 }), { maxLength: 15 }),
  })
  .map(({ delimiter, eol, quoteAll, breakQuote, rows }) => {
    const quote = (value: string) =>
      quoteAll || /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
    const text = rows.map((row) => row.map(quote).join(delimiter)).join(eol);
    return breakQuote ? text.replace(/"([^"]*)$/, '$1') : text;
  });

describe('sniffCsv on hostile input (property)', () => {
  it('answers a dialect or an InputError for any string, final or not', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), csvText), fc.boolean(), (sample, final) => {
        const outcome = sniffOutcome(sample, final);
        if (outcome instanceof InputError) return;
        expect(DELIMITERS).toContain(outcome.delimiter);
        expect(outcome.dataOffset).toBeGreaterThanOrEqual(0);
        expect(outcome.dataOffset).toBeLessThanOrEqual(sample.length);
        expect(outcome.header.some((name) => name !== '')).toBe(true);
      }),
      { numRuns: 250 },
    );
  });

  it('refuses empty and blank input as input.empty', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ \t\r\n]{0,20}$/), fc.boolean(), (sample, final) => {
        const outcome = sniffOutcome(sample, final);
        expect(outcome).toBeInstanceOf(InputError);
        expect((outcome as InputError).code).toBe('input.empty');
      }),
    );
  });

  it('reads a header-only file as a dialect whose data starts at the end', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _]{0,12}$/), { minLength: 2, maxLength: 10 }),
        fc.constantFrom(...DELIMITERS),
        fc.constantFrom('', '\n', '\r\n'),
        (names, delimiter, eol) => {
          const text = names.join(delimiter) + eol;
          const outcome = sniffOutcome(text, true);
          if (outcome instanceof InputError) return;
          expect(outcome.dataOffset).toBe(text.length);
        },
      ),
    );
  });

  it('refuses a first line longer than the sample as input.no_header', () => {
    const line = 'x'.repeat(2 * 1024 * 1024);
    const outcome = sniffOutcome(line.slice(0, 64 * 1024), false);
    expect(outcome).toBeInstanceOf(InputError);
    expect((outcome as InputError).code).toBe('input.no_header');
  });
});
