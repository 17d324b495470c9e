import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { detectEncoding } from './detect-encoding.js';

const CSV = 'MRN,Last Name,City\n1,Müller,Zürich\n2,Lee,Boston\n';

describe('detectEncoding', () => {
  it.each([
    { name: 'UTF-8 without BOM', bytes: Buffer.from(CSV), encoding: 'utf-8' },
    { name: 'UTF-8 with BOM', bytes: Buffer.from(`\uFEFF${CSV}`), encoding: 'utf-8' },
    { name: 'Windows-1252 (decided by the decoder)', bytes: iconv.encode(CSV, 'win1252'), encoding: 'utf-8' },
    { name: 'UTF-16LE with BOM', bytes: iconv.encode(CSV, 'utf16le', { addBOM: true }), encoding: 'utf-16le' },
    { name: 'UTF-16BE with BOM', bytes: iconv.encode(CSV, 'utf16be', { addBOM: true }), encoding: 'utf-16be' },
    { name: 'UTF-16LE without BOM (NUL in odd bytes)', bytes: iconv.encode(CSV, 'utf16le'), encoding: 'utf-16le' },
    { name: 'UTF-16BE without BOM (NUL in even bytes)', bytes: iconv.encode(CSV, 'utf16be'), encoding: 'utf-16be' },
    { name: 'a single byte', bytes: Buffer.from('a'), encoding: 'utf-8' },
  ])('reads $name as $encoding', ({ bytes, encoding }) => {
    expect(detectEncoding(bytes)).toBe(encoding);
  });

  it('does not take binary data with scattered NULs for UTF-16', () => {
    const binary = Buffer.from(Array.from({ length: 512 }, (_, i) => (i % 7 === 0 ? 0 : 65 + (i % 26))));
    expect(detectEncoding(binary)).toBe('utf-8');
  });

  it('refuses UTF-32 with input.unsupported_format', () => {
    const utf32 = Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00]);
    expect(() => detectEncoding(utf32)).toThrow(InputError);
    try {
      detectEncoding(utf32);
    } catch (err) {
      expect((err as InputError).code).toBe('input.unsupported_format');
    }
  });
});
