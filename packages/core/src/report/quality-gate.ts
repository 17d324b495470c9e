import { InputError } from '../input-error.js';
import type { HarmonizeOptions } from '../types.js';
import type { Report } from './report.js';

type GateReport = Pick<Report, 'rows_in' | 'rows_rejected'> & Partial<Pick<Report, 'rules'>>;

/**
 * Throws InputError quality.error_rate_exceeded when the job's reject rate (rows_rejected /
 * rows_in) is above options.fail_if_error_rate_above. Call it once every row is counted and
 * before the outputs are committed: the job then fails without retry and leaves no results, so
 * the message names the most frequent error rules (codes only, never values).
 */
export function checkQualityGate(report: GateReport, options: Pick<HarmonizeOptions, 'fail_if_error_rate_above'>): void {
  const threshold = options.fail_if_error_rate_above;
  if (threshold === undefined || report.rows_in === 0) return;
  const rate = report.rows_rejected / report.rows_in;
  if (rate <= threshold) return;
  const pct = (n: number) => `${Math.round(n * 10_000) / 100}%`;
  const causes = (report.rules ?? [])
    .filter((r) => r.severity === 'error')
    .slice(0, 3)
    .map((r) => `${r.rule} (${r.count})`);
  throw new InputError(
    'quality.error_rate_exceeded',
    `${report.rows_rejected} of ${report.rows_in} rows were rejected (${pct(rate)}), above ` +
      `fail_if_error_rate_above ${threshold} (${pct(threshold)})` +
      (causes.length > 0 ? `; most frequent errors: ${causes.join(', ')}.` : '.'),
  );
}
