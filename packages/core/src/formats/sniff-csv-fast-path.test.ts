import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { DELIMITERS, parseCells, sniffCsv, sniffCsvReference, splitCells } from './sniff-csv.js';
import { stripBom } from './strip-bom.js';

/** A value or the InputError code: the fast path must answer exactly what csv-parse answers. */
function outcome<T>(fn: () => T): T | { inputError: string } {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InputError) return { inputError: err.code };
    throw err;
  }
}

const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('', ' ', '  x ', '"', '""', 'a"b', '\t', 'é', '\uFEFF', '\uFEFFId', '\uD800', '\uDC00x', '😀', '\u0000', '\u2028', '\n', '\r'),
);
/** Quoted the way a writer quotes (always, when needed, or never), sometimes with a stray character after a closing quote. */
const quotedLine = fc
  .record({
    cells: fc.array(cell, { minLength: 1, maxLength: 10 }),
    delimiter: fc.constantFrom(...DELIMITERS),
    quoting: fc.constantFrom('all', 'needed', 'some'),
    stray: fc.option(fc.constantFrom(' ', 'x', '"', ',', ';')),
  })
  .map(({ cells, delimiter, quoting, stray }) => {
    const line = cells
      .map((value, i) =>
        quoting === 'all' || /["\r\n]/.test(value) || value.includes(delimiter) || (quoting === 'some' && i % 2 === 0)
          ? `"${value.replace(/"/g, '""')}"`
          : value,
      )
      .join(delimiter);
    if (stray === null) return line;
    const at = line.indexOf('"', 1);
    return at < 0 ? line + stray : line.slice(0, at + 1) + stray + line.slice(at + 1);
  });
/** Short strings over the characters that matter (quotes, every delimiter, spaces, a BOM): dense in edge cases. */
const edgyLine = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', '"', ',', ';', '\t', '|', '\uFEFF', '\n', '\r'), maxLength: 24 });
const line = fc.oneof(
  quotedLine,
  edgyLine,
  fc.tuple(fc.array(cell, { maxLength: 10 }), fc.constantFrom(...DELIMITERS, ' ')).map(([cells, sep]) => cells.join(sep)),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

/** CSV texts of random shape (as in sniff-csv.property.test.ts), quoted or not, title rows or not. */
const csvText = fc
  .record({
    delimiter: fc.constantFrom(...DELIMITERS),
    eol: fc.constantFrom('\n', '\r\n'),
    quoteAll: fc.boolean(),
    titles: fc.array(fc.constantFrom('Patient list', 'Exported 2024-01-02,,,,', '', ',,,', 'Report;;'), { maxLength: 3 }),
    rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 8 }), { maxLength: 15 }),
  })
  .map(({ delimiter, eol, quoteAll, titles, rows }) => {
    const quote = (value: string) =>
      quoteAll || /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
    return [...titles, ...rows.map((row) => row.map(quote).join(delimiter))].join(eol);
  });

describe('splitCells (fast path) against csv-parse', () => {
  it('answers the same cells, or the same InputError, for any record and delimiter', () => {
    fc.assert(
      fc.property(line, fc.constantFrom(...DELIMITERS), (text, delimiter) => {
        expect(outcome(() => splitCells(text, delimiter))).toEqual(outcome(() => parseCells(text, delimiter)));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['', ','],
    [' ', ','],
    [',,,', ','],
    ['\uFEFFId, Name ,DOB', ','],
    ['a;b;;', ';'],
    ['a\tb\t', '\t'],
    ['x|y', '|'],
    ['\uD800,a', ','],
    ['a,"b,c",d', ','],
    ['"a""b",""', ','],
    ['"abc"""', ','],
    ['"x";"y";', ';'],
    ['"x" ,y', ','],
    ['"x"y,z', ','],
    ['a"b,c', ','],
    ['"open,c', ','],
    [' "x",y', ','],
    ['"",', ','],
    ['a,"b\nc",d', ','],
    ['a,"b\r\nc"', ','],
    ['a,b\nc', ','],
    ['"a"\n,b', ','],
  ] as const)('agrees on %j split by %j', (text, delimiter) => {
    expect(outcome(() => splitCells(text, delimiter))).toEqual(outcome(() => parseCells(text, delimiter)));
  });
});

describe('sniffCsv (fast path) against sniffCsvReference (csv-parse for every record)', () => {
  it('answers the same dialect or InputError on generated files, final or not', () => {
    fc.assert(
      fc.property(fc.oneof(csvText, fc.string({ maxLength: 300 })), fc.boolean(), (text, final) => {
        expect(outcome(() => sniffCsv(text, final))).toEqual(outcome(() => sniffCsvReference(text, final)));
      }),
      { numRuns: 1500 },
    );
  });

  const repo = fileURLToPath(new URL('../../../../', import.meta.url));
  const external = join(repo, '../shared/data/external');
  const roots = [join(repo, 'test/fixtures'), ...(existsSync(external) ? [external] : [])];
  const files = roots.flatMap((root) =>
    (readdirSync(root, { recursive: true }) as string[]).filter((name) => /\.(csv|tsv|txt)$/i.test(name)).map((name) => join(root, name)),
  );

  it('has real files to compare', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((file) => [relative(repo, file)]))('answers the same dialect on %s', (name) => {
    const text = stripBom(readFileSync(join(repo, name), 'utf8'));
    for (const [head, final] of [
      [text.slice(0, 64 * 1024), text.length <= 64 * 1024],
      [text.slice(0, 300), text.length <= 300],
    ] as const) {
      expect(outcome(() => sniffCsv(head, final))).toEqual(outcome(() => sniffCsvReference(head, final)));
    }
  });
});
