import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { sniffCsv } from './sniff-csv.js';
import { stripBom } from './strip-bom.js';

function inputErrorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err.code;
    throw err;
  }
  return undefined;
}

describe('sniffCsv', () => {
  it.each([
    { name: 'comma', text: 'Id,DOB,Sex\n1,2000-01-02,M\n2,2001-02-03,F\n', delimiter: ',' },
    { name: 'semicolon', text: 'Id;DOB;Sex\n1;02.01.2000;M\n2;03.02.2001;F\n', delimiter: ';' },
    { name: 'tab', text: 'Id\tDOB\tSex\n1\t2000-01-02\tM\n', delimiter: '\t' },
    { name: 'pipe', text: 'Id|DOB|Sex\n1|2000-01-02|M\n', delimiter: '|' },
    {
      name: 'semicolon although the data holds commas',
      text: 'Id;Name;City\n1;Smith, John;Boston\n2;Doe, Jane;Salem\n',
      delimiter: ';',
    },
  ])('detects the $name delimiter', ({ text, delimiter }) => {
    const dialect = sniffCsv(text, true);
    expect(dialect.delimiter).toBe(delimiter);
    expect(dialect.header.slice(0, 1)).toEqual(['Id']);
    expect(text.slice(dialect.dataOffset).startsWith('1')).toBe(true);
  });

  it('returns the header cells and the offset after an LF header', () => {
    expect(sniffCsv('Id,DOB\n1,2000-01-02\n', true)).toEqual({ delimiter: ',', header: ['Id', 'DOB'], dataOffset: 7 });
  });

  it('puts dataOffset after the whole CRLF terminator', () => {
    const text = 'Id,DOB\r\n1,2000-01-02\r\n';
    const dialect = sniffCsv(text, true);
    expect(dialect.header).toEqual(['Id', 'DOB']);
    expect(dialect.dataOffset).toBe(8);
    expect(text.slice(dialect.dataOffset)).toBe('1,2000-01-02\r\n');
  });

  it('reads a quoted header cell holding the delimiter and a line break', () => {
    const text = 'Id,"Name, full","Date\nof birth"\n1,"Doe, J",2000-01-02\n';
    const dialect = sniffCsv(text, true);
    expect(dialect.delimiter).toBe(',');
    expect(dialect.header).toEqual(['Id', 'Name, full', 'Date\nof birth']);
    expect(text.slice(dialect.dataOffset)).toBe('1,"Doe, J",2000-01-02\n');
  });

  it('works on text whose BOM was stripped, and trims header cells', () => {
    const text = stripBom('\uFEFF Id , DOB\n1,2000-01-02\n');
    expect(sniffCsv(text, true).header).toEqual(['Id', 'DOB']);
  });

  it('accepts a header-only file with no line terminator when the sample is the whole file', () => {
    expect(sniffCsv('Id,DOB', true)).toEqual({ delimiter: ',', header: ['Id', 'DOB'], dataOffset: 6 });
  });

  it('skips blank lines before the header', () => {
    const text = '\n\r\nId,DOB\n1,2000-01-02\n';
    const dialect = sniffCsv(text, true);
    expect(dialect.header).toEqual(['Id', 'DOB']);
    expect(text.slice(dialect.dataOffset)).toBe('1,2000-01-02\n');
  });

  it('treats a single-column file as comma-separated', () => {
    expect(sniffCsv('MRN\n001\n002\n', true)).toEqual({ delimiter: ',', header: ['MRN'], dataOffset: 4 });
  });

  it.each([
    { name: 'a title line', text: 'Patient export\nMRN;Last;DOB\n1;Lee;2000-01-02\n2;Doe;2001-02-03\n', titleRows: 1 },
    {
      name: 'spreadsheet title rows padded with delimiters, and a blank line',
      text: 'Patient list,,,\r\nExported 2024-01-02 by Dr X,,,\r\n\r\nMRN,Last,DOB,Sex\r\n1,Lee,2000-01-02,F\r\n2,Doe,2001-02-03,M\r\n',
      titleRows: 2,
    },
    {
      name: 'a note with as many fields as the data',
      text: 'Source: EHR,,,\nMRN,Last,DOB,Sex\n1,Lee,2000-01-02,F\n',
      titleRows: 1,
    },
  ])('skips $name above the header', ({ text, titleRows }) => {
    const dialect = sniffCsv(text, true);
    expect(dialect.header.slice(0, 3)).toEqual(['MRN', 'Last', 'DOB']);
    expect(dialect.titleRows).toBe(titleRows);
    expect(text.slice(dialect.dataOffset)).toMatch(/^1[,;]Lee/);
  });

  it('keeps a first line that looks like a header as the header, even over ragged data', () => {
    const text = 'MRN,Last,DOB\n1,Lee\n2,Doe,2001-02-03,extra\nAnn,Bob,Cy\n';
    const dialect = sniffCsv(text, true);
    expect(dialect.header).toEqual(['MRN', 'Last', 'DOB']);
    expect(dialect.titleRows).toBeUndefined();
  });

  it('does not take a data row for the header when the first line is all numbers', () => {
    expect(sniffCsv('1,2,3\n4,5,6\n', true).header).toEqual(['1', '2', '3']);
  });

  it('drops empty cells at the end of the header and says how many', () => {
    const text = 'MRN,Last,,,\n1,Lee,,,\n';
    expect(sniffCsv(text, true)).toEqual({ delimiter: ',', header: ['MRN', 'Last'], dataOffset: 12, trailingEmptyColumns: 3 });
  });

  it.each([
    { name: 'no bytes', text: '', final: true, code: 'input.empty' },
    { name: 'only whitespace', text: ' \r\n\t\n', final: true, code: 'input.empty' },
    { name: 'NUL bytes', text: 'PK\u0003\u0004\u0000\u0000binary', final: true, code: 'input.binary' },
    { name: 'control characters', text: 'ab\u0001\u0002\u0003\u0004\u0005\u0006cd\n'.repeat(20), final: true, code: 'input.binary' },
    { name: 'a header line longer than the sample', text: 'a,'.repeat(1000), final: false, code: 'input.no_header' },
    { name: 'bare CR line breaks', text: 'Id,DOB\r1,2000-01-02\r2,2001-01-02\r', final: true, code: 'input.no_header' },
    { name: 'an empty header line', text: ',,\n1,2,3\n', final: true, code: 'input.no_header' },
  ])('throws $code for $name', ({ text, final, code }) => {
    expect(inputErrorCode(() => sniffCsv(text, final))).toBe(code);
  });
});
