import { describe, expect, it } from 'vitest';
import { OptionsError, parseOptions } from './parse-options.js';

function optionsError(raw: unknown): OptionsError {
  try {
    parseOptions(raw);
  } catch (err) {
    if (err instanceof OptionsError) return err;
    throw err;
  }
  throw new Error('expected an OptionsError');
}

describe('parseOptions: outputs, include_values and the quality gate', () => {
  it('accepts them', () => {
    expect(parseOptions({ outputs: ['csv', 'parquet'], include_values: true, fail_if_error_rate_above: 0.05 })).toEqual({
      outputs: ['csv', 'parquet'],
      include_values: true,
      fail_if_error_rate_above: 0.05,
    });
  });

  it.each([
    ['an unknown output', { outputs: ['xlsx'] }, 'outputs.0', 'must each be one of csv, ndjson, fhir, parquet'],
    ['no outputs', { outputs: [] }, 'outputs', 'must name at least one output'],
    ['a repeated output', { outputs: ['csv', 'csv'] }, 'outputs', 'must not repeat an output'],
    ['include_values as a string', { include_values: 'yes' }, 'include_values', 'must be a boolean'],
    ['a rate above 1', { fail_if_error_rate_above: 5 }, 'fail_if_error_rate_above', 'must be between 0 and 1'],
    ['a negative rate', { fail_if_error_rate_above: -0.1 }, 'fail_if_error_rate_above', 'must be between 0 and 1'],
    ['raw values in a de-identified job', { include_values: true, deidentify: true }, 'include_values', 'cannot be combined with options.deidentify'],
  ])('rejects %s naming the field', (_name, raw, field, message) => {
    const err = optionsError(raw);
    expect(err.field).toBe(field);
    expect(err.message).toContain(message);
  });

  it('lists every known option when a key is misspelt', () => {
    expect(optionsError({ output: ['csv'] }).message).toContain('include_values, fail_if_error_rate_above, outputs');
  });
});
