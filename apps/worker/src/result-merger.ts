import {
  type AcceptedRecord,
  createDeduplicator,
  createReportBuilder,
  emptyStats,
  mergeStats,
  withoutProfile,
  type ChunkResult,
  type ChunkStats,
  type ChunkTask,
  type DuplicateOf,
  type ReportBuilder,
} from '@harmonizer/core';
import type { DatasetPlan } from './input-plan.js';
import { KEY_WORDS, packedOf, type PackedRecords } from './packed-records.js';
import type { DatasetWriter, ResultWriters } from './result-writers.js';

type DuplicateKind = DuplicateOf['kind'];

/**
 * Records a duplicate index is sized for up front at most (~500 MB of tables at 20 bytes a
 * slot, two tables 4/5 full): past it, the tables grow as the keys come.
 */
export const MAX_RESERVED_RECORDS = 10_000_000;

/** Everything merged for one dataset of the job. */
export interface DatasetOutcome {
  plan: DatasetPlan;
  report: ReportBuilder;
  readonly totals: ChunkStats;
  readonly rowsOut: number;
  readonly duplicatesByKind: Readonly<Record<DuplicateKind, number>>;
  /** Accepted rows a newer version of their record replaced (AcceptedRecord.version), written nowhere. */
  readonly superseded: number;
}

export interface ResultMerger {
  /** Opens a dataset's outputs before its first chunk is submitted; later calls do nothing. */
  openDataset(plan: DatasetPlan): Promise<void>;
  merge(result: ChunkResult, task: Pick<ChunkTask, 'dataset'>): Promise<void>;
  /**
   * The dataset's input holds about this many records (an estimate from the file's size): its
   * duplicate index is sized for them at once (Deduplicator.reserve), at most MAX_RESERVED_RECORDS.
   */
  expectRecords(dataset: string, records: number): void;
  /** A record no dataset could take (an unreadable line of a FHIR file): a job-level reject. */
  rejectUnrouted(row: number, message: string): Promise<void>;
  /** In the order the datasets were opened. */
  readonly datasets: ReadonlyMap<string, DatasetOutcome>;
  /** Counters of the job-level rejects. */
  readonly unrouted: ChunkStats;
  /** All datasets and the job-level rejects together. */
  totals(): ChunkStats;
}

/** Options shared by every dataset's report (how the file was read). */
export interface ReportSettings {
  format: string;
}

interface DatasetState extends DatasetOutcome {
  writer: DatasetWriter;
  dedup: ReturnType<typeof createDeduplicator>;
  totals: ChunkStats;
  rowsOut: number;
  duplicatesByKind: Record<DuplicateKind, number>;
  superseded: number;
}

/**
 * Takes chunk results in input order and routes them by the task's dataset: adds their stats
 * to the dataset's totals and report, drops rows a newer version superseded (medications marked
 * Rewritten or Changed) and duplicates within the dataset across the whole file (the first
 * occurrence survives), and writes the rest to the dataset's outputs. Rejects of every dataset go
 * to the one rejects file, each line naming its dataset.
 */
export function createResultMerger(writers: ResultWriters, settings: ReportSettings): ResultMerger {
  const datasets = new Map<string, DatasetState>();
  let unrouted = emptyStats();

  return {
    datasets,
    get unrouted() {
      return unrouted;
    },
    async openDataset(plan) {
      if (datasets.has(plan.dataset)) return;
      const report = createReportBuilder({
        dataset: plan.dataset,
        mapping: plan.mapping,
        detection: plan.detection,
        dedupKeys: plan.dedupKeys,
        format: settings.format,
        ...(plan.delimiter ? { delimiter: plan.delimiter } : {}),
      });
      const state: DatasetState = {
        plan,
        report,
        writer: await writers.openDataset(plan.dataset, plan.csvHeader),
        dedup: createDeduplicator(),
        totals: emptyStats(),
        rowsOut: 0,
        duplicatesByKind: { exact: 0, key: 0 },
        superseded: 0,
      };
      datasets.set(plan.dataset, state);
    },
    async merge(result, task) {
      const state = datasets.get(task.dataset);
      if (!state) throw new Error(`chunk of dataset ${task.dataset} merged before its outputs were opened`);
      // The totals are counters; the field profiles go to the report alone (merged there in place).
      state.totals = mergeStats(state.totals, withoutProfile(result.stats));
      state.report.addChunk(result.stats);
      const packed = packedOf(result);
      if (packed) {
        await mergePacked(state, packed);
        await writers.writeRejects(task.dataset, result.rejects);
        return;
      }
      const kept: AcceptedRecord[] = [];
      for (const record of result.accepted) {
        // Before dedup: a superseded version neither survives nor makes a later row its duplicate.
        if (record.version?.superseded) {
          state.superseded += 1;
          state.report.addSuperseded({ row: record.row, group: record.version.group });
          continue;
        }
        const duplicate = state.dedup.check(record);
        if (duplicate) {
          state.duplicatesByKind[duplicate.kind] += 1;
          state.report.addDuplicate({ row: record.row, duplicateOf: duplicate.duplicateOf, kind: duplicate.kind });
          continue;
        }
        kept.push(record);
      }
      state.rowsOut += kept.length;
      await state.writer.write(kept);
      await writers.writeRejects(task.dataset, result.rejects);
    },
    expectRecords(dataset, records) {
      if (Number.isFinite(records) && records > 0) datasets.get(dataset)?.dedup.reserve(Math.min(records, MAX_RESERVED_RECORDS));
    },
    async rejectUnrouted(row, message) {
      const issue = { row, field: '_row', rule: 'row.malformed', severity: 'error' as const, message };
      unrouted = mergeStats(unrouted, { rowsIn: 1, rowsRejected: 1, rules: { 'row.malformed': { severity: 'error', count: 1 } }, filled: {} });
      const { row: _row, ...first } = issue;
      await writers.writeRejects(null, [JSON.stringify({ row, ...first, issues: [issue] })]);
    },
    totals() {
      return [...datasets.values()].reduce((sum, state) => mergeStats(sum, state.totals), unrouted);
    },
  };
}

/** merge() for packed records (chunk-task.ts): the same decisions, over rows and key words. */
async function mergePacked(state: DatasetState, packed: PackedRecords): Promise<void> {
  const keep = new Uint8Array(packed.count);
  let kept = 0;
  for (let i = 0; i < packed.count; i++) {
    const row = packed.rows[i]!;
    const duplicate = state.dedup.checkWords(row, packed.keys, i * KEY_WORDS, packed.hasDedupKey[i] === 1);
    if (duplicate) {
      state.duplicatesByKind[duplicate.kind] += 1;
      state.report.addDuplicate({ row, duplicateOf: duplicate.duplicateOf, kind: duplicate.kind });
      continue;
    }
    keep[i] = 1;
    kept++;
  }
  state.rowsOut += kept;
  if (kept > 0) await state.writer.writePacked(packed, keep);
}
