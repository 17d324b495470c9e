import { describe, expect, it } from 'vitest';
import { harmonizeText } from './harmonize-text.js';
import { InputError } from './input-error.js';

describe('harmonizeText', () => {
  it('runs the whole pipeline: BOM, detection, mapping, dedup and report', () => {
    const text = '\uFEFFMRN;Surname;DOB\r\n1;DOE;1/2/1990\r\n1;Doe;01/02/1990\r\n1;Doe;1990-01-03\r\n2;Roe;bad\r\n';
    const result = harmonizeText(text, { referenceDate: '2025-06-15' });
    expect(result.detection).toMatchObject({ dataset: 'patients', method: 'detected' });
    expect(result.kept.map((r) => r.row)).toEqual([1]);
    expect(result.duplicates).toEqual([
      { row: 2, duplicateOf: 1, kind: 'exact' },
      { row: 3, duplicateOf: 1, kind: 'key' },
    ]);
    expect(result.report).toMatchObject({ rows_in: 4, rows_out: 1, rows_rejected: 1, duplicates: { exact: 1, by_key: 1 } });
  });

  it('completes with zero rows on a header-only file', () => {
    expect(harmonizeText('MRN,DOB\n').report).toMatchObject({ rows_in: 0, rows_out: 0, rows_rejected: 0 });
  });

  it.each([
    ['an undetectable header', 'a,b\n1,2\n', {}, 'input.unknown_dataset'],
    ['a dedup key that is no field', 'MRN,DOB\n1,2000-01-01\n', { options: { dedup_keys: ['mrn'] } }, 'input.invalid_options'],
    ['missing required columns', 'First,City\nA,B\n', { dataset: 'patients' }, 'input.required_columns_missing'],
  ])('fails with an InputError on %s', (_name, text, input, code) => {
    expect(() => harmonizeText(text, input)).toThrow(InputError);
    try {
      harmonizeText(text, input);
    } catch (err) {
      expect((err as InputError).code).toBe(code);
    }
  });
});
