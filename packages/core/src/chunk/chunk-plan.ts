import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { CODE_SYSTEMS, codeFamily, systemInFamily, type CodeSystem } from '../codes/code-systems.js';
import type { DatasetDefinition, FieldDefinition, FieldType } from '../datasets/dataset-definition.js';
import { getDataset } from '../datasets/registry.js';
import type { Standardizer } from '../standardize/standardize-context.js';
import { createFieldStandardizer } from '../standardize/standardizers.js';
import { findConversion } from '../units/conversions.js';
import { unitFromHeader } from '../units/header-unit.js';
import type { ChunkTask, ColumnHint, HarmonizeOptions } from '../types.js';

export interface ColumnPlan {
  index: number;
  /** null: the value goes under extras with extrasKey. */
  field: FieldDefinition | null;
  extrasKey: string;
  /** The field's standardizer for this column (hints and header facts bound in); absent for unmapped columns. */
  standardize?: Standardizer;
}

/** Everything about a chunk that does not change from row to row, worked out once. */
export interface ChunkPlan {
  def: DatasetDefinition;
  fieldNames: string[];
  /** In header order. */
  columns: ColumnPlan[];
  /**
   * The same columns in the order they are standardized: units, code systems and the country
   * first (codes, quantities, phones and postal codes read them), quantities last (they read the
   * unit and the analyte's code).
   */
  ordered: ColumnPlan[];
  /** Columns in the header; rows with another count get row.column_count. */
  width: number;
  /** Column of the country field, standardized first because postal codes and phones depend on it. */
  countryColumn: ColumnPlan | undefined;
  dedupKeys: string[];
  /** Key fields that may be empty (the dataset's optionalKeyFields; none when the user chose the keys). */
  optionalKeys: readonly string[];
  defaultCountry: CountryCode;
  referenceDate: string | undefined;
  /** canonical field -> format its column was read with (from task.hints), for the report. */
  formats: Record<string, string>;
}

const PHASE: Partial<Record<FieldType, number>> = { country: 0, unit: 0, code_system: 0, quantity: 2 };
const phaseOf = (c: ColumnPlan) => (c.field ? (PHASE[c.field.type] ?? 1) : 1);

export function planChunk(task: ChunkTask): ChunkPlan {
  const def = getDataset(task.dataset);
  const byName = new Map(def.fields.map((f) => [f.name, f]));
  const usedKeys = new Set<string>();
  const formats: Record<string, string> = {};
  const columns = task.mapping.columns.map((c): ColumnPlan => {
    const field = c.field === null ? null : byName.get(c.field);
    if (field === undefined) throw new Error(`mapping names field ${c.field} that ${def.name} does not have`);
    // Blank or repeated headers still need distinct extras keys.
    let extrasKey = c.source.trim() || `column_${c.index + 1}`;
    if (usedKeys.has(extrasKey)) extrasKey = `${extrasKey}_${c.index + 1}`;
    usedKeys.add(extrasKey);
    if (field === null) return { index: c.index, field, extrasKey };
    const hint = task.hints?.[c.index];
    if (hint?.format) formats[field.name] = hint.format;
    return { index: c.index, field, extrasKey, standardize: columnStandardizer(field, c.source, hint, task.options) };
  });
  if (task.referenceDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(task.referenceDate)) {
    throw new Error('referenceDate must be an ISO date (YYYY-MM-DD)');
  }
  const country = task.options.default_country?.toUpperCase() ?? 'US';
  return {
    def,
    fieldNames: def.fields.map((f) => f.name),
    columns,
    ordered: [...columns].sort((a, b) => phaseOf(a) - phaseOf(b) || a.index - b.index),
    width: columns.length,
    countryColumn: columns.find((c) => c.field?.type === 'country'),
    dedupKeys: task.options.dedup_keys ?? [...def.naturalKey],
    optionalKeys: task.options.dedup_keys ? [] : (def.optionalKeyFields ?? []),
    defaultCountry: isSupportedCountry(country) ? country : 'US',
    referenceDate: task.referenceDate,
    formats,
  };
}

function columnStandardizer(field: FieldDefinition, source: string, hint: ColumnHint | undefined, options: HarmonizeOptions): Standardizer {
  const base = options.two_digit_year_base;
  return createFieldStandardizer(field, {
    dayOrder: hint?.dayOrder,
    twoDigitYearBase: typeof base === 'number' ? base : base?.[field.name],
    codeSystem: field.type === 'clinical_code' ? columnCodeSystem(field, source, hint) : null,
    headerUnit: field.type === 'quantity' ? headerUnit(field, source) : null,
  });
}

/** The header names the system (ICD9_CODE, LOINC_CODE, ITEMID), else the sampled values did. */
export function columnCodeSystem(field: FieldDefinition, source: string, hint: ColumnHint | undefined): CodeSystem | null {
  const accepted = field.codeSystems ?? ['local'];
  const family = codeFamily(source);
  if (family) return systemInFamily(family, accepted);
  const inferred = hint?.codeSystem;
  return inferred && (CODE_SYSTEMS as readonly string[]).includes(inferred) ? (inferred as CodeSystem) : null;
}

/** The header's unit, when it converts to the field's canonical unit ("Weight (lbs)" on body_weight). */
function headerUnit(field: FieldDefinition, source: string): string | null {
  if (!field.unit) return null;
  const unit = unitFromHeader(source);
  if (!unit) return null;
  return unit === field.unit || findConversion(unit, field.unit, field.analyte) ? unit : null;
}
