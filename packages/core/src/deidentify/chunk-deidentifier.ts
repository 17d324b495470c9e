import type { DatasetDefinition, StandardRecord } from '../datasets/dataset-definition.js';
import type { ChunkTask } from '../types.js';
import { deidentifyRecord, type DeidentifiedRecord } from './deidentify-record.js';

export type ChunkDeidentifier = (record: StandardRecord) => DeidentifiedRecord;

/**
 * For processChunk: null when the job does not de-identify, else the function that turns each
 * accepted record into what the outputs may show. Refuses to run without the job's salt or
 * reference date rather than write identifiable outputs.
 */
export function chunkDeidentifier(task: ChunkTask, def: DatasetDefinition): ChunkDeidentifier | null {
  if (task.options.deidentify !== true) return null;
  const salt = task.deidentifySalt;
  const referenceDate = task.referenceDate;
  if (!salt) throw new Error('options.deidentify is set but the task has no deidentifySalt');
  if (!referenceDate) throw new Error('options.deidentify is set but the task has no referenceDate');
  const mode = task.options.deidentify_dates ?? 'year';
  return (record) => deidentifyRecord(def, record, { salt, mode, referenceDate });
}
