import { compact, fhirDateTime, reference, text, vocabConcept } from './fhir-elements.js';
import { dataAbsent, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper, ResourceBody } from './fhir-mapper.js';

/**
 * coverage -> Coverage: the beneficiary, member id, primary payer and period; a secondary payer
 * gives a second Coverage (order 2) for the same period. status is `active` (the record is in
 * force as a record, whatever its period). payor is 1..*: a row with neither payer id nor name
 * writes it data-absent.
 */
export const coverageResources: FhirMapper = (r, ctx) => {
  const start = fhirDateTime(text(r, 'period_start'));
  const end = fhirDateTime(text(r, 'period_end'));
  const subscriber = text(r, 'subscriber_name');
  const relationship = vocabConcept('subscriber_relationship', text(r, 'relationship')) ?? textConcept(text(r, 'relationship_text'));
  const plan = text(r, 'plan_type');
  const coverageOf = (payor: object, order: number, part?: string): ResourceBody =>
    compact({
      resourceType: 'Coverage',
      id: ctx.idFor('Coverage', text(r, 'coverage_id'), part),
      extension: fieldExtensions(r, [['policy_owner', 'String']]),
      identifier: [text(r, 'coverage_id') ? { value: text(r, 'coverage_id') } : undefined],
      status: 'active',
      type: plan ? { text: plan } : undefined,
      subscriber: subscriber ? { display: subscriber } : undefined,
      subscriberId: text(r, 'member_id'),
      beneficiary: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
      relationship,
      period: compact({ start, end }),
      payor: [payor],
      order,
    });
  const primary = reference('Organization', text(r, 'payer_id'), text(r, 'payer_name')) ?? textReference(text(r, 'payer_name')) ?? dataAbsent();
  const secondary = reference('Organization', text(r, 'secondary_payer_id'));
  return secondary ? [coverageOf(primary, 1), coverageOf(secondary, 2, 'secondary')] : coverageOf(primary, 1);
};

const textConcept = (value: string | undefined) => (value ? { text: value } : undefined);
const textReference = (value: string | undefined) => (value ? { display: value } : undefined);
