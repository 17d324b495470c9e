import type { RecordRule } from '../datasets/dataset-definition.js';
import type { Severity } from '../types.js';
import { endsBeforeStart } from './compare-times.js';

/** `end` must not be before `start` (discharge after admission, stop after start). */
export function endAfterStart(rule: string, start: string, end: string, severity: Severity, what: string): RecordRule {
  return {
    rule,
    severity,
    field: end,
    message: `${end} is before ${start}: ${what}`,
    dateFields: [start, end],
    violated: (r) => endsBeforeStart(r[start], r[end]),
  };
}

/** The record names no one and nothing: none of the fields in any of the sets is complete. */
export function identifiedBy(rule: string, field: string, sets: readonly (readonly string[])[], message: string): RecordRule {
  return {
    rule,
    severity: 'error',
    field,
    message,
    violated: (r) => !sets.some((set) => set.every((name) => r[name] != null && r[name] !== '')),
  };
}
