/**
 * Unit conversions into a field's canonical unit. Each has a stable name, counted in the report
 * (ChunkStats.conversions). Analyte-specific ones (mass to substance concentration) depend on
 * the molar mass and apply only to the analytes listed: glucose 180.16 g/mol (18.016 mg/dL per
 * mmol/L), cholesterol 386.65 g/mol (38.67), triglycerides as triolein 885.7 g/mol (88.57),
 * creatinine 113.12 g/mol (88.42 umol/L per mg/dL). Monovalent ions: 1 meq/L = 1 mmol/L.
 * Results are rounded to the precision the canonical unit is reported in (`decimals`), so a
 * conversion never invents precision: 150 lb -> 68.039 kg, 98.6 [degF] -> 37 Cel.
 */
export interface Conversion {
  name: string;
  from: string;
  to: string;
  /** Analytes it is valid for; absent: any value in that unit. */
  analytes?: readonly string[];
  convert(value: number): number;
  decimals: number;
}

const scale = (name: string, from: string, to: string, factor: number, decimals: number, analytes?: string[]): Conversion => ({
  name, from, to, decimals, convert: (v) => v * factor, ...(analytes ? { analytes } : {}),
});

const CHOLESTEROL = ['cholesterol_total', 'cholesterol_hdl', 'cholesterol_ldl'];
const IONS = ['potassium', 'sodium', 'chloride'];

export const CONVERSIONS: readonly Conversion[] = [
  scale('lb->kg', '[lb_av]', 'kg', 0.45359237, 3),
  scale('oz->kg', '[oz_av]', 'kg', 0.028349523125, 3),
  scale('g->kg', 'g', 'kg', 0.001, 3),
  scale('in->cm', '[in_i]', 'cm', 2.54, 1),
  scale('ft->cm', '[ft_i]', 'cm', 30.48, 1),
  scale('m->cm', 'm', 'cm', 100, 1),
  scale('mm->cm', 'mm', 'cm', 0.1, 1),
  { name: 'degF->Cel', from: '[degF]', to: 'Cel', decimals: 2, convert: (v) => ((v - 32) * 5) / 9 },
  scale('glucose mg/dL->mmol/L', 'mg/dL', 'mmol/L', 1 / 18.016, 2, ['glucose']),
  scale('cholesterol mg/dL->mmol/L', 'mg/dL', 'mmol/L', 1 / 38.67, 2, CHOLESTEROL),
  scale('triglycerides mg/dL->mmol/L', 'mg/dL', 'mmol/L', 1 / 88.57, 2, ['triglycerides']),
  scale('creatinine mg/dL->umol/L', 'mg/dL', 'umol/L', 88.42, 1, ['creatinine']),
  scale('meq/L->mmol/L', 'meq/L', 'mmol/L', 1, 3, IONS),
  scale('hemoglobin g/L->g/dL', 'g/L', 'g/dL', 0.1, 1, ['hemoglobin']),
];

/** The conversion from `from` to `to` valid for the analyte (or any analyte), if there is one. */
export function findConversion(from: string, to: string, analyte: string | undefined): Conversion | undefined {
  return CONVERSIONS.find((c) => c.from === from && c.to === to && (!c.analytes || (analyte !== undefined && c.analytes.includes(analyte))));
}

/** Rounds to `decimals` places, dropping float noise and trailing zeros ("37", "68.039"). */
export function formatNumber(value: number, decimals: number): string {
  const rounded = Number(value.toFixed(decimals));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}
