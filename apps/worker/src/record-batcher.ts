import type { DatasetName } from '@harmonizer/core';
import type { FeedContext } from './feed-context.js';
import { MAX_CHUNK_BYTES } from './chunk-cutter.js';
import type { DatasetPlan } from './input-plan.js';

export interface RecordBatcher {
  /** Adds one record (a JSON object as one line) of `dataset`, found at `row` of the file. */
  add(dataset: DatasetName, line: string, row: number): Promise<void>;
  /** Sends every partly filled batch. */
  flush(): Promise<void>;
  /** Datasets that received at least one record. */
  readonly datasets: number;
}

interface Batch {
  plan: DatasetPlan;
  lines: string[];
  rows: number[];
  chars: number;
}

/**
 * Groups records by dataset into 'records' chunks of chunkRows records each (or MAX_CHUNK_BYTES
 * characters, a CSV chunk's size, whichever comes first), numbered by their row in the file.
 * The dataset's outputs are opened (and its plan made) when its first record arrives, so a FHIR
 * file's datasets are the ones it actually holds.
 */
export function createRecordBatcher(ctx: FeedContext, planFor: (dataset: DatasetName) => DatasetPlan): RecordBatcher {
  const batches = new Map<DatasetName, Batch>();

  const send = async (batch: Batch) => {
    if (batch.lines.length === 0) return;
    const { plan, lines, rows } = batch;
    batch.lines = [];
    batch.rows = [];
    batch.chars = 0;
    await ctx.submit({
      dataset: plan.dataset,
      delimiter: ',',
      mapping: plan.mapping,
      options: plan.options,
      referenceDate: ctx.referenceDate,
      format: 'records',
      ...(plan.hints ? { hints: plan.hints } : {}),
      text: `${lines.join('\n')}\n`,
      firstRow: rows[0] ?? 1,
      rows,
    });
  };

  return {
    get datasets() {
      return batches.size;
    },
    async add(dataset, line, row) {
      let batch = batches.get(dataset);
      if (!batch) {
        const plan = planFor(dataset);
        await ctx.merger.openDataset(plan);
        batch = { plan, lines: [], rows: [], chars: 0 };
        batches.set(dataset, batch);
      }
      batch.lines.push(line);
      batch.rows.push(row);
      batch.chars += line.length + 1;
      if (batch.lines.length >= ctx.chunkRows || batch.chars >= MAX_CHUNK_BYTES) await send(batch);
    },
    async flush() {
      for (const batch of batches.values()) await send(batch);
    },
  };
}
