import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYTE_ENCODINGS } from './detect-encoding.js';
import { createTextDecoder } from './text-decoder.js';

/** Bytes that are often not UTF-8: truncated sequences, overlongs, surrogates, lone continuations. */
const hostileBytes = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 16 }),
      fc.constantFrom(
        Uint8Array.of(0xc3),
        Uint8Array.of(0xe2, 0x82),
        Uint8Array.of(0xf0, 0x9f, 0x98),
        Uint8Array.of(0xc0, 0xaf),
        Uint8Array.of(0xed, 0xa0, 0x80),
        Uint8Array.of(0x80),
        Uint8Array.of(0xff, 0xfe),
        Uint8Array.of(0xef, 0xbb, 0xbf),
        new TextEncoder().encode('Zoë,José\r\n'),
      ),
    ),
    { maxLength: 30 },
  )
  .map((parts) => Uint8Array.from(parts.flatMap((part) => [...part])));

function decode(bytes: Uint8Array, cuts: number[], encoding: (typeof BYTE_ENCODINGS)[number]) {
  const decoder = createTextDecoder(encoding);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let text = '';
  let from = 0;
  for (const point of [...points, bytes.length]) {
    text += decoder.write(bytes.subarray(from, point));
    from = point;
  }
  return { text: text + decoder.end(), stats: decoder.stats() };
}

describe('text decoder on invalid bytes (property)', () => {
  it('decodes any bytes without throwing, the same however they are cut', () => {
    fc.assert(
      fc.property(hostileBytes, fc.array(fc.nat(), { maxLength: 10 }), fc.constantFrom(...BYTE_ENCODINGS), (bytes, cuts, encoding) => {
        const whole = decode(bytes, [], encoding);
        const pieced = decode(bytes, cuts, encoding);
        expect(pieced.text).toBe(whole.text);
        expect(pieced.stats).toEqual(whole.stats);
      }),
      { numRuns: 400 },
    );
  });

  it('replaces no byte of UTF-8 input by U+FFFD but the five Windows-1252 leaves undefined', () => {
    // 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no Windows-1252 character (WHATWG maps them to C1 controls).
    const undefinedIn1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
    fc.assert(
      fc.property(hostileBytes, (bytes) => {
        const { text, stats } = decode(bytes, [], 'utf-8');
        const replaced = [...text].filter((char) => char === '\uFFFD').length;
        expect(replaced).toBeLessThanOrEqual(bytes.filter((byte) => undefinedIn1252.has(byte)).length);
        expect(stats.fallbackBytes).toBeLessThanOrEqual(bytes.length);
        if (stats.fallbackBytes === 0) expect(text).toBe(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes zero bytes to nothing', () => {
    for (const encoding of BYTE_ENCODINGS) expect(decode(new Uint8Array(0), [], encoding).text).toBe('');
  });
});
