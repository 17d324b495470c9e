import type { DatasetDefinition } from '../datasets/dataset-definition.js';
import type { ChunkStats, FieldProfile } from '../types.js';
import { addFrequent, mergeFrequent } from './frequent-values.js';
import { addToHll, createHll, EXACT_DISTINCT_CAP, hash32, mergeHll } from './hyperloglog.js';
import { isIdentifyingField, profileKind, type ProfileKind } from './phi-fields.js';
import { addPattern, mergePatterns, valuePattern } from './value-pattern.js';

export interface ProfiledField {
  name: string;
  kind: ProfileKind;
  identifying: boolean;
  /** Frequent values are counted: not for identifying fields, dates or measurements (min/max say more). */
  topValues: boolean;
}

/** Worked out once per chunk. */
export function profilePlan(def: Pick<DatasetDefinition, 'fields'>): ProfiledField[] {
  return def.fields.map((f) => {
    const kind = profileKind(f);
    const identifying = isIdentifyingField(f);
    return { name: f.name, kind, identifying, topValues: !identifying && kind === 'other' };
  });
}

export function emptyFieldProfile(field: Pick<ProfiledField, 'topValues'>): FieldProfile {
  const profile: FieldProfile = { count: 0, hll: createHll(), small: new Set(), min: null, max: null, patterns: new Map() };
  if (field.topValues) profile.top = new Map();
  return profile;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function profileValue(profile: FieldProfile, field: ProfiledField, value: string): void {
  profile.count++;
  const h = hash32(value);
  addToHll(profile.hll, value, h);
  if (profile.small) {
    profile.small.add(h);
    if (profile.small.size > EXACT_DISTINCT_CAP) delete profile.small;
  }
  if (profile.patterns && !addPattern(profile.patterns, valuePattern(value))) delete profile.patterns;
  if (profile.top && !addFrequent(profile.top, value)) delete profile.top;
  if (field.kind === 'number' && NUMBER.test(value)) {
    const n = Number(value);
    if (profile.min === null || n < (profile.min as number)) profile.min = n;
    if (profile.max === null || n > (profile.max as number)) profile.max = n;
  } else if (field.kind === 'date' && /^\d{4}-\d{2}/.test(value)) {
    if (profile.min === null || value < (profile.min as string)) profile.min = value;
    if (profile.max === null || value > (profile.max as string)) profile.max = value;
  }
}

/** Adds one accepted record's standardized values to the chunk's profile. */
export function profileRecord(stats: ChunkStats, fields: readonly ProfiledField[], record: Readonly<Record<string, string | null>>): void {
  const profiles = (stats.profile ??= {});
  for (const field of fields) {
    const value = record[field.name];
    if (value === null || value === undefined || value === '') continue;
    profileValue((profiles[field.name] ??= emptyFieldProfile(field)), field, value);
  }
}

const pick = (a: number | string | null, b: number | string | null, smaller: boolean) => {
  if (a === null) return b;
  if (b === null) return a;
  return (smaller ? b < a : b > a) ? b : a;
};

function mergeSmall(a: Set<number> | undefined, b: Set<number> | undefined): Set<number> | undefined {
  if (!a || !b) return undefined;
  const union = new Set([...a, ...b]);
  return union.size > EXACT_DISTINCT_CAP ? undefined : union;
}

/** Merge of two profiles of the same field; neither input changes. */
export function mergeFieldProfile(a: FieldProfile, b: FieldProfile): FieldProfile {
  const merged: FieldProfile = {
    count: a.count + b.count,
    hll: mergeHll(a.hll, b.hll),
    small: mergeSmall(a.small, b.small),
    min: pick(a.min, b.min, true),
    max: pick(a.max, b.max, false),
  };
  const patterns = mergePatterns(a.patterns, b.patterns);
  if (patterns) merged.patterns = patterns;
  const top = mergeFrequent(a.top, b.top);
  if (top) merged.top = top;
  return merged;
}

export function mergeProfiles(
  a: Readonly<Record<string, FieldProfile>> | undefined,
  b: Readonly<Record<string, FieldProfile>> | undefined,
): Record<string, FieldProfile> | undefined {
  if (!a) return b ? { ...b } : undefined;
  if (!b) return { ...a };
  const out: Record<string, FieldProfile> = { ...a };
  for (const [field, profile] of Object.entries(b)) {
    const existing = out[field];
    out[field] = existing ? mergeFieldProfile(existing, profile) : profile;
  }
  return out;
}
