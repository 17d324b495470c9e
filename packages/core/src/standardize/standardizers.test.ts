import { describe, expect, it } from 'vitest';
import type { FieldType } from '../datasets/dataset-definition.js';
import { standardizeValue } from './standardizers.js';

const ctx = { field: 'f', referenceDate: '2025-06-15', defaultCountry: 'US' as const, country: null };
const value = (type: FieldType, raw: string) => standardizeValue(type, raw, ctx).value;

describe('standardizeValue', () => {
  it.each(['', '  ', '?', 'NA', 'N/A', 'null', 'NULL', 'None', 'Not Available', 'NaN', '#N/A'])(
    'reads the missing-value marker %j as empty',
    (raw) => {
      expect(standardizeValue('text', raw, ctx)).toEqual({ value: null });
      expect(standardizeValue('date', raw, ctx)).toEqual({ value: null });
    },
  );

  it('reads "unknown" as empty in a date column only', () => {
    expect(value('date', 'Unknown')).toBeNull();
    expect(value('gender', 'unknown')).toBe('unknown');
    expect(value('text', 'unknown')).toBe('unknown');
  });

  it('keeps a surname that only looks like a marker', () => {
    expect(value('name', 'Na')).toBe('Na');
  });

  it.each<[FieldType, string, string | null]>([
    ['id', ' 010005 ', '010005'],
    ['text', ' 784  Stamm Lock ', '784 Stamm Lock'],
    ['code', ' m ', 'M'],
    ['email', ' John.Doe@Example.COM ', 'john.doe@example.com'],
    ['email', 'mailto:a@b.org', 'a@b.org'],
    ['state', 'Massachusetts', 'MA'],
    ['state', 'ma', 'MA'],
    ['state', 'new  york', 'NY'],
    ['state', 'Ontario', 'Ontario'],
    ['country', 'United States', 'US'],
    ['country', 'usa', 'US'],
    ['country', 'de', 'DE'],
    ['country', 'Côte d’Ivoire', 'Côte d’Ivoire'],
    ['ssn', '999175017', '999-17-5017'],
    ['ssn', '999-17-5017', '999-17-5017'],
    ['name_prefix', 'MRS.', 'Mrs.'],
  ])('standardizes %s %j -> %j', (type, raw, expected) => {
    expect(value(type, raw)).toBe(expected);
  });

  it.each([['no-at-sign.example.com'], ['a@b'], ['a b@c.com'], ['a@-b.com'], ['a..b@c.com']])(
    'drops the invalid email %j with email.invalid',
    (raw) => {
      const result = standardizeValue('email', raw, ctx);
      expect(result.value).toBeNull();
      expect(result.findings?.map((f) => [f.rule, f.severity])).toEqual([['email.invalid', 'warning']]);
    },
  );

  it('keeps an SSN that is not 9 digits with ssn.invalid', () => {
    const result = standardizeValue('ssn', '12-345', ctx);
    expect(result.value).toBe('12-345');
    expect(result.findings?.map((f) => f.rule)).toEqual(['ssn.invalid']);
  });
});
