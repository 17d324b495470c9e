import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { OptionsError, parseOptions } from './parse-options.js';
import { validateOptionsForDataset } from './validate-options-for-dataset.js';

function optionsError(raw: unknown): OptionsError {
  try {
    parseOptions(raw);
  } catch (err) {
    if (err instanceof OptionsError) return err;
    throw err;
  }
  throw new Error('expected an OptionsError');
}

describe('parseOptions', () => {
  it.each([
    ['nothing', undefined, {}],
    ['null', null, {}],
    ['an empty string', '  ', {}],
    ['an empty object', {}, {}],
    ['every option', { dedup_keys: ['patient_id'], mapping: { DOB: 'birth_date' }, default_country: 'gb' }, { dedup_keys: ['patient_id'], mapping: { DOB: 'birth_date' }, default_country: 'GB' }],
    ['a JSON string', '{"default_country":"US"}', { default_country: 'US' }],
  ])('accepts %s', (_name, raw, expected) => {
    expect(parseOptions(raw)).toEqual(expected);
  });

  it.each([
    ['not JSON', '{nope', 'options', 'not valid JSON'],
    ['not an object', [1], 'options', 'options must be an object'],
    ['an unknown key', { dedup_key: ['x'] }, 'dedup_key', 'options.dedup_key is not a known option'],
    ['dedup_keys of the wrong type', { dedup_keys: 'patient_id' }, 'dedup_keys', 'options.dedup_keys must be an array'],
    ['an empty dedup_keys', { dedup_keys: [] }, 'dedup_keys', 'options.dedup_keys must name at least one field'],
    ['a bad dedup key', { dedup_keys: ['a', 3] }, 'dedup_keys.1', 'options.dedup_keys.1 must be a string'],
    ['a bad mapping value', { mapping: { DOB: 7 } }, 'mapping.DOB', 'options.mapping.DOB must be a string'],
    ['a 3-letter country', { default_country: 'USA' }, 'default_country', 'ISO 3166 alpha-2'],
    ['an unknown country', { default_country: 'ZZ' }, 'default_country', 'options.default_country is not a country'],
  ])('rejects %s naming the field', (_name, raw, field, message) => {
    const err = optionsError(raw);
    expect(err.field).toBe(field);
    expect(err.message).toContain(message);
  });
});

describe('validateOptionsForDataset', () => {
  it('accepts dedup_keys that are fields of the dataset', () => {
    expect(() => validateOptionsForDataset({ dedup_keys: ['family_name', 'birth_date'] }, 'patients')).not.toThrow();
  });

  it('rejects dedup_keys that are not, naming them', () => {
    try {
      validateOptionsForDataset({ dedup_keys: ['patient_id', 'DOB'] }, 'patients');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe('input.invalid_options');
      expect((err as InputError).message).toContain('"DOB"');
    }
  });
});
