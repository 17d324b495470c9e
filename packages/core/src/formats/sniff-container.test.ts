import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { sniffContainer } from './sniff-container.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return { code: err.code, message: err.message };
    throw err;
  }
  return null;
};

describe('sniffContainer', () => {
  it('recognises gzip by its magic bytes, whatever the content', () => {
    expect(sniffContainer(gzipSync('Id,DOB\n1,2000-01-01\n'))).toBe('gzip');
    expect(sniffContainer(gzipSync(''))).toBe('gzip');
  });

  it.each([
    { name: 'CSV text', head: Buffer.from('Id,DOB\n') },
    { name: 'JSON', head: Buffer.from('{"a":1}') },
    { name: 'a UTF-16 byte order mark', head: bytes(0xff, 0xfe, 0x49, 0x00) },
    { name: 'nothing at all', head: bytes() },
    { name: 'a lone 0x1f byte', head: bytes(0x1f) },
  ])('passes $name through as plain', ({ head }) => {
    expect(sniffContainer(head)).toBe('plain');
  });

  it.each([
    { name: 'a ZIP / xlsx file', head: bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00), says: 'ZIP archive' },
    { name: 'a PDF', head: Buffer.from('%PDF-1.7\n'), says: 'PDF' },
    { name: 'an old Excel file', head: bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), says: '.xls' },
    { name: 'a Parquet file', head: Buffer.from('PAR1\x15\x04'), says: 'Parquet' },
  ])('refuses $name with input.unsupported_format naming it', ({ head, says }) => {
    expect(thrown(() => sniffContainer(head))).toEqual({ code: 'input.unsupported_format', message: expect.stringContaining(says) });
  });

  it('refuses gzip inside gzip instead of unwrapping without end', () => {
    const inner = gzipSync(gzipSync('x'));
    expect(thrown(() => sniffContainer(inner, false))?.code).toBe('input.unsupported_format');
  });
});
