import { parse } from 'csv-parse/sync';
import { InputError } from '../input-error.js';
import type { CsvDialect } from '../types.js';
import { countFields } from './count-fields.js';
import { ANY_SEPARATOR, createScanState, scanRecords } from './scan-records.js';
import { stripBom } from './strip-bom.js';

export const DELIMITERS = [',', ';', '\t', '|'] as const satisfies readonly CsvDialect['delimiter'][];

/** Records looked at to choose the delimiter. */
const SAMPLE_RECORDS = 50;
/** Records above the header that may be titles, notes or blank separators. */
const MAX_TITLE_ROWS = 10;
/** A cell a header would not have: a number, an amount or a date. */
const NUMBER_OR_DATE = /^[-+]?[$€£]?\d[\d.,:/ -]*(?:[ T]\d[\d:.]*)?[a-zA-Z%]{0,3}$/;

/**
 * Reads the dialect from the first part of the decoded text (BOM already stripped): the
 * delimiter whose field counts agree best across the first records (ties favour more fields,
 * then the order of DELIMITERS), the header cells (title rows above the header skipped, empty
 * cells at its end dropped), and where the data starts. `final` says the sample is the whole
 * file, so an unterminated header line is acceptable.
 */
export function sniffCsv(sample: string, final: boolean): CsvDialect {
  return sniff(sample, final, splitCells);
}

/**
 * sniffCsv reading every sample record with csv-parse (no fast path): the reference the fast
 * path is tested against.
 */
export function sniffCsvReference(sample: string, final: boolean): CsvDialect {
  return sniff(sample, final, parseCells);
}

/** The cells of one record (no line terminator) for a delimiter; InputError when its quotes cannot be read. */
type CellReader = (line: string, delimiter: CsvDialect['delimiter']) => string[];

function sniff(sample: string, final: boolean, readCells: CellReader): CsvDialect {
  if (sample.trim() === '') {
    throw new InputError('input.empty', 'The file is empty: upload a CSV file with a header line and data rows.');
  }
  if (looksBinary(sample)) {
    throw new InputError('input.binary', 'The file is not text (it contains binary data): upload a CSV file.');
  }
  if (!sample.includes('\n') && /\r(?!$)/.test(sample)) {
    throw new InputError(
      'input.no_header',
      'The file uses bare CR line breaks (classic Mac): save it with LF or CRLF line endings.',
    );
  }
  const start = skipBlankLines(sample);
  const cuts: number[] = [];
  scanRecords(createScanState(), sample.slice(start), ANY_SEPARATOR, cuts);
  const ends = cuts.slice(0, SAMPLE_RECORDS).map((cut) => cut + start);
  if (ends.length === 0) {
    if (!final) {
      throw new InputError('input.no_header', 'No header line found in the first 64 KiB: the first line must name the columns.');
    }
    ends.push(sample.length);
  }
  const records: SampleRecord[] = [];
  let from = start;
  for (const end of ends) {
    const text = sample.slice(from, end).replace(/\r?\n$/, '');
    if (text.trim() !== '') records.push({ text, end });
    from = end;
  }
  const { delimiter, headerIndex } = pickDialect(records, readCells);
  const headerRecord = records[headerIndex];
  const cells = readCells(headerRecord?.text ?? '', delimiter);
  let width = cells.length;
  while (width > 1 && cells[width - 1] === '') width--;
  const header = cells.slice(0, width);
  // Rows of empty cells (",,,,") between the titles and the header are no titles.
  const titleRows = records.slice(0, headerIndex).filter((record) => /[^\s,;|"]/.test(record.text)).length;
  if (header.every((cell) => cell === '')) {
    throw new InputError('input.no_header', 'The header line is empty: the first line must name the columns.');
  }
  return {
    delimiter,
    header,
    dataOffset: headerRecord?.end ?? sample.length,
    ...(titleRows > 0 ? { titleRows } : {}),
    ...(width < cells.length ? { trailingEmptyColumns: cells.length - width } : {}),
  };
}

interface SampleRecord {
  /** Without its line terminator. */
  text: string;
  /** Offset just after it (terminator included) in the sample. */
  end: number;
}

function skipBlankLines(text: string): number {
  const match = /^(?:[ \t]*\r?\n)*/.exec(text);
  return match ? match[0].length : 0;
}

/** NUL bytes, or many control characters / undecodable bytes, mean this is not a text file. */
function looksBinary(sample: string): boolean {
  if (sample.includes('\0')) return true;
  const head = sample.slice(0, 8192);
  let control = 0;
  let replacement = 0;
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i);
    if (code < 32 && code !== 9 && code !== 10 && code !== 12 && code !== 13) control++;
    else if (code === 0xfffd) replacement++;
  }
  return control > head.length * 0.01 || replacement > head.length * 0.1;
}

/**
 * The delimiter and the header record: for each delimiter, the header is the first of the first
 * records that looks like one (see findHeader), and the delimiter whose data records agree best
 * with its header's field count wins (ties favour more fields, then the order of DELIMITERS).
 */
function pickDialect(records: SampleRecord[], readCells: CellReader): { delimiter: CsvDialect['delimiter']; headerIndex: number } {
  let best: { delimiter: CsvDialect['delimiter']; headerIndex: number } = { delimiter: ',', headerIndex: 0 };
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const counts = records.map((record) => countFields(record.text, delimiter));
    const headerIndex = findHeader(records, counts, delimiter, readCells);
    const width = counts[headerIndex] ?? 0;
    if (width < 2) continue;
    const data = counts.slice(headerIndex + 1);
    const agreeing = data.filter((count) => count === width).length;
    const consistency = data.length === 0 ? 1 : agreeing / data.length;
    const score = consistency * 10_000 + Math.min(width, 9_999);
    if (score > bestScore) {
      best = { delimiter, headerIndex };
      bestScore = score;
    }
  }
  return best;
}

/**
 * Index of the header among the first records. Exports often put title rows above it ("Patient
 * list", "Exported 2024-01-02,,,,"): a record is a title when it has fewer than two non-empty
 * cells, fewer fields than most records after it, or at most two non-empty cells that end
 * before those of most records after it. The header is the first record that is no title and
 * looks like a header (cells mostly not numbers or dates); without one, the first record that
 * looks like a header, else the first record.
 */
function findHeader(
  records: SampleRecord[],
  counts: number[],
  delimiter: CsvDialect['delimiter'],
  readCells: CellReader,
): number {
  const shapes = records.map((record) => shapeOf(record.text, delimiter, readCells));
  const limit = Math.min(records.length, MAX_TITLE_ROWS + 1);
  let firstHeaderLike = -1;
  for (let i = 0; i < limit; i++) {
    const shape = shapes[i];
    if (!shape || shape.named < 2 || !shape.headerLike) continue;
    if (firstHeaderLike < 0) firstHeaderLike = i;
    const fields = modeOf(counts.slice(i + 1));
    const used = modeOf(shapes.slice(i + 1).map((s) => s.used));
    const narrower = fields !== null && (counts[i] ?? 0) < fields;
    const shortNote = shape.named <= 2 && used !== null && shape.used < used;
    if (!narrower && !shortNote) return i;
  }
  return Math.max(firstHeaderLike, 0);
}

interface RecordShape {
  /** Cells up to the last non-empty one. */
  used: number;
  /** Non-empty cells. */
  named: number;
  /** Its non-empty cells are mostly not numbers or dates. */
  headerLike: boolean;
}

function shapeOf(text: string, delimiter: CsvDialect['delimiter'], readCells: CellReader): RecordShape {
  let cells: string[];
  try {
    cells = readCells(text, delimiter);
  } catch {
    return { used: 0, named: 0, headerLike: false };
  }
  let used = cells.length;
  while (used > 0 && cells[used - 1] === '') used--;
  const named = cells.filter((cell) => cell !== '');
  const numeric = named.filter((cell) => NUMBER_OR_DATE.test(cell)).length;
  return { used, named: named.length, headerLike: numeric * 2 < named.length };
}

function modeOf(values: number[]): number | null {
  const seen = new Map<number, number>();
  let mode: number | null = null;
  let most = 0;
  for (const value of values) {
    const n = (seen.get(value) ?? 0) + 1;
    seen.set(value, n);
    if (n > most) {
      most = n;
      mode = value;
    }
  }
  return mode;
}

/** UTF-16 surrogates are left to csv-parse: it reads a string through a Buffer (a lone surrogate comes back as U+FFFD). */
const SURROGATE = /[\uD800-\uDFFF]/;
const LINE_BREAK = /[\r\n]/;

/**
 * The cells of one record: a record without surrogates whose quotes (if any) are well formed,
 * with line breaks only inside quotes, is split here, which is what csv-parse answers for it
 * without its per-call setup (sniffing reads up to 50 records for each of 4 delimiters); any
 * other record goes to csv-parse.
 */
export function splitCells(line: string, delimiter: CsvDialect['delimiter']): string[] {
  if (line === '' || SURROGATE.test(line)) return parseCells(line, delimiter);
  const cells = line.includes('"') ? splitQuoted(line, delimiter) : LINE_BREAK.test(line) ? null : line.split(delimiter);
  return cells ? cells.map((cell) => stripBom(cell).trim()) : parseCells(line, delimiter);
}

/**
 * The cells of a record whose quotes are all well formed: a quote opens a field only at its
 * start, "" inside is one quote, and the closing quote ends the record or comes right before
 * the delimiter; line breaks only inside quotes. Null for anything else (csv-parse's relaxed
 * reading decides those).
 */
function splitQuoted(line: string, delimiter: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote < 0) return null;
        if (line.charCodeAt(quote + 1) === 34) {
          value += line.slice(from, quote + 1);
          from = quote + 2;
          continue;
        }
        value += line.slice(from, quote);
        i = quote + 1;
        break;
      }
      cells.push(value);
      if (i === line.length) return cells;
      if (line[i] !== delimiter) return null;
      i++;
    } else {
      const next = line.indexOf(delimiter, i);
      const cell = next < 0 ? line.slice(i) : line.slice(i, next);
      // A quote inside a field that did not start with one is a character (relax_quotes); a
      // line break outside quotes ends the record, which csv-parse's record discovery decides.
      if (LINE_BREAK.test(cell)) return null;
      cells.push(cell);
      if (next < 0) return cells;
      i = next + 1;
    }
  }
}

/** The cells of one record read by csv-parse (relaxed quotes and column count). */
export function parseCells(line: string, delimiter: CsvDialect['delimiter']): string[] {
  let rows: string[][];
  try {
    rows = parse(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
  } catch {
    throw new InputError('input.no_header', 'The header line cannot be read: check its quotes.');
  }
  return (rows[0] ?? []).map((cell) => stripBom(cell).trim());
}
