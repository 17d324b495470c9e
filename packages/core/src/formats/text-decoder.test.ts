import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { ByteEncoding } from './detect-encoding.js';
import { createTextDecoder } from './text-decoder.js';

/** Decodes `bytes` fed in pieces of `piece` bytes. */
function decode(bytes: Uint8Array, encoding: ByteEncoding, piece = bytes.length || 1) {
  const decoder = createTextDecoder(encoding);
  let text = '';
  for (let i = 0; i < bytes.length; i += piece) text += decoder.write(bytes.subarray(i, i + piece));
  text += decoder.end();
  return { text, stats: decoder.stats() };
}

const TEXT = 'Neighbourhood,Name\nSÃO CRISTÓVÃO,JOANA D´ARC\n€ 5,naïve 😀\n';

describe('createTextDecoder', () => {
  it('decodes UTF-8 identically however the bytes are cut, multi-byte characters included', () => {
    const bytes = Buffer.from(TEXT);
    for (const piece of [1, 2, 3, 5, 7, 64]) {
      expect(decode(bytes, 'utf-8', piece)).toEqual({ text: TEXT, stats: { encoding: 'utf-8', fallbackBytes: 0 } });
    }
  });

  it('keeps a BOM in the text (the caller strips the one at the start)', () => {
    expect(decode(Buffer.from('\uFEFFa,b\n'), 'utf-8').text).toBe('\uFEFFa,b\n');
  });

  it('reads a Windows-1252 file as Windows-1252 and says so', () => {
    const text = "Côte d'Ivoire,Zürich,€ 12,“quoted”\n";
    for (const piece of [1, 3, 100]) {
      expect(decode(iconv.encode(text, 'win1252'), 'utf-8', piece)).toEqual({ text, stats: { encoding: 'windows-1252', fallbackBytes: 5 } });
    }
  });

  it('reads a file mixing UTF-8 and Windows-1252 part by part, and reports the mix', () => {
    const bytes = Buffer.concat([Buffer.from('São Paulo\n'), iconv.encode('Zürich\n', 'win1252'), Buffer.from('Malmö\n')]);
    for (const piece of [1, 2, 4, 1000]) {
      expect(decode(bytes, 'utf-8', piece)).toEqual({
        text: 'São Paulo\nZürich\nMalmö\n',
        stats: { encoding: 'utf-8+windows-1252', fallbackBytes: 1 },
      });
    }
  });

  it('reads a multi-byte sequence cut off by the end of the file as Windows-1252', () => {
    const bytes = Buffer.concat([Buffer.from('ab'), Buffer.from('é').subarray(0, 1)]);
    expect(decode(bytes, 'utf-8')).toEqual({ text: 'abÃ', stats: { encoding: 'windows-1252', fallbackBytes: 1 } });
  });

  it('never produces U+FFFD for overlong forms or surrogates, it reads them as Windows-1252', () => {
    const { text, stats } = decode(Uint8Array.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]), 'utf-8');
    expect(text).not.toContain('\uFFFD');
    expect(text).toHaveLength(5);
    expect(stats.fallbackBytes).toBe(5);
  });

  it.each(['utf-16le', 'utf-16be'] as const)('decodes %s cut at any byte', (encoding) => {
    const bytes = iconv.encode(TEXT, encoding === 'utf-16le' ? 'utf16le' : 'utf16be');
    for (const piece of [1, 3, 64]) {
      expect(decode(bytes, encoding, piece)).toEqual({ text: TEXT, stats: { encoding, fallbackBytes: 0 } });
    }
  });
});
