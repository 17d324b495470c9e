import type { DatasetDefinition, FieldDefinition } from '../datasets/dataset-definition.js';
import { getDataset } from '../datasets/registry.js';
import { InputError } from '../input-error.js';
import type { ColumnMapping, DatasetName, HeaderMapping } from '../types.js';
import { applyOverrides } from './apply-overrides.js';
import { expandHeader, normalizeHeader, stripSubjectPrefix } from './normalize-header.js';
import { jaroWinkler } from './similarity.js';

/** Below this Jaro-Winkler similarity a header is not taken for a field. */
export const FUZZY_THRESHOLD = 0.92;
/** Confidence of "Patient DOB" or "Birth Dt": a name or synonym behind a subject word or abbreviation. */
const DERIVED_SYNONYM_CONFIDENCE = 0.95;

interface Candidate {
  column: ColumnMapping;
  field: FieldDefinition;
  fieldOrder: number;
  confidence: number;
  method: 'exact' | 'synonym' | 'fuzzy';
}

const METHOD_RANK = { exact: 0, synonym: 1, fuzzy: 2 } as const;

/**
 * Maps source columns to canonical fields: user overrides first, then exact canonical names,
 * synonyms, and fuzzy similarity. Each field goes to at most one column (the best candidate,
 * earliest column on ties); other columns stay unmapped and their values go under extras.
 */
export function matchHeaders(
  header: string[],
  dataset: DatasetName,
  overrides?: Record<string, string>,
): HeaderMapping {
  return match(header, dataset, overrides, cachedScores);
}

/** matchHeaders scoring every header afresh (no memo): the reference the memo is tested against. */
export function matchHeadersReference(
  header: string[],
  dataset: DatasetName,
  overrides?: Record<string, string>,
): HeaderMapping {
  return match(header, dataset, overrides, scoreFields);
}

/** A field a header is a candidate for, and how well it fits. */
interface FieldScore extends Pick<Candidate, 'confidence' | 'method'> {
  fieldOrder: number;
}
/** Every field of the dataset one header is a candidate for (empty when the header normalizes to ''). */
type Scorer = (def: DatasetDefinition, source: string) => readonly FieldScore[];

function match(
  header: string[],
  dataset: DatasetName,
  overrides: Record<string, string> | undefined,
  scores: Scorer,
): HeaderMapping {
  const def = getDataset(dataset);
  const columns: ColumnMapping[] = header.map((source, index) => ({
    index,
    source,
    field: null,
    confidence: 0,
    method: 'none',
  }));
  const taken = applyOverrides(columns, def, overrides ?? {});
  const candidates = collectCandidates(columns, def, taken, scores);
  candidates.sort(
    (a, b) =>
      b.confidence - a.confidence ||
      METHOD_RANK[a.method] - METHOD_RANK[b.method] ||
      a.column.index - b.column.index ||
      a.fieldOrder - b.fieldOrder,
  );
  for (const c of candidates) {
    if (c.column.field !== null || taken.has(c.field.name)) continue;
    c.column.field = c.field.name;
    c.column.confidence = c.confidence;
    c.column.method = c.method;
    taken.add(c.field.name);
  }
  assertRequiredColumns(def, taken, header);
  return { dataset, columns };
}

/** The forms of a header that are compared with a field's names. */
export interface HeaderForms {
  normalized: string;
  /** Abbreviations expanded and subject prefix stripped, each way: matched with confidence < 1. */
  derived: string[];
}

export function headerForms(source: string): HeaderForms {
  const normalized = normalizeHeader(source);
  const expanded = expandHeader(source);
  const derived = new Set<string>();
  for (const form of [normalized, expanded]) {
    derived.add(form);
    const stripped = stripSubjectPrefix(form);
    if (stripped !== null) derived.add(stripped);
  }
  derived.delete(normalized);
  derived.delete('');
  return { normalized, derived: [...derived] };
}

/** Scores one header against one field; null when it is no candidate at all. */
export function scoreHeader(
  forms: HeaderForms,
  field: FieldDefinition,
  def: DatasetDefinition,
): Pick<Candidate, 'confidence' | 'method'> | null {
  const { normalized, derived } = forms;
  const names = fieldNames(field);
  if (normalized === names[0]) return { confidence: 1, method: 'exact' };
  if (names.includes(normalized)) return { confidence: 1, method: 'synonym' };
  if (knownExtras(def).has(normalized)) return null;
  if (derived.some((form) => names.includes(form))) {
    return { confidence: DERIVED_SYNONYM_CONFIDENCE, method: 'fuzzy' };
  }
  // Subject words are stripped on both sides, so "PatientId" is not near "Patient Sex".
  const forms2 = [normalized, ...derived].map((form) => stripSubjectPrefix(form) ?? form);
  let best = 0;
  for (const form of forms2) {
    if (form.length < 3) continue;
    for (const name of fuzzyNames(field)) best = Math.max(best, jaroWinkler(form, name));
  }
  if (best < FUZZY_THRESHOLD) return null;
  return { confidence: Math.min(0.94, Math.round(best * 1000) / 1000), method: 'fuzzy' };
}

function collectCandidates(columns: ColumnMapping[], def: DatasetDefinition, taken: Set<string>, scores: Scorer): Candidate[] {
  const candidates: Candidate[] = [];
  for (const column of columns) {
    if (column.field !== null) continue;
    for (const { fieldOrder, confidence, method } of scores(def, column.source)) {
      const field = def.fields[fieldOrder] as FieldDefinition;
      if (!taken.has(field.name)) candidates.push({ column, field, fieldOrder, confidence, method });
    }
  }
  return candidates;
}

function scoreFields(def: DatasetDefinition, source: string): FieldScore[] {
  const forms = headerForms(source);
  if (forms.normalized === '') return [];
  const scores: FieldScore[] = [];
  def.fields.forEach((field, fieldOrder) => {
    const score = scoreHeader(forms, field, def);
    if (score) scores.push({ fieldOrder, ...score });
  });
  return scores;
}

/**
 * Header names seen per dataset and their scores: a service sees the same headers job after job,
 * and Jaro-Winkler against every field name is most of matching (dataset detection matches the
 * header against every dataset). Bounded: emptied when full.
 */
const SCORE_CACHE_SIZE = 4096;
const scoreCache = new WeakMap<DatasetDefinition, Map<string, readonly FieldScore[]>>();
function cachedScores(def: DatasetDefinition, source: string): readonly FieldScore[] {
  let cache = scoreCache.get(def);
  if (!cache) {
    cache = new Map();
    scoreCache.set(def, cache);
  }
  let scores = cache.get(source);
  if (!scores) {
    if (cache.size >= SCORE_CACHE_SIZE) cache.clear();
    scores = Object.freeze(scoreFields(def, source).map((score) => Object.freeze(score)));
    cache.set(source, scores);
  }
  return scores;
}

const namesCache = new WeakMap<FieldDefinition, string[]>();
/** The field's normalized canonical name first, then its normalized synonyms. */
function fieldNames(field: FieldDefinition): string[] {
  let names = namesCache.get(field);
  if (!names) {
    names = [normalizeHeader(field.name), ...field.synonyms.map(normalizeHeader)];
    namesCache.set(field, names);
  }
  return names;
}

const fuzzyCache = new WeakMap<FieldDefinition, string[]>();
/** The field's names with subject words stripped, for similarity scoring. */
function fuzzyNames(field: FieldDefinition): string[] {
  let names = fuzzyCache.get(field);
  if (!names) {
    names = [...new Set(fieldNames(field).map((name) => stripSubjectPrefix(name) ?? name))];
    fuzzyCache.set(field, names);
  }
  return names;
}

const extrasCache = new WeakMap<DatasetDefinition, Set<string>>();
function knownExtras(def: DatasetDefinition): Set<string> {
  let set = extrasCache.get(def);
  if (!set) {
    set = new Set(def.knownExtras.map(normalizeHeader));
    extrasCache.set(def, set);
  }
  return set;
}

function assertRequiredColumns(def: DatasetDefinition, mapped: Set<string>, header: string[]): void {
  const required = def.fields.filter((f) => f.required).map((f) => f.name);
  const sets = def.requiredColumnsAnyOf.length > 0 ? def.requiredColumnsAnyOf : [[]];
  const options = sets.map((set) => [...new Set([...set, ...required])]);
  if (options.some((set) => set.every((name) => mapped.has(name)))) return;
  const wanted = options.map((set) => set.join(' and ')).join(', or ');
  const shown = header.slice(0, 30).map((h) => `"${h}"`).join(', ');
  throw new InputError(
    'input.required_columns_missing',
    `The header has no column for ${wanted} (${def.name}). Rename a column or map one with ` +
      `options.mapping. Columns found: ${shown}${header.length > 30 ? ', ...' : ''}.`,
  );
}
