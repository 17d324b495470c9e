import { describe, expect, it } from 'vitest';
import { harmonizeText } from '../harmonize-text.js';
import type { DatasetName, HarmonizeOptions } from '../types.js';

function run(dataset: DatasetName, text: string, options: HarmonizeOptions) {
  const { chunk } = harmonizeText(text, { dataset, options, referenceDate: '2025-06-15' });
  return { ...chunk, json: chunk.accepted.map((a) => JSON.parse(a.json) as Record<string, unknown>) };
}

const LABS = `patient_id,code,effective_datetime,value,unit
p1,GLU,2024-01-02T10:00:00Z,5.5,mmol/L
p2, GLU ,2024-01-02T11:00:00Z,5.1,mmol/L
p3,2345-7,2024-01-02T12:00:00Z,4.9,mmol/L
`;

describe('options.code_map', () => {
  it('maps a local lab code to its LOINC code before standardization, counting each mapping', () => {
    const result = run('lab_results', LABS, { code_map: { code: { GLU: '2345-7' } } });
    expect(result.json.map((r) => r.code)).toEqual(['2345-7', '2345-7', '2345-7']);
    expect(result.json[0]?.code_system).toBe(result.json[2]?.code_system);
    expect(result.stats.conversions?.['code_map:code']).toBe(2);
  });

  it('leaves codes alone without a code_map', () => {
    const result = run('lab_results', LABS, {});
    expect(result.json[0]?.code).toBe('GLU');
    expect(result.stats.conversions?.['code_map:code']).toBeUndefined();
  });

  it('matches whole codes only, so a code containing a local code is not rewritten', () => {
    const result = run('lab_results', 'patient_id,code,effective_datetime,value,unit\np1,GLUC,2024-01-02T10:00:00Z,5.5,mmol/L\n', {
      code_map: { code: { GLU: '2345-7' } },
    });
    expect(result.json[0]?.code).toBe('GLUC');
    expect(result.stats.conversions?.['code_map:code']).toBeUndefined();
  });

  it('runs mapped values through normal validation, so an unknown standard value is still flagged', () => {
    const text = 'patient_id,gender,birth_date\np1,1,1980-01-01\np2,2,1981-02-03\np3,9,1982-03-04\n';
    const result = run('patients', text, { code_map: { gender: { '1': 'male', '2': 'female', '9': 'not-a-gender-xyz' } } });
    expect(result.json.map((r) => r.gender)).toEqual(['male', 'female', 'unknown']);
    expect(result.stats.rowsWarned).toBe(1);
    expect(result.stats.conversions?.['code_map:gender']).toBe(3);
  });

  it('ignores code_map fields the file has no column for', () => {
    const result = run('patients', 'patient_id,birth_date\np1,1980-01-01\n', { code_map: { gender: { '1': 'male' } } });
    expect(result.accepted).toHaveLength(1);
    expect(result.stats.conversions).toBeUndefined();
  });
});
