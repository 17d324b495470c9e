/**
 * Spellings of "no value" found in exports (`?` in UCI, `Not Available` in CMS, `NaN` in
 * Synthea, `#N/A` from Excel). Matched exactly, not case-folded, so that a surname like "Na"
 * survives.
 */
const MISSING_MARKERS = new Set([
  '', '?', 'NA', 'na', 'N/A', 'n/a', '#N/A', 'null', 'NULL', 'Null', 'None', 'NONE', 'none', 'NaN',
  'Not Available', 'NOT AVAILABLE', 'not available',
]);

/** Extra markers by kind of field: a dash in a number column, "unknown" in a date column. */
const NUMBER_MARKERS = new Set(['-', '--', '.', 'nan', 'NAN', '#VALUE!', '#DIV/0!']);
const DATE_MARKERS = new Set(['unknown', 'Unknown', 'UNKNOWN', 'UNK', '-', '--', '00/00/0000', '0000-00-00']);

export type MissingKind = 'date' | 'number' | 'other';

/** True when a trimmed cell means "no value" for a field of that kind. */
export function isMissingValue(trimmed: string, kind: MissingKind | boolean = 'other'): boolean {
  if (MISSING_MARKERS.has(trimmed)) return true;
  const k = kind === true ? 'date' : kind === false ? 'other' : kind;
  if (k === 'date') return DATE_MARKERS.has(trimmed);
  if (k === 'number') return NUMBER_MARKERS.has(trimmed);
  return false;
}
