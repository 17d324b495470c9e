import { decimal, fhirDateTime, text } from './fhir-elements.js';
import type { CanonicalRecord } from './fhir-types.js';

/**
 * Canonical fields with no R4 element (costs, stock quantities, billing states) become
 * extensions under this base; the name is the canonical field name, so `cost` is
 * `urn:harmonizer:fhir:extension:cost`.
 */
export const EXTENSION_BASE = 'urn:harmonizer:fhir:extension:';
export const DATA_ABSENT_REASON = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

export interface Extension {
  url: string;
  [value: string]: unknown;
}

type ValueType = 'String' | 'Decimal' | 'Integer' | 'Boolean' | 'DateTime' | 'Date';

/** An extension for a canonical field's value, typed; undefined when the field is empty. */
export function fieldExtension(r: CanonicalRecord, field: string, type: ValueType): Extension | undefined {
  const raw = text(r, field);
  if (raw === undefined) return undefined;
  let value: unknown = raw;
  if (type === 'Decimal' || type === 'Integer') value = decimal(r, field);
  else if (type === 'Boolean') value = raw === 'true' ? true : raw === 'false' ? false : undefined;
  else if (type === 'DateTime') value = fhirDateTime(raw);
  else if (type === 'Date') value = fhirDateTime(raw)?.slice(0, 10);
  if (value === undefined || (type === 'Integer' && !Number.isInteger(value))) return undefined;
  return { url: `${EXTENSION_BASE}${field}`, [`value${type}`]: value };
}

/** Extensions for several fields at once, empty ones left out. */
export function fieldExtensions(r: CanonicalRecord, fields: readonly (readonly [string, ValueType])[]): Extension[] {
  const extensions: Extension[] = [];
  for (const [field, type] of fields) {
    const extension = fieldExtension(r, field, type);
    if (extension) extensions.push(extension);
  }
  return extensions;
}

/**
 * A required element the source has no value for: present, so the resource stays valid, but
 * carrying only the standard data-absent-reason extension (`unknown`) instead of a made-up value.
 */
export const dataAbsent = () => ({ extension: [{ url: DATA_ABSENT_REASON, valueCode: 'unknown' }] });
