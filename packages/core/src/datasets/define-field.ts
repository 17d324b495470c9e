import type { FieldDefinition, FieldType } from './dataset-definition.js';

/** Everything about a field beyond its name, type, FHIR path and synonyms. */
export type FieldOptions = Omit<Partial<FieldDefinition>, 'name' | 'type' | 'fhirPath' | 'synonyms'>;

export function defineField(
  name: string,
  type: FieldType,
  fhirPath: string,
  synonyms: readonly string[],
  options: FieldOptions = {},
): FieldDefinition {
  return { name, type, required: false, synonyms, fhirPath, ...options };
}

/** Header spellings of a reference to the patient, shared by every clinical dataset. */
export const PATIENT_SYNONYMS = [
  'PATIENT', 'PATIENTID', 'PatientId', 'Patient ID', 'SUBJECT_ID', 'patient_nbr', 'MRN', 'Medical Record Number',
  'Patient Number', 'Person ID', 'Subject', 'Patient Identifier', 'Patient MRN',
] as const;

/** Header spellings of a reference to the encounter (MIMIC's hospital admission is HADM_ID). */
export const ENCOUNTER_SYNONYMS = [
  'ENCOUNTER', 'ENCOUNTERID', 'Encounter ID', 'HADM_ID', 'encounter_id', 'Visit ID', 'Visit Number', 'Admission ID',
  'Admission Number', 'CSN', 'FIN', 'Episode ID', 'Case ID',
] as const;

export const patientRef = (fhirPath: string, required: boolean): FieldDefinition =>
  defineField('patient_id', 'id', fhirPath, PATIENT_SYNONYMS, { required });

export const encounterRef = (fhirPath: string): FieldDefinition => defineField('encounter_id', 'id', fhirPath, ENCOUNTER_SYNONYMS);

/** A clinical code with its system URI in `${name}_system` (or `systemField`). */
export function codeField(
  name: string,
  fhirPath: string,
  codeSystems: FieldDefinition['codeSystems'],
  synonyms: readonly string[],
  options: FieldOptions = {},
): FieldDefinition {
  return defineField(name, 'clinical_code', fhirPath, synonyms, { codeSystems, systemField: `${name}_system`, ...options });
}

/** The `_system` sibling of a code field: filled by the code's standardizer, or read from a SYSTEM column. */
export const systemField = (codeName: string, fhirPath: string, synonyms: readonly string[] = []): FieldDefinition =>
  defineField(`${codeName}_system`, 'code_system', fhirPath, synonyms);
