import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecordSplitter } from './record-splitter.js';

/** Pushes the pieces in order and returns every output (flush last). */
function run(pieces: string[], delimiter?: ',' | ';' | '\t' | '|') {
  const splitter = createRecordSplitter(delimiter);
  const outputs = pieces.map((piece) => splitter.push(piece));
  outputs.push(splitter.flush());
  return { outputs, records: splitter.records };
}

describe('createRecordSplitter', () => {
  it.each([
    { name: 'LF records', pieces: ['a,b\nc,d\n'], out: ['a,b\nc,d\n', ''], records: 2 },
    { name: 'CRLF records', pieces: ['a,b\r\nc,d\r\n'], out: ['a,b\r\nc,d\r\n', ''], records: 2 },
    { name: 'an unterminated last record is returned by flush', pieces: ['a\nb'], out: ['a\n', 'b'], records: 2 },
    { name: 'a record cut mid-line waits for its end', pieces: ['a,b\nc,', 'd\ne'], out: ['a,b\n', 'c,d\n', 'e'], records: 3 },
    { name: 'empty lines are records', pieces: ['a\n\n\nb\n'], out: ['a\n\n\nb\n', ''], records: 4 },
    {
      name: 'a quoted newline is not a record end',
      pieces: ['1,"x\ny"\n2,z\n'],
      out: ['1,"x\ny"\n2,z\n', ''],
      records: 2,
    },
    {
      name: 'a quoted newline split across pushes',
      pieces: ['1,"x', '\n', 'y"\n2'],
      out: ['', '', '1,"x\ny"\n', '2'],
      records: 2,
    },
    {
      name: 'an escaped quote split across pushes stays inside the field',
      pieces: ['1,"a"', '"\nb"\n'],
      out: ['', '1,"a""\nb"\n', ''],
      records: 1,
    },
    {
      name: 'a closing quote at the end of a push, then the record end',
      pieces: ['1,"a"', '\n2\n'],
      out: ['', '1,"a"\n2\n', ''],
      records: 2,
    },
    {
      name: 'a quote inside an unquoted field is literal (csv-parse relax_quotes)',
      pieces: ['1,5\'10"\n2,x\n'],
      out: ['1,5\'10"\n2,x\n', ''],
      records: 2,
    },
    { name: 'nothing pushed', pieces: [], out: [''], records: 0 },
  ])('$name', ({ pieces, out, records }) => {
    const result = run(pieces, ',');
    expect(result.outputs).toEqual(out);
    expect(result.records).toBe(records);
  });

  it('uses the given delimiter to tell where a quoted field starts', () => {
    // With ';' a quote after a comma is inside an unquoted field, so the newline ends the record.
    expect(run(['a;b,"c\nd;e\n'], ';').outputs).toEqual(['a;b,"c\nd;e\n', '']);
    expect(run(['a;b,"c\nd;e\n'], ';').records).toBe(2);
  });

  it('keeps a huge quoted field pushed in many small pieces whole', () => {
    const big = 'x'.repeat(200_000) + '\n' + 'y\r\n'.repeat(10_000);
    const text = `1,"${big}"\n2,end\n`;
    const splitter = createRecordSplitter(',');
    const outputs: string[] = [];
    for (let i = 0; i < text.length; i += 4096) outputs.push(splitter.push(text.slice(i, i + 4096)));
    outputs.push(splitter.flush());
    const nonEmpty = outputs.filter((o) => o !== '');
    expect(nonEmpty.join('')).toBe(text);
    expect(nonEmpty[0]?.startsWith(`1,"${big}"\n`)).toBe(true);
    expect(splitter.records).toBe(2);
  });

  it('returns exactly the input, in order, and only whole records, for any chunking', () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-z0-9 ]{0,6}$/),
      fc.stringMatching(/^[a-z,\n\r"]{0,8}$/).map((s) => `"${s.replace(/"/g, '""')}"`),
    );
    const record = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    const file = fc.tuple(fc.array(record, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean());
    fc.assert(
      fc.property(file, fc.array(fc.nat(), { maxLength: 20 }), ([records, eol, trailing], cutPoints) => {
        const text = records.join(eol) + (trailing && records.length > 0 ? eol : '');
        const cuts = [...new Set(cutPoints.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces: string[] = [];
        let from = 0;
        for (const cut of [...cuts, text.length]) {
          pieces.push(text.slice(from, cut));
          from = cut;
        }
        const { outputs, records: count } = run(pieces, ',');
        expect(outputs.join('')).toBe(text);
        for (const out of outputs.slice(0, -1)) if (out !== '') expect(out.endsWith('\n')).toBe(true);
        // Without a trailing terminator, an empty last record adds no characters: it is no record.
        const expected = !trailing && records.at(-1) === '' ? records.length - 1 : records.length;
        expect(count).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
