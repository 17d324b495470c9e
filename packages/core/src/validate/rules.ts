import type { Severity } from '../types.js';

/**
 * Field- and row-level rule codes the engine itself raises, with their severity. An error
 * rejects the row; a warning keeps it. Dataset-specific cross-field rules live in each dataset
 * file. Codes are stable: users filter reports and rejects by them.
 */
export const RULES = {
  'required.missing': { severity: 'error', description: 'A required field is empty.' },
  'date.unparseable': { severity: 'error', description: 'A date is in no known format, or is not a calendar date.' },
  'date.two_digit_year': {
    severity: 'warning',
    description: 'A two-digit year was read as the latest matching year not after the reference date.',
  },
  'gender.unknown': { severity: 'warning', description: 'Gender not recognised; recorded as unknown.' },
  'phone.invalid': { severity: 'warning', description: 'Not a valid phone number; the value was dropped.' },
  'phone.unverified': {
    severity: 'warning',
    description: 'A well-formed North American number (10 digits, area code and exchange 2-9XX) in no range known to be in use, such as 555 numbers; kept in E.164.',
  },
  'email.invalid': { severity: 'warning', description: 'Not a valid email address; the value was dropped.' },
  'postal_code.leading_zero_restored': {
    severity: 'warning',
    description: 'A 4-digit US ZIP code lost its leading zero (spreadsheet damage); it was restored.',
  },
  'postal_code.invalid': { severity: 'warning', description: 'A US postal code is not 5 digits or ZIP+4; kept as given.' },
  'ssn.invalid': { severity: 'warning', description: 'An SSN is not 9 digits; kept as given.' },
  'date.sentinel': {
    severity: 'warning',
    description: 'A date is 1970-01-01 or 1900-01-01, the values systems write for "no date"; kept, but check it.',
  },
  'date.placeholder': {
    severity: 'warning',
    description: 'A date column holds text with no date in it ("Pre-PQ Process"); the field is left empty and the text kept under extras.',
  },
  'number.not_numeric': {
    severity: 'warning',
    description: 'A numeric field holds text; the field is left empty and the text kept in its text field or under extras.',
  },
  'number.range_text': {
    severity: 'warning',
    description: 'A numeric field holds a range ("1-2", "325-650"); kept as text, not as a number.',
  },
  'number.not_integer': { severity: 'warning', description: 'An integer field holds a fraction; kept under extras.' },
  'boolean.invalid': { severity: 'warning', description: 'Not a yes/no value; the field is left empty and the text kept under extras.' },
  'unit.unrecognized': { severity: 'warning', description: 'A unit that is not UCUM and not a known spelling of one; kept as written.' },
  'unit.incompatible': {
    severity: 'warning',
    description: 'A unit that does not convert to the canonical unit of the analyte; value and unit kept, not range-checked.',
  },
  'unit.missing': {
    severity: 'warning',
    description: 'A value of an analyte that needs a unit has none; kept, not converted or range-checked.',
  },
  'unit.assumed': {
    severity: 'warning',
    description: 'A body temperature without a unit between 80 and 115 was read as degrees Fahrenheit and converted.',
  },
  'code.unrecognized': {
    severity: 'warning',
    description: 'A code fits none of the code systems the field accepts; kept as written, without a system.',
  },
  'code.invalid_format': {
    severity: 'warning',
    description: 'A code does not have the format of the code system its column or row names; kept as written.',
  },
  'code.check_digit': {
    severity: 'warning',
    description: 'A LOINC, SNOMED CT or NPI code whose check digit is wrong (a typo); kept as written.',
  },
  'code_system.unknown': { severity: 'warning', description: 'A code system name that is not recognized; kept as written.' },
  'icd.leading_zero_restored': {
    severity: 'warning',
    description: 'An ICD-9-CM code in a column known to hold ICD-9 lost leading zeros (8 for 008); they were restored.',
  },
  'cvx.leading_zero_restored': { severity: 'warning', description: 'A one-digit CVX code (8) was written with its leading zero (08).' },
  'ndc.leading_zero_restored': {
    severity: 'warning',
    description: 'An NDC with fewer than 10 digits lost leading zeros; padded to 11 digits.',
  },
  'ndc.ambiguous': {
    severity: 'warning',
    description: 'A 10-digit NDC without hyphens cannot be converted to 11 digits (the short segment is unknown); kept as written.',
  },
  'row.column_count': { severity: 'warning', description: 'The row has more or fewer fields than the header.' },
  'row.malformed': { severity: 'error', description: 'The row cannot be read as CSV (unbalanced quotes).' },
} as const satisfies Record<string, { severity: Severity; description: string }>;

export type RuleCode = keyof typeof RULES;

/** A problem found in one field, before it is tied to a row number. */
export interface Finding {
  field: string;
  rule: string;
  severity: Severity;
  message: string;
}

export function finding(field: string, rule: RuleCode, message: string): Finding {
  return { field, rule, severity: RULES[rule].severity, message };
}

/** A finding of a rule named at run time (`<vocabulary>.unknown`, `vitals.<analyte>.range`); writers/dataset-catalog.ts lists them. */
export function namedFinding(field: string, rule: string, severity: Severity, message: string): Finding {
  return { field, rule, severity, message };
}
