import type { CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { standardizePostalCode } from './standardize-postal-code.js';

const ctx = (defaultCountry: CountryCode = 'US', country: string | null = null) => ({
  field: 'postal_code',
  referenceDate: undefined,
  defaultCountry,
  country,
});

describe('standardizePostalCode', () => {
  it.each([
    ['keeps a leading zero', '02155', '02155'],
    ['keeps 5 digits', '94103', '94103'],
    ['keeps ZIP+4', '01801-4979', '01801-4979'],
    ['hyphenates 9 digits', '018014979', '01801-4979'],
    ['normalizes a space in ZIP+4', '01801 4979', '01801-4979'],
  ])('%s', (_name, raw, expected) => {
    expect(standardizePostalCode(raw, ctx())).toEqual({ value: expected });
  });

  it.each([
    ['2155', '02155'],
    ['1801-4979', '01801-4979'],
  ])('restores the lost leading zero of %s with a warning', (raw, expected) => {
    const result = standardizePostalCode(raw, ctx());
    expect(result.value).toBe(expected);
    expect(result.findings?.map((f) => f.rule)).toEqual(['postal_code.leading_zero_restored']);
  });

  it('keeps a malformed US code as given with a postal_code.invalid warning', () => {
    const result = standardizePostalCode('ABC12', ctx());
    expect(result.value).toBe('ABC12');
    expect(result.findings?.map((f) => [f.rule, f.severity])).toEqual([['postal_code.invalid', 'warning']]);
  });

  it.each([
    ['an Australian 4-digit postcode is not padded', '2000', ctx('US', 'AU'), '2000'],
    ['a UK postcode is upper-cased', 'sw1a 1aa', ctx('GB'), 'SW1A 1AA'],
  ])('%s', (_name, raw, context, expected) => {
    expect(standardizePostalCode(raw, context)).toEqual({ value: expected });
  });
});
