import type { CsvDialect } from '../types.js';
import { ANY_SEPARATOR, createScanState, scanRecords } from './scan-records.js';

export interface RecordSplitter {
  /** Returns the longest prefix of everything pushed so far that is made of whole records. */
  push(text: string): string;
  /** Returns what is still buffered (an unterminated last record, or '') and resets. */
  flush(): string;
  /** Records returned so far by push and flush; lets the caller number rows before parsing. */
  readonly records: number;
}

/**
 * Quote-aware cutter for streamed CSV text: never cuts inside a quoted field, so a chunk handed
 * to a worker thread always holds whole records. Pass the sniffed delimiter for an exact reading
 * of where quoted fields start; without it any of , ; TAB | counts as a separator.
 * Incomplete text is kept as a list of pieces and joined once, so a huge quoted field spread over
 * many pushes costs linear time.
 */
export function createRecordSplitter(delimiter?: CsvDialect['delimiter']): RecordSplitter {
  const separators = delimiter ?? ANY_SEPARATOR;
  let state = createScanState();
  let pending: string[] = [];
  let records = 0;
  return {
    get records() {
      return records;
    },
    push(text: string): string {
      if (text === '') return '';
      const { lastCut, count } = scanRecords(state, text, separators);
      if (lastCut < 0) {
        pending.push(text);
        return '';
      }
      records += count;
      const head = text.slice(0, lastCut);
      const out = pending.length > 0 ? pending.join('') + head : head;
      pending = lastCut < text.length ? [text.slice(lastCut)] : [];
      return out;
    },
    flush(): string {
      const rest = pending.join('');
      pending = [];
      state = createScanState();
      if (rest !== '') records++;
      return rest;
    },
  };
}
