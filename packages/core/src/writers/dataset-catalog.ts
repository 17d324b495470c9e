import type { DatasetDefinition } from '../datasets/dataset-definition.js';
import { DATASETS } from '../datasets/registry.js';
import { FHIR_OUTPUT_TYPES } from '../fhir-output/to-fhir-resource.js';
import { DATASET_NAMES, type DatasetName, type Severity } from '../types.js';
import { ANALYTES } from '../units/plausibility.js';
import { CONVERSIONS } from '../units/conversions.js';
import { RULES } from '../validate/rules.js';
import { VOCABULARIES, VOCABULARY_NAMES } from '../vocab/vocabularies.js';

export interface DatasetDescription {
  name: DatasetName;
  description: string;
  fhir_resource: string;
  /** The FHIR R4 resource types its records are written as (FHIR NDJSON output). */
  fhir_output: string[];
  /** Default dedup key. */
  natural_key: string[];
  /** The header must map one of these sets (plus every required field). */
  required_columns_any_of: string[][];
  fields: { name: string; type: string; required: boolean; fhir_path: string; synonyms: string[] }[];
  rules: { code: string; severity: Severity; field: string; message: string }[];
}

export interface EngineRule {
  code: string;
  severity: Severity;
  description: string;
}

/** One dataset definition as plain JSON: what GET /api/v1/datasets and docs/datasets.md show. */
export function describeDataset(def: DatasetDefinition): DatasetDescription {
  return {
    name: def.name,
    description: def.description,
    fhir_resource: def.fhirResource,
    fhir_output: [...FHIR_OUTPUT_TYPES[def.name]],
    natural_key: [...def.naturalKey],
    required_columns_any_of: def.requiredColumnsAnyOf.map((set) => [...set]),
    fields: def.fields.map((f) => ({ name: f.name, type: f.type, required: f.required, fhir_path: f.fhirPath, synonyms: [...f.synonyms] })),
    rules: def.rules.map((r) => ({ code: r.rule, severity: r.severity, field: r.field, message: r.message })),
  };
}

/** Every dataset, in DATASET_NAMES order. */
export function describeDatasets(): DatasetDescription[] {
  return DATASET_NAMES.map((name) => describeDataset(DATASETS[name]));
}

/**
 * Rules the engine raises on fields of any dataset, sorted by code: the standardizers' (by field
 * type), one `<vocabulary>.unknown` per vocabulary, one `<kind>.<analyte>.range` per analyte.
 */
export function engineRules(): EngineRule[] {
  const standard = Object.entries(RULES).map(([code, { severity, description }]): EngineRule => ({ code, severity, description }));
  const vocabularies = VOCABULARY_NAMES.map((name): EngineRule => ({
    code: `${name}.unknown`,
    severity: 'warning',
    description: `A value that is not in the ${name} vocabulary; the source spelling is kept.`,
  }));
  const ranges = ANALYTES.map((a): EngineRule => ({
    code: `${a.kind}.${a.name}.range`,
    severity: 'error',
    description: `${a.name} outside ${a.min}-${a.max} ${a.unit}, after conversion: physiologically implausible.`,
  }));
  return [...standard, ...vocabularies, ...ranges].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Unit conversions into canonical units, as counted in the report's `conversions`. */
export function unitConversions(): { name: string; from: string; to: string; analytes: string[] | null }[] {
  return CONVERSIONS.map((c) => ({ name: c.name, from: c.from, to: c.to, analytes: c.analytes ? [...c.analytes] : null }));
}

/** Analytes with their LOINC codes, canonical unit and plausible range. */
export function analyteRanges(): { name: string; kind: string; loinc: string[]; unit: string; min: number; max: number }[] {
  return ANALYTES.map((a) => ({ name: a.name, kind: a.kind, loinc: [...a.loinc], unit: a.unit, min: a.min, max: a.max }));
}

/** Vocabularies coded fields map to, with their FHIR system and codes. */
export function vocabularyCodes(): { name: string; system: string; codes: string[] }[] {
  return VOCABULARY_NAMES.map((name) => ({ name, system: VOCABULARIES[name].system, codes: Object.keys(VOCABULARIES[name].codes) }));
}
