import { describe, expect, it } from 'vitest';
import { standardizeGender } from './standardize-gender.js';

const ctx = { field: 'gender', referenceDate: undefined, defaultCountry: 'US' as const, country: null };

describe('standardizeGender', () => {
  it.each([
    ['M', 'male'], ['m', 'male'], ['Male', 'male'], ['MALE', 'male'], ['man', 'male'],
    ['F', 'female'], ['f', 'female'], ['FEMALE', 'female'], ['Female', 'female'], ['W', 'female'], ['woman', 'female'],
    ['O', 'other'], ['other', 'other'], ['X', 'other'], ['Non-binary', 'other'], ['nonbinary', 'other'],
    ['U', 'unknown'], ['Unknown', 'unknown'], ['UNK', 'unknown'], ['not known', 'unknown'], ['Prefer not to say', 'unknown'],
  ])('%s -> %s without a warning', (raw, expected) => {
    expect(standardizeGender(raw, ctx)).toEqual({ value: expected });
  });

  it.each([['1'], ['2'], ['Q'], ['mal']])('records %s as unknown with a gender.unknown warning', (raw) => {
    const result = standardizeGender(raw, ctx);
    expect(result.value).toBe('unknown');
    expect(result.findings).toEqual([
      expect.objectContaining({ field: 'gender', rule: 'gender.unknown', severity: 'warning' }),
    ]);
    expect(result.findings?.[0]?.message).not.toContain(raw);
  });
});
