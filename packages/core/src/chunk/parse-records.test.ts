import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRecords } from './parse-records.js';

describe('parseRecords', () => {
  it.each([
    ['LF records', 'a,b\nc,d\n', [['a', 'b'], ['c', 'd']]],
    ['CRLF records', 'a,b\r\nc,d\r\n', [['a', 'b'], ['c', 'd']]],
    ['mixed terminators', 'a\r\nb\nc', [['a'], ['b'], ['c']]],
    ['a blank line as one empty cell', 'a\n\nb\n', [['a'], [''], ['b']]],
    ['a quoted newline and escaped quote', '1,"x\r\n""y"""\n', [['1', 'x\r\n"y"']]],
    ['a literal quote in an unquoted field', '1,5\'10"\n', [['1', '5\'10"']]],
    ['ragged rows', 'a,b,c\nd\n', [['a', 'b', 'c'], ['d']]],
    ['nothing', '', []],
  ])('parses %s', (_name, text, expected) => {
    expect(parseRecords(text, ',')).toEqual(expected);
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
});
