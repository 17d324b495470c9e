import { describe, expect, it } from 'vitest';
import { getDataset } from '../datasets/registry.js';
import { InputError } from '../input-error.js';
import { checkQualityGate } from './quality-gate.js';
import { keyFields, overallQuality, qualityScore } from './quality-score.js';

const patients = getDataset('patients');
const full = (fields: string[]) => Object.fromEntries(fields.map((f) => [f, 1]));

describe('qualityScore', () => {
  it('gives 100 to complete, clean rows', () => {
    expect(qualityScore(patients, { completeness: full(['patient_id']), rowsIn: 10, rowsRejected: 0, rowsWarned: 0 }).score).toBe(100);
  });

  it('multiplies key completeness, the share kept, and half the share warned', () => {
    const q = qualityScore(patients, { completeness: { patient_id: 0.8 }, rowsIn: 100, rowsRejected: 10, rowsWarned: 20 });
    expect(q).toMatchObject({ key_fields: ['patient_id'], key_completeness: 0.8, reject_rate: 0.1, warning_rate: 0.2 });
    expect(q.score).toBe(64.8); // 100 × 0.8 × 0.9 × 0.9
  });

  it('judges a file by the identifying column set it fills best', () => {
    expect(keyFields(patients, { family_name: 1, birth_date: 0.9, patient_id: 0 })).toEqual(['family_name', 'birth_date']);
    expect(keyFields(patients, { family_name: 1, birth_date: 0.9, patient_id: 1 })).toEqual(['patient_id']);
  });

  it('has no score for a file without rows', () => {
    expect(qualityScore(patients, { completeness: {}, rowsIn: 0, rowsRejected: 0, rowsWarned: 0 }).score).toBeNull();
  });
});

describe('overallQuality', () => {
  it('weights each dataset by its rows and leaves out empty ones', () => {
    expect(overallQuality([
      { rows_in: 300, quality: { score: 90 } },
      { rows_in: 100, quality: { score: 50 } },
      { rows_in: 0, quality: { score: null } },
    ])).toBe(80);
    expect(overallQuality([{ rows_in: 0, quality: { score: null } }])).toBeNull();
  });
});

describe('checkQualityGate', () => {
  const report = {
    rows_in: 200,
    rows_rejected: 30,
    rules: [
      { rule: 'gender.unknown', severity: 'warning' as const, count: 50 },
      { rule: 'date.unparseable', severity: 'error' as const, count: 25 },
      { rule: 'deceased_date.before_birth', severity: 'error' as const, count: 5 },
    ],
  };

  it('passes without the option, at the threshold, and for an empty file', () => {
    expect(() => checkQualityGate(report, {})).not.toThrow();
    expect(() => checkQualityGate(report, { fail_if_error_rate_above: 0.15 })).not.toThrow();
    expect(() => checkQualityGate({ rows_in: 0, rows_rejected: 0 }, { fail_if_error_rate_above: 0 })).not.toThrow();
  });

  it('fails a job whose reject rate is above the threshold, naming rate, threshold and causes', () => {
    let error: unknown;
    try {
      checkQualityGate(report, { fail_if_error_rate_above: 0.1 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('quality.error_rate_exceeded');
    expect((error as InputError).message).toBe(
      '30 of 200 rows were rejected (15%), above fail_if_error_rate_above 0.1 (10%); ' +
        'most frequent errors: date.unparseable (25), deceased_date.before_birth (5).',
    );
  });

  it('treats 0 as "no rejects allowed"', () => {
    expect(() => checkQualityGate({ rows_in: 5, rows_rejected: 1 }, { fail_if_error_rate_above: 0 })).toThrow(/20%/);
  });
});
