import type { FieldProfile } from '../types.js';
import { estimateHll } from './hyperloglog.js';
import type { ProfiledField } from './field-profile.js';

/** A value seen fewer times than this is never shown: rare values point at people. */
export const MIN_TOP_COUNT = 5;
export const MAX_TOP_VALUES = 10;
const MAX_PATTERNS = 3;

export interface FieldProfileReport {
  /** Share of accepted rows (before dedup) without a value, 0..1. */
  empty_fraction: number;
  /** Distinct non-empty values: exact up to 256, then a HyperLogLog estimate (about 3% error). */
  distinct: number;
  /** Numeric and date fields; dates of identifying fields (birth, death) as the year only. */
  min: number | string | null;
  max: number | string | null;
  /** How the source column was written, when the engine inferred it (e.g. `M/D/YY H:MM`). */
  source_format: string | null;
  /** The most common shape of the standardized values (digits as 9, letter runs as A) and its share; null for free text. */
  format: { pattern: string; share: number } | null;
  /** The three most common shapes and their counts; empty when the values have more than 64 shapes (free text). */
  patterns: { pattern: string; count: number }[];
  /**
   * Most frequent values, at most 10, each seen at least 5 times; null for identifying fields
   * (ids, names, contacts, addresses, SSN, birth/death dates), whose values are never collected,
   * for dates and measurements (see min/max), and for fields with more than 512 distinct values.
   */
  top_values: { value: string; count: number }[] | null;
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export function summarizeProfile(
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
