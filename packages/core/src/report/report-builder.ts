import { getDataset } from '../datasets/registry.js';
import type { ChunkStats, CsvDialect, DatasetDetection, DatasetName, FieldProfile, HeaderMapping } from '../types.js';
import { mergeProfilesInto, profilePlan } from './field-profile.js';
import { emptyStats, mergeStats, withoutProfile } from './merge-stats.js';
import { summarizeProfile } from './profile-summary.js';
import { qualityScore } from './quality-score.js';
import type { Report } from './report.js';

export const DUPLICATE_EXAMPLES = 100;
export const SUPERSEDED_EXAMPLES = 100;

export interface ReportBuilderInput {
  dataset: DatasetName;
  mapping: HeaderMapping;
  /** null or absent when the user named the dataset. */
  detection?: Pick<DatasetDetection, 'dataset' | 'confidence'> & Partial<Pick<DatasetDetection, 'method'>> | null;
  dedupKeys: readonly string[];
  delimiter?: CsvDialect['delimiter'];
  /** How the input was read; default csv. */
  format?: string;
  encoding?: string;
}

export interface Duplicate {
  /** 1-based data record number of the dropped row. */
  row: number;
  /** The row kept in its place. */
  duplicateOf: number;
  kind: 'exact' | 'key';
}

/** An accepted row dropped because a newer version of its record replaced it (AcceptedRecord.version). */
export interface Superseded {
  row: number;
  group: string;
}

export interface ReportBuilder {
  addChunk(stats: ChunkStats): void;
  addDuplicate(duplicate: Duplicate): void;
  addSuperseded(superseded: Superseded): void;
  build(totals: { rowsOut: number }): Report;
}

const byCountThenName = <T extends { count: number }>(key: (item: T) => string) => (a: T, b: T) =>
  b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Accumulates chunk counters and duplicates as the worker merges results, then writes the report. */
export function createReportBuilder(input: ReportBuilderInput): ReportBuilder {
  const def = getDataset(input.dataset);
  const plan = profilePlan(def);
  // Counters merged as before; profiles into one accumulator (mergeProfilesInto), not rebuilt per chunk.
  let stats = emptyStats();
  const profiles: Record<string, FieldProfile> = {};
  let exact = 0;
  let byKey = 0;
  const examples: Report['duplicates']['examples'] = [];
  let superseded = 0;
  const supersededExamples: Report['superseded']['examples'] = [];
  return {
    addChunk(chunk) {
      stats = mergeStats(stats, withoutProfile(chunk));
      mergeProfilesInto(profiles, chunk.profile);
    },
    addDuplicate({ row, duplicateOf, kind }) {
      if (kind === 'exact') exact++;
      else byKey++;
      if (examples.length < DUPLICATE_EXAMPLES) examples.push({ row, duplicate_of: duplicateOf, kind });
    },
    addSuperseded({ row, group }) {
      superseded++;
      if (supersededExamples.length < SUPERSEDED_EXAMPLES) supersededExamples.push({ row, group });
    },
    build({ rowsOut }) {
      const acceptedBeforeDedup = stats.rowsIn - stats.rowsRejected;
      const completeness: Record<string, number> = {};
      const profile: Report['profile'] = {};
      for (const field of plan) {
        const filled = stats.filled[field.name] ?? 0;
        completeness[field.name] = acceptedBeforeDedup > 0 ? Math.round((filled / acceptedBeforeDedup) * 10_000) / 10_000 : 0;
        profile[field.name] = summarizeProfile(field, profiles[field.name], acceptedBeforeDedup, stats.formats?.[field.name] ?? null);
      }
      const rules = Object.entries(stats.rules)
        .map(([rule, { severity, count }]) => ({ rule, severity, count }))
        .sort(byCountThenName((r) => r.rule));
      const conversions = Object.entries(stats.conversions ?? {})
        .map(([conversion, count]) => ({ conversion, count }))
        .sort(byCountThenName((c) => c.conversion));
      const detected = input.detection && input.detection.method !== 'specified';
      return {
        dataset: input.dataset,
        detection: detected
          ? { method: 'detected', confidence: input.detection?.confidence ?? 0 }
          : { method: 'specified', confidence: 1 },
        input: {
          format: input.format ?? 'csv',
          delimiter: input.delimiter ?? null,
          ...(input.encoding ? { encoding: input.encoding } : {}),
        },
        rows_in: stats.rowsIn,
        rows_out: rowsOut,
        rows_rejected: stats.rowsRejected,
        rows_blank: stats.rowsBlank ?? 0,
        rows_warned: stats.rowsWarned ?? 0,
        duplicates: { exact, by_key: byKey, keys: [...input.dedupKeys], examples: [...examples] },
        superseded: { count: superseded, examples: [...supersededExamples] },
        rules,
        conversions,
        completeness,
        profile,
        quality: qualityScore(def, {
          completeness,
          rowsIn: stats.rowsIn,
          rowsRejected: stats.rowsRejected,
          rowsWarned: stats.rowsWarned ?? 0,
        }),
        mapping: input.mapping.columns.map((c) => ({
          source: c.source,
          field: c.field,
          confidence: c.confidence,
          method: c.method,
        })),
        unmapped_columns: input.mapping.columns.filter((c) => c.field === null).map((c) => c.source),
      };
    },
  };
}
