import type { RecordSource } from './parse-records.js';

/**
 * A hand-written reader for the regular part of the CSV grammar, read straight off the JS string
 * (indexOf, charCodeAt, slice) instead of csv-parse's byte-by-byte walk over a UTF-8 Buffer.
 *
 * The regular grammar: records end at LF or CRLF; a field is either unquoted (no quote, no CR in
 * it) or fully quoted (`""` is an escaped quote, and the closing quote is followed by the
 * delimiter, LF, CRLF or the end of the text). On such text csv-parse (delimiter, relax_quotes,
 * relax_column_count, record_delimiter ['\r\n', '\n'], skip_empty_lines false) gives exactly the
 * same cells, and the quote-aware record splitter counts the same records. Anything else (a quote
 * inside an unquoted field, text after a closing quote, an unterminated quote, a CR not followed
 * by LF outside quotes, a lone surrogate that csv-parse's UTF-8 round trip would turn into U+FFFD)
 * makes the reader give up on the whole text and return null, so the caller uses csv-parse.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Thrown inside the reader when the text leaves the regular grammar; caught once at the top. */
class IrregularCsv extends Error {}
const IRREGULAR = new IrregularCsv();

/**
 * Reads `text` into records of cells, one per record (a blank line is `['']`; text ending in a
 * record terminator has no extra empty record), or returns null if the text is not regular CSV.
 */
export function parseRegularCsv(text: string, delimiter: string): string[][] | null {
  if (!isWellFormed(text)) return null;
  try {
    return new RegularCsvReader(text, delimiter.charCodeAt(0)).readAll();
  } catch (error) {
    if (error === IRREGULAR) return null;
    throw error;
  }
}

/**
 * parseRegularCsv's records, read only when asked for: the whole text is checked first (and its
 * records counted) without making any cell, then each record's cells are made when next() is
 * called. A chunk's cells made all at once lived as long as the chunk took, so a pool thread's
 * scavenges copied and then promoted most of them (~0.8 KB per row, a full GC's worth every few
 * dozen chunks); made one record at a time, they die young. Null if the text is not regular CSV.
 */
export function regularCsvCursor(text: string, delimiter: string): RecordSource | null {
  if (!isWellFormed(text)) return null;
  const code = delimiter.charCodeAt(0);
  let count: number;
  try {
    count = new RegularCsvReader(text, code, false).countAll();
  } catch (error) {
    if (error === IRREGULAR) return null;
    throw error;
  }
  const reader = new RegularCsvReader(text, code);
  return { count, next: () => reader.readRecord() };
}

type WellFormedString = string & { isWellFormed?: () => boolean };

/** False if the text holds a lone surrogate (csv-parse would read it back as U+FFFD). */
function isWellFormed(text: string): boolean {
  const check = (text as WellFormedString).isWellFormed;
  // Without the native check, any surrogate at all sends the text to csv-parse: slower, still right.
  return check ? check.call(text) : !/[\uD800-\uDFFF]/.test(text);
}

class RegularCsvReader {
  private readonly len: number;
  private pos = 0;
  /** Next quote and next CR at or after `pos` (len if none), cached so each is searched once per hit. */
  private nextQuote = -1;
  private nextCr = -1;

  /** collect false: only check and count (no cells made; the records read back empty). */
  constructor(
    private readonly text: string,
    private readonly delimiter: number,
    private readonly collect = true,
  ) {
    this.len = text.length;
  }

  readAll(): string[][] {
    const records: string[][] = [];
    while (this.pos < this.len) records.push(this.readRecord());
    return records;
  }

  countAll(): number {
    let count = 0;
    for (; this.pos < this.len; count++) this.readRecord();
    return count;
  }

  /** The record at the reading position, and the position moved past it. */
  readRecord(): string[] {
    const { text, pos, len } = this;
    const lf = text.indexOf('\n', pos);
    const end = lf < 0 ? len : lf;
    if (this.nextQuote < pos) this.nextQuote = indexOrLen(text, '"', pos);
    if (this.nextQuote >= end) return this.readPlainRecord(pos, end, lf);
    return this.readQuotedRecord();
  }

  /** A record with no quote in it: the line (less its CRLF's CR) cut at each delimiter. */
  private readPlainRecord(start: number, end: number, lf: number): string[] {
    const { text } = this;
    const lineEnd = lf > start && text.charCodeAt(lf - 1) === CR ? lf - 1 : end;
    if (this.nextCr < start) this.nextCr = indexOrLen(text, '\r', start);
    if (this.nextCr < lineEnd) throw IRREGULAR; // a bare CR: csv-parse keeps it as text, leave that to it
    this.pos = lf < 0 ? this.len : lf + 1;
    return this.splitLine(start, lineEnd);
  }

  private splitLine(start: number, end: number): string[] {
    const { text, delimiter } = this;
    const cells: string[] = [];
    if (!this.collect) return cells;
    let fieldStart = start;
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) === delimiter) {
        cells.push(text.slice(fieldStart, i));
        fieldStart = i + 1;
      }
    }
    cells.push(text.slice(fieldStart, end));
    return cells;
  }

  /** A record with a quote in it, field by field; quoted fields may hold delimiters, CR and LF. */
  private readQuotedRecord(): string[] {
    const cells: string[] = [];
    for (;;) {
      const atEnd = this.text.charCodeAt(this.pos) === QUOTE ? this.readQuotedField(cells) : this.readPlainField(cells);
      if (atEnd) return cells;
    }
  }

  /** Reads one unquoted field into `cells`; true if it ended the record. */
  private readPlainField(cells: string[]): boolean {
    const { text, len, delimiter } = this;
    const start = this.pos;
    let i = start;
    let c = 0;
    while (i < len) {
      c = text.charCodeAt(i);
      if (c === delimiter || c === LF || c === CR || c === QUOTE) break;
      i++;
    }
    if (this.collect) cells.push(text.slice(start, i));
    return this.endField(i);
  }

  /** Reads one quoted field (the quote at `pos` opens it) into `cells`; true if it ended the record. */
  private readQuotedField(cells: string[]): boolean {
    const { text } = this;
    let value = '';
    let from = this.pos + 1;
    for (;;) {
      const q = text.indexOf('"', from);
      if (q < 0) throw IRREGULAR; // unterminated quote
      if (text.charCodeAt(q + 1) === QUOTE) {
        if (this.collect) value += text.slice(from, q + 1); // `""` is one literal quote
        from = q + 2;
        continue;
      }
      if (this.collect) cells.push(value + text.slice(from, q));
      return this.endField(q + 1);
    }
  }

  /**
   * After a field ending at `i`, steps past the delimiter (false: the record goes on) or the
   * record terminator or end of text (true). Anything else there is irregular.
   */
  private endField(i: number): boolean {
    const { text, len } = this;
    if (i >= len) {
      this.pos = len;
      return true;
    }
    const c = text.charCodeAt(i);
    if (c === this.delimiter) {
      this.pos = i + 1;
      return false;
    }
    if (c === LF) {
      this.pos = i + 1;
      return true;
    }
    if (c === CR && text.charCodeAt(i + 1) === LF) {
      this.pos = i + 2;
      return true;
    }
    throw IRREGULAR;
  }
}

function indexOrLen(text: string, char: string, from: number): number {
  const i = text.indexOf(char, from);
  return i < 0 ? text.length : i;
}
