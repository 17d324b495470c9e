import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { CODE_SYSTEMS, codeFamily, systemInFamily, type CodeSystem } from '../codes/code-systems.js';
import type { DatasetDefinition, FieldDefinition, FieldType } from '../datasets/dataset-definition.js';
import { getDataset } from '../datasets/registry.js';
import type { Standardized, Standardizer } from '../standardize/standardize-context.js';
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

/** Plans kept per thread, newest last: a job's chunks share one (and its standardizers' memory). */
const PLAN_CACHE_SIZE = 4;
const planCache = new Map<string, ChunkPlan>();

/**
 * planChunk, worked out once for all the chunks of a dataset: a pool thread sees the same
 * dataset, mapping, options, hints and reference date chunk after chunk (a few jobs at a time),
 * so it keeps the last few plans by those inputs.
 */
export function cachedPlan(task: ChunkTask): ChunkPlan {
  const key = JSON.stringify([task.dataset, task.mapping, task.hints ?? null, task.options, task.referenceDate ?? null]);
  let plan = planCache.get(key);
  if (plan) {
    planCache.delete(key);
  } else {
    plan = planChunk(task);
    if (planCache.size >= PLAN_CACHE_SIZE) planCache.delete(planCache.keys().next().value!);
  }
  planCache.set(key, plan);
  return plan;
}

/** memo: false builds plain standardizers (the reference the memoized ones are tested against). */
export function planChunk(task: ChunkTask, { memo = true }: { memo?: boolean } = {}): ChunkPlan {
  const def = getDataset(task.dataset);
  const byName = new Map(def.fields.map((f) => [f.name, f]));
  const usedKeys = new Set<string>();
  const formats: Record<string, string> = {};
  const hasCountry = task.mapping.columns.some((c) => c.field !== null && byName.get(c.field)?.type === 'country');
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
    const standardize = columnStandardizer(field, c.source, hint, task.options);
    const rowFree = ROW_FREE.has(field.type) || (!hasCountry && COUNTRY_ONLY.has(field.type));
    return { index: c.index, field, extrasKey, standardize: memo && rowFree ? memoized(standardize) : standardize };
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

/**
 * Field types whose standardized value depends on the raw text and the column alone (the
 * context's field, reference date and default country are the same for every row of a plan):
 * not codes or quantities (they read other fields of the row).
 */
const ROW_FREE: ReadonlySet<FieldType> = new Set<FieldType>([
  'id', 'text', 'name', 'name_prefix', 'name_suffix', 'gender', 'email', 'state', 'country', 'ssn', 'code',
  'boolean', 'unit', 'code_system', 'date', 'datetime', 'decimal', 'integer', 'coded',
]);
/** Types that read the row's country only: row-free when the file has no country column. */
const COUNTRY_ONLY: ReadonlySet<FieldType> = new Set<FieldType>(['phone', 'postal_code']);

/** Distinct raw values remembered per column; lookups between checks of the hit rate. */
const MEMO_CAP = 2048;
const MEMO_CHECK = 4096;

/**
 * A column standardizer that remembers its results by raw text: files repeat a column's values
 * (sexes, states, cities, first names, common dates), and a repeated value then costs one Map
 * lookup instead of trimming, parsing and allocating again. Results are shared between rows,
 * which never modify them. A column whose values hardly repeat (phones, emails, ids) stops
 * remembering after MEMO_CHECK lookups with under a quarter of hits, so it costs nothing more.
 */
export function memoized(standardize: Standardizer): Standardizer {
  let memo: Map<string, Standardized> | null = new Map();
  let lookups = 0;
  let hits = 0;
  return (raw, ctx) => {
    if (memo === null) return standardize(raw, ctx);
    let result = memo.get(raw);
    if (result !== undefined) hits++;
    else {
      result = standardize(raw, ctx);
      if (memo.size < MEMO_CAP) memo.set(detached(raw), detached(result));
    }
    if (++lookups === MEMO_CHECK) {
      if (hits < MEMO_CHECK / 4) memo = null;
      lookups = 0;
      hits = 0;
    }
    return result;
  };
}

/**
 * A deep copy made of fresh strings. A cell is a slice of its chunk's text, and V8 keeps a
 * slice's whole parent alive: a remembered value (plans outlive chunks, see cachedPlan) must
 * not pin every chunk it came from.
 */
const detached = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

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
