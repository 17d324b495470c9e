import type { CountryCode } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { standardizePhone } from './standardize-phone.js';

const ctx = (defaultCountry: CountryCode = 'US', country: string | null = null) => ({
  field: 'phone',
  referenceDate: undefined,
  defaultCountry,
  country,
});

describe('standardizePhone', () => {
  it.each([
    ['dashed US number (Synthea)', '617-884-8300', '+16178848300'],
    ['bare 10 digits', '5082225200', '+15082225200'],
    ['with the country code', '1-877-267-2323', '+18772672323'],
    ['with parentheses and dots', '(617) 884.8300', '+16178848300'],
    ['already E.164', '+16178848300', '+16178848300'],
    ['international with spaces', '+44 20 7946 0958', '+442079460958'],
    ['with an extension (dropped)', '617-884-8300 x12', '+16178848300'],
  ])('%s -> E.164', (_name, raw, expected) => {
    expect(standardizePhone(raw, ctx())).toEqual({ value: expected });
  });

  it('reads national numbers in the default country', () => {
    expect(standardizePhone('020 7946 0958', ctx('GB')).value).toBe('+442079460958');
  });

  it("prefers the row's own country to the default", () => {
    expect(standardizePhone('020 7946 0958', ctx('US', 'GB')).value).toBe('+442079460958');
  });

  it.each([
    ['a fictional 555 number (Synthea)', '555-810-7203', '+15558107203'],
    ['an unassigned area code with the country code', '1-555-911-1234', '+15559111234'],
    ['all fives', '5555555555', '+15555555555'],
  ])('keeps %s in E.164 with a phone.unverified warning', (_name, raw, expected) => {
    const result = standardizePhone(raw, ctx());
    expect(result.value).toBe(expected);
    expect(result.findings?.map((f) => [f.rule, f.severity])).toEqual([['phone.unverified', 'warning']]);
  });

  it.each([
    ['too short', '12345'],
    ['letters', 'call me'],
    ['an exchange starting with 1', '(555) 123-4567'],
    ['an N11 service code as area code', '211-555-1234'],
    ['all zeros', '000-000-0000'],
    ['a UK number read as US', '020 7946 0958'],
    ['a non-NANP number of a possible length but no valid range', '+44 1234 567'],
  ])('drops %s with a phone.invalid warning', (_name, raw) => {
    const result = standardizePhone(raw, ctx());
    expect(result.value).toBeNull();
    expect(result.findings?.map((f) => [f.rule, f.severity])).toEqual([['phone.invalid', 'warning']]);
  });
});
