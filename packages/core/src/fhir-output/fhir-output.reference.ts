/**
 * The FHIR output helpers, the Patient mapper and the resource wrapper as they were before they
 * were optimized, kept verbatim (imports aside) as the reference that fhir-output.equivalence.test.ts
 * and bench/writers-compare.mjs compare the fast ones with. It exports what fhir-elements.ts,
 * fhir-extensions.ts, fhir-id.ts, fhir-mapper.ts and patient-resource.ts export, so a test can load
 * the other mappers against it in place of those modules. Not used by the engine.
 */
import * as crypto from 'node:crypto';
import { DATASETS, isDatasetName } from '../datasets/registry.js';
import { VOCABULARIES, type VocabularyName } from '../vocab/vocabularies.js';
import { codeSystemUri, UCUM, V2_IDENTIFIER_TYPE } from './code-systems.js';
import type { FhirMapper, MapperContext } from './fhir-mapper.js';
import type { CanonicalRecord, CodeableConcept, Coding, FhirMeta, FhirResource, Identifier, Quantity, Reference } from './fhir-types.js';

// ---- fhir-elements.ts
/** The field's value as a non-empty string, else undefined. */
export function text(record: CanonicalRecord, field: string): string | undefined {
  const value = record[field];
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
  return compact({ system: codeSystemUri(system), code, display });
}

/** A CodeableConcept from a code (with its system name) and/or a description; undefined when both are empty. */
export function concept(system: string | undefined, code: string | undefined, display?: string): CodeableConcept | undefined {
  const c = coding(system, code, display);
  if (!c && !display) return undefined;
  return compact({ coding: c ? [c] : undefined, text: display });
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
  return compact({ reference: `${resourceType}/${fhirId(resourceType, sourceId)}`, display });
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

/** Drops undefined, empty strings, empty arrays and empty objects (FHIR forbids empty elements). */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      const items = v.filter((item) => item !== undefined && item !== null && item !== '');
      if (items.length > 0) out[key] = items;
      continue;
    }
    if (typeof v === 'object' && Object.keys(v).length === 0) continue;
    out[key] = v;
  }
  return out as T;
}

/**
 * The canonical address fields as one FHIR Address, or undefined when all are empty. `extra`
 * adds elements a resource knows more about (an Organization's district and geolocation).
 */
export function address(record: CanonicalRecord, extra: Record<string, unknown> = {}): Record<string, unknown> | undefined {
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

// ---- fhir-extensions.ts
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
  return fields.flatMap(([field, type]) => {
    const extension = fieldExtension(r, field, type);
    return extension ? [extension] : [];
  });
}

/**
 * A required element the source has no value for: present, so the resource stays valid, but
 * carrying only the standard data-absent-reason extension (`unknown`) instead of a made-up value.
 */
export const dataAbsent = () => ({ extension: [{ url: DATA_ABSENT_REASON, valueCode: 'unknown' }] });

// ---- fhir-id.ts
/** Namespace of every name-based id this service mints (fixed forever: changing it renames every resource). */
const NAMESPACE = Buffer.from('fdb01b58f68a4528af596ae8d050ed52', 'hex');

/** The FHIR R4 `id` datatype: 1 to 64 of A-Z a-z 0-9 - . */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** crypto.hash (Node >= 20.12) skips the Hash object: several times faster on short names. */
const oneShot: typeof crypto.hash | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;

/** RFC 4122 version 5 (SHA-1, name-based) UUID of `name` in this service's namespace. */
export function uuidV5(name: string): string {
  const data = Buffer.concat([NAMESPACE, Buffer.from(name, 'utf8')]);
  const bytes = (oneShot ? oneShot('sha1', data, 'buffer') : crypto.createHash('sha1').update(data).digest()).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the resource a canonical identifier stands for. A source id that is already a valid
 * FHIR id (a Synthea UUID, a MIMIC number) is kept, so references line up with the source
 * system; anything else becomes a v5 UUID of resource type + id. Every dataset derives its
 * references with this same function, so Encounter.subject finds the Patient of another job too.
 */
export function fhirId(resourceType: string, sourceId: string): string {
  return FHIR_ID.test(sourceId) ? sourceId : uuidV5(`${resourceType}/${sourceId}`);
}

/** `urn:harmonizer:job:<jobId>#row=<row>`: where a resource came from (FHIR meta.source is a uri). */
export function fhirSource(jobId: string, row: number): string {
  return `urn:harmonizer:job:${jobId}#row=${row}`;
}

// ---- fhir-mapper.ts
/** The natural key's values joined, or null when the dataset has none or a key field (not an optional one) is empty. */
function naturalKey(dataset: string, record: CanonicalRecord): string | null {
  if (!isDatasetName(dataset)) return null;
  const { naturalKey: fields, optionalKeyFields: optional = [] } = DATASETS[dataset];
  const values: string[] = [];
  for (const field of fields) {
    const value = record[field];
    if (typeof value !== 'string' || value === '') {
      if (!optional.includes(field)) return null;
      values.push('');
    } else values.push(value);
  }
  return values.length > 0 ? JSON.stringify(values) : null;
}

/** The record's values (the source row number aside), for an id that only the same content gets. */
function content(record: CanonicalRecord): string {
  const { _row: _ignored, ...values } = record;
  return JSON.stringify(values);
}

export function createMapperContext(dataset: string, meta: FhirMeta, record: CanonicalRecord = {}): MapperContext {
  return {
    meta,
    dataset,
    idFor: (resourceType, sourceId, part) => {
      if (sourceId) return fhirId(resourceType, part ? `${sourceId}/${part}` : sourceId);
      const key = naturalKey(dataset, record);
      const base = uuidV5(key ? `${resourceType}/${dataset}/key/${key}` : `${resourceType}/${dataset}/content/${content(record)}`);
      return part ? uuidV5(`${base}/${part}`) : base;
    },
  };
}

// ---- patient-resource.ts
const identifierType = (code: string, display: string) => ({ coding: [{ system: V2_IDENTIFIER_TYPE, code, display }] });

/** patients -> Patient: MRN and SSN identifiers, one official name, gender, birth/death, address, telecom. */
export const patientResource: FhirMapper = (r, ctx) => {
  const mrn = text(r, 'patient_id');
  const ssn = text(r, 'ssn');
  const identifier: Identifier[] = [];
  if (mrn) identifier.push({ use: 'usual', type: identifierType('MR', 'Medical record number'), value: mrn });
  if (ssn) identifier.push({ use: 'official', type: identifierType('SS', 'Social Security number'), system: 'http://hl7.org/fhir/sid/us-ssn', value: ssn });
  const name = compact({
    use: 'official',
    family: text(r, 'family_name'),
    given: [text(r, 'given_name'), text(r, 'middle_name')],
    prefix: [text(r, 'prefix')],
    suffix: [text(r, 'suffix')],
  });
  const phone = text(r, 'phone');
  const email = text(r, 'email');
  return compact({
    resourceType: 'Patient',
    id: ctx.idFor('Patient', mrn),
    identifier,
    name: Object.keys(name).length > 1 ? [name] : undefined,
    telecom: [phone ? { system: 'phone', value: phone } : undefined, email ? { system: 'email', value: email } : undefined],
    gender: text(r, 'gender'),
    birthDate: fhirDate(text(r, 'birth_date')),
    deceasedDateTime: fhirDateTime(text(r, 'deceased_date')),
    address: [address(r)],
    maritalStatus: vocabConcept('marital_status', text(r, 'marital_status')),
  });
};

// ---- to-fhir-resource.ts (toFhirResources, with the mapper passed in)
export function referenceToFhirResources(mapper: FhirMapper | undefined, dataset: string, record: CanonicalRecord, meta: FhirMeta): FhirResource[] {
  if (!mapper) return [];
  const bodies = mapper(record, createMapperContext(dataset, meta, record));
  const source = fhirSource(meta.jobId, meta.row);
  return (Array.isArray(bodies) ? bodies : [bodies]).map(({ resourceType, id, ...rest }) => ({ resourceType, id, meta: { source }, ...rest }));
}
