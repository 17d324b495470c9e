/**
 * Quote-aware record boundary scanner shared by the record splitter and the chunk parser. It
 * follows csv-parse's reading with relax_quotes: a quote opens a quoted field only at the start
 * of a field; inside one, `""` is an escaped quote and any other quote closes it. A record ends
 * right after a line feed outside quotes (so CRLF and LF both work; a lone CR does not end one).
 */
export interface ScanState {
  inQuotes: boolean;
  /** Inside quotes, the text seen so far ended on a quote: escaped or closing depends on the next char. */
  pendingQuote: boolean;
  /** The next character starts a field. */
  atFieldStart: boolean;
}

/** Field separators assumed when the delimiter is not known yet. */
export const ANY_SEPARATOR = ',;\t|';

const QUOTE = 34;

export function createScanState(): ScanState {
  return { inQuotes: false, pendingQuote: false, atFieldStart: true };
}

/** What the scanner reads: text by UTF-16 unit, or bytes (UTF-8, Windows-1252) by byte. */
interface Scanned {
  readonly length: number;
  /** The unit (char code or byte) at i, or -1 past the end. */
  at(i: number): number;
  /** Where the next unit `code` (a quote or a line feed) is, from `from` on; -1 when none. */
  indexOf(code: number, from: number): number;
}

const QUOTE_TEXT = '"';
const LINE_FEED = 10;
const LINE_FEED_TEXT = '\n';

const textScanned = (text: string): Scanned => ({
  length: text.length,
  at: (i) => (i < text.length ? text.charCodeAt(i) : -1),
  indexOf: (code, from) => text.indexOf(code === QUOTE ? QUOTE_TEXT : LINE_FEED_TEXT, from),
});

const bytesScanned = (bytes: Buffer): Scanned => ({
  length: bytes.length,
  at: (i) => bytes[i] ?? -1,
  indexOf: (code, from) => bytes.indexOf(code, from),
});

/**
 * The scan itself, over text or bytes: indexOf does the walking, with the next quote and next
 * line feed cached, so long runs without quotes cost one native search each. A separator is one
 * of `separators` (all ASCII, so a byte or a char code compares the same).
 */
function scan(state: ScanState, source: Scanned, separators: string, cuts?: number[]): { lastCut: number; count: number } {
  const len = source.length;
  const isSeparator = (code: number) => code >= 0 && code < 0x80 && separators.includes(String.fromCharCode(code));
  let i = 0;
  let lastCut = -1;
  let count = 0;
  if (state.pendingQuote && len > 0) {
    state.pendingQuote = false;
    if (source.at(0) === QUOTE) i = 1;
    else {
      state.inQuotes = false;
      state.atFieldStart = false;
    }
  }
  let nextQuote = -2;
  let nextLf = -2;
  while (i < len) {
    if (state.inQuotes) {
      const p = source.indexOf(QUOTE, i);
      if (p < 0) break;
      if (p + 1 === len) {
        state.pendingQuote = true;
        break;
      }
      if (source.at(p + 1) === QUOTE) {
        i = p + 2;
        continue;
      }
      state.inQuotes = false;
      state.atFieldStart = false;
      i = p + 1;
      continue;
    }
    if (nextQuote !== -1 && nextQuote < i) nextQuote = source.indexOf(QUOTE, i);
    if (nextLf !== -1 && nextLf < i) nextLf = source.indexOf(LINE_FEED, i);
    if (nextLf >= 0 && (nextQuote < 0 || nextLf < nextQuote)) {
      i = nextLf + 1;
      lastCut = i;
      count++;
      cuts?.push(i);
      state.atFieldStart = true;
      continue;
    }
    if (nextQuote >= 0) {
      const opens = nextQuote === i ? state.atFieldStart : isSeparator(source.at(nextQuote - 1));
      i = nextQuote + 1;
      if (opens) state.inQuotes = true;
      else state.atFieldStart = false;
      continue;
    }
    state.atFieldStart = isSeparator(source.at(len - 1));
    break;
  }
  return { lastCut, count };
}

/**
 * Scans `text`, continuing from `state`, and returns the index just after the last complete
 * record (-1 if none ended in this text) and how many records ended. When `cuts` is given, the
 * end index of every record is appended to it.
 */
export function scanRecords(state: ScanState, text: string, separators: string, cuts?: number[]): { lastCut: number; count: number } {
  return scan(state, textScanned(text), separators, cuts);
}

/**
 * scanRecords over bytes: the same reading, for text in any encoding where a quote, a line feed
 * and the separators are those single ASCII bytes and never part of another character's bytes
 * (UTF-8, Windows-1252; not UTF-16). Record ends are appended to `cuts` as byte offsets, as many
 * as `count`. The worker's chunk cutter uses it on the stored bytes, which are decoded in the
 * pool's threads instead of on the main thread.
 */
export function scanRecordBytes(state: ScanState, bytes: Buffer, separators: string, cuts: number[]): { lastCut: number; count: number } {
  return scan(state, bytesScanned(bytes), separators, cuts);
}

/** Cuts text into whole records (each with its terminator); an unterminated tail is the last one. */
export function splitRecords(text: string, separators: string): string[] {
  const cuts: number[] = [];
  scanRecords(createScanState(), text, separators, cuts);
  const records: string[] = [];
  let start = 0;
  for (const end of cuts) {
    records.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}

/** Number of records splitRecords would return, without building them. */
export function countRecords(text: string, separators: string): number {
  const { lastCut, count } = scanRecords(createScanState(), text, separators);
  return count + (lastCut < text.length ? 1 : 0);
}
