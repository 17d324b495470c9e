/**
 * Test and benchmark helper, not used by the engine: the field profiling as it was before it was
 * made cheaper (issue 6), kept as the simple reference the optimized code must agree with
 * (field-profile.reference.test.ts, bench/profile-values.mjs). Do not optimize this file.
 */
import type { ChunkStats, FieldProfile } from '../types.js';
import type { ProfiledField } from './field-profile.js';
import { estimateHll } from './hyperloglog.js';
import type { FieldProfileReport } from './profile-summary.js';

const HLL_BITS = 10;
const M = 1 << HLL_BITS;
const EXACT_DISTINCT_CAP = 256;
const PATTERN_CAP = 64;
const MAX_PATTERN_CHARS = 24;
const TOP_DISTINCT_CAP = 512;
const TOP_VALUE_MAX_CHARS = 64;
const MIN_TOP_COUNT = 5;
const MAX_TOP_VALUES = 10;
const MAX_PATTERNS = 3;
const LETTER = /\p{L}/u;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function refHash32(value: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < value.length; i++) {
    let k = Math.imul(value.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  h ^= value.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function refAddToHll(registers: Uint8Array, h: number): void {
  const index = h >>> (32 - HLL_BITS);
  const rest = (h << HLL_BITS) >>> 0;
  const rank = rest === 0 ? 32 - HLL_BITS + 1 : Math.clz32(rest) + 1;
  if (rank > (registers[index] ?? 0)) registers[index] = rank;
}

function refMergeHll(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(M);
  for (let i = 0; i < M; i++) out[i] = Math.max(a[i] ?? 0, b[i] ?? 0);
  return out;
}

export function refValuePattern(value: string): string {
  let out = '';
  let last = '';
  for (const ch of value) {
    if (out.length >= MAX_PATTERN_CHARS) return `${out}…`;
    const code = ch.charCodeAt(0);
    let mapped: string;
    if (code >= 48 && code <= 57) mapped = '9';
    else if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code > 127 && LETTER.test(ch))) mapped = 'A';
    else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') mapped = ' ';
    else mapped = ch;
    if ((mapped === 'A' || mapped === ' ') && mapped === last) continue;
    out += mapped;
    last = mapped;
  }
  return out;
}

function refAddPattern(patterns: Map<string, number>, pattern: string): boolean {
  patterns.set(pattern, (patterns.get(pattern) ?? 0) + 1);
  return patterns.size <= PATTERN_CAP;
}

function refAddFrequent(counts: Map<string, number>, raw: string): boolean {
  const value = raw.length > TOP_VALUE_MAX_CHARS ? `${raw.slice(0, TOP_VALUE_MAX_CHARS)}…` : raw;
  counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts.size <= TOP_DISTINCT_CAP;
}

function refSumTables(a: ReadonlyMap<string, number> | undefined, b: ReadonlyMap<string, number> | undefined, cap: number) {
  if (!a || !b) return undefined;
  const sum = new Map(a);
  for (const [key, count] of b) sum.set(key, (sum.get(key) ?? 0) + count);
  return sum.size <= cap ? sum : undefined;
}

function refEmptyFieldProfile(field: Pick<ProfiledField, 'topValues'>): FieldProfile {
  const profile: FieldProfile = { count: 0, hll: new Uint8Array(M), small: new Set(), min: null, max: null, patterns: new Map() };
  if (field.topValues) profile.top = new Map();
  return profile;
}

function refProfileValue(profile: FieldProfile, field: ProfiledField, value: string): void {
  profile.count++;
  const h = refHash32(value);
  refAddToHll(profile.hll, h);
  if (profile.small) {
    profile.small.add(h);
    if (profile.small.size > EXACT_DISTINCT_CAP) delete profile.small;
  }
  if (profile.patterns && !refAddPattern(profile.patterns, refValuePattern(value))) delete profile.patterns;
  if (profile.top && !refAddFrequent(profile.top, value)) delete profile.top;
  if (field.kind === 'number' && NUMBER.test(value)) {
    const n = Number(value);
    if (profile.min === null || n < (profile.min as number)) profile.min = n;
    if (profile.max === null || n > (profile.max as number)) profile.max = n;
  } else if (field.kind === 'date' && /^\d{4}-\d{2}/.test(value)) {
    if (profile.min === null || value < (profile.min as string)) profile.min = value;
    if (profile.max === null || value > (profile.max as string)) profile.max = value;
  }
}

export function refProfileRecord(
  stats: Pick<ChunkStats, 'profile'>,
  fields: readonly ProfiledField[],
  record: Readonly<Record<string, string | null>>,
): void {
  const profiles = (stats.profile ??= {});
  for (const field of fields) {
    const value = record[field.name];
    if (value === null || value === undefined || value === '') continue;
    refProfileValue((profiles[field.name] ??= refEmptyFieldProfile(field)), field, value);
  }
}

const pick = (a: number | string | null, b: number | string | null, smaller: boolean) => {
  if (a === null) return b;
  if (b === null) return a;
  return (smaller ? b < a : b > a) ? b : a;
};

function refMergeSmall(a: Set<number> | undefined, b: Set<number> | undefined): Set<number> | undefined {
  if (!a || !b) return undefined;
  const union = new Set([...a, ...b]);
  return union.size > EXACT_DISTINCT_CAP ? undefined : union;
}

function refMergeFieldProfile(a: FieldProfile, b: FieldProfile): FieldProfile {
  const merged: FieldProfile = {
    count: a.count + b.count,
    hll: refMergeHll(a.hll, b.hll),
    small: refMergeSmall(a.small, b.small),
    min: pick(a.min, b.min, true),
    max: pick(a.max, b.max, false),
  };
  const patterns = refSumTables(a.patterns, b.patterns, PATTERN_CAP);
  if (patterns) merged.patterns = patterns;
  const top = refSumTables(a.top, b.top, TOP_DISTINCT_CAP);
  if (top) merged.top = top;
  return merged;
}

export function refMergeProfiles(
  a: Readonly<Record<string, FieldProfile>> | undefined,
  b: Readonly<Record<string, FieldProfile>> | undefined,
): Record<string, FieldProfile> | undefined {
  if (!a) return b ? { ...b } : undefined;
  if (!b) return { ...a };
  const out: Record<string, FieldProfile> = { ...a };
  for (const [field, profile] of Object.entries(b)) {
    const existing = out[field];
    out[field] = existing ? refMergeFieldProfile(existing, profile) : profile;
  }
  return out;
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export function refSummarizeProfile(
  field: ProfiledField,
  profile: FieldProfile | undefined,
  acceptedRows: number,
  sourceFormat: string | null = null,
): FieldProfileReport {
  const count = profile?.count ?? 0;
  const patterns = [...(profile?.patterns ?? new Map<string, number>())]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_PATTERNS)
    .map(([pattern, n]) => ({ pattern, count: n }));
  const first = patterns[0];
  const bound = (value: number | string | null) =>
    value === null || !field.identifying ? value : field.kind === 'date' ? String(value).slice(0, 4) : null;
  return {
    empty_fraction: acceptedRows > 0 ? round4(Math.max(0, acceptedRows - count) / acceptedRows) : 0,
    distinct: !profile ? 0 : profile.small ? profile.small.size : Math.min(count, estimateHll(profile.hll)),
    min: bound(profile?.min ?? null),
    max: bound(profile?.max ?? null),
    source_format: sourceFormat,
    format: first && count > 0 ? { pattern: first.pattern, share: round4(first.count / count) } : null,
    patterns,
    top_values:
      field.identifying || !field.topValues || !profile?.top
        ? null
        : [...profile.top]
            .filter(([, n]) => n >= MIN_TOP_COUNT)
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .slice(0, MAX_TOP_VALUES)
            .map(([value, n]) => ({ value, count: n })),
  };
}
