import { getDataset } from '../datasets/registry.js';
import type { DatasetName } from '../types.js';

/** Columns after the canonical fields in harmonized CSV. */
export const CSV_TRAILING_COLUMNS = ['extras', 'source_row'] as const;

/** Header line of harmonized CSV (no newline): canonical fields in order, then extras and source_row. */
export function csvHeader(dataset: DatasetName): string {
  return [...getDataset(dataset).fields.map((f) => f.name), ...CSV_TRAILING_COLUMNS].join(',');
}

/**
 * One CSV cell. Formula-neutralized first (OWASP CSV injection): a cell starting with
 * = + - @ TAB or CR gets a leading single quote, unless it is only a signed number
 * (/^[+-]?\d+(\.\d+)?$/), so phones in E.164 and negative numbers stay usable. Then quoted when
 * it holds a quote, comma or line break. Written as character scans rather than regular
 * expressions: it runs for every cell of every accepted record.
 */
export function csvCell(value: string | null): string {
  if (!value) return '';
  const safe = startsLikeFormula(value.charCodeAt(0)) && !isSignedNumber(value) ? `'${value}` : value;
  // The added quote is no special character, so scanning `value` tells about `safe`.
  switch (specialChars(value)) {
    case NONE:
      return safe;
    case BREAKS:
      return `"${safe}"`;
    default:
      return `"${safe.replaceAll('"', '""')}"`;
  }
}

/** = + - @ TAB CR: what a spreadsheet may take as the start of a formula. */
function startsLikeFormula(code: number): boolean {
  return code === 61 /* = */ || code === 43 /* + */ || code === 45 /* - */ || code === 64 /* @ */ || code === 9 || code === 13;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** /^[+-]?\d+(\.\d+)?$/: a signed number, which a spreadsheet cannot run as a formula. */
function isSignedNumber(value: string): boolean {
  const length = value.length;
  let i = value.charCodeAt(0) === 43 || value.charCodeAt(0) === 45 ? 1 : 0;
  const intStart = i;
  while (i < length && isDigit(value.charCodeAt(i))) i++;
  if (i === intStart) return false;
  if (i === length) return true;
  if (value.charCodeAt(i) !== 46 /* . */) return false;
  const fractionStart = ++i;
  while (i < length && isDigit(value.charCodeAt(i))) i++;
  return i > fractionStart && i === length;
}

/** What specialChars found: nothing to quote, a comma or line break only, or a quote (to double). */
const NONE = 0;
const BREAKS = 1;
const QUOTES = 2;

function specialChars(value: string): typeof NONE | typeof BREAKS | typeof QUOTES {
  let found: typeof NONE | typeof BREAKS = NONE;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    // All four are below '-' (45): one comparison passes over letters and digits.
    if (code > 44) continue;
    if (code === 34 /* " */) return QUOTES;
    if (code === 44 /* , */ || code === 10 || code === 13) found = BREAKS;
  }
  return found;
}

export function csvLine(cells: readonly (string | null)[]): string {
  return cells.map(csvCell).join(',');
}

/**
 * The harmonized CSV line of one accepted record, in csvHeader's columns: the canonical fields
 * in order, the extras as JSON (empty when null) and the source row. Equal to
 * csvLine([...fields, extras && JSON.stringify(extras), String(row)]), without the array of cells
 * and, for the usual extras, without stringifying them and then doubling every quote.
 */
export function csvRecordLine(
  fieldNames: readonly string[],
  record: Readonly<Record<string, string | null | undefined>>,
  extras: Readonly<Record<string, string>> | null,
  row: number,
): string {
  // Cells joined once: a flat string in one allocation, where appending cell by cell made a
  // chain of concatenations (~1 KB a line) that writing it out then copied flat again.
  const cells = lineCells;
  const n = fieldNames.length;
  for (let i = 0; i < n; i++) cells[i] = csvCell(record[fieldNames[i]!] ?? null);
  cells[n] = extras ? extrasCell(extras) : '';
  cells[n + 1] = csvCell(String(row));
  cells.length = n + 2;
  return cells.join(',');
}

/** Reused by csvRecordLine (lines are made one at a time, synchronously). */
const lineCells: string[] = [];
const extrasParts: string[] = [];

/**
 * csvCell(JSON.stringify(extras)), written straight when every key and value is a string JSON
 * keeps as is (then the only quotes are JSON's own, doubled here); anything else (a quote, a
 * control character, a non-string value) takes the general path.
 */
function extrasCell(extras: Readonly<Record<string, string>>): string {
  if (typeof (extras as { toJSON?: unknown }).toJSON === 'function') return csvCell(JSON.stringify(extras));
  const parts = extrasParts;
  parts.length = 0;
  for (const key in extras) {
    // for...in with own keys only: Object.keys' order, which JSON.stringify follows, without the array.
    if (!Object.hasOwn(extras, key)) continue;
    const value: unknown = extras[key];
    if (typeof value !== 'string' || !isVerbatimInJson(key) || !isVerbatimInJson(value)) return csvCell(JSON.stringify(extras));
    parts.push('""', key, '"":""', value, '""', ',');
  }
  // No keys: "{}", which needs no quotes.
  if (parts.length === 0) return '{}';
  parts[parts.length - 1] = '}"';
  return `"{${parts.join('')}`;
}

/** A string JSON.stringify writes between its quotes unchanged: no quote, backslash, control character or surrogate. */
function isVerbatimInJson(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 32 || code === 34 || code === 92 || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}
