import { resolveDataset } from './datasets/detect-dataset.js';
import { getDataset } from './datasets/registry.js';
import { createDeduplicator } from './dedup/deduplicator.js';
import { sniffCsv } from './formats/sniff-csv.js';
import { stripBom } from './formats/strip-bom.js';
import { matchHeaders } from './mapping/match-headers.js';
import { validateOptionsForDataset } from './options/validate-options-for-dataset.js';
import { processChunk } from './process-chunk.js';
import { createReportBuilder, type Duplicate } from './report/report-builder.js';
import type { Report } from './report/report.js';
import type {
  AcceptedRecord,
  ChunkResult,
  CsvDialect,
  DatasetDetection,
  HarmonizeOptions,
  HeaderMapping,
} from './types.js';

export interface HarmonizeTextInput {
  /** The dataset, when the user named it; detected from the header otherwise. */
  dataset?: string;
  /** Already validated by parseOptions. */
  options?: HarmonizeOptions;
  referenceDate?: string;
}

export interface HarmonizeTextResult {
  dialect: CsvDialect;
  detection: DatasetDetection;
  mapping: HeaderMapping;
  /** processChunk's output for the whole text, before file-wide deduplication. */
  chunk: ChunkResult;
  /** Accepted records that survived deduplication and were not superseded by a newer version, in row order. */
  kept: AcceptedRecord[];
  duplicates: Duplicate[];
  report: Report;
}

/**
 * The whole pipeline on a text held in memory, in the order the worker runs it on a stream:
 * sniff, choose the dataset, map headers, process, deduplicate, report. For small inputs, tests
 * and benchmarks; the worker streams instead.
 */
export function harmonizeText(text: string, input: HarmonizeTextInput = {}): HarmonizeTextResult {
  const decoded = stripBom(text);
  const dialect = sniffCsv(decoded.slice(0, 64 * 1024), decoded.length <= 64 * 1024);
  const detection = resolveDataset(dialect.header, input.dataset);
  const options = input.options ?? {};
  validateOptionsForDataset(options, detection.dataset);
  const mapping = matchHeaders(dialect.header, detection.dataset, options.mapping);
  const chunk = processChunk({
    dataset: detection.dataset,
    delimiter: dialect.delimiter,
    mapping,
    text: decoded.slice(dialect.dataOffset),
    firstRow: 1,
    options,
    ...(input.referenceDate === undefined ? {} : { referenceDate: input.referenceDate }),
  });
  const dedupKeys = options.dedup_keys ?? [...getDataset(detection.dataset).naturalKey];
  const report = createReportBuilder({ dataset: detection.dataset, mapping, detection, dedupKeys, delimiter: dialect.delimiter });
  report.addChunk(chunk.stats);
  const deduplicator = createDeduplicator();
  const kept: AcceptedRecord[] = [];
  const duplicates: Duplicate[] = [];
  for (const record of chunk.accepted) {
    if (record.version?.superseded) {
      report.addSuperseded({ row: record.row, group: record.version.group });
      continue;
    }
    const duplicate = deduplicator.check(record);
    if (!duplicate) {
      kept.push(record);
      continue;
    }
    const entry = { row: record.row, ...duplicate };
    duplicates.push(entry);
    report.addDuplicate(entry);
  }
  return { dialect, detection, mapping, chunk, kept, duplicates, report: report.build({ rowsOut: kept.length }) };
}
