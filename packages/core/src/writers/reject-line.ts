import type { Issue } from '../types.js';

/**
 * One NDJSON line for a rejected row: the row's first error up front (field, rule, severity,
 * message, and the raw value when the job set include_values) and every issue of the row after
 * it. Messages name fields, never values.
 */
export function rejectLine(row: number, issues: readonly Issue[]): string {
  const first = issues.find((i) => i.severity === 'error') ?? issues[0];
  return JSON.stringify({
    row,
    field: first?.field ?? null,
    rule: first?.rule ?? null,
    severity: first?.severity ?? 'error',
    message: first?.message ?? null,
    // Only with options.include_values: the engine attaches values to issues then, never otherwise.
    ...(first?.value !== undefined ? { value: first.value } : {}),
    issues,
  });
}
