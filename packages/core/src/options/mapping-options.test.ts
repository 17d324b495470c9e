import { describe, expect, it } from 'vitest';
import { OptionsError, parseOptions } from './parse-options.js';

const fieldOf = (raw: unknown) => {
  try {
    parseOptions(raw);
  } catch (err) {
    if (err instanceof OptionsError) return err.field;
    throw err;
  }
  return null;
};

describe('parseOptions: code_map and mapping_profile', () => {
  it('accepts a code map and a profile name', () => {
    const options = { mapping_profile: 'clinic-a_2', code_map: { code: { GLU: '2345-7' } } };
    expect(parseOptions(JSON.stringify(options))).toEqual(options);
  });

  it('refuses a profile name that is not a lower-case slug, naming the field', () => {
    expect(fieldOf({ mapping_profile: 'Clinic A' })).toBe('mapping_profile');
    expect(fieldOf({ mapping_profile: 'x'.repeat(65) })).toBe('mapping_profile');
  });

  it('refuses a code map whose codes are not strings, naming the field', () => {
    expect(fieldOf({ code_map: { code: { GLU: 7 } } })).toBe('code_map.code.GLU');
    expect(fieldOf({ code_map: { code: 'GLU' } })).toBe('code_map.code');
  });
});
