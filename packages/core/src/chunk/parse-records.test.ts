import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type Options } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countRecords, splitRecords } from '../formats/scan-records.js';
import { sniffCsv } from '../formats/sniff-csv.js';
import type { CsvDialect } from '../types.js';
import { parseRegularCsv } from './fast-csv.js';
import { parseRecords, parseRecordsWithCsvParse, recordSource } from './parse-records.js';

/** Every record of recordSource, read in order. */
const sourced = (text: string, delimiter: CsvDialect['delimiter']) => {
  const source = recordSource(text, delimiter);
  return Array.from({ length: source.count }, () => source.next());
};

/**
 * parseRecords as it was before the hand-written reader (csv-parse, the record count check, the
 * record-by-record retry), frozen here as the reference: the new parseRecords must equal it on
 * every input.
 */
function parseRecordsBefore(text: string, delimiter: CsvDialect['delimiter']): (string[] | null)[] {
  if (text === '') return [];
  const options: Options = {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    record_delimiter: ['\r\n', '\n'],
    skip_empty_lines: false,
  };
  try {
    const rows = parse(text, options) as string[][];
    if (rows.length === countRecords(text, delimiter)) return rows;
  } catch {
    // Malformed somewhere in the chunk: find out where below.
  }
  return splitRecords(text, delimiter).map((record) => {
    try {
      const rows = parse(record, options) as string[][];
      if (rows.length === 0) return [''];
      return rows.length === 1 ? (rows[0] ?? null) : null;
    } catch {
      return null;
    }
  });
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/** Everything that matters to a CSV reader, plus non-ASCII, a BOM, NUL and a lone surrogate. */
const CHARS = ['a', 'b', '7', ' ', ',', ';', '\t', '|', '"', '\r', '\n', 'é', '😀', '\uFEFF', '\u0000', '\uD83D'];
const RARE = new Set(['\uD83D', '\u0000', '\uFEFF']);
const text = (maxLength: number) => fc.string({ unit: fc.constantFrom(...CHARS), maxLength });
const plainText = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...CHARS.filter((c) => !'"\r\n'.includes(c) && !RARE.has(c))), maxLength });

/**
 * Cells of every kind: plain, properly quoted (anything inside), and the malformed kinds (a quote
 * inside, text after the closing quote, an unterminated quote, raw junk with CRs and quotes).
 */
const cell = fc.oneof(
  { weight: 6, arbitrary: plainText(8) },
  { weight: 4, arbitrary: text(8).map((value) => `"${value.replace(/"/g, '""')}"`) },
  { weight: 1, arbitrary: fc.tuple(plainText(3), plainText(3)).map(([a, b]) => `${a}"${b}`) },
  { weight: 1, arbitrary: fc.tuple(text(4), plainText(3)).map(([a, b]) => `"${a.replace(/"/g, '""')}"${b}`) },
  { weight: 1, arbitrary: plainText(4).map((value) => `"${value}`) },
  { weight: 1, arbitrary: text(6) },
);

/** A chunk: ragged records, blank lines, LF / CRLF / bare CR terminators, any delimiter. */
const chunk = fc.constantFrom(...DELIMITERS).chain((delimiter) => {
  const record = fc.oneof(
    { weight: 5, arbitrary: fc.array(cell, { minLength: 1, maxLength: 5 }).map((cells) => cells.join(delimiter)) },
    { weight: 1, arbitrary: fc.constant('') },
  );
  const terminated = fc.tuple(record, fc.constantFrom('\n', '\r\n', '\n', '\r\n', '\r')).map(([r, eol]) => r + eol);
  return fc
    .tuple(fc.array(terminated, { maxLength: 10 }), fc.constantFrom('', '\n', '\r\n', '\r', 'x', '"'))
    .map(([records, tail]) => ({ delimiter, text: records.join('') + tail }));
});

/** A chunk made only of regular records, so the fast reader must take it. */
const quotedCell = text(8)
  .filter((value) => !/[\uD800-\uDFFF]/.test(value))
  .map((value) => `"${value.replace(/"/g, '""')}"`);
const regularChunk = fc.constantFrom(...DELIMITERS).chain((delimiter) => {
  const record = fc.array(fc.oneof(plainText(8), quotedCell), { minLength: 1, maxLength: 5 });
  const terminated = fc.tuple(record, fc.constantFrom('\n', '\r\n')).map(([cells, eol]) => cells.join(delimiter) + eol);
  return fc.array(terminated, { maxLength: 10 }).map((records) => ({ delimiter, text: records.join('') }));
});

describe('parseRecords', () => {
  it.each([
    ['LF records', 'a,b\nc,d\n', [['a', 'b'], ['c', 'd']]],
    ['CRLF records', 'a,b\r\nc,d\r\n', [['a', 'b'], ['c', 'd']]],
    ['mixed terminators', 'a\r\nb\nc', [['a'], ['b'], ['c']]],
    ['a blank line as one empty cell', 'a\n\nb\n', [['a'], [''], ['b']]],
    ['a quoted newline and escaped quote', '1,"x\r\n""y"""\n', [['1', 'x\r\n"y"']]],
    ['a literal quote in an unquoted field', '1,5\'10"\n', [['1', '5\'10"']]],
    ['ragged rows', 'a,b,c\nd\n', [['a', 'b', 'c'], ['d']]],
    ['a bare CR kept in the cell', 'a\rb,c\n', [['a\rb', 'c']]],
    ['a lone surrogate read as U+FFFD', 'a,\uD800\n', [['a', '\uFFFD']]],
    ['nothing', '', []],
  ])('parses %s', (_name, input, expected) => {
    expect(parseRecords(input, ',')).toEqual(expected);
  });

  it('marks only the malformed record and keeps the others', () => {
    expect(parseRecords('a,b\n"x"y"z\nc,d\n"open,e\n', ',')).toEqual([['a', 'b'], ['"x"y"z'], ['c', 'd'], null]);
  });

  it('returns one entry per record as the splitter counts them, equal to csv-parse on valid CSV', () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-z0-9 ]{0,5}$/),
      fc.stringMatching(/^[a-z;\n\r"]{0,6}$/).map((s) => `"${s.replace(/"/g, '""')}"`),
    );
    const row = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(';'));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 10 }), fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        const text = rows.join(eol) + eol;
        const expected = parse(text, { delimiter: ';', relax_column_count: true, record_delimiter: ['\r\n', '\n'] });
        expect(parseRecords(text, ';')).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('equals the implementation before the fast reader on random chunks, regular or not', () => {
    fc.assert(
      fc.property(chunk, ({ delimiter, text }) => {
        const expected = parseRecordsBefore(text, delimiter);
        expect(parseRecords(text, delimiter)).toStrictEqual(expected);
        // The records one at a time (processChunk's reading): the same, regular or not.
        expect(sourced(text, delimiter)).toStrictEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the fast reader on regular chunks and equals the implementation before it', () => {
    fc.assert(
      fc.property(regularChunk, ({ delimiter, text }) => {
        expect(parseRegularCsv(text, delimiter)).not.toBeNull();
        expect(parseRecords(text, delimiter)).toStrictEqual(parseRecordsBefore(text, delimiter));
      }),
      { numRuns: 1000 },
    );
  });

  it('exercises both readers with the random chunks', () => {
    const samples = fc.sample(chunk, { numRuns: 2000, seed: 6 });
    const fast = samples.filter(({ delimiter, text }) => parseRegularCsv(text, delimiter) !== null).length;
    expect(fast).toBeGreaterThan(samples.length / 10);
    expect(samples.length - fast).toBeGreaterThan(samples.length / 10);
  });

  it('keeps the csv-parse reading as parseRecordsWithCsvParse', () => {
    for (const { delimiter, text } of fc.sample(chunk, { numRuns: 300, seed: 7 })) {
      expect(parseRecordsWithCsvParse(text, delimiter)).toStrictEqual(parseRecordsBefore(text, delimiter));
    }
  });
});

const EXTERNAL = fileURLToPath(new URL('../../../../../shared/data/external', import.meta.url));
const MAX_BYTES = 4 * 1024 * 1024;

function csvFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return csvFilesUnder(full);
    return entry.name.toLowerCase().endsWith('.csv') ? [full] : [];
  });
}

/** The file's first MAX_BYTES, cut after a line feed so no UTF-8 character is split. */
function readCapped(file: string): string {
  const bytes = readFileSync(file);
  if (bytes.length <= MAX_BYTES) return bytes.toString('utf8');
  return bytes.subarray(0, bytes.lastIndexOf(10, MAX_BYTES) + 1).toString('utf8');
}

/** Delimiter and data part (header split off) as the product sniffs them; the first line and ',' if it cannot. */
function dataOf(text: string): { delimiter: CsvDialect['delimiter']; data: string } {
  try {
    const dialect = sniffCsv(text.slice(0, 64 * 1024), text.length <= 64 * 1024);
    return { delimiter: dialect.delimiter, data: text.slice(dialect.dataOffset) };
  } catch {
    return { delimiter: ',', data: text.slice(text.indexOf('\n') + 1) };
  }
}

const externalFiles = existsSync(EXTERNAL) ? csvFilesUnder(EXTERNAL).sort() : [];

describe.skipIf(externalFiles.length === 0)('parseRecords on the external real-world CSV files', () => {
  it.each(externalFiles.map((file) => [path.relative(EXTERNAL, file), file]))('%s equals the implementation before', (_name, file) => {
    const { delimiter, data } = dataOf(readCapped(file));
    expect(parseRecords(data, delimiter)).toStrictEqual(parseRecordsBefore(data, delimiter));
  });
});
