import { VOCABULARIES, type VocabularyName } from '../vocab/vocabularies.js';
import { codeSystemUri, UCUM } from './code-systems.js';
import { fhirId } from './fhir-id.js';
import type { CanonicalRecord, CodeableConcept, Coding, Quantity, Reference } from './fhir-types.js';

/** The field's value as a non-empty string, else undefined. */
export function text(record: CanonicalRecord, field: string): string | undefined {
  return textValue(record[field]);
}

/**
 * text() of a value already read: a hot mapper reads `r.family_name` itself, a property load
 * that stays fast at its own call site, where text()'s one shared `record[field]` sees every
 * field name of every dataset.
 */
export function textValue(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The field's value as a finite number, else undefined (so "NEG" or "<0.01" are never numbers). */
export function decimal(record: CanonicalRecord, field: string): number | undefined {
  const value = record[field];
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return undefined;
  return Number(value);
}

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A canonical date or date-time as a FHIR dateTime. FHIR requires a zone whenever a time is
 * given: a time without one (e.g. MIMIC's shifted local times) is written as UTC (`Z`), which
 * the canonical record does not claim; the harmonized CSV/NDJSON keep the value as found.
 */
export function fhirDateTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  // Fast paths for the canonical shapes: YYYY-MM-DDTHH:MM:SS with no zone, Z, or ±HH:MM.
  if (value.charCodeAt(10) === 84 /* T */ && value.charCodeAt(16) === 58 /* : */) {
    if (value.length === 19) return `${value}Z`;
    if (value.length === 20 && value.endsWith('Z')) return value;
    if (value.length === 25 && value.charCodeAt(22) === 58 && (value[19] === '+' || value[19] === '-')) return value;
  }
  if (DATE.test(value)) return value;
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const seconds = m[3] ?? ':00';
  const zone = !m[5] || m[5] === 'Z' ? 'Z' : m[5].includes(':') ? m[5] : `${m[5].slice(0, 3)}:${m[5].slice(3)}`;
  return `${m[1]}T${m[2]}${seconds}${zone}`;
}

/** The date part of a canonical date or date-time (FHIR `date`). */
export function fhirDate(value: string | undefined): string | undefined {
  const dateTime = fhirDateTime(value);
  return dateTime?.slice(0, 10);
}

export function coding(system: string | undefined, code: string | undefined, display?: string): Coding | undefined {
  if (!code) return undefined;
  // What compact({ system, code, display }) keeps, built directly (hot: most resources have codes).
  const uri = codeSystemUri(system);
  const c: Coding = uri ? { system: uri, code } : { code };
  if (isPresent(display)) c.display = display;
  return c;
}

/** A CodeableConcept from a code (with its system name) and/or a description; undefined when both are empty. */
export function concept(system: string | undefined, code: string | undefined, display?: string): CodeableConcept | undefined {
  const c = coding(system, code, display);
  if (!c && !display) return undefined;
  // compact({ coding: c && [c], text: display }), built directly.
  const value: CodeableConcept = c ? { coding: [c] } : {};
  if (isPresent(display)) value.text = display;
  return value;
}

/** A value of one of the engine's vocabularies as a coded concept; a value outside it stays text. */
export function vocabConcept(vocabulary: VocabularyName, value: string | undefined): CodeableConcept | undefined {
  if (!value) return undefined;
  const { system, codes } = VOCABULARIES[vocabulary];
  const display = (codes as Readonly<Record<string, string>>)[value];
  return display === undefined ? { text: value } : { coding: [{ system, code: value, display }] };
}

/** A value of a vocabulary bound to a FHIR `code` element (a status): the code, or `fallback` when the value is not one. */
export function vocabCode(vocabulary: VocabularyName, value: string | undefined, fallback: string): string {
  return value !== undefined && value in VOCABULARIES[vocabulary].codes ? value : fallback;
}

/** A literal reference `Type/<id>` to the resource a canonical identifier stands for. */
export function reference(resourceType: string, sourceId: string | undefined, display?: string): Reference | undefined {
  if (!sourceId) return undefined;
  // compact({ reference, display }), built directly.
  const value: Reference = { reference: `${resourceType}/${fhirId(resourceType, sourceId)}` };
  if (isPresent(display)) value.display = display;
  return value;
}

/** A Quantity; the unit is coded in UCUM when it looks like a UCUM code (no spaces). */
export function quantity(value: number | undefined, unit: string | undefined, comparator?: string): Quantity | undefined {
  if (value === undefined) return undefined;
  const q: Quantity = { value };
  if (comparator === '<' || comparator === '<=' || comparator === '>=' || comparator === '>') q.comparator = comparator;
  if (unit) {
    q.unit = unit;
    if (!/\s/.test(unit)) {
      q.system = UCUM;
      q.code = unit;
    }
  }
  return q;
}

/**
 * Drops undefined, empty strings, empty arrays and empty objects (FHIR forbids empty elements);
 * an array loses its undefined, null and empty-string items (and is dropped if none is left).
 * Written with plain loops, without the entry pairs and closures: every resource goes through it.
 */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v: unknown = (value as Record<string, unknown>)[key];
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      const items = presentItems(v);
      if (items.length > 0) out[key] = items;
      continue;
    }
    if (typeof v === 'object' && !hasOwnKey(v)) continue;
    out[key] = v;
  }
  return out as T;
}

/** Not undefined, null or '': what compact keeps of an array's items. */
function isPresent<V>(value: V | undefined | null | ''): value is V {
  return value !== undefined && value !== null && value !== '';
}

/** A new array of the items that are present (compact never hands back the array it was given). */
function presentItems(items: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isPresent(item)) out.push(item);
  }
  return out;
}

/** Object.keys(value).length > 0, without building the array. */
function hasOwnKey(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}

/**
 * The canonical address fields as one FHIR Address, or undefined when all are empty. `extra`
 * adds elements a resource knows more about (an Organization's district and geolocation).
 */
export function address(record: CanonicalRecord, extra?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!extra) return plainAddress(record);
  const value = compact({
    ...extra,
    line: [text(record, 'address_line')],
    city: text(record, 'city'),
    state: text(record, 'state'),
    postalCode: text(record, 'postal_code'),
    country: text(record, 'country'),
  });
  return Object.keys(value).length > 0 ? value : undefined;
}

/** address(record) without extra elements: what compact keeps, built directly (every patient has one). */
function plainAddress(record: CanonicalRecord): Record<string, unknown> | undefined {
  const line = textValue(record.address_line);
  const city = textValue(record.city);
  const state = textValue(record.state);
  const postalCode = textValue(record.postal_code);
  const country = textValue(record.country);
  if (!line && !city && !state && !postalCode && !country) return undefined;
  const value: Record<string, unknown> = {};
  if (line) value.line = [line];
  if (city) value.city = city;
  if (state) value.state = state;
  if (postalCode) value.postalCode = postalCode;
  if (country) value.country = country;
  return value;
}
