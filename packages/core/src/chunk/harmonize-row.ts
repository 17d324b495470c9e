import { countryCode } from '../standardize/standardize-country.js';
import type { StandardizeContext } from '../standardize/standardize-context.js';
import { finding, type Finding } from '../validate/rules.js';
import { validateRecord } from '../validate/validate-record.js';
import type { ChunkPlan } from './chunk-plan.js';

/** Field name used for issues about the row as a whole. */
export const ROW_FIELD = '_row';

export interface HarmonizedRow {
  record: Record<string, string | null>;
  /** Unmapped columns with a value (and cells beyond the header), or null when there are none. */
  extras: Record<string, string> | null;
  findings: Finding[];
  /** Unit conversions done in the row (units/conversions.ts names), or null; counted when the row is accepted. */
  conversions: string[] | null;
}

/**
 * Standardizes one parsed row into the canonical record and validates it. Pure. Columns run in
 * plan.ordered; a standardizer may also fill sibling fields (a code's system, a converted unit,
 * a result's comparator or text), and text that is no value of its field's type is kept under
 * extras by the column's name. A column whose field a sibling already filled goes to extras too.
 */
export function harmonizeRow(plan: ChunkPlan, cells: readonly string[]): HarmonizedRow {
  const findings: Finding[] = [];
  // Empty cells past the header are trailing empty columns (the header's were dropped): no issue.
  if (cells.length < plan.width || (cells.length > plan.width && cells.slice(plan.width).some((c) => c.trim() !== ''))) {
    findings.push(
      finding(ROW_FIELD, 'row.column_count', `the row has ${cells.length} fields but the header has ${plan.width}`),
    );
  }
  const record: Record<string, string | null> = {};
  for (const name of plan.fieldNames) record[name] = null;
  const ctx: StandardizeContext = {
    field: '',
    referenceDate: plan.referenceDate,
    defaultCountry: plan.defaultCountry,
    country: null,
    record,
  };
  let extras: Record<string, string> | null = null;
  let conversions: string[] | null = null;
  let twoDigitYears: Set<string> | null = null;
  for (const column of plan.ordered) {
    const raw = cells[column.index] ?? '';
    const field = column.field;
    if (field === null || !column.standardize || record[field.name] !== null) {
      if (raw.trim() !== '') (extras ??= {})[column.extrasKey] = raw;
      continue;
    }
    ctx.field = field.name;
    const result = column.standardize(raw, ctx);
    record[field.name] = result.value;
    if (column === plan.countryColumn) ctx.country = countryCode(result.value);
    if (result.siblings) {
      for (const [name, value] of Object.entries(result.siblings)) if (name in record) record[name] = value;
    }
    if (result.findings) findings.push(...result.findings);
    if (result.keepRaw) (extras ??= {})[column.extrasKey] = raw;
    if (result.conversion) (conversions ??= []).push(result.conversion);
    if (result.twoDigitYear) (twoDigitYears ??= new Set()).add(field.name);
  }
  for (let i = plan.width; i < cells.length; i++) {
    const raw = cells[i] ?? '';
    if (raw.trim() !== '') (extras ??= {})[`column_${i + 1}`] = raw;
  }
  const ruleCtx = { referenceDate: plan.referenceDate };
  plan.def.derive?.(record, ruleCtx);
  findings.push(...validateRecord(plan.def, record, findings, ruleCtx, twoDigitYears));
  return { record, extras, findings, conversions };
}
