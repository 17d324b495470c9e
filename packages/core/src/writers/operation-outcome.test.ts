import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { OperationOutcomeSchema } from '../fhir-output/fhir-resource-schemas.js';
import { harmonizeText } from '../harmonize-text.js';
import type { Issue } from '../types.js';
import { RULE_SYSTEM, toOperationOutcome } from './operation-outcome.js';

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(OperationOutcomeSchema);
const meta = { jobId: 'job-1' };

const FILE = `MRN,Last Name,DOB,Deceased,Sex
1,Doe,31/31/1990,,F
2,Roe,1990-01-01,1980-01-01,Q
`;
const rejects = (includeValues: boolean) =>
  harmonizeText(FILE, { dataset: 'patients', options: { include_values: includeValues }, referenceDate: '2025-06-15' }).chunk.rejects.map(
    (line) => JSON.parse(line) as { row: number; issues: Issue[] },
  );

describe('toOperationOutcome', () => {
  it('writes one valid OperationOutcome per rejected row, one issue per finding', () => {
    const outcomes = rejects(false).map((r) => toOperationOutcome(r, meta));
    expect(outcomes).toHaveLength(2);
    for (const outcome of outcomes) expect(validate(outcome), JSON.stringify(validate.errors)).toBe(true);
    expect(outcomes[1]).toMatchObject({
      resourceType: 'OperationOutcome',
      meta: { source: 'urn:harmonizer:job:job-1#row=2' },
      issue: [
        {
          severity: 'warning',
          code: 'value',
          details: { coding: [{ system: RULE_SYSTEM, code: 'gender.unknown' }] },
          diagnostics: 'row=2; rule=gender.unknown',
          expression: ['gender'],
        },
        {
          severity: 'error',
          code: 'value',
          details: { coding: [{ system: RULE_SYSTEM, code: 'deceased_date.before_birth' }], text: 'deceased_date is before birth_date' },
          expression: ['deceased_date'],
        },
      ],
    });
  });

  it('carries the raw value only when the job asked for values', () => {
    expect(JSON.stringify(rejects(false).map((r) => toOperationOutcome(r, meta)))).not.toContain('31/31/1990');
    const [first] = rejects(true).map((r) => toOperationOutcome(r, meta));
    expect(first?.issue).toEqual([expect.objectContaining({ diagnostics: 'row=1; rule=date.unparseable; value="31/31/1990"' })]);
  });

  it.each([
    ['required.missing', 'patient_id', 'required'],
    ['row.malformed', '_row', 'structure'],
    ['some.rule', '', 'invalid'],
  ])('codes %s as %s', (rule, field, code) => {
    const outcome = toOperationOutcome({ row: 3, issues: [{ row: 3, field, rule, severity: 'error', message: 'm' }] }, meta);
    expect(outcome.issue).toEqual([expect.objectContaining({ code })]);
    expect(validate(outcome)).toBe(true);
  });

  it('has a stable id per job, dataset and row', () => {
    const a = toOperationOutcome({ row: 3, issues: [] }, { jobId: 'j', dataset: 'patients' });
    expect(toOperationOutcome({ row: 3, issues: [] }, { jobId: 'j', dataset: 'patients' }).id).toBe(a.id);
    expect(toOperationOutcome({ row: 3, issues: [] }, { jobId: 'j', dataset: 'encounters' }).id).not.toBe(a.id);
    expect(validate(a)).toBe(true);
  });
});
