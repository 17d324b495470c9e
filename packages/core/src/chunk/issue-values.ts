import type { Issue } from '../types.js';
import type { ChunkPlan } from './chunk-plan.js';

/**
 * Adds the raw source cell of each issue's field (options.include_values): the value exactly as
 * the file had it, so a user can find and fix it. Issues about the whole row get none. Values
 * are PHI: only called when the job asked for them.
 */
export function withRawValues(issues: Issue[], plan: Pick<ChunkPlan, 'columns'>, cells: readonly string[] | null): Issue[] {
  if (cells === null) return issues;
  const raw = new Map<string, string>();
  for (const column of plan.columns) {
    if (column.field && !raw.has(column.field.name)) raw.set(column.field.name, cells[column.index] ?? '');
  }
  return issues.map((issue) => {
    const value = raw.get(issue.field);
    return value === undefined ? issue : { ...issue, value };
  });
}
