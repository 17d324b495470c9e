import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { ByteEncoding } from './detect-encoding.js';
import fc from 'fast-check';
import { combineDecodeStats, createTextDecoder, decodeUtf8 } from './text-decoder.js';

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
      expect(decode(bytes, 'utf-8', piece)).toEqual({ text: TEXT, stats: { encoding: 'utf-8', fallbackBytes: 0, multiByte: true } });
    }
  });

  it('keeps a BOM in the text (the caller strips the one at the start)', () => {
    expect(decode(Buffer.from('\uFEFFa,b\n'), 'utf-8').text).toBe('\uFEFFa,b\n');
  });

  it('reads a Windows-1252 file as Windows-1252 and says so', () => {
    const text = "Côte d'Ivoire,Zürich,€ 12,“quoted”\n";
    for (const piece of [1, 3, 100]) {
      expect(decode(iconv.encode(text, 'win1252'), 'utf-8', piece)).toEqual({ text, stats: { encoding: 'windows-1252', fallbackBytes: 5, multiByte: false } });
    }
  });

  it('reads a file mixing UTF-8 and Windows-1252 part by part, and reports the mix', () => {
    const bytes = Buffer.concat([Buffer.from('São Paulo\n'), iconv.encode('Zürich\n', 'win1252'), Buffer.from('Malmö\n')]);
    for (const piece of [1, 2, 4, 1000]) {
      expect(decode(bytes, 'utf-8', piece)).toEqual({
        text: 'São Paulo\nZürich\nMalmö\n',
        stats: { encoding: 'utf-8+windows-1252', fallbackBytes: 1, multiByte: true },
      });
    }
  });

  it('reads a multi-byte sequence cut off by the end of the file as Windows-1252', () => {
    const bytes = Buffer.concat([Buffer.from('ab'), Buffer.from('é').subarray(0, 1)]);
    expect(decode(bytes, 'utf-8')).toEqual({ text: 'abÃ', stats: { encoding: 'windows-1252', fallbackBytes: 1, multiByte: false } });
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
      expect(decode(bytes, encoding, piece)).toEqual({ text: TEXT, stats: { encoding, fallbackBytes: 0, multiByte: false } });
    }
  });

  it('gives the stream decoder\'s text and stats when the parts between line feeds are decoded apart and combined', () => {
    const line = fc.constantFrom<Uint8Array>(
      Buffer.from('plain,ascii\n'),
      Buffer.from('São Paulo,😀\n'),
      iconv.encode('Zürich,“q”\n', 'win1252'),
      Buffer.from('\n'),
      Uint8Array.from([0xc3, 0x0a]), // a sequence cut by a line feed
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (lines, cutAfter) => {
        const whole = decode(Buffer.concat(lines), 'utf-8');
        // Parts of whole lines, as the worker's chunk cutter makes them (it cuts only after a line feed).
        const parts: Uint8Array[] = [];
        let current: Uint8Array[] = [];
        lines.forEach((bytes, i) => {
          current.push(bytes);
          if (cutAfter[i]) {
            parts.push(Buffer.concat(current));
            current = [];
          }
        });
        if (current.length > 0) parts.push(Buffer.concat(current));
        const decoded = parts.map((bytes) => decodeUtf8(bytes));
        expect(decoded.map((d) => d.text).join('')).toBe(whole.text);
        const empty = decodeUtf8(new Uint8Array(0)).stats;
        expect(decoded.reduce((stats, d) => combineDecodeStats(stats, d.stats), empty)).toEqual(whole.stats);
      }),
      { numRuns: 300 },
    );
  });
});
