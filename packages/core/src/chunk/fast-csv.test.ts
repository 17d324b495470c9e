import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countRecords } from '../formats/scan-records.js';
import { parseRegularCsv, regularCsvCursor } from './fast-csv.js';

const DELIMITERS = [',', ';', '\t', '|'] as const;

/** csv-parse with the options parseRecords has always used. */
const csvParse = (text: string, delimiter: string): string[][] =>
  parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    record_delimiter: ['\r\n', '\n'],
    skip_empty_lines: false,
  }) as string[][];

/** Characters cells are made of: every delimiter, both line ends' parts, non-ASCII, a BOM, NUL. */
const CELL_CHARS = ['a', 'Z', '7', ' ', ',', ';', '\t', '|', 'é', '°', '😀', '中', '\uFEFF', '\u0000'];
const QUOTED_CHARS = [...CELL_CHARS, '"', '\r', '\n'];

const unquotedCell = fc.string({ unit: fc.constantFrom(...CELL_CHARS), maxLength: 8 });
const quotedCell = fc
  .string({ unit: fc.constantFrom(...QUOTED_CHARS), maxLength: 8 })
  .map((value) => `"${value.replace(/"/g, '""')}"`);
const regularRecord = (delimiter: string) =>
  fc.array(fc.oneof(unquotedCell, quotedCell), { minLength: 1, maxLength: 6 }).map((cells) => cells.join(delimiter));

/** Regular CSV text: records of unquoted and fully quoted cells, ragged, blank lines, LF and CRLF mixed. */
const regularCsv = fc.constantFrom(...DELIMITERS).chain((delimiter) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.oneof(regularRecord(delimiter), fc.constant('')), fc.constantFrom('\n', '\r\n')), { maxLength: 12 }),
      fc.oneof(regularRecord(delimiter), fc.constant('')),
    )
    .map(([records, last]) => ({ delimiter, text: records.map(([record, eol]) => record + eol).join('') + last })),
);

describe('parseRegularCsv', () => {
  it.each([
    ['a blank line as one empty cell', 'a\n\nb\n', [['a'], [''], ['b']]],
    ['a blank CRLF line', 'a\r\n\r\nb\r\n', [['a'], [''], ['b']]],
    ['a lone line feed', '\n', [['']]],
    ['a last record without terminator', 'a,b\nc', [['a', 'b'], ['c']]],
    ['no extra record after the last terminator', 'a\n\n\n', [['a'], [''], ['']]],
    ['empty quoted fields', '"",""\n""', [['', ''], ['']]],
    ['a trailing delimiter', 'a,\n"b",', [['a', ''], ['b', '']]],
    ['quoted CR, LF, CRLF, delimiters and escaped quotes', '"a\rb","c\nd","e\r\nf","g,h","""i"""\n', [['a\rb', 'c\nd', 'e\r\nf', 'g,h', '"i"']]],
    ['a BOM and NUL kept as text', '\uFEFFa,b\u0000c\n', [['\uFEFFa', 'b\u0000c']]],
    ['non-BMP characters', '😀,"中\n文"\r\n', [['😀', '中\n文']]],
  ])('reads %s like csv-parse', (_name, text, expected) => {
    expect(parseRegularCsv(text, ',')).toStrictEqual(expected);
    expect(csvParse(text, ',')).toStrictEqual(expected);
  });

  it.each([
    ['a quote inside an unquoted field', 'a,5\'10"\n'],
    ['text after a closing quote', '"a"b,c\n'],
    ['a space after a closing quote', '"a" ,c\n'],
    ['NUL after a closing quote', '"a"\u0000\n'],
    ['an unterminated quote', 'a,"b\nc\n'],
    ['an escaped quote at the very end', '"a""'],
    ['a bare CR in an unquoted field', 'a\rb\n'],
    ['a bare CR at the end of the text', 'a\r'],
    ['a bare CR after a closing quote', '"a"\rb\n'],
    ['a lone surrogate', 'a,\uD800\n'],
  ])('declines %s', (_name, text) => {
    expect(parseRegularCsv(text, ',')).toBeNull();
  });

  it('reads every delimiter, and only the given one splits', () => {
    for (const delimiter of DELIMITERS) {
      const text = 'a,b;c\td|e\n"x,;\t|y"\n';
      const cells = 'a,b;c\td|e'.split(delimiter);
      expect(parseRegularCsv(text, delimiter)).toStrictEqual([cells, ['x,;\t|y']]);
    }
  });

  it('equals csv-parse, and the record count equals the splitter count, on generated regular CSV', () => {
    fc.assert(
      fc.property(regularCsv, ({ delimiter, text }) => {
        const records = parseRegularCsv(text, delimiter);
        expect(records).not.toBeNull();
        expect(records).toStrictEqual(csvParse(text, delimiter));
        expect(records).toHaveLength(text === '' ? 0 : countRecords(text, delimiter));
      }),
      { numRuns: 1500 },
    );
  });
});

describe('regularCsvCursor', () => {
  /** Every record of the cursor, read in order. */
  const readAll = (text: string, delimiter: string) => {
    const cursor = regularCsvCursor(text, delimiter);
    if (!cursor) return null;
    return Array.from({ length: cursor.count }, () => cursor.next());
  };

  it('reads what parseRegularCsv reads, record by record, on generated regular CSV and near misses', () => {
    // Regular text, and the same text with something irregular spliced in somewhere.
    const spoiled = fc.tuple(regularCsv, fc.constantFrom('"', '\r', 'x"', '\uD800', '"a"b'), fc.nat()).map(([{ delimiter, text }, bad, at]) => {
      const i = text.length === 0 ? 0 : at % text.length;
      return { delimiter, text: text.slice(0, i) + bad + text.slice(i) };
    });
    fc.assert(
      fc.property(fc.oneof(regularCsv, spoiled), ({ delimiter, text }) => {
        expect(readAll(text, delimiter)).toStrictEqual(parseRegularCsv(text, delimiter));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['a quote inside an unquoted field', 'a,b\nc,5\'10"\n'],
    ['an unterminated quote in the last record', 'a,b\nc,"d\n'],
    ['a bare CR in the middle', 'a\nb\rc\nd\n'],
  ])('declines the whole text for %s, before any record is read', (_name, text) => {
    expect(regularCsvCursor(text, ',')).toBeNull();
  });
});
