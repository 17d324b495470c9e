import { toFhirResources, toOperationOutcome, type AcceptedRecord, type DatasetName, type RejectedRow } from '@harmonizer/core';
import type { CompletedJob } from '@harmonizer/db';
import { jobResultsPrefix, type ObjectStorage } from '@harmonizer/storage';
import type { RecordWithFhir } from './chunk-task.js';
import { commitInPhases } from './commit-phases.js';
import { createOutputFile, OUTPUT_BUFFER_BYTES, type OutputFile } from './output-file.js';
import { keptRuns, keptLines, type PackedRecords } from './packed-records.js';

export type ResultFile = CompletedJob['results'][number];
/** A result file of one FHIR resource type; still a plain ResultFile for markCompleted. */
export type FhirResultFile = ResultFile & { resourceType: string };

/** The format recorded for FHIR files: NDJSON, one resource per line (FHIR Bulk Data). */
export const FHIR_FORMAT = 'fhir+ndjson';
export const fhirKey = (jobId: string, resourceType: string) => `${jobResultsPrefix(jobId)}/fhir/${resourceType}.ndjson`;

export interface FhirWriter {
  /** Accepted records (after dedup) of one dataset, as resources (a wide vitals row gives several); records that give none are counted as skipped. */
  write(dataset: DatasetName, records: readonly AcceptedRecord[]): Promise<void>;
  /** The same for the kept (keep[i] = 1) of a chunk's packed records, whose resources the thread made. */
  writePacked(dataset: DatasetName, packed: PackedRecords, keep: Uint8Array): Promise<void>;
  /** Reject lines (as processChunk or rejects.ndjson has them) of one dataset, or null for job-level rejects: one OperationOutcome each. */
  writeRejects(dataset: string | null, rejectLines: readonly string[]): Promise<void>;
  /** Records that gave no resource (a medication administration without any time). */
  readonly skipped: number;
  /** Makes every file visible; one entry per resource type written, OperationOutcome as type 'rejects'. */
  commit(): Promise<FhirResultFile[]>;
  abort(): Promise<void>;
  /** Every file's settled() (output-file.ts). */
  settled(): Promise<void>;
}

interface OpenFile {
  writer: OutputFile;
  count: number;
  datasets: Set<string>;
}

/**
 * FHIR R4 NDJSON, one file per resource type (`results/<id>/fhir/<Type>.ndjson`), opened on the
 * first resource of that type. Like the other result files, nothing is visible before commit()
 * and abort() leaves nothing. Mapping runs on the caller's thread: one parse, map and stringify
 * per record. Each file buffers up to `bufferBytes` before its storage writer opens (output-file.ts).
 */
export function createFhirWriter(storage: ObjectStorage, jobId: string, options: { bufferBytes?: number } = {}): FhirWriter {
  const files = new Map<string, OpenFile>();
  let skipped = 0;
  let settled = false;

  const open = (resourceType: string): OpenFile => {
    let file = files.get(resourceType);
    if (!file) {
      const writer = createOutputFile(storage, fhirKey(jobId, resourceType), options.bufferBytes ?? OUTPUT_BUFFER_BYTES);
      file = { writer, count: 0, datasets: new Set() };
      files.set(resourceType, file);
    }
    return file;
  };

  /** Groups lines by resource type so each file gets one write per batch. */
  const writeGrouped = async (dataset: string | null, byType: Map<string, string[]>) => {
    for (const [resourceType, lines] of byType) {
      const file = open(resourceType);
      file.count += lines.length;
      file.datasets.add(dataset ?? '');
      await file.writer.write(`${lines.join('\n')}\n`);
    }
  };
  const add = (byType: Map<string, string[]>, resourceType: string, line: string) => {
    const lines = byType.get(resourceType);
    if (lines) lines.push(line);
    else byType.set(resourceType, [line]);
  };

  const abort = async () => {
    settled = true;
    await Promise.allSettled([...files.values()].map((file) => file.writer.abort()));
  };

  return {
    get skipped() {
      return skipped;
    },
    async write(dataset, records) {
      const byType = new Map<string, string[]>();
      for (const record of records) {
        const made = (record as RecordWithFhir).fhir;
        if (made) {
          if (made.length === 0) skipped++;
          for (let i = 0; i + 1 < made.length; i += 2) add(byType, made[i]!, made[i + 1]!);
          continue;
        }
        const resources = toFhirResources(dataset, JSON.parse(record.json) as Record<string, unknown>, { jobId, row: record.row });
        if (resources.length === 0) skipped++;
        for (const resource of resources) add(byType, resource.resourceType, JSON.stringify(resource));
      }
      await writeGrouped(dataset, byType);
    },
    async writePacked(dataset, packed, keep) {
      if (!packed.fhir) throw new Error('packed records without their FHIR resources');
      const { types, made } = packed.fhir;
      for (let i = 0; i < made.length; i++) if (keep[i] === 1 && made[i] === 0) skipped++;
      for (const type of types) {
        const lines = keptLines(type.lines, keep);
        if (lines === 0) continue;
        const file = open(type.resourceType);
        file.count += lines;
        file.datasets.add(dataset);
        await file.writer.write(keptRuns(type, keep), packed.borrowed);
      }
    },
    async writeRejects(dataset, rejectLines) {
      if (rejectLines.length === 0) return;
      const lines = rejectLines.map((line) => JSON.stringify(toOperationOutcome(JSON.parse(line) as RejectedRow, { jobId, ...(dataset ? { dataset } : {}) })));
      await writeGrouped(dataset, new Map([['OperationOutcome', lines]]));
    },
    async commit() {
      if (settled) throw new Error('the FHIR writer was already committed or aborted');
      settled = true;
      const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : 1));
      const committed: string[] = [];
      try {
        // The first makes the fhir/ folder; the others are renamed into it together.
        return await commitInPhases(
          sorted.map(([resourceType, file]) => async (): Promise<FhirResultFile> => {
            const { size } = await file.writer.commit();
            committed.push(fhirKey(jobId, resourceType));
            const [only, ...more] = file.datasets;
            return {
              // A resource type fed by several datasets (Observation: vitals and labs) belongs to none.
              dataset: only && more.length === 0 ? only : null,
              type: resourceType === 'OperationOutcome' ? 'rejects' : 'harmonized',
              format: FHIR_FORMAT,
              storageKey: fhirKey(jobId, resourceType),
              count: file.count,
              sizeBytes: size,
              resourceType,
            };
          }),
        );
      } catch (err) {
        // Every commit has settled (commitInPhases): what was renamed into place is removed again.
        await Promise.allSettled([...files.values()].map((f) => f.writer.abort()));
        await Promise.allSettled(committed.map((key) => storage.remove(key)));
        throw err;
      }
    },
    abort,
    async settled() {
      await Promise.all([...files.values()].map((file) => file.writer.settled()));
    },
  };
}
