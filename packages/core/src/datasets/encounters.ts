import { endAfterStart, identifiedBy } from '../validate/cross-field-rules.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, patientRef, systemField } from './define-field.js';

const DIAGNOSIS_SYSTEMS = ['icd10cm', 'icd9cm', 'snomed'] as const;

/**
 * Encounters and admissions, aligned with FHIR R4 Encounter. Choices:
 * - One row is an encounter or a segment of one: a hospital admission (MIMIC ADMISSIONS, Synthea
 *   encounters), an ICU stay (ICUSTAYS: segment_id = ICUSTAY_ID within encounter_id = HADM_ID), a
 *   transfer between wards (TRANSFERS: event_type admit/transfer/discharge, ward, previous ward),
 *   a service change (SERVICES). Location fields (care_unit, ward, bed, room) are the
 *   Encounter.location of that segment.
 * - The natural key is encounter_id + start_datetime, so the transfers and ICU stays of one
 *   admission stay apart while a re-sent admission is a duplicate.
 * - class maps to the v3 ActCode value set (Synthea's wellness/ambulatory/outpatient -> AMB,
 *   emergency -> EMER, inpatient -> IMP, home -> HH, virtual -> VR); MIMIC's ADMISSION_TYPE is
 *   the admission's urgency, so it is `priority` (v3 ActPriority: EMERGENCY -> EM, URGENT -> UR,
 *   ELECTIVE -> EL), NEWBORN stays text with encounter_priority.unknown.
 * - Dates keep their time and offset. A discharge before the admission is an error
 *   (encounter.end_before_start); with MIMIC's two-digit years the message names
 *   options.two_digit_year_base.
 * - UCI's diag_1..diag_3 are the encounter's diagnoses (ICD-9-CM, dotted, leading zeros restored
 *   when the column is known ICD-9); its numeric *_id columns need UCI's mapping table and stay
 *   under extras.
 */
export const encounters: DatasetDefinition = {
  name: 'encounters',
  description: 'Visits and hospital admissions with their ICU stays, ward transfers, locations, class and discharge.',
  fhirResource: 'Encounter',
  fields: [
    f('encounter_id', 'id', 'Encounter.identifier', [
      'Id', 'HADM_ID', 'Encounter ID', 'EncounterId', 'Visit ID', 'Visit Number', 'VisitId', 'Admission ID',
      'Admission Number', 'CSN', 'FIN', 'Episode ID', 'Account Number', 'encounter_nbr',
    ]),
    f('segment_id', 'id', 'Encounter.identifier(segment)', ['ICUSTAY_ID', 'ICU Stay ID', 'Stay ID', 'Transfer ID', 'Movement ID', 'Segment ID']),
    patientRef('Encounter.subject', false),
    f('status', 'coded', 'Encounter.status', ['Status', 'Encounter Status', 'Visit Status'], { vocabulary: 'encounter_status' }),
    f('class', 'coded', 'Encounter.class', ['ENCOUNTERCLASS', 'Encounter Class', 'Class', 'Patient Class', 'Patient Type', 'Setting'], {
      vocabulary: 'encounter_class',
      textField: 'class_text',
    }),
    f('class_text', 'text', 'Encounter.class.display', []),
    codeField('type_code', 'Encounter.type.coding', ['snomed', 'cpt', 'local'], ['CODE', 'Encounter Code', 'Visit Type Code', 'Encounter Type Code']),
    systemField('type_code', 'Encounter.type.coding.system'),
    f('type_text', 'text', 'Encounter.type.text', ['DESCRIPTION', 'Encounter Type', 'Visit Type', 'Encounter Description']),
    f('priority', 'coded', 'Encounter.priority', ['ADMISSION_TYPE', 'Admission Type', 'Priority', 'Admit Type', 'Urgency'], {
      vocabulary: 'encounter_priority',
      textField: 'priority_text',
    }),
    f('priority_text', 'text', 'Encounter.priority.text', []),
    f('start_datetime', 'datetime', 'Encounter.period.start', [
      'START', 'ADMITTIME', 'INTIME', 'TRANSFERTIME', 'Admit Date', 'Admission Date', 'Admit Time', 'Admission Time',
      'Admit Datetime', 'Start Date', 'Start Time', 'Visit Date', 'Encounter Date', 'Period Start', 'Arrival Time',
    ]),
    f('end_datetime', 'datetime', 'Encounter.period.end', [
      'STOP', 'DISCHTIME', 'OUTTIME', 'Discharge Date', 'Discharge Time', 'Discharge Datetime', 'End Date', 'End Time',
      'Period End', 'Departure Time',
    ]),
    f('length_of_stay_days', 'decimal', 'Encounter.length', ['time_in_hospital', 'Length of Stay', 'LOS Days', 'Length of Stay Days']),
    f('event_type', 'text', 'Encounter.location.status', ['EVENTTYPE', 'Event Type', 'Movement Type', 'Transfer Type']),
    f('care_unit', 'text', 'Encounter.location.location', ['CURR_CAREUNIT', 'FIRST_CAREUNIT', 'Care Unit', 'Unit', 'Nursing Unit', 'Department']),
    f('previous_care_unit', 'text', 'Encounter.location(previous)', ['PREV_CAREUNIT', 'Previous Care Unit', 'From Unit']),
    f('ward', 'text', 'Encounter.location.location(ward)', ['CURR_WARDID', 'FIRST_WARDID', 'Ward', 'Ward ID', 'Ward Name']),
    f('previous_ward', 'text', 'Encounter.location(previous ward)', ['PREV_WARDID', 'Previous Ward', 'From Ward']),
    f('room', 'text', 'Encounter.location.location(room)', ['Room', 'Room Number', 'Room No']),
    f('bed', 'text', 'Encounter.location.location(bed)', ['Bed', 'Bed ID', 'Bed Number', 'Bed No']),
    f('service', 'text', 'Encounter.serviceType', ['CURR_SERVICE', 'Service', 'Hospital Service', 'medical_specialty', 'Specialty']),
    f('admit_source', 'text', 'Encounter.hospitalization.admitSource', ['ADMISSION_LOCATION', 'Admit Source', 'Admission Source', 'Referral Source']),
    f('discharge_disposition', 'text', 'Encounter.hospitalization.dischargeDisposition', [
      'DISCHARGE_LOCATION', 'Discharge Disposition', 'Discharge To', 'Discharge Destination', 'Disposition',
    ]),
    f('organization_id', 'id', 'Encounter.serviceProvider', ['ORGANIZATION', 'Organization ID', 'Facility', 'Facility ID', 'Hospital ID']),
    f('practitioner_id', 'id', 'Encounter.participant.individual', ['PROVIDER', 'Provider ID', 'Practitioner ID', 'Attending', 'Attending Physician', 'Physician ID']),
    f('payer_id', 'id', 'Encounter.account(payer)', ['PAYER', 'Payer ID', 'payer_code']),
    codeField('reason_code', 'Encounter.reasonCode.coding', ['snomed', 'icd10cm', 'icd9cm'], ['REASONCODE', 'Reason Code']),
    systemField('reason_code', 'Encounter.reasonCode.coding.system'),
    f('reason_text', 'text', 'Encounter.reasonCode.text', ['REASONDESCRIPTION', 'DIAGNOSIS', 'Reason', 'Reason for Visit', 'Chief Complaint', 'Admitting Diagnosis']),
    codeField('diagnosis_1', 'Encounter.diagnosis[0].condition', DIAGNOSIS_SYSTEMS, ['diag_1', 'Diagnosis 1', 'Primary Diagnosis', 'DX1'], {
      systemField: 'diagnosis_system',
    }),
    codeField('diagnosis_2', 'Encounter.diagnosis[1].condition', DIAGNOSIS_SYSTEMS, ['diag_2', 'Diagnosis 2', 'DX2'], { systemField: 'diagnosis_system' }),
    codeField('diagnosis_3', 'Encounter.diagnosis[2].condition', DIAGNOSIS_SYSTEMS, ['diag_3', 'Diagnosis 3', 'DX3'], { systemField: 'diagnosis_system' }),
    f('diagnosis_system', 'code_system', 'Encounter.diagnosis.condition.system', []),
  ],
  naturalKey: ['encounter_id', 'start_datetime'],
  requiredColumnsAnyOf: [['encounter_id'], ['patient_id', 'start_datetime']],
  knownExtras: [
    'row id', 'deathtime', 'edregtime', 'edouttime', 'los', 'language', 'religion', 'marital status', 'ethnicity',
    'race', 'gender', 'age', 'weight', 'hospital expire flag', 'has chartevents data', 'dbsource', 'base encounter cost',
    'total claim cost', 'payer coverage', 'admission type id', 'discharge disposition id', 'admission source id',
    'prev service', 'first wardid', 'last wardid', 'last careunit', 'encounter', 'memberid', 'member id',
    // UCI diabetes encounters: utilization counts, glucose tests, 23 diabetes drugs, readmission.
    'num lab procedures', 'num procedures', 'num medications', 'number outpatient', 'number emergency',
    'number inpatient', 'number diagnoses', 'max glu serum', 'a1cresult', 'change', 'diabetesmed', 'readmitted',
    'metformin', 'repaglinide', 'nateglinide', 'chlorpropamide', 'glimepiride', 'acetohexamide', 'glipizide',
    'glyburide', 'tolbutamide', 'pioglitazone', 'rosiglitazone', 'acarbose', 'miglitol', 'troglitazone', 'tolazamide',
    'examide', 'citoglipton', 'insulin', 'glyburide metformin', 'glipizide metformin', 'glimepiride pioglitazone',
    'metformin rosiglitazone', 'metformin pioglitazone',
    // MIMIC CALLOUT: an ICU discharge request of the admission.
    'submit wardid', 'submit careunit', 'callout wardid', 'callout service', 'callout status', 'callout outcome',
    'discharge wardid', 'acknowledge status', 'createtime', 'updatetime', 'acknowledgetime', 'outcometime',
  ],
  rules: [
    identifiedBy('encounter.unidentifiable', 'encounter_id', [['encounter_id'], ['patient_id', 'start_datetime']],
      'encounter_id is empty and patient_id or start_datetime is missing too: the row identifies no encounter'),
    endAfterStart('encounter.end_before_start', 'start_datetime', 'end_datetime', 'error', 'a discharge cannot precede the admission'),
    {
      rule: 'encounter.negative_length',
      severity: 'error',
      field: 'length_of_stay_days',
      message: 'length_of_stay_days is negative',
      violated: (r) => r.length_of_stay_days != null && Number(r.length_of_stay_days) < 0,
    },
  ],
  fileNameHints: ['encounter', 'encounters', 'admission', 'admissions', 'visit', 'visits', 'icustays', 'transfers', 'services', 'stays', 'callout'],
};
