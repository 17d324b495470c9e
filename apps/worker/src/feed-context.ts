import type { CsvDialect } from '@harmonizer/core';
import type { FedTask } from './chunk-task.js';
import type { Job } from '@harmonizer/db';
import type { ResultMerger } from './result-merger.js';
import type { TextSource } from './text-source.js';

/** The start of the decoded text (BOM stripped), read before the format is known. */
export interface InputHead {
  text: string;
  /** The head is the whole input. */
  ended: boolean;
}

/** What a feeder needs: the input, the job, and where its chunks and job-level rejects go. */
export interface FeedContext {
  job: Job;
  source: TextSource;
  chunkRows: number;
  /** A JSON document longer than this fails with input.too_large_for_json. */
  maxJsonDocumentChars: number;
  referenceDate: string;
  merger: Pick<ResultMerger, 'openDataset' | 'rejectUnrouted' | 'expectRecords'>;
  submit(task: FedTask): Promise<void>;
  /** Writes progress now and then; false once the job was cancelled (the feeder stops). */
  keepGoing(): Promise<boolean>;
}

/** How the input was read, for the report: the format and what was not harmonized, by kind. */
export interface InputSummary {
  /** csv, ndjson, json, fhir-ndjson, fhir-bundle or fhir-json (an array or a single resource). */
  format: string;
  dialect?: CsvDialect;
  /** Records read from the file (CSV data records counted by the datasets' reports instead). */
  records?: number;
  /** Blank lines of an NDJSON file, skipped. */
  blankLines?: number;
  /** FHIR resources that gave records; with the skipped and the unreadable ones, every record read. */
  harmonizedResources?: number;
  /** resourceType -> resources not harmonized (no dataset takes them, or not the dataset asked for). */
  skippedResources?: Record<string, number>;
}

export type FeedOutcome = InputSummary | 'cancelled';
