import { endsBeforeStart } from '../validate/compare-times.js';
import type { FieldDefinition, RecordRule } from './dataset-definition.js';
import { defineField as f, encounterRef, patientRef } from './define-field.js';

/**
 * The long form shared by vital_signs and lab_results (FHIR R4 Observation): one row per
 * measurement, a code (LOINC, or a site's own like MIMIC ITEMID), the value with its unit.
 * value_quantity takes numbers, converted per analyte (units/plausibility.ts names the analyte
 * from the LOINC code or the label); value_comparator keeps `<`/`>=` of `<0.01`; value_text keeps
 * results that are not numbers (`NEG`, `1+`, `See Comments`, `Never smoker`) without a warning,
 * since text results are results. `None`/`NONE` is a result here (none seen), not a missing value.
 * MIMIC MICROBIOLOGYEVENTS fits as susceptibility results: the antibiotic (AB_ITEMID, AB_NAME) is
 * the code, DILUTION_TEXT (`<=1`, `=>8`) the value with its comparator, INTERPRETATION (S/R/I).
 */
export function observationFields(): FieldDefinition[] {
  return [
    f('observation_id', 'id', 'Observation.identifier', ['Observation ID', 'Result ID', 'Measurement ID', 'Lab Result ID']),
    patientRef('Observation.subject', false),
    encounterRef('Observation.encounter'),
    f('effective_datetime', 'datetime', 'Observation.effectiveDateTime', [
      'DATE', 'CHARTTIME', 'Observation Date', 'Observation Time', 'Collection Date', 'Collection Time', 'Collected',
      'Specimen Collection Date', 'Measured At', 'Measurement Time', 'Recorded At', 'Effective Date', 'Timestamp',
      'Date Time', 'Datetime', 'Time', 'Date',
    ]),
    f('issued_datetime', 'datetime', 'Observation.issued', ['STORETIME', 'Result Time', 'Resulted At', 'Reported Date', 'Issued', 'Verified Time']),
    f('code', 'clinical_code', 'Observation.code.coding', [
      'CODE', 'LOINC', 'LOINC_CODE', 'LOINC Code', 'ITEMID', 'Test Code', 'Lab Code', 'Observation Code', 'Component Code',
      'Result Code', 'Analyte Code', 'Vital Code', 'AB_ITEMID',
    ], { codeSystems: ['loinc', 'snomed', 'local'], systemField: 'code_system' }),
    f('code_system', 'code_system', 'Observation.code.coding.system', ['Code System', 'Coding System']),
    f('description', 'text', 'Observation.code.text', [
      'DESCRIPTION', 'LABEL', 'Test', 'Test Name', 'Lab Test', 'Analyte', 'Component', 'Observation', 'Result Name',
      'Vital Sign', 'Vital', 'Measurement', 'AB_NAME',
    ]),
    f('value_quantity', 'quantity', 'Observation.valueQuantity.value', [
      'VALUE', 'Result', 'Value', 'Result Value', 'Reading', 'Observation Value', 'Measured Value', 'Numeric Value',
      'DILUTION_TEXT',
    ], {
      unitField: 'value_unit',
      comparatorField: 'value_comparator',
      textField: 'value_text',
      analyteFrom: ['code', 'description'],
      notMissing: ['None', 'NONE', 'none'],
    }),
    f('value_unit', 'unit', 'Observation.valueQuantity.code', ['UNITS', 'VALUEUOM', 'Unit', 'Units', 'UOM', 'Result Unit', 'Unit of Measure']),
    f('value_comparator', 'text', 'Observation.valueQuantity.comparator', ['Comparator', 'Operator', 'DILUTION_COMPARISON']),
    f('value_text', 'text', 'Observation.valueString', ['Result Text', 'Text Result', 'Value Text', 'Text Value']),
    f('status', 'coded', 'Observation.status', ['Status', 'Result Status', 'RESULTSTATUS', 'Observation Status'], { vocabulary: 'observation_status' }),
  ];
}

/** A long-form observation names something: a code or a label. */
export const OBSERVATION_COLUMNS: readonly (readonly string[])[] = [['code', 'value_quantity'], ['description', 'value_quantity']];

/** Checks every observation gets: attributable to someone, issued after it was taken. */
export const OBSERVATION_RULES: readonly RecordRule[] = [
    {
      rule: 'observation.unattributed',
      severity: 'warning',
      field: 'patient_id',
      message: 'the row names neither a patient nor an encounter: it cannot be attributed to anyone',
      violated: (r) => !r.patient_id && !r.encounter_id,
    },
    {
      rule: 'observation.issued_before_effective',
      severity: 'warning',
      field: 'issued_datetime',
      message: 'issued_datetime is before effective_datetime',
      dateFields: ['effective_datetime', 'issued_datetime'],
      violated: (r) => endsBeforeStart(r.effective_datetime, r.issued_datetime),
    },
];
