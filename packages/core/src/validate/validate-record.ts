import type { DatasetDefinition, RuleContext, StandardRecord } from '../datasets/dataset-definition.js';
import { finding, type Finding } from './rules.js';

/**
 * Row-level checks on a standardized record: required fields, then the dataset's cross-field
 * rules. `fieldFindings` are the standardizers' findings, so that a field already reported as
 * unparseable is not reported again as missing. `twoDigitYears` names the date fields written
 * with two-digit years: a failed comparison of one of them says so, since a wrong century is
 * then the likely cause (MIMIC's 3/5/94 birth date read as 1994, its 8/12/65 death as 1965).
 */
export function validateRecord(
  def: DatasetDefinition,
  record: StandardRecord,
  fieldFindings: readonly Finding[],
  ctx: RuleContext,
  twoDigitYears: ReadonlySet<string> | null = null,
): Finding[] {
  const findings: Finding[] = [];
  // Fields whose standardizer already failed, worked out only when a required field is empty.
  let failed: Set<string> | null = null;
  for (const field of def.fields) {
    if (!field.required || record[field.name] != null) continue;
    failed ??= new Set(fieldFindings.filter((f) => f.severity === 'error').map((f) => f.field));
    if (!failed.has(field.name)) findings.push(finding(field.name, 'required.missing', `${field.name} is required but empty`));
  }
  for (const rule of def.rules) {
    if (!rule.violated(record, ctx)) continue;
    const shortYears = twoDigitYears ? (rule.dateFields ?? []).filter((f) => twoDigitYears.has(f)) : [];
    const message =
      shortYears.length === 0
        ? rule.message
        : `${rule.message}; ${shortYears.join(' and ')} ${shortYears.length > 1 ? 'were' : 'was'} written with a two-digit year, ` +
          'so the century may be wrong: set options.two_digit_year_base (e.g. 2100, or per field) to read it';
    findings.push({ field: rule.field, rule: rule.rule, severity: rule.severity, message });
  }
  return findings;
}
