import type { DatasetDefinition } from '../datasets/dataset-definition.js';

export interface QualityInput {
  /** Per canonical field, share of accepted rows with a value (0..1). */
  completeness: Readonly<Record<string, number>>;
  rowsIn: number;
  rowsRejected: number;
  /** Accepted rows with at least one warning. */
  rowsWarned: number;
}

export interface QualityScore {
  /** 0..100 with one decimal; null when the file had no rows. */
  score: number | null;
  formula: string;
  key_fields: string[];
  key_completeness: number;
  reject_rate: number;
  warning_rate: number;
}

export const QUALITY_FORMULA = '100 × key_completeness × (1 − reject_rate) × (1 − warning_rate / 2)';

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length);

/**
 * The fields a record cannot do without: the required fields, plus the one of the dataset's
 * required column sets that this file fills best (a patient file may identify people by MRN or
 * by family name + birth date: the file is judged on the way it chose). With neither, every field.
 */
export function keyFields(def: Pick<DatasetDefinition, 'fields' | 'requiredColumnsAnyOf'>, completeness: Readonly<Record<string, number>>): string[] {
  const required = def.fields.filter((f) => f.required).map((f) => f.name);
  let best: readonly string[] = [];
  let bestScore = -1;
  for (const set of def.requiredColumnsAnyOf) {
    const score = mean(set.map((f) => completeness[f] ?? 0));
    if (score > bestScore) {
      best = set;
      bestScore = score;
    }
  }
  const keys = [...new Set([...required, ...best])];
  return keys.length > 0 ? keys : def.fields.map((f) => f.name);
}

/**
 * Overall quality, 0-100: QUALITY_FORMULA. key_completeness is the mean completeness of the key
 * fields over accepted rows; reject_rate = rows_rejected / rows_in; warning_rate = accepted rows
 * with a warning / rows_in (a warning costs half a reject). A file of complete, clean rows scores 100.
 */
export function qualityScore(def: Pick<DatasetDefinition, 'fields' | 'requiredColumnsAnyOf'>, input: QualityInput): QualityScore {
  const key_fields = keyFields(def, input.completeness);
  const key_completeness = round4(mean(key_fields.map((f) => input.completeness[f] ?? 0)));
  const reject_rate = input.rowsIn > 0 ? round4(input.rowsRejected / input.rowsIn) : 0;
  const warning_rate = input.rowsIn > 0 ? round4(input.rowsWarned / input.rowsIn) : 0;
  const score =
    input.rowsIn > 0 ? Math.round(1000 * key_completeness * (1 - reject_rate) * (1 - warning_rate / 2)) / 10 : null;
  return { score, formula: QUALITY_FORMULA, key_fields, key_completeness, reject_rate, warning_rate };
}

/**
 * The quality of a job with several datasets: each dataset's score weighted by its rows_in
 * (datasets without rows count for nothing). Null when no dataset had rows.
 */
export function overallQuality(reports: readonly { rows_in: number; quality: Pick<QualityScore, 'score'> }[]): number | null {
  let weighted = 0;
  let rows = 0;
  for (const report of reports) {
    if (report.quality.score === null || report.rows_in === 0) continue;
    weighted += report.quality.score * report.rows_in;
    rows += report.rows_in;
  }
  return rows > 0 ? Math.round((weighted / rows) * 10) / 10 : null;
}
