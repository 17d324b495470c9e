import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f, patientRef, systemField } from './define-field.js';

/**
 * Claim lines and transactions (FHIR R4 Claim.item; payments are ClaimResponse.payment), one row
 * per charge, payment, adjustment or transfer of a claim (Synthea claims_transactions.csv).
 * A separate dataset from claims because a file holds one or the other. Choices:
 * - procedure_code accepts CPT, HCPCS, SNOMED CT (Synthea) and ICD-10-PCS; modifiers as written.
 * - service_end `1970-01-01` (Synthea's epoch in TODATE) is flagged date.sentinel and kept.
 * - Money is decimal; an end of service before its start is an error.
 */
export const claimLines: DatasetDefinition = {
  name: 'claim_lines',
  description: 'Claim line items and transactions: charge, payment, adjustment or transfer; procedure, units, amounts.',
  fhirResource: 'Claim',
  fields: [
    f('line_id', 'id', 'Claim.item.extension(lineId)', ['ID', 'Line ID', 'Transaction ID', 'Claim Line ID']),
    f('claim_id', 'id', 'Claim.identifier', ['CLAIMID', 'Claim ID', 'Claim Number'], { required: true }),
    f('line_number', 'integer', 'Claim.item.sequence', ['CHARGEID', 'Line Number', 'Line No', 'Line', 'Sequence', 'Charge ID']),
    patientRef('Claim.patient', false),
    f('encounter_id', 'id', 'Claim.item.encounter', ['APPOINTMENTID', 'Encounter ID', 'Visit ID']),
    f('transaction_type', 'code', 'Claim.item.extension(transactionType)', ['TYPE', 'Transaction Type', 'Line Type']),
    f('amount', 'decimal', 'Claim.item.net', ['AMOUNT', 'Amount', 'Charge Amount', 'Line Amount']),
    f('method', 'code', 'ClaimResponse.payment.type', ['METHOD', 'Payment Method']),
    f('service_start', 'datetime', 'Claim.item.servicedPeriod.start', ['FROMDATE', 'From Date', 'Service Date', 'Service Start', 'Date of Service']),
    f('service_end', 'datetime', 'Claim.item.servicedPeriod.end', ['TODATE', 'To Date', 'Service End', 'Through Date']),
    f('place_of_service', 'id', 'Claim.item.locationReference', ['PLACEOFSERVICE', 'Place of Service', 'POS']),
    codeField('procedure_code', 'Claim.item.productOrService.coding', ['cpt', 'hcpcs', 'snomed', 'icd10pcs', 'local'], [
      'PROCEDURECODE', 'Procedure Code', 'CPT', 'CPT Code', 'HCPCS', 'HCPCS Code', 'Service Code',
    ]),
    systemField('procedure_code', 'Claim.item.productOrService.coding.system'),
    f('modifier_1', 'code', 'Claim.item.modifier[0]', ['MODIFIER1', 'Modifier 1', 'Modifier']),
    f('modifier_2', 'code', 'Claim.item.modifier[1]', ['MODIFIER2', 'Modifier 2']),
    f('units', 'decimal', 'Claim.item.quantity', ['UNITS', 'Units', 'Quantity', 'Service Units']),
    f('unit_amount', 'decimal', 'Claim.item.unitPrice', ['UNITAMOUNT', 'Unit Amount', 'Unit Price']),
    f('payments', 'decimal', 'ClaimResponse.payment.amount', ['PAYMENTS', 'Payments', 'Paid Amount']),
    f('adjustments', 'decimal', 'ClaimResponse.payment.adjustment', ['ADJUSTMENTS', 'Adjustments', 'Adjustment Amount']),
    f('transfers', 'decimal', 'Claim.item.extension(transfers)', ['TRANSFERS', 'Transfers']),
    f('outstanding', 'decimal', 'Claim.item.extension(outstanding)', ['OUTSTANDING', 'Outstanding', 'Balance']),
    f('notes', 'text', 'Claim.item.extension(notes)', ['NOTES', 'Notes', 'Description']),
    f('provider_id', 'id', 'Claim.careTeam.provider', ['PROVIDERID', 'Provider ID', 'Rendering Provider ID']),
    f('supervising_provider_id', 'id', 'Claim.careTeam(supervisor)', ['SUPERVISINGPROVIDERID', 'Supervising Provider ID']),
    f('insurance_id', 'id', 'Claim.insurance.coverage', ['PATIENTINSURANCEID', 'Insurance ID', 'Member ID'], { missingValues: ['0'] }),
  ],
  naturalKey: ['line_id'],
  requiredColumnsAnyOf: [['claim_id']],
  knownExtras: [
    'diagnosisref1', 'diagnosisref2', 'diagnosisref3', 'diagnosisref4', 'departmentid', 'transferoutid', 'transfertype',
    'linenote', 'feescheduleid',
  ],
  rules: [endAfterStart('claim_line.end_before_start', 'service_start', 'service_end', 'error', 'a service cannot end before it starts')],
  fileNameHints: ['claims_transactions', 'transactions', 'claim_lines', 'claimlines', 'charges', 'line_items', 'remittance'],
};
