/**
 * Analytes the engine knows: how to recognize them (LOINC codes, or an exact label when a file
 * has no LOINC), their canonical UCUM unit (values are converted to it, see conversions.ts), and
 * the range outside which a value is physiologically implausible: a typo, a unit mix-up or a
 * device artefact, never a patient. Values outside reject the row with `<kind>.<name>.range`.
 *
 * Ranges are deliberately wide (extremes reported in the literature, survivable or not), so
 * that a sick patient is never rejected; in the canonical unit:
 * - heart_rate 20-300 /min: asystole aside, 20 is profound bradycardia and 300 the fastest
 *   recorded adult tachyarrhythmias (infants reach 220-250).
 * - respiratory_rate 2-80 /min: neonates breathe up to 60-80.
 * - body_temperature 25-45 Cel: below 25 is deep accidental hypothermia, 45 beyond fatal heat stroke.
 * - oxygen_saturation 40-100 %: below 40 no oximeter reads reliably; above 100 is impossible.
 * - systolic_bp 40-300 and diastolic_bp 10-200 mm[Hg].
 * - body_weight 0.2-650 kg (extremely premature newborns to the heaviest recorded adult).
 * - body_height 20-275 cm, bmi 5-250 kg/m2, head_circumference 15-80 cm.
 * - glucose 0.5-150 mmol/L (9-2700 mg/dL: the highest recorded survivors), potassium 1-15,
 *   sodium 80-220, chloride 50-180 mmol/L; creatinine 5-3000 umol/L (0.06-34 mg/dL);
 *   total, HDL and LDL cholesterol 0.05-40 mmol/L; triglycerides 0.05-120 mmol/L;
 *   hemoglobin 1-26 g/dL; hemoglobin A1c 2-25 %; urea nitrogen 1-300 mg/dL; calcium 2-25 mg/dL.
 */
export interface Analyte {
  name: string;
  kind: 'vitals' | 'labs';
  /** LOINC codes that name this analyte (blood, serum or plasma only for labs: urine glucose is another test). */
  loinc: readonly string[];
  /** Whole labels (compared lower-cased, spaces collapsed) that name it when there is no LOINC. */
  labels: readonly string[];
  /** Canonical UCUM unit. */
  unit: string;
  /** The unit is implied when a file leaves it out (beats per minute, %, mm[Hg]). */
  unitImplied?: boolean;
  min: number;
  max: number;
}

const vital = (name: string, loinc: string[], labels: string[], unit: string, min: number, max: number, unitImplied = false): Analyte => ({
  name, kind: 'vitals', loinc, labels, unit, min, max, unitImplied,
});
const lab = (name: string, loinc: string[], labels: string[], unit: string, min: number, max: number): Analyte => ({
  name, kind: 'labs', loinc, labels, unit, min, max,
});

export const ANALYTES: readonly Analyte[] = [
  vital('heart_rate', ['8867-4', '8889-8', '8893-0'], ['heart rate', 'pulse', 'pulse rate', 'hr'], '/min', 20, 300, true),
  vital('respiratory_rate', ['9279-1'], ['respiratory rate', 'resp rate', 'rr'], '/min', 2, 80, true),
  vital('body_temperature', ['8310-5', '8331-1', '8332-9', '8328-7'], ['body temperature', 'temperature', 'temp'], 'Cel', 25, 45),
  vital('oxygen_saturation', ['59408-5', '2708-6', '20564-1'], ['oxygen saturation', 'spo2', 'o2 sat', 'sao2'], '%', 40, 100, true),
  vital('systolic_bp', ['8480-6'], ['systolic blood pressure', 'systolic bp', 'sbp'], 'mm[Hg]', 40, 300, true),
  vital('diastolic_bp', ['8462-4'], ['diastolic blood pressure', 'diastolic bp', 'dbp'], 'mm[Hg]', 10, 200, true),
  vital('body_weight', ['29463-7', '3141-9', '8335-2'], ['body weight', 'weight'], 'kg', 0.2, 650),
  vital('body_height', ['8302-2', '8306-3', '8308-9'], ['body height', 'height'], 'cm', 20, 275),
  vital('bmi', ['39156-5'], ['body mass index', 'bmi'], 'kg/m2', 5, 250, true),
  vital('head_circumference', ['9843-4', '8287-5'], ['head circumference', 'head occipital-frontal circumference'], 'cm', 15, 80),
  lab('glucose', ['2339-0', '2345-7', '41653-7', '1558-6'], ['glucose', 'blood glucose', 'serum glucose'], 'mmol/L', 0.5, 150),
  lab('potassium', ['2823-3', '6298-4'], ['potassium', 'serum potassium'], 'mmol/L', 1, 15),
  lab('sodium', ['2951-2', '2947-0'], ['sodium', 'serum sodium'], 'mmol/L', 80, 220),
  lab('chloride', ['2075-0', '2069-3'], ['chloride'], 'mmol/L', 50, 180),
  lab('creatinine', ['2160-0', '38483-4'], ['creatinine', 'serum creatinine'], 'umol/L', 5, 3000),
  lab('cholesterol_total', ['2093-3'], ['total cholesterol', 'cholesterol'], 'mmol/L', 0.05, 40),
  lab('cholesterol_hdl', ['2085-9'], ['high density lipoprotein cholesterol', 'hdl cholesterol', 'hdl'], 'mmol/L', 0.05, 40),
  lab('cholesterol_ldl', ['18262-6', '13457-7', '2089-1'], ['low density lipoprotein cholesterol', 'ldl cholesterol', 'ldl'], 'mmol/L', 0.05, 40),
  lab('triglycerides', ['2571-8'], ['triglycerides', 'triglyceride'], 'mmol/L', 0.05, 120),
  lab('hemoglobin', ['718-7'], ['hemoglobin', 'haemoglobin', 'hgb'], 'g/dL', 1, 26),
  lab('hemoglobin_a1c', ['4548-4', '17856-6'], ['hemoglobin a1c', 'hba1c', 'a1c'], '%', 2, 25),
  lab('urea_nitrogen', ['3094-0', '6299-2'], ['urea nitrogen', 'bun', 'blood urea nitrogen'], 'mg/dL', 1, 300),
  lab('calcium', ['17861-6', '49765-1'], ['calcium', 'total calcium'], 'mg/dL', 2, 25),
];

const BY_NAME = new Map(ANALYTES.map((a) => [a.name, a]));
const BY_LOINC = new Map(ANALYTES.flatMap((a) => a.loinc.map((code) => [code, a] as const)));
const BY_LABEL = new Map(ANALYTES.flatMap((a) => a.labels.map((label) => [label, a] as const)));

export function analyteByName(name: string): Analyte | undefined {
  return BY_NAME.get(name);
}

/** The analyte a code (LOINC) or, failing that, a whole label names; undefined when neither does. */
export function findAnalyte(code: string | null | undefined, label: string | null | undefined): Analyte | undefined {
  if (code) {
    const byCode = BY_LOINC.get(code);
    if (byCode) return byCode;
  }
  if (!label) return undefined;
  return BY_LABEL.get(label.toLowerCase().replace(/\s+/g, ' ').trim());
}

/** Every plausibility rule code (`vitals.heart_rate.range`...), for the rule catalogue. */
export const PLAUSIBILITY_RULES: readonly string[] = ANALYTES.map((a) => `${a.kind}.${a.name}.range`);
