import { fhirSource, uuidV5 } from '../fhir-output/fhir-id.js';
import type { FhirResource } from '../fhir-output/fhir-types.js';
import type { Issue } from '../types.js';

/** System of the rule codes in OperationOutcome.issue.details.coding. */
export const RULE_SYSTEM = 'urn:harmonizer:rule';

/** A rejected row as written to rejects.ndjson (see rejectLine). */
export interface RejectedRow {
  row: number;
  issues: readonly Issue[];
}

/** FHIR IssueType (a required binding) for a rule code. */
function issueType(issue: Issue): 'required' | 'structure' | 'value' | 'invalid' {
  if (issue.rule.startsWith('required.')) return 'required';
  if (issue.rule.startsWith('row.')) return 'structure';
  return issue.field && !issue.field.startsWith('_') ? 'value' : 'invalid';
}

/**
 * One rejected row as a FHIR R4 OperationOutcome: one issue per finding, with the rule code in
 * details.coding, the message in details.text, the canonical field in expression, and the row
 * (and the raw value, only when the job set include_values and the engine attached it) in
 * diagnostics. `dataset` keeps ids apart when one job holds several datasets.
 */
export function toOperationOutcome(rejected: RejectedRow, meta: { jobId: string; dataset?: string }): FhirResource {
  const issue = rejected.issues.map((i) => {
    const diagnostics = [`row=${rejected.row}`, `rule=${i.rule}`];
    if (i.value !== undefined) diagnostics.push(`value=${JSON.stringify(i.value)}`);
    return {
      severity: i.severity,
      code: issueType(i),
      details: { coding: [{ system: RULE_SYSTEM, code: i.rule }], text: i.message },
      diagnostics: diagnostics.join('; '),
      ...(i.field ? { expression: [i.field] } : {}),
    };
  });
  if (issue.length === 0) {
    issue.push({
      severity: 'error',
      code: 'invalid',
      details: { coding: [{ system: RULE_SYSTEM, code: 'row.rejected' }], text: 'the row was rejected' },
      diagnostics: `row=${rejected.row}`,
    });
  }
  return {
    resourceType: 'OperationOutcome',
    id: uuidV5(`job/${meta.jobId}/${meta.dataset ?? ''}/rejects/${rejected.row}`),
    meta: { source: fhirSource(meta.jobId, rejected.row) },
    issue,
  };
}
