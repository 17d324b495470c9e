import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, csvLine } from './csv-line.js';
import { rejectLine } from './reject-line.js';

describe('csvCell', () => {
  it.each([
    ['a plain value', 'Boston', 'Boston'],
    ['null', null, ''],
    ['a comma', 'Doe, Jane', '"Doe, Jane"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a newline', 'a\nb', '"a\nb"'],
    ['a CR', 'a\rb', '"a\rb"'],
    ['a formula', '=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['an E.164 phone, which no spreadsheet runs', '+16178848300', '+16178848300'],
    ['a negative number', '-71.15', '-71.15'],
    ['a plus formula', '+1+cmd|calc', "'+1+cmd|calc"],
    ['a minus formula', '-2+3', "'-2+3"],
    ['a number with an exponent', '+1e5', "'+1e5"],
    ['a leading @', '@cmd', "'@cmd"],
    ['a leading tab', '\tx', "'\tx"],
    ['a leading CR, which then needs quotes', '\rx', `"'\rx"`],
    ['a formula with a comma', '=1,2', `"'=1,2"`],
  ])('writes %s safely', (_name, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('joins cells with commas', () => {
    expect(csvLine(['a', null, 'b,c'])).toBe('a,,"b,c"');
  });
});

describe('csvHeader', () => {
  it('lists the canonical fields in order, then extras and source_row', () => {
    const header = csvHeader('patients').split(',');
    expect(header.slice(0, 3)).toEqual(['patient_id', 'given_name', 'middle_name']);
    expect(header.slice(-2)).toEqual(['extras', 'source_row']);
    expect(header).toHaveLength(20);
  });
});

describe('rejectLine', () => {
  it("puts the row's first error up front and keeps every issue", () => {
    const issues = [
      { row: 4, field: 'gender', rule: 'gender.unknown', severity: 'warning' as const, message: 'w' },
      { row: 4, field: 'birth_date', rule: 'date.unparseable', severity: 'error' as const, message: 'e1' },
      { row: 4, field: 'deceased_date', rule: 'date.unparseable', severity: 'error' as const, message: 'e2' },
    ];
    expect(JSON.parse(rejectLine(4, issues))).toEqual({
      row: 4, field: 'birth_date', rule: 'date.unparseable', severity: 'error', message: 'e1', issues,
    });
  });
});
