import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { OptionsError, parseOptions } from './parse-options.js';
import { validateOptionsForDataset } from './validate-options-for-dataset.js';

describe('options.two_digit_year_base', () => {
  it.each([
    ['one year for every date field', { two_digit_year_base: 2100 }],
    ['a year per field', { two_digit_year_base: { birth_date: 2000, deceased_date: 2100 } }],
  ])('accepts %s', (_name, raw) => expect(parseOptions(raw)).toEqual(raw));

  it.each([
    ['a fraction', { two_digit_year_base: 2100.5 }, 'two_digit_year_base'],
    ['a two-digit year', { two_digit_year_base: 21 }, 'two_digit_year_base'],
    ['a string', { two_digit_year_base: '2100' }, 'two_digit_year_base'],
  ])('rejects %s', (_name, raw, field) => {
    expect(() => parseOptions(raw)).toThrow(OptionsError);
    try {
      parseOptions(raw);
    } catch (err) {
      expect((err as OptionsError).field).toBe(field);
    }
  });

  it('requires per-field keys to be date fields of the dataset', () => {
    expect(() => validateOptionsForDataset({ two_digit_year_base: { start_datetime: 2100 } }, 'encounters')).not.toThrow();
    expect(() => validateOptionsForDataset({ two_digit_year_base: { DOB: 2000 } }, 'patients')).toThrow(InputError);
    expect(() => validateOptionsForDataset({ two_digit_year_base: { gender: 2000 } }, 'patients')).toThrow(/birth_date, deceased_date/);
  });
});
