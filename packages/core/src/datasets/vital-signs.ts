import type { DatasetDefinition, FieldDefinition } from './dataset-definition.js';
import { defineField as f } from './define-field.js';
import { OBSERVATION_COLUMNS, OBSERVATION_RULES, observationFields } from './observation-fields.js';

/** A one-vital column of the wide form: fixed analyte and canonical unit; header units convert ("Weight (lbs)"). */
const vital = (name: string, unit: string, loinc: string, synonyms: string[]): FieldDefinition =>
  f(name, 'quantity', `Observation(${loinc}).valueQuantity`, synonyms, { unit, analyte: name });

/**
 * Vital signs, aligned with FHIR R4 Observation (vital-signs profile, category vital-signs).
 * Two shapes, both common:
 * - long: one measurement per row with a LOINC code, value and unit (Synthea observations.csv,
 *   flowsheet exports); the analyte comes from the code or the label;
 * - wide: one row per measurement time with a column per vital (heart_rate, systolic_bp,
 *   body_temperature...). Each has a canonical unit (/min, mm[Hg], Cel, %, kg, cm, kg/m2); a unit
 *   in the header ("Temp F", "Weight (lbs)", "Height_in") or after the value ("150 lb") is
 *   converted, counted per conversion. A body temperature between 80 and 115 without a unit is
 *   Fahrenheit (unit.assumed), since no living body is that hot in Celsius.
 * Every value is checked against the plausible range of its analyte (units/plausibility.ts):
 * outside it the row is rejected (`vitals.<name>.range`): a typo or a unit mix-up, not a patient.
 * A diastolic pressure above the systolic one in the same row is rejected too. Without an
 * encounter or patient the row is kept but flagged (observation.unattributed).
 */
export const vitalSigns: DatasetDefinition = {
  name: 'vital_signs',
  description: 'Vital signs (heart and respiratory rate, blood pressure, temperature, SpO2, weight, height, BMI), long or wide.',
  fhirResource: 'Observation',
  fields: [
    ...observationFields(),
    vital('heart_rate', '/min', '8867-4', ['Heart Rate', 'HR', 'Pulse', 'Pulse Rate', 'Heart Rate bpm', 'Pulse bpm', 'Heartrate']),
    vital('respiratory_rate', '/min', '9279-1', ['Respiratory Rate', 'Resp Rate', 'RR', 'Resp', 'Respirations', 'Breathing Rate']),
    vital('systolic_bp', 'mm[Hg]', '8480-6', ['Systolic', 'Systolic BP', 'SBP', 'Systolic Blood Pressure', 'BP Systolic', 'Sys BP']),
    vital('diastolic_bp', 'mm[Hg]', '8462-4', ['Diastolic', 'Diastolic BP', 'DBP', 'Diastolic Blood Pressure', 'BP Diastolic', 'Dia BP']),
    vital('body_temperature', 'Cel', '8310-5', [
      'Temperature', 'Temp', 'Body Temperature', 'Temp C', 'Temp F', 'Temperature C', 'Temperature F', 'Body Temp',
    ]),
    vital('oxygen_saturation', '%', '59408-5', ['SpO2', 'O2 Sat', 'O2 Saturation', 'Oxygen Saturation', 'SaO2', 'Pulse Ox', 'Sat O2']),
    vital('body_weight', 'kg', '29463-7', ['Weight', 'Body Weight', 'Wt', 'Weight kg', 'Weight lbs', 'Weight lb', 'Weight kilograms', 'Weight pounds']),
    vital('body_height', 'cm', '8302-2', ['Height', 'Body Height', 'Ht', 'Height cm', 'Height in', 'Height inches', 'Length']),
    vital('bmi', 'kg/m2', '39156-5', ['BMI', 'Body Mass Index', 'Derived BMI']),
  ],
  naturalKey: ['encounter_id', 'code', 'effective_datetime'],
  requiredColumnsAnyOf: [
    ...OBSERVATION_COLUMNS,
    ['heart_rate'], ['respiratory_rate'], ['systolic_bp'], ['diastolic_bp'], ['body_temperature'], ['oxygen_saturation'],
    ['body_weight'], ['body_height'], ['bmi'],
  ],
  knownExtras: ['type', 'category', 'row id', 'cgid', 'warning', 'error', 'stopped', 'icustay id', 'age', 'gender', 'sex'],
  rules: [
    {
      rule: 'vitals.blood_pressure.diastolic_above_systolic',
      severity: 'error',
      field: 'diastolic_bp',
      message: 'diastolic_bp is above systolic_bp in the same row: the columns are likely swapped',
      violated: (r) => r.systolic_bp != null && r.diastolic_bp != null && Number(r.diastolic_bp) > Number(r.systolic_bp),
    },
    ...OBSERVATION_RULES,
  ],
  fileNameHints: ['vitals', 'vital', 'vitalsigns', 'flowsheet', 'chartevents', 'outputevents'],
};
