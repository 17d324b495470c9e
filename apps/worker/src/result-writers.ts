import { DEFAULT_OUTPUTS, OUTPUT_FORMATS, type AcceptedRecord, type DatasetName, type OutputFormat } from '@harmonizer/core';
import type { CompletedJob } from '@harmonizer/db';
import { jobResultsPrefix, type ObjectStorage } from '@harmonizer/storage';
import { commitInPhases } from './commit-phases.js';
import { createFhirWriter, type FhirWriter, type ResultFile } from './fhir-writer.js';
import { createOutputFile, OUTPUT_BUFFER_BYTES, type OutputFile } from './output-file.js';
import { keptRuns, type PackedRecords } from './packed-records.js';
import { createParquetWriter, type ParquetResultWriter } from './parquet-writer.js';

export interface DatasetWriter {
  /** Records that survived dedup and versioning, in output order: written to every output the job asked for. */
  write(records: readonly AcceptedRecord[]): Promise<void>;
  /** The same for a chunk's packed records, of which those with keep[i] = 1 (the same bytes as write of those records). */
  writePacked(packed: PackedRecords, keep: Uint8Array): Promise<void>;
}

/**
 * The outputs of a job, held in memory while small, then written to temp files (output-file.ts),
 * made visible together by commit(), or all dropped by abort(). Per dataset, as options.outputs
 * asks: `<dataset>.harmonized.csv` and `.ndjson`, `<dataset>.parquet`; FHIR R4 NDJSON per
 * resource type under `fhir/` (rejects as OperationOutcome); always one `rejects.ndjson` (each
 * line names its dataset) and `report.json`.
 */
export interface ResultWriters {
  /** The formats being written (options.outputs, or the default), in OUTPUT_FORMATS order. */
  readonly formats: readonly OutputFormat[];
  /** Records that gave no FHIR resource (a dataset without a FHIR mapping, an administration without a time). */
  readonly fhirSkipped: number;
  /** Opens the dataset's files on first use (writing the CSV header); later calls return the same writer. */
  openDataset(dataset: DatasetName, csvHeader: string): Promise<DatasetWriter>;
  /** Reject lines as processChunk writes them, of one dataset or (null) of the job itself. */
  writeRejects(dataset: string | null, rejectLines: readonly string[]): Promise<void>;
  commit(report: string, counts: { rowsOut: Readonly<Record<string, number>>; rowsRejected: number }): Promise<CompletedJob['results']>;
  abort(): Promise<void>;
  /** Every text file's settled(): no byte array written so far is referenced any more (output-file.ts). */
  settled(): Promise<void>;
}

/** The formats of options.outputs the writers honour; a job that names none gets DEFAULT_OUTPUTS. */
export interface OutputSelection {
  outputs?: readonly OutputFormat[] | undefined;
  /** Bytes each text file buffers before its storage writer opens (output-file.ts); tests pass 0 to stream at once. */
  bufferBytes?: number;
}

export const resultKey = (jobId: string, name: string) => `${jobResultsPrefix(jobId)}/${name}`;

const lines = (parts: readonly string[]) => (parts.length === 0 ? '' : `${parts.join('\n')}\n`);

/** Reject lines come from processChunk without their dataset: it goes first on each line. */
const withDataset = (dataset: string | null, line: string) => `{"dataset":${JSON.stringify(dataset)},${line.slice(1)}`;

interface TextFile {
  format: 'csv' | 'ndjson';
  name: string;
  writer: OutputFile;
}

interface OpenedDataset {
  writer: DatasetWriter;
  files: TextFile[];
  parquet: ParquetResultWriter | null;
}

export async function createResultWriters(storage: ObjectStorage, jobId: string, selection: OutputSelection = {}): Promise<ResultWriters> {
  const outputs = new Set<OutputFormat>(selection.outputs ?? DEFAULT_OUTPUTS);
  const bufferBytes = selection.bufferBytes ?? OUTPUT_BUFFER_BYTES;
  const opened: OutputFile[] = [];
  const parquets: ParquetResultWriter[] = [];
  const datasets = new Map<string, Promise<OpenedDataset>>();
  // Built from each accepted record's JSON, already de-identified when the job asked for it.
  const fhir: FhirWriter | null = outputs.has('fhir') ? createFhirWriter(storage, jobId, { bufferBytes }) : null;

  const open = (name: string) => {
    const file = createOutputFile(storage, resultKey(jobId, name), bufferBytes);
    opened.push(file);
    return file;
  };
  const abort = async () => {
    await Promise.allSettled([...opened.map((w) => w.abort()), ...parquets.map((p) => p.abort()), fhir?.abort()]);
  };

  const openDataset = async (dataset: DatasetName, csvHeader: string): Promise<OpenedDataset> => {
    const files: TextFile[] = [];
    if (outputs.has('csv')) {
      const csv = { format: 'csv' as const, name: `${dataset}.harmonized.csv`, writer: open(`${dataset}.harmonized.csv`) };
      files.push(csv);
      await csv.writer.write(`${csvHeader}\n`);
    }
    if (outputs.has('ndjson')) files.push({ format: 'ndjson', name: `${dataset}.harmonized.ndjson`, writer: open(`${dataset}.harmonized.ndjson`) });
    const parquet = outputs.has('parquet') ? await createParquetWriter(storage, jobId, dataset) : null;
    if (parquet) parquets.push(parquet);
    const writer: DatasetWriter = {
      async write(records) {
        if (records.length === 0) return;
        await Promise.all([
          ...files.map((file) => file.writer.write(lines(records.map((r) => (file.format === 'csv' ? r.csv : r.json))))),
          parquet?.write(records),
          fhir?.write(dataset, records),
        ]);
      },
      async writePacked(packed, keep) {
        if (parquet) throw new Error('packed records cannot be written to Parquet');
        await Promise.all([
          ...files.map((file) => file.writer.write(keptRuns(file.format === 'csv' ? packed.csv : packed.json, keep), packed.borrowed)),
          fhir?.writePacked(dataset, packed, keep),
        ]);
      },
    };
    return { writer, files, parquet };
  };

  const rejects = open('rejects.ndjson');
  return {
    formats: OUTPUT_FORMATS.filter((format) => outputs.has(format)),
    get fhirSkipped() {
      return fhir?.skipped ?? 0;
    },
    async openDataset(dataset, csvHeader) {
      let entry = datasets.get(dataset);
      if (!entry) {
        entry = openDataset(dataset, csvHeader);
        datasets.set(dataset, entry);
      }
      return (await entry).writer;
    },
    async writeRejects(dataset, rejectLines) {
      if (rejectLines.length === 0) return;
      await Promise.all([
        rejects.write(lines(rejectLines.map((line) => withDataset(dataset, line)))),
        fhir?.writeRejects(dataset, rejectLines),
      ]);
    },
    async commit(reportText, counts) {
      const commitFile = async (dataset: string | null, type: ResultFile['type'], format: string, name: string, writer: OutputFile, count: number): Promise<ResultFile> => {
        const { size } = await writer.commit();
        return { dataset, type, format, storageKey: resultKey(jobId, name), count, sizeBytes: size };
      };
      try {
        const report = open('report.json');
        await report.write(reportText);
        // In the order of the job's result list: datasets (text files, then Parquet), FHIR, rejects.
        const commits: (() => Promise<ResultFile | ResultFile[]>)[] = [];
        for (const [dataset, entry] of datasets) {
          const { files, parquet } = await entry;
          const count = counts.rowsOut[dataset] ?? 0;
          for (const file of files) commits.push(() => commitFile(dataset, 'harmonized', file.format, file.name, file.writer, count));
          if (parquet) commits.push(() => parquet.commit());
        }
        // The resource type is in the key (fhir/<Type>.ndjson); the job_results row has no column for it.
        if (fhir) commits.push(async () => (await fhir.commit()).map(({ resourceType: _type, ...file }) => file));
        commits.push(() => commitFile(null, 'rejects', 'ndjson', 'rejects.ndjson', rejects, counts.rowsRejected));
        const results = (await commitInPhases(commits)).flat();
        // The report last: once it is in place, every other file is.
        results.push(await commitFile(null, 'report', 'json', 'report.json', report, 1));
        return results;
      } catch (err) {
        // Some files may already be in place: a half-committed set must not stay visible.
        await abort();
        await storage.removePrefix(jobResultsPrefix(jobId));
        throw err;
      }
    },
    abort,
    async settled() {
      await Promise.all([...opened.map((file) => file.settled()), fhir?.settled()]);
    },
  };
}
