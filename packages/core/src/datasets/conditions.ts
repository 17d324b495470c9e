import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, encounterRef, patientRef, systemField } from './define-field.js';

/**
 * Conditions and diagnoses, aligned with FHIR R4 Condition. Choices:
 * - code accepts SNOMED CT (Synthea), ICD-10-CM and ICD-9-CM (MIMIC DIAGNOSES_ICD, UCI). Which
 *   one a value is: the header (ICD9_CODE), else the column's values (inferColumnFormats: any
 *   code starting with a digit makes the column ICD-9), else the value's own format, tried in
 *   that order with SNOMED's Verhoeff check digit. ICD codes are written dotted (99591 ->
 *   995.91, E8791 -> E879.1, V090 -> V09.0); in a column known to be ICD-9-CM, codes that lost
 *   their leading zeros are restored (8 -> 008) with icd.leading_zero_restored. code_system holds
 *   the FHIR system URI.
 * - patient_id is required (Condition.subject is 1..1). An abatement before the onset is an
 *   error (condition.end_before_start): the dates contradict each other.
 * - The natural key is patient + encounter + code: one diagnosis per code per encounter.
 */
export const conditions: DatasetDefinition = {
  name: 'conditions',
  description: 'Diagnoses and problems: SNOMED CT or ICD-9/10-CM code, onset and abatement, status.',
  fhirResource: 'Condition',
  fields: [
    f('condition_id', 'id', 'Condition.identifier', ['Condition ID', 'Problem ID', 'Diagnosis ID']),
    patientRef('Condition.subject', true),
    encounterRef('Condition.encounter'),
    codeField('code', 'Condition.code.coding', ['snomed', 'icd10cm', 'icd9cm'], [
      'CODE', 'ICD9_CODE', 'ICD10_CODE', 'ICD_CODE', 'ICD Code', 'ICD-10 Code', 'ICD-9 Code', 'Diagnosis Code', 'DX Code',
      'DX', 'Dx Code', 'SNOMED Code', 'Problem Code', 'Condition Code',
    ]),
    systemField('code', 'Condition.code.coding.system', ['SYSTEM', 'Code System', 'Coding System', 'Code Type']),
    f('description', 'text', 'Condition.code.text', [
      'DESCRIPTION', 'Diagnosis', 'Diagnosis Description', 'Problem', 'Condition', 'Condition Name', 'Long Title', 'Short Title',
    ]),
    f('onset_datetime', 'datetime', 'Condition.onsetDateTime', [
      'START', 'Onset', 'Onset Date', 'Diagnosis Date', 'Start Date', 'Date Diagnosed', 'Noted Date', 'Recorded Date',
    ]),
    f('abatement_datetime', 'datetime', 'Condition.abatementDateTime', ['STOP', 'Abatement', 'Abatement Date', 'Resolved Date', 'Resolution Date', 'End Date']),
    f('clinical_status', 'coded', 'Condition.clinicalStatus', ['Status', 'Clinical Status', 'Problem Status', 'Condition Status'], {
      vocabulary: 'condition_clinical_status',
    }),
    f('category', 'text', 'Condition.category', ['Category', 'Diagnosis Type', 'Problem Type']),
    f('sequence', 'integer', 'Encounter.diagnosis.rank', ['SEQ_NUM', 'Sequence', 'Diagnosis Sequence', 'Rank', 'Diagnosis Rank']),
  ],
  naturalKey: ['patient_id', 'encounter_id', 'code'],
  requiredColumnsAnyOf: [['code'], ['description']],
  knownExtras: ['row id', 'reasoncode', 'reasondescription'],
  rules: [endAfterStart('condition.end_before_start', 'onset_datetime', 'abatement_datetime', 'error', 'a condition cannot resolve before it began')],
  fileNameHints: ['condition', 'conditions', 'diagnosis', 'diagnoses', 'diagnoses_icd', 'problems', 'problem'],
};
