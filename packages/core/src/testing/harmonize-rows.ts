import { parseRecords } from '../chunk/parse-records.js';
import { matchHeaders } from '../mapping/match-headers.js';
import { processChunk } from '../process-chunk.js';
import { inferColumnFormats } from '../standardize/infer-column-formats.js';
import type { ChunkResult, DatasetName, HarmonizeOptions } from '../types.js';

export interface HarmonizedRows extends ChunkResult {
  /** Accepted records parsed back from their JSON lines. */
  records: Record<string, unknown>[];
  /** Rejected rows: row number and the rule codes raised. */
  rejected: { row: number; rules: string[]; messages: string[] }[];
}

/**
 * Runs one dataset over a CSV text the way the worker does for a single chunk: map the header,
 * infer the column formats from all rows, process. For tests and one-off checks of small inputs.
 */
export function harmonizeRows(
  dataset: DatasetName,
  csv: string,
  options: HarmonizeOptions = {},
  /** null: no processing date (checks against today are skipped). */
  referenceDate: string | null = '2025-06-15',
): HarmonizedRows {
  const newline = csv.indexOf('\n');
  const header = parseRecords(csv.slice(0, newline + 1), ',')[0] ?? [];
  const body = csv.slice(newline + 1);
  const mapping = matchHeaders(header, dataset, options.mapping);
  const rows = parseRecords(body, ',').filter((r): r is string[] => r !== null);
  const result = processChunk({
    dataset,
    delimiter: ',',
    mapping,
    text: body,
    firstRow: 1,
    options,
    hints: inferColumnFormats(mapping, rows),
    ...(referenceDate === null ? {} : { referenceDate }),
  });
  return {
    ...result,
    records: result.accepted.map((a) => JSON.parse(a.json) as Record<string, unknown>),
    rejected: result.rejects.map((line) => {
      const parsed = JSON.parse(line) as { row: number; issues: { rule: string; message: string }[] };
      return { row: parsed.row, rules: parsed.issues.map((i) => i.rule), messages: parsed.issues.map((i) => i.message) };
    }),
  };
}
