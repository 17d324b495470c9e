/**
 * The wide-form vital-sign fields (one column per vital) with the LOINC code and display the
 * FHIR vital-signs profile uses, and their canonical UCUM unit (as in datasets/vital-signs.ts).
 * Systolic and diastolic pressure become the components of one blood-pressure panel.
 */
export const WIDE_VITALS = [
  { field: 'heart_rate', loinc: '8867-4', display: 'Heart rate', unit: '/min' },
  { field: 'respiratory_rate', loinc: '9279-1', display: 'Respiratory rate', unit: '/min' },
  { field: 'body_temperature', loinc: '8310-5', display: 'Body temperature', unit: 'Cel' },
  { field: 'oxygen_saturation', loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%' },
  { field: 'body_weight', loinc: '29463-7', display: 'Body weight', unit: 'kg' },
  { field: 'body_height', loinc: '8302-2', display: 'Body height', unit: 'cm' },
  { field: 'bmi', loinc: '39156-5', display: 'Body mass index (BMI) [Ratio]', unit: 'kg/m2' },
] as const;

export const BLOOD_PRESSURE = {
  panel: { loinc: '85354-9', display: 'Blood pressure panel with all children optional' },
  components: [
    { field: 'systolic_bp', loinc: '8480-6', display: 'Systolic blood pressure', unit: 'mm[Hg]' },
    { field: 'diastolic_bp', loinc: '8462-4', display: 'Diastolic blood pressure', unit: 'mm[Hg]' },
  ],
} as const;
