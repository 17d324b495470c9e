import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition, FieldDefinition } from './dataset-definition.js';
import { codeField, defineField as f, patientRef } from './define-field.js';

const DX_SYSTEMS = ['snomed', 'icd10cm', 'icd9cm'] as const;
const diagnosis = (n: number): FieldDefinition =>
  codeField(`diagnosis_${n}`, `Claim.diagnosis[${n - 1}].diagnosisCodeableConcept`, DX_SYSTEMS, [`DIAGNOSIS${n}`, `Diagnosis ${n}`, `DX${n}`, `Diagnosis Code ${n}`], {
    systemField: 'diagnosis_system',
  });

/**
 * Claims (the claim header; its lines are claim_lines), aligned with FHIR R4 Claim. Choices:
 * - Up to eight diagnoses (Synthea DIAGNOSIS1..8: SNOMED CT), sharing diagnosis_system.
 * - Synthea's `0` in SECONDARYPATIENTINSURANCEID means "no secondary insurance": empty.
 * - Billing states (Synthea STATUS1: BILLED, CLOSED) are not FHIR Claim.status (active,
 *   cancelled...): kept as text in billing_status.
 * - MIMIC DRGCODES fit here too: a DRG (drg_code, drg_type trimmed: `APR ` is APR) is the claim's
 *   diagnosis-related group (Claim.diagnosis.packageCode) for the admission.
 * - Money is decimal, float noise dropped (`49112.87100000001` -> 49112.871). Amounts are not
 *   converted between currencies.
 */
export const claims: DatasetDefinition = {
  name: 'claims',
  description: 'Billing claims: patient, providers, insurance, diagnoses, DRG, service date, status and balances.',
  fhirResource: 'Claim',
  fields: [
    f('claim_id', 'id', 'Claim.identifier', ['Id', 'Claim ID', 'ClaimID', 'Claim Number', 'Claim No']),
    patientRef('Claim.patient', true),
    f('encounter_id', 'id', 'Claim.item.encounter', ['APPOINTMENTID', 'HADM_ID', 'Encounter ID', 'Visit ID', 'Admission ID']),
    f('provider_id', 'id', 'Claim.provider', ['PROVIDERID', 'Provider ID', 'Billing Provider', 'Rendering Provider ID']),
    f('referring_provider_id', 'id', 'Claim.referral', ['REFERRINGPROVIDERID', 'Referring Provider ID']),
    f('supervising_provider_id', 'id', 'Claim.careTeam(supervisor)', ['SUPERVISINGPROVIDERID', 'Supervising Provider ID']),
    f('insurance_id', 'id', 'Claim.insurance[0].coverage', ['PRIMARYPATIENTINSURANCEID', 'Insurance ID', 'Primary Insurance ID', 'Member ID', 'Policy Number'], {
      missingValues: ['0'],
    }),
    f('secondary_insurance_id', 'id', 'Claim.insurance[1].coverage', ['SECONDARYPATIENTINSURANCEID', 'Secondary Insurance ID'], { missingValues: ['0'] }),
    f('department_id', 'id', 'Claim.facility', ['DEPARTMENTID', 'Department ID', 'Facility ID']),
    ...[1, 2, 3, 4, 5, 6, 7, 8].map(diagnosis),
    f('diagnosis_system', 'code_system', 'Claim.diagnosis.diagnosisCodeableConcept.coding.system', []),
    f('drg_code', 'code', 'Claim.diagnosis.packageCode', ['DRG_CODE', 'DRG', 'DRG Code', 'MS-DRG']),
    f('drg_type', 'code', 'Claim.diagnosis.packageCode.system', ['DRG_TYPE', 'DRG Type', 'Grouper']),
    f('drg_description', 'text', 'Claim.diagnosis.packageCode.text', ['DESCRIPTION', 'DRG Description']),
    f('drg_severity', 'integer', 'Claim.diagnosis.extension(severity)', ['DRG_SEVERITY', 'Severity of Illness']),
    f('drg_mortality', 'integer', 'Claim.diagnosis.extension(mortality)', ['DRG_MORTALITY', 'Risk of Mortality']),
    f('illness_date', 'datetime', 'Claim.accident.date', ['CURRENTILLNESSDATE', 'Current Illness Date', 'Onset Date']),
    f('service_date', 'datetime', 'Claim.billablePeriod.start', ['SERVICEDATE', 'Service Date', 'Date of Service', 'DOS', 'Claim Date']),
    f('billing_status', 'text', 'Claim.extension(billingStatus)', ['STATUS1', 'Claim Status', 'Billing Status', 'Status']),
    f('claim_type', 'code', 'Claim.type', ['HEALTHCARECLAIMTYPEID1', 'Claim Type', 'Type of Bill']),
    f('total', 'decimal', 'Claim.total', ['Total', 'Total Charge', 'Total Charges', 'Billed Amount', 'Claim Amount']),
    f('outstanding', 'decimal', 'Claim.extension(outstanding)', ['OUTSTANDING1', 'Outstanding', 'Balance', 'Balance Due']),
    f('last_billed_datetime', 'datetime', 'Claim.created', ['LASTBILLEDDATE1', 'Last Billed Date', 'Billed Date', 'Submission Date']),
  ],
  naturalKey: ['claim_id'],
  requiredColumnsAnyOf: [['claim_id'], ['patient_id', 'encounter_id']],
  knownExtras: [
    'row id', 'patientdepartmentid', 'status2', 'statusp', 'outstanding2', 'outstandingp', 'lastbilleddate2',
    'lastbilleddatep', 'healthcareclaimtypeid2',
  ],
  rules: [endAfterStart('claim.service_before_illness', 'illness_date', 'service_date', 'warning', 'the service is dated before the illness began')],
  fileNameHints: ['claim', 'claims', 'billing', 'drgcodes', 'drg', 'invoices'],
};
