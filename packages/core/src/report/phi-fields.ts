import type { FieldDefinition } from '../datasets/dataset-definition.js';

/** Field types whose values identify a person (HIPAA Safe Harbor identifiers). */
const IDENTIFYING_TYPES = new Set(['id', 'name', 'name_prefix', 'name_suffix', 'phone', 'email', 'ssn', 'postal_code']);
/** Name parts that mark a field as identifying whatever its type (addresses are `text`). */
const IDENTIFYING_NAME =
  /(^|_)(id|identifier|mrn|ssn|npi|name|given|family|address|street|line|city|zip|postal|phone|telecom|fax|email|birth|dob|deceased|death|lat|lon|latitude|longitude|member|policy|account|license|passport)(_|$)/;

/** Identifying (PHI): never gets top values in the report, and its values are never collected for them. */
export function isIdentifyingField(field: Pick<FieldDefinition, 'name' | 'type'>): boolean {
  return IDENTIFYING_TYPES.has(field.type) || IDENTIFYING_NAME.test(field.name);
}

export type ProfileKind = 'number' | 'date' | 'other';

/**
 * How min/max are taken: numbers for decimals and quantities, ISO strings for dates, none
 * otherwise. Integers are often categories (a rating, a sequence), so they get frequent values.
 */
export function profileKind(field: Pick<FieldDefinition, 'type'>): ProfileKind {
  const type: string = field.type;
  if (/date|time|instant/.test(type)) return 'date';
  if (/^(number|decimal|quantity|float|percent)/.test(type)) return 'number';
  return 'other';
}
