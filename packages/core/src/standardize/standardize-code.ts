import type { CodeMatch } from '../codes/code-match.js';
import { CODE_SYSTEM_URIS, CODE_SYSTEMS, systemFromName, type CodeSystem } from '../codes/code-systems.js';
import { CODE_MATCHERS, detectCodeSystem } from '../codes/normalize-code.js';
import type { FieldDefinition } from '../datasets/dataset-definition.js';
import { finding, type Finding } from '../validate/rules.js';
import type { Standardized, Standardizer } from './standardize-context.js';

const NAMES: Readonly<Record<CodeSystem, string>> = {
  loinc: 'LOINC', snomed: 'SNOMED CT', icd10cm: 'ICD-10-CM', icd10pcs: 'ICD-10-PCS', icd9cm: 'ICD-9-CM',
  icd9pcs: 'ICD-9-CM procedure', rxnorm: 'RxNorm', ndc: 'NDC', cvx: 'CVX', npi: 'NPI', cpt: 'CPT', hcpcs: 'HCPCS',
  local: 'local',
};

/**
 * clinical_code fields. Which system a value belongs to, first found: the row's own system
 * field (a SYSTEM column), the column's system (its header says ICD9_CODE or LOINC_CODE, or
 * inferColumnFormats found it from the values), else the first accepted system whose format and
 * check digit fit. Values are written in the system's canonical form (dotted ICD, 11-digit NDC,
 * two-digit CVX); the system URI goes to the field's systemField. Nothing is dropped: a code
 * that fits no system is kept as written with a warning.
 */
export function createCodeStandardizer(field: FieldDefinition, columnSystem: CodeSystem | null): Standardizer {
  const accepted = field.codeSystems ?? ['local'];
  return (raw, ctx): Standardized => {
    const text = raw.replace(/\s+/g, '');
    const rowSystemName = field.systemField ? ctx.record?.[field.systemField] : null;
    const system = (rowSystemName ? systemFromName(rowSystemName, accepted) : null) ?? columnSystem;
    if (system) {
      const match = CODE_MATCHERS[system](text, true);
      if (!match) {
        return withSystem(field, system, {
          value: raw,
          findings: [finding(ctx.field, 'code.invalid_format', `${ctx.field} is not in ${NAMES[system]} format; kept as written`)],
        });
      }
      return withSystem(field, system, fromMatch(match, ctx.field, system));
    }
    const detected = detectCodeSystem(text, accepted);
    if (!detected) {
      const names = accepted.map((s) => NAMES[s]).join(', ');
      return { value: raw, findings: [finding(ctx.field, 'code.unrecognized', `${ctx.field} is no ${names} code; kept as written`)] };
    }
    return withSystem(field, detected.system, fromMatch(detected.match, ctx.field, detected.system));
  };
}

function fromMatch(match: CodeMatch, field: string, system: CodeSystem): Standardized {
  const findings: Finding[] = [];
  if (match.checkFailed) findings.push(finding(field, 'code.check_digit', `${field} has a wrong ${NAMES[system]} check digit; kept as written`));
  if (match.repair) findings.push(finding(field, match.repair, repairMessage(field, match.repair)));
  return findings.length > 0 ? { value: match.code, findings } : { value: match.code };
}

function repairMessage(field: string, repair: NonNullable<CodeMatch['repair']>): string {
  switch (repair) {
    case 'icd.leading_zero_restored':
      return `${field} lost its leading zeros; restored because the column holds ICD-9-CM`;
    case 'cvx.leading_zero_restored':
      return `${field} is a one-digit CVX code; written with its leading zero`;
    case 'ndc.leading_zero_restored':
      return `${field} lost leading zeros; padded to 11 digits`;
    case 'ndc.ambiguous':
      return `${field} is a 10-digit NDC without hyphens; kept, since which segment is short is unknown`;
  }
}

function withSystem(field: FieldDefinition, system: CodeSystem, result: Standardized): Standardized {
  if (field.systemField) result.siblings = { [field.systemField]: CODE_SYSTEM_URIS[system] };
  return result;
}

/** code_system fields (a SYSTEM column: "SNOMED-CT", "RxNorm", a URI): the FHIR system URI. */
export const standardizeCodeSystem: Standardizer = (raw, ctx) => {
  const system = systemFromName(raw, CODE_SYSTEMS);
  if (system && system !== 'local') return { value: CODE_SYSTEM_URIS[system] };
  return { value: raw, findings: [finding(ctx.field, 'code_system.unknown', `${ctx.field} names no known code system; kept as written`)] };
};
