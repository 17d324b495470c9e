import fc from 'fast-check';
import type { CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { nanpDigits, validNanpE164 } from './standardize-phone-nanp.js';
import { standardizePhone, standardizePhoneWithLibrary } from './standardize-phone.js';

const ctx = (defaultCountry: CountryCode = 'US', country: string | null = null) => ({ field: 'phone', referenceDate: undefined, defaultCountry, country });

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
/** Area codes of every kind: assigned, unassigned, N11, toll-free, Caribbean, starting with 0 or 1. */
const areaCode = fc.oneof(
  digits(3),
  fc.constantFrom('617', '212', '800', '888', '900', '411', '555', '264', '268', '441', '649', '787', '939', '340', '671', '684', '416', '604', '876', '658', '809', '829', '849', '523'),
);
const exchange = fc.oneof(digits(3), fc.constantFrom('555', '211', '011', '123', '200', '999'));
const line = fc.oneof(digits(4), fc.constantFrom('0100', '0000', '9999'));
const prefix = fc.constantFrom('', '', '1', '1-', '1 ', '1.', '+1', '+1 ', '+1-', '+1.', '+', '+2 ', '11', ' ');
const shaped = fc.tuple(prefix, areaCode, exchange, line, fc.integer({ min: 0, max: 9 }), fc.constantFrom('', '', ' x12', ' ', '#')).map(([p, a, b, c, shape, tail]) => {
  const body = [`(${a}) ${b}-${c}`, `(${a})${b}-${c}`, `${a}.${b}.${c}`, `${a}-${b}-${c}`, `${a} ${b} ${c}`, `${a}${b}${c}`, `${a}-${b}.${c}`, `(${a} ${b}-${c}`, `${a}) ${b}-${c}`, `${a}--${b}-${c}`][shape]!;
  return `${p}${body}${tail}`;
});
const anyText = fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[+()\d .-]{8,18}$/));
const region = fc.constantFrom<[CountryCode, string | null]>(['US', null], ['US', null], ['US', 'US'], ['US', 'CA'], ['CA', null], ['GB', null], ['US', 'GB'], ['US', 'XX'], ['DE', 'US']);

describe('standardizePhone: the NANP fast path against libphonenumber alone', () => {
  it('gives the same value and findings for North American shapes and anything else', () => {
    fc.assert(
      fc.property(fc.oneof(shaped, shaped, anyText), region, (raw, [defaultCountry, country]) => {
        expect(standardizePhone(raw, ctx(defaultCountry, country))).toEqual(standardizePhoneWithLibrary(raw, ctx(defaultCountry, country)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees on every area code and exchange in the four common shapes', () => {
    const mismatches: string[] = [];
    let fast = 0;
    for (let area = 200; area <= 999; area++) {
      for (const ex of ['200', '211', '555', '987']) {
        for (const raw of [`(${area}) ${ex}-0134`, `+1 ${area} ${ex} 0134`, `${area}${ex}0134`, `1-${area}-${ex}-0134`]) {
          const got = standardizePhone(raw, ctx());
          if (validNanpE164(raw) !== null) fast++;
          if (JSON.stringify(got) !== JSON.stringify(standardizePhoneWithLibrary(raw, ctx()))) mismatches.push(raw);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(fast).toBeGreaterThan(3000); // the fast path does answer most of them
  });

  it.each([
    ['(617) 555-0100', '6175550100'],
    ['617.555.0100', '6175550100'],
    ['+1 617 555 0100', '6175550100'],
    ['6175550100', '6175550100'],
    ['617-555-0100', '6175550100'],
    ['1-617-555-0100', '6175550100'],
    ['+1 (617) 555-0100', '6175550100'],
    ['617-555-010', null],
    ['117-555-0100', null],
    ['617/555/0100', null],
    [' 617-555-0100', null],
  ])('reads the digits of %s', (raw, expected) => {
    expect(nanpDigits(raw)).toBe(expected);
  });

  it('answers only valid numbers (the rest go to libphonenumber)', () => {
    expect(validNanpE164('(617) 555-0100')).toBe('+16175550100');
    expect(validNanpE164('555-810-7203')).toBeNull(); // unverified: libphonenumber's call
    expect(validNanpE164('(555) 123-4567')).toBeNull();
    expect(validNanpE164('+44 20 7946 0958')).toBeNull();
  });
});
