import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { checkQualityGate, detectFormat, stripBom, type ChunkStats, type DuplicateOf, type InputFormat } from '@harmonizer/core';
import type { CompletedJob, Database, Job, JobCounts } from '@harmonizer/db';
import type { ObjectStorage } from '@harmonizer/storage';
import type { FeedContext, FeedOutcome, InputHead } from './feed-context.js';
import { feedCsv } from './feed-csv.js';
import { feedJson, MAX_JSON_DOCUMENT_CHARS } from './feed-json.js';
import { feedNdjson } from './feed-ndjson.js';
import { inlineChunks, INLINE_MAX_CHARS } from './inline-chunks.js';
import { readJobOptions } from './input-plan.js';
import type { WorkerChunkResult, WorkerChunkTask } from './chunk-task.js';
import { buildJobReport, type JobReport } from './job-report.js';
import { createOrderedResults } from './ordered-results.js';
import type { ChunkPool } from './pool.js';
import { createProgress } from './progress.js';
import { createResultMerger, type ResultMerger } from './result-merger.js';
import { createResultWriters, type ResultWriters } from './result-writers.js';
import { createJobSlabs, slabbedOf, unslab } from './result-slabs.js';
import { openTextSource, type TextSource } from './text-source.js';

export interface PipelineSettings {
  /** Records per chunk handed to a pool thread. */
  chunkRows: number;
  /** How often progress is written and cancellation checked. */
  progressIntervalMs: number;
  /** A gzip input inflating past this fails with input.decompressed_too_large; default no limit. */
  maxDecompressedBytes?: number;
  /** Characters of a JSON document read whole; default MAX_JSON_DOCUMENT_CHARS (tests make it small). */
  maxJsonDocumentChars?: number;
  /** An input whose whole text is at most this long runs on the main thread; default INLINE_MAX_CHARS, 0 never. */
  inlineMaxChars?: number;
}

export interface PipelineDeps {
  db: Database;
  storage: ObjectStorage;
  pool: ChunkPool;
  settings: PipelineSettings;
  /** ISO date of today, for rules such as "birth date in the future"; default: the UTC date now. */
  today?: () => string;
}

/** Figures for logs and metrics: counts, rule codes and the header mapping, never values. */
export interface PipelineSummary {
  /** The only dataset, 'multiple', or 'none' (a bounded metrics label). */
  dataset: string;
  datasets: string[];
  counts: JobCounts;
  rules: ChunkStats['rules'];
  duplicatesByKind: Readonly<Record<DuplicateOf['kind'], number>>;
  /** The header mapping of a single-dataset job; empty for several datasets. */
  mapping: { source: string; field: string | null; method: string }[];
}

export type PipelineOutcome = { status: 'cancelled' } | { status: 'completed'; done: CompletedJob; summary: PipelineSummary };

/** The format and dialect are read from this much decoded text (or the whole file, if shorter). */
const SNIFF_CHARS = 64 * 1024;

const FEEDERS: Record<InputFormat, (ctx: FeedContext, head: InputHead) => Promise<FeedOutcome>> = {
  csv: feedCsv,
  ndjson: feedNdjson,
  json: feedJson,
};

const countBySeverity = (rules: ChunkStats['rules'], severity: 'error' | 'warning') =>
  Object.values(rules).reduce((sum, rule) => (rule.severity === severity ? sum + rule.count : sum), 0);

/**
 * Streams the stored input through the pool. The main thread only cuts chunks (a CSV file's as
 * bytes, decoded in the threads; per dataset for JSON and FHIR input, decoded here) and merges
 * results in input order (dedup, writing); at most threads*CHUNKS_IN_FLIGHT_PER_THREAD chunks
 * are in flight and reading waits while the pool is full, so memory does not grow with the file
 * (a JSON document, read whole, is the exception: see feed-json). An input read whole with the
 * head and at most INLINE_MAX_CHARS long runs on this thread instead (inline-chunks.ts): the same chunks and results, without the trip to a thread. Outputs
 * (options.outputs: CSV, NDJSON, FHIR, Parquet) become visible only when everything succeeded,
 * the quality gate (options.fail_if_error_rate_above) included; on error or cancel nothing is left.
 */
/**
 * Chunks in flight per pool thread: running, waiting in the thread's queue, or done and waiting
 * to be merged in order. With 2 (and one task per thread), the threads idled whenever the main
 * thread was merging and writing (300k rows, 2 threads: 1.1-1.8 cores busy, run to run); with 4
 * and two tasks per thread (pool.ts) 1.85-1.91, for a few MB more (a chunk is 128 Ki characters
 * in, ~1.2 MB of packed results out).
 */
const CHUNKS_IN_FLIGHT_PER_THREAD = 4;

export async function runPipeline(job: Job, deps: PipelineDeps, signal?: AbortSignal): Promise<PipelineOutcome> {
  const started = performance.now();
  const referenceDate = deps.today?.() ?? new Date().toISOString().slice(0, 10);
  const source = await openTextSource(deps.storage, job.storageKey, { maxDecompressedBytes: deps.settings.maxDecompressedBytes, sizeBytes: job.sizeBytes });
  let writers: ResultWriters | undefined;
  let discard = async () => {};
  try {
    const maxJsonDocumentChars = deps.settings.maxJsonDocumentChars ?? MAX_JSON_DOCUMENT_CHARS;
    const { head, format } = await readHead(source, maxJsonDocumentChars);
    const options = readJobOptions(job);
    // options.deidentify's per-job secret (core/deidentify/pseudonym.ts): this run's memory only, never
    // stored or logged; made only for a job that de-identifies (no other chunk reads it).
    const salt = options.deidentify === true ? { deidentifySalt: randomBytes(32).toString('hex') } : {};
    const jobWriters = await createResultWriters(deps.storage, job.id, { outputs: options.outputs });
    writers = jobWriters;
    const merger = createResultMerger(writers, { format });
    // A small input is done sooner on this thread than handed to the pool (inline-chunks.ts).
    const inline = head.ended && head.text.length <= (deps.settings.inlineMaxChars ?? INLINE_MAX_CHARS);
    const slabs = createJobSlabs(deps.pool.slabs);
    const merge = async (result: WorkerChunkResult, task: WorkerChunkTask) => {
      // A chunk of the file's bytes was decoded in its thread: the file's stats add up there.
      if (result.decoding) source.addDecoded(result.decoding);
      if (task.slab === undefined) return merger.merge(result, task);
      const inSlab = slabbedOf(result);
      if (!inSlab) {
        slabs.release(task.slab); // the results did not fit: they came in buffers of their own
        return merger.merge(result, task);
      }
      try {
        await merger.merge({ ...result, packed: unslab(inSlab, slabs.buffers[task.slab]!) } as WorkerChunkResult, task);
      } finally {
        // The writes hold views of the slab until they are written out (or dropped by an abort).
        const slab = task.slab;
        jobWriters.settled().then(() => slabs.release(slab), () => undefined); // if not, released at the end
      }
    };
    const results = createOrderedResults(inline ? inlineChunks : deps.pool, deps.pool.threads * CHUNKS_IN_FLIGHT_PER_THREAD, merge);
    discard = async () => {
      await results.discard();
      slabs.releaseAll(); // no thread writes into them and no write reads them any more
    };
    const progress = createProgress({
      intervalMs: deps.settings.progressIntervalMs,
      signal,
      update: () => {
        const totals = merger.totals();
        return deps.db.jobs.updateProgress(job.id, {
          percent: job.sizeBytes > 0 ? Math.min(99, Math.floor((source.bytesRead / job.sizeBytes) * 100)) : 0,
          recordsProcessed: totals.rowsIn,
          errorsFound: countBySeverity(totals.rules, 'error'),
        });
      },
    });
    const ctx: FeedContext = {
      job,
      source,
      chunkRows: deps.settings.chunkRows,
      maxJsonDocumentChars,
      referenceDate,
      merger,
      submit: (task) => {
        // The job id goes with each chunk: the threads make the FHIR resources (chunk-task.ts).
        // Results come back packed (bytes and key words, packed-records.ts) when they can.
        const sent: WorkerChunkTask = { ...task, ...salt, jobId: job.id, pack: true };
        // A CSV chunk for a pool thread packs its results into a free result slab (result-slabs.ts).
        if (!inline && 'bytes' in task) {
          const slab = slabs.acquire();
          if (slab !== undefined) sent.slab = slab;
        }
        return results.submit(sent);
      },
      keepGoing: () => progress.check(),
    };
    const summary = await FEEDERS[format](ctx, head);
    if (summary === 'cancelled') return await cancelled(writers, discard);
    while (await results.mergeNext()) {
      if (!(await progress.check())) return await cancelled(writers, discard);
    }
    // One last look before committing: a job cancelled by now must not get results.
    if (!(await progress.check(true))) return await cancelled(writers, discard);

    const outputs = {
      formats: writers.formats,
      ...(writers.formats.includes('fhir') ? { fhir_records_without_resource: writers.fhirSkipped } : {}),
    };
    const report = buildJobReport({ summary, compression: source.compression, decoding: source.stats(), merger, outputs });
    // Every row is counted and nothing is visible yet: a job over the threshold fails leaving no results.
    checkQualityGate({ rows_in: report.totals.rows_in, rows_rejected: report.totals.rows_rejected, rules: report.rules }, options);
    const rowsOut = Object.fromEntries([...merger.datasets].map(([name, state]) => [name, state.rowsOut]));
    const files = await writers.commit(`${JSON.stringify(report, null, 2)}\n`, { rowsOut, rowsRejected: report.totals.rows_rejected });
    return completed(job, merger, report, files, { durationMs: Math.round(performance.now() - started), bytesIn: source.bytesRead });
  } catch (err) {
    await writers?.abort();
    throw err;
  } finally {
    source.destroy();
    await discard();
  }
}

/**
 * Reads the head of the input and tells its format. An input starting with `{` needs its whole
 * first line to tell NDJSON from a pretty-printed document, so reading goes on until a line
 * break (or the end, or the size a JSON document may have).
 */
async function readHead(source: TextSource, maxJsonDocumentChars: number): Promise<{ head: InputHead; format: InputFormat }> {
  let text = '';
  let ended = false;
  const more = async () => {
    const piece = await source.read();
    if (piece === null) ended = true;
    else text += piece;
  };
  while (text.length < SNIFF_CHARS && !ended) await more();
  text = stripBom(text);
  let format = detectFormat(text, ended);
  while (format === null) {
    if (text.length > maxJsonDocumentChars) format = 'json';
    else {
      await more();
      format = detectFormat(text, ended);
    }
  }
  return { head: { text, ended }, format };
}

async function cancelled(writers: ResultWriters, discard: () => Promise<void>): Promise<PipelineOutcome> {
  await writers.abort();
  await discard();
  return { status: 'cancelled' };
}

function completed(
  job: Job,
  merger: ResultMerger,
  report: JobReport,
  results: CompletedJob['results'],
  run: { durationMs: number; bytesIn: number },
): PipelineOutcome {
  const totals = merger.totals();
  const rules = { ...totals.rules };
  for (const issue of report.input.issues) rules[issue.rule] = { severity: issue.severity, count: issue.count };
  const duplicatesByKind = { exact: 0, key: 0 };
  for (const state of merger.datasets.values()) {
    duplicatesByKind.exact += state.duplicatesByKind.exact;
    duplicatesByKind.key += state.duplicatesByKind.key;
  }
  const { rows_in, rows_out, rows_rejected, duplicates, superseded } = report.totals;
  const warnings = countBySeverity(rules, 'warning');
  const counts: JobCounts = { rows_in, rows_out, rows_rejected, duplicates, warnings, superseded };
  const datasets = report.datasets;
  const done: CompletedJob = {
    detectedDataset: datasets[0] ?? null,
    counts,
    results,
    metrics: {
      ...run,
      recordsIn: rows_in,
      recordsOut: rows_out,
      recordsRejected: rows_rejected,
      duplicates,
      errors: countBySeverity(rules, 'error'),
      warnings,
    },
  };
  const only = datasets.length === 1 ? merger.datasets.get(datasets[0] ?? '') : undefined;
  const mapping = only ? only.plan.mapping.columns.map(({ source, field, method }) => ({ source, field, method })) : [];
  const summary: PipelineSummary = {
    dataset: datasets.length === 1 ? (datasets[0] ?? 'none') : datasets.length === 0 ? 'none' : 'multiple',
    datasets,
    counts,
    rules,
    duplicatesByKind,
    mapping,
  };
  return { status: 'completed', done, summary };
}
