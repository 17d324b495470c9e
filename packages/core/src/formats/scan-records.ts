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

/**
 * Scans `text`, continuing from `state`, and returns the index just after the last complete
 * record (-1 if none ended in this text) and how many records ended. When `cuts` is given, the
 * end index of every record is appended to it. indexOf does the walking, with the next quote and
 * next line feed cached, so long runs without quotes cost one native search each.
 */
export function scanRecords(
  state: ScanState,
  text: string,
  separators: string,
  cuts?: number[],
): { lastCut: number; count: number } {
  const len = text.length;
  let i = 0;
  let lastCut = -1;
  let count = 0;
  if (state.pendingQuote && len > 0) {
    state.pendingQuote = false;
    if (text.charCodeAt(0) === QUOTE) i = 1;
    else {
      state.inQuotes = false;
      state.atFieldStart = false;
    }
  }
  let nextQuote = -2;
  let nextLf = -2;
  while (i < len) {
    if (state.inQuotes) {
      const p = text.indexOf('"', i);
      if (p < 0) break;
      if (p + 1 === len) {
        state.pendingQuote = true;
        break;
      }
      if (text.charCodeAt(p + 1) === QUOTE) {
        i = p + 2;
        continue;
      }
      state.inQuotes = false;
      state.atFieldStart = false;
      i = p + 1;
      continue;
    }
    if (nextQuote !== -1 && nextQuote < i) nextQuote = text.indexOf('"', i);
    if (nextLf !== -1 && nextLf < i) nextLf = text.indexOf('\n', i);
    if (nextLf >= 0 && (nextQuote < 0 || nextLf < nextQuote)) {
      i = nextLf + 1;
      lastCut = i;
      count++;
      cuts?.push(i);
      state.atFieldStart = true;
      continue;
    }
    if (nextQuote >= 0) {
      const opens = nextQuote === i ? state.atFieldStart : separators.includes(text.charAt(nextQuote - 1));
      i = nextQuote + 1;
      if (opens) state.inQuotes = true;
      else state.atFieldStart = false;
      continue;
    }
    state.atFieldStart = separators.includes(text.charAt(len - 1));
    break;
  }
  return { lastCut, count };
}

const LINE_FEED = 10;

/**
 * scanRecords over bytes: the same reading, for text in any encoding where a quote, a line feed
 * and the separators are those single ASCII bytes and never part of another character's bytes
 * (UTF-8, Windows-1252; not UTF-16). Record ends are appended to `cuts` as byte offsets, as many
 * as `count`. The worker's chunk cutter uses it on the stored bytes, which are decoded in the
 * pool's threads instead of on the main thread.
 */
export function scanRecordBytes(
  state: ScanState,
  bytes: Buffer,
  separators: string,
  cuts: number[],
): { lastCut: number; count: number } {
  const len = bytes.length;
  let i = 0;
  let lastCut = -1;
  let count = 0;
  const isSeparator = (byte: number | undefined) => byte !== undefined && byte < 0x80 && separators.includes(String.fromCharCode(byte));
  if (state.pendingQuote && len > 0) {
    state.pendingQuote = false;
    if (bytes[0] === QUOTE) i = 1;
    else {
      state.inQuotes = false;
      state.atFieldStart = false;
    }
  }
  let nextQuote = -2;
  let nextLf = -2;
  while (i < len) {
    if (state.inQuotes) {
      const p = bytes.indexOf(QUOTE, i);
      if (p < 0) break;
      if (p + 1 === len) {
        state.pendingQuote = true;
        break;
      }
      if (bytes[p + 1] === QUOTE) {
        i = p + 2;
        continue;
      }
      state.inQuotes = false;
      state.atFieldStart = false;
      i = p + 1;
      continue;
    }
    if (nextQuote !== -1 && nextQuote < i) nextQuote = bytes.indexOf(QUOTE, i);
    if (nextLf !== -1 && nextLf < i) nextLf = bytes.indexOf(LINE_FEED, i);
    if (nextLf >= 0 && (nextQuote < 0 || nextLf < nextQuote)) {
      i = nextLf + 1;
      lastCut = i;
      count++;
      cuts.push(i);
      state.atFieldStart = true;
      continue;
    }
    if (nextQuote >= 0) {
      const opens = nextQuote === i ? state.atFieldStart : isSeparator(bytes[nextQuote - 1]);
      i = nextQuote + 1;
      if (opens) state.inQuotes = true;
      else state.atFieldStart = false;
      continue;
    }
    state.atFieldStart = isSeparator(bytes[len - 1]);
    break;
  }
  return { lastCut, count };
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
