import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyString, keyWords } from './key-bits.js';
import { hashKey } from './record-keys.js';

/** Reference: decode the base64url key to bits (132), the way the words are laid out in key-bits.ts. */
function referenceWords(key: string): number[] {
  const bits = [...Buffer.from(`${key}AA`, 'base64url')].flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((b) => (byte >> b) & 1)).slice(0, 132);
  const take = (from: number, n: number) => bits.slice(from, from + n).reduce((v, bit) => v * 2 + bit, 0);
  const c20 = take(120, 6);
  const c21 = take(126, 6);
  return [
    take(0, 30) + (c20 & 3) * 2 ** 30,
    take(30, 30) + ((c20 >> 2) & 3) * 2 ** 30,
    take(60, 30) + ((c20 >> 4) & 3) * 2 ** 30,
    take(90, 30) + (c21 >> 4) * 2 ** 30,
  ];
}

describe('keyWords', () => {
  it('holds 128 of the key bits, as a plain base64url decoding has them', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const key = hashKey(value);
        expect([...keyWords(key, new Uint32Array(4))]).toEqual(referenceWords(key));
      }),
      { numRuns: 500 },
    );
  });

  it('gives different words to keys that differ in any of the 128 bits', () => {
    const base = hashKey(['a']);
    const keys = new Set<string>();
    // Characters 0-20 carry 6 bits each; of character 21 only the top two are kept (A Q g w differ there).
    for (let i = 0; i < 22; i++) for (const c of i === 21 ? 'AQgw' : 'AB_') keys.add(base.slice(0, i) + c + base.slice(i + 1));
    const words = new Set([...keys].map((key) => keyWords(key, new Uint32Array(4)).join(',')));
    expect(words.size).toBe(keys.size);
    expect(keys.size).toBeGreaterThan(60);
  });

  it('hashes strings that are not record keys to 128 bits', () => {
    const a = [...keyWords('k1', new Uint32Array(4))];
    expect(a).toEqual([...keyWords('k1', new Uint32Array(4))]);
    expect(a).not.toEqual([...keyWords('k2', new Uint32Array(4))]);
    expect([...keyWords('!'.repeat(22), new Uint32Array(4))]).not.toEqual([...keyWords('"'.repeat(22), new Uint32Array(4))]);
  });
});

describe('keyString', () => {
  it('is the inverse of keyWords: 22 base64url characters per four words, and back', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 4, maxLength: 4 }), (values) => {
        const words = Uint32Array.from(values);
        const key = keyString(words, 0);
        expect(key).toMatch(/^[A-Za-z0-9_-]{21}[AQgw]$/);
        expect([...keyWords(key, new Uint32Array(4))]).toEqual(values);
        expect(referenceWords(key)).toEqual(values);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the words at the given offset', () => {
    const words = Uint32Array.from([1, 2, 0xffffffff, 0, 0x80000000, 7]);
    expect([...keyWords(keyString(words, 2), new Uint32Array(4))]).toEqual([0xffffffff, 0, 0x80000000, 7]);
    expect(keyString(new Uint32Array(4), 0)).toBe('A'.repeat(22));
  });
});
