import { codeFamily, systemInFamily } from '../codes/code-systems.js';
import type { FieldDefinition } from '../datasets/dataset-definition.js';
import { getDataset } from '../datasets/registry.js';
import type { ColumnHint, ColumnHints, HeaderMapping } from '../types.js';
import { isMissingValue } from './missing-value.js';
import { parseDateTime, type DayOrder } from './parse-date-time.js';

const NUMERIC_DATE = /^(\d{1,2})\/(\d{1,2})\/\d{2,4}\b/;

/**
 * Learns each column's format from a sample of its values (the worker passes the first rows of
 * the file, or a sample across it), once per file, so every chunk reads a column the same way:
 * - date columns: the day order of numeric dates. One value like 25/04/1980 settles a column as
 *   day-first, 04/25/1980 as month-first; a column where every value fits both stays month-first
 *   and is marked ambiguous. The formats seen are named for the report ("M/D/YY H:MM (92) |
 *   YYYY-MM-DD HH:MM:SS (8)"), two-digit years included.
 * - ICD code columns whose header does not say which revision: any ICD-9 shaped number (at most
 *   five digits, `250.83`, `8`) makes the column ICD-9 (ICD-10 codes all start with a letter), any
 *   code starting with a letter other than E or V makes it ICD-10; a column with both is left to
 *   per-value detection. SNOMED CT ids (six digits or more) count for neither.
 */
export function inferColumnFormats(mapping: HeaderMapping, sampleRows: readonly (readonly string[])[]): ColumnHints {
  const def = getDataset(mapping.dataset);
  const byName = new Map(def.fields.map((f) => [f.name, f]));
  const hints: ColumnHints = {};
  for (const column of mapping.columns) {
    const field = column.field === null ? undefined : byName.get(column.field);
    if (!field) continue;
    const values: string[] = [];
    for (const row of sampleRows) {
      const value = row[column.index]?.trim() ?? '';
      if (value !== '' && !isMissingValue(value, 'date')) values.push(value);
    }
    if (values.length === 0) continue;
    const hint =
      field.type === 'date' || field.type === 'datetime'
        ? dateHint(values)
        : field.type === 'clinical_code' && codeFamily(column.source) === null
          ? icdHint(field, values)
          : null;
    if (hint) hints[column.index] = hint;
  }
  return hints;
}

function dateHint(values: readonly string[]): ColumnHint | null {
  let monthFirst = 0;
  let dayFirst = 0;
  let numeric = 0;
  for (const value of values) {
    const m = NUMERIC_DATE.exec(value);
    if (!m) continue;
    numeric++;
    if (Number(m[1]) > 12 && Number(m[2]) <= 12) dayFirst++;
    if (Number(m[2]) > 12 && Number(m[1]) <= 12) monthFirst++;
  }
  const hint: ColumnHint = {};
  let order: DayOrder = 'mdy';
  if (numeric > 0) {
    order = dayFirst > monthFirst ? 'dmy' : 'mdy';
    hint.dayOrder = order;
    // Both kinds of evidence, or none: the column cannot say; month-first is the fallback.
    if ((dayFirst > 0) === (monthFirst > 0)) hint.ambiguous = true;
  }
  const counts = new Map<string, number>();
  for (const value of values) {
    const pattern = parseDateTime(value, { order, referenceDate: '9999-12-31' })?.pattern ?? 'unreadable';
    counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  hint.format = ranked.length === 1 ? (ranked[0]?.[0] ?? '') : ranked.map(([p, n]) => `${p} (${n})`).join(' | ');
  if (hint.ambiguous) hint.format += ' [day order undecided: read month first]';
  return hint;
}

function icdHint(field: FieldDefinition, values: readonly string[]): ColumnHint | null {
  const accepted = field.codeSystems ?? [];
  if (!accepted.some((s) => s.startsWith('icd'))) return null;
  let icd9 = false;
  let icd10 = false;
  for (const value of values) {
    // ICD-9 codes have at most 5 digits; longer numbers are SNOMED CT and say nothing here.
    if (/^(\d{1,3}(\.\d{1,2})?|\d{4,5})$/.test(value)) icd9 = true;
    else if (/^[A-DF-UW-Z]\d/i.test(value)) icd10 = true;
  }
  if (icd9 === icd10) return null;
  const system = systemInFamily(icd9 ? 'icd9' : 'icd10', accepted);
  if (!system || !accepted.includes(system)) return null;
  return { codeSystem: system, format: system === 'icd9cm' ? 'ICD-9-CM' : system === 'icd9pcs' ? 'ICD-9-CM procedures' : 'ICD-10' };
}
