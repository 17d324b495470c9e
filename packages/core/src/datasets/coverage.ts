import { endAfterStart } from '../validate/cross-field-rules.js';
import type { DatasetDefinition } from './dataset-definition.js';
import { defineField as f, patientRef } from './define-field.js';
import { lookupTable } from '../lookup-table.js';

/** Synthea's OWNERSHIP says who owns the policy; FHIR wants the beneficiary's relationship to that owner. */
const RELATIONSHIP_OF_OWNER: Readonly<Record<string, string>> = lookupTable({ self: 'self', spouse: 'spouse', guardian: 'child' });

/**
 * Insurance coverage periods, aligned with FHIR R4 Coverage (Synthea payer_transitions.csv:
 * PATIENT, MEMBERID, START_YEAR, END_YEAR, PAYER, SECONDARY_PAYER, OWNERSHIP, OWNERNAME).
 * Choices:
 * - period_start/period_end are date-times: Synthea's START_YEAR/END_YEAR hold full timestamps
 *   despite their names, and are read as such (a bare year is a date.unparseable error).
 * - payer_id is the primary payer (Coverage.payor); secondary_payer_id, when given, becomes a
 *   second Coverage of order 2 for the same period.
 * - relationship is the beneficiary's relationship to the subscriber (subscriber-relationship).
 *   A file that says who owns the policy instead (policy_owner: Synthea's OWNERSHIP) gives it:
 *   Self -> self, Spouse -> spouse, Guardian -> child (the patient is the guardian's dependent).
 * - The natural key is patient + payer + start: one coverage per payer per period.
 */
export const coverage: DatasetDefinition = {
  name: 'coverage',
  description: 'Insurance coverage periods: patient, member id, payer and secondary payer, period, subscriber and relationship.',
  fhirResource: 'Coverage',
  fields: [
    f('coverage_id', 'id', 'Coverage.identifier', ['Coverage ID', 'Policy ID', 'Enrollment ID', 'Eligibility ID']),
    patientRef('Coverage.beneficiary', true),
    f('member_id', 'id', 'Coverage.subscriberId', [
      'MEMBERID', 'Member ID', 'Member Number', 'Subscriber ID', 'Policy Number', 'Insurance ID', 'Insurance Number', 'Beneficiary ID',
    ]),
    f('payer_id', 'id', 'Coverage.payor', ['PAYER', 'Payer ID', 'Payer', 'Insurer', 'Insurer ID', 'Insurance Company', 'Plan ID', 'Health Plan']),
    f('payer_name', 'text', 'Coverage.payor.display', ['Payer Name', 'Insurer Name', 'Insurance Name', 'Plan Name', 'Insurance Company Name']),
    f('secondary_payer_id', 'id', 'Coverage(order 2).payor', ['SECONDARY_PAYER', 'Secondary Payer', 'Secondary Payer ID', 'Secondary Insurance', 'Secondary Insurer']),
    f('plan_type', 'text', 'Coverage.type', ['Plan Type', 'Coverage Type', 'Insurance Type', 'Product', 'Line of Business']),
    f('period_start', 'datetime', 'Coverage.period.start', [
      'START_YEAR', 'START', 'Start Date', 'Coverage Start', 'Coverage Start Date', 'Effective Date', 'Enrollment Date', 'Eligibility Start',
    ]),
    f('period_end', 'datetime', 'Coverage.period.end', [
      'END_YEAR', 'END', 'STOP', 'End Date', 'Coverage End', 'Coverage End Date', 'Termination Date', 'Disenrollment Date', 'Eligibility End',
    ]),
    f('relationship', 'coded', 'Coverage.relationship', ['Relationship', 'Relationship to Subscriber', 'Subscriber Relationship', 'Patient Relationship'], {
      vocabulary: 'subscriber_relationship',
      textField: 'relationship_text',
    }),
    f('relationship_text', 'text', 'Coverage.relationship.text', []),
    f('policy_owner', 'text', 'Coverage.extension(policyOwner)', ['OWNERSHIP', 'Ownership', 'Policy Owner', 'Owner']),
    f('subscriber_name', 'text', 'Coverage.subscriber.display', ['OWNERNAME', 'Owner Name', 'Subscriber', 'Subscriber Name', 'Policy Holder', 'Policy Holder Name']),
  ],
  naturalKey: ['patient_id', 'payer_id', 'period_start'],
  requiredColumnsAnyOf: [['payer_id'], ['member_id'], ['payer_name']],
  knownExtras: [],
  rules: [endAfterStart('coverage.end_before_start', 'period_start', 'period_end', 'error', 'a coverage period cannot end before it starts')],
  derive(record) {
    const owner = record.policy_owner;
    if (record.relationship || !owner) return;
    record.relationship = RELATIONSHIP_OF_OWNER[owner.trim().toLowerCase()] ?? null;
  },
  fileNameHints: ['coverage', 'coverages', 'payer_transitions', 'insurance', 'enrollment', 'enrollments', 'eligibility', 'member', 'members'],
};
