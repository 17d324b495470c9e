import { parse, type Options } from 'csv-parse/sync';
import { countRecords, splitRecords } from '../formats/scan-records.js';
import type { CsvDialect } from '../types.js';
import { parseRegularCsv, regularCsvCursor } from './fast-csv.js';

const optionsFor = (delimiter: CsvDialect['delimiter']): Options => ({
  delimiter,
  relax_column_count: true,
  relax_quotes: true,
  record_delimiter: ['\r\n', '\n'],
  skip_empty_lines: false,
});

/**
 * Parses whole CSV records into cells, one entry per record as the record splitter counts them
 * (blank lines included), so row numbers stay exact. Regular CSV (the usual case) is read by the
 * hand-written reader, which gives csv-parse's cells several times faster and counts the records
 * itself; a chunk it declines goes to csv-parse as before.
 */
export function parseRecords(text: string, delimiter: CsvDialect['delimiter']): (string[] | null)[] {
  if (text === '') return [];
  return parseRegularCsv(text, delimiter) ?? parseRecordsWithCsvParse(text, delimiter);
}

/** parseRecords' records one at a time, in order (null: a record that cannot be read). */
export interface RecordSource {
  readonly count: number;
  next(): string[] | null;
}

/**
 * The same records as parseRecords, read as they are asked for where the text is regular CSV
 * (see regularCsvCursor: a record's cells then live only while it is processed); csv-parse's
 * reading of the rest is whole, as before.
 */
export function recordSource(text: string, delimiter: CsvDialect['delimiter']): RecordSource {
  if (text === '') return arraySource([]);
  return regularCsvCursor(text, delimiter) ?? arraySource(parseRecordsWithCsvParse(text, delimiter));
}

/** A source over records already read. */
export function arraySource(records: readonly (string[] | null)[]): RecordSource {
  let i = 0;
  return { count: records.length, next: () => records[i++] ?? null };
}

/**
 * The csv-parse reading (and the reference the fast reader is tested against). A chunk csv-parse
 * rejects, or reads into a different number of records than the splitter counts, is re-read
 * record by record; a record that still fails is null (malformed) and the rest of the chunk
 * survives it.
 */
export function parseRecordsWithCsvParse(text: string, delimiter: CsvDialect['delimiter']): (string[] | null)[] {
  if (text === '') return [];
  const options = optionsFor(delimiter);
  try {
    const rows = parse(text, options) as string[][];
    if (rows.length === countRecords(text, delimiter)) return rows;
  } catch {
    // Malformed somewhere in the chunk: find out where below.
  }
  return splitRecords(text, delimiter).map((record) => {
    try {
      const rows = parse(record, options) as string[][];
      if (rows.length === 0) return [''];
      return rows.length === 1 ? (rows[0] ?? null) : null;
    } catch {
      return null;
    }
  });
}
