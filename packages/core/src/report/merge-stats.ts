import type { ChunkStats, Severity } from '../types.js';
import { mergeProfiles } from './field-profile.js';

export function emptyStats(): ChunkStats {
  return { rowsIn: 0, rowsRejected: 0, rowsBlank: 0, rowsWarned: 0, rules: {}, filled: {} };
}

/** Counts one occurrence of a rule. */
export function countRule(stats: ChunkStats, rule: string, severity: Severity): void {
  const entry = (stats.rules[rule] ??= { severity, count: 0 });
  entry.count++;
}

/** The stats without their field profiles: counters only (what a total that writes no report needs). */
export function withoutProfile(stats: ChunkStats): ChunkStats {
  if (stats.profile === undefined) return stats;
  const { profile: _profile, ...counters } = stats;
  return counters;
}

/** Sum of two chunks' counters and profiles; neither input is changed. */
export function mergeStats(a: ChunkStats, b: ChunkStats): ChunkStats {
  const rules: ChunkStats['rules'] = {};
  for (const source of [a.rules, b.rules]) {
    for (const [rule, { severity, count }] of Object.entries(source)) {
      const entry = (rules[rule] ??= { severity, count: 0 });
      entry.count += count;
    }
  }
  const filled: ChunkStats['filled'] = { ...a.filled };
  for (const [field, count] of Object.entries(b.filled)) filled[field] = (filled[field] ?? 0) + count;
  const merged: ChunkStats = {
    rowsIn: a.rowsIn + b.rowsIn,
    rowsRejected: a.rowsRejected + b.rowsRejected,
    rowsBlank: (a.rowsBlank ?? 0) + (b.rowsBlank ?? 0),
    rowsWarned: (a.rowsWarned ?? 0) + (b.rowsWarned ?? 0),
    rules,
    filled,
  };
  if (a.conversions || b.conversions) {
    const conversions: Record<string, number> = { ...a.conversions };
    for (const [name, count] of Object.entries(b.conversions ?? {})) conversions[name] = (conversions[name] ?? 0) + count;
    merged.conversions = conversions;
  }
  // Formats come from hints inferred once per file: every chunk carries the same ones.
  if (a.formats || b.formats) merged.formats = { ...b.formats, ...a.formats };
  const profile = mergeProfiles(a.profile, b.profile);
  if (profile) merged.profile = profile;
  return merged;
}
