import type { ChunkPlan } from './chunk-plan.js';
import type { HarmonizeOptions } from '../types.js';

/** Column index -> its field's local-code table, for the columns options.code_map covers. */
export interface CodeMapPlan {
  columns: { index: number; name: string; codes: ReadonlyMap<string, string> }[];
}

/** Null when no mapped column has a code table, so rows skip the step entirely. */
export function planCodeMap(plan: ChunkPlan, options: HarmonizeOptions): CodeMapPlan | null {
  const codeMap = options.code_map;
  if (!codeMap) return null;
  const columns: CodeMapPlan['columns'] = [];
  for (const column of plan.columns) {
    const table = column.field ? codeMap[column.field.name] : undefined;
    if (!column.field || !table) continue;
    // Keys are matched after trimming, like the cells they are compared with.
    const codes = new Map(Object.entries(table).map(([local, standard]) => [local.trim(), standard]));
    columns.push({ index: column.index, name: `code_map:${column.field.name}`, codes });
  }
  return columns.length > 0 ? { columns } : null;
}

/**
 * Replaces local codes by their standard codes (exact match after trim) before the row is
 * standardized, so a mapped code still goes through the field's normal validation. Returns the
 * original cells when nothing matched, and the names of the mappings applied, for the report.
 */
export function applyCodeMap(
  codeMap: CodeMapPlan | null,
  cells: readonly string[],
): { cells: readonly string[]; applied: string[] | null } {
  if (!codeMap) return { cells, applied: null };
  let out: string[] | null = null;
  let applied: string[] | null = null;
  for (const column of codeMap.columns) {
    const raw = cells[column.index];
    if (raw === undefined) continue;
    const standard = column.codes.get(raw.trim());
    if (standard === undefined) continue;
    (out ??= [...cells])[column.index] = standard;
    (applied ??= []).push(column.name);
  }
  return { cells: out ?? cells, applied };
}
