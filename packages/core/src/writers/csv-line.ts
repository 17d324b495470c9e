import { getDataset } from '../datasets/registry.js';
import type { DatasetName } from '../types.js';

/** Columns after the canonical fields in harmonized CSV. */
export const CSV_TRAILING_COLUMNS = ['extras', 'source_row'] as const;

/** Header line of harmonized CSV (no newline): canonical fields in order, then extras and source_row. */
export function csvHeader(dataset: DatasetName): string {
  return [...getDataset(dataset).fields.map((f) => f.name), ...CSV_TRAILING_COLUMNS].join(',');
}

/** A signed number (an E.164 phone, a negative longitude): a spreadsheet cannot run it as a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * One CSV cell. Formula-neutralized first (OWASP CSV injection): a cell starting with
 * = + - @ TAB or CR gets a leading single quote, unless it is only a signed number, so phones
 * in E.164 and negative numbers stay usable. Then quoted when it holds a quote, comma or line break.
 */
export function csvCell(value: string | null): string {
  if (value === null || value === '') return '';
  const safe = /^[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly (string | null)[]): string {
  return cells.map(csvCell).join(',');
}
