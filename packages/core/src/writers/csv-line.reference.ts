/**
 * The CSV cell writer as it was before it was optimized, kept verbatim as the reference that
 * csv-line.equivalence.test.ts and bench/writers-compare.mjs compare the fast one with.
 * Not used by the engine.
 */

/** A signed number (an E.164 phone, a negative longitude): a spreadsheet cannot run it as a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function referenceCsvCell(value: string | null): string {
  if (value === null || value === '') return '';
  const safe = /^[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function referenceCsvLine(cells: readonly (string | null)[]): string {
  return cells.map(referenceCsvCell).join(',');
}
