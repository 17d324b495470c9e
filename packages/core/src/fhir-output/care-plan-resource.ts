import { compact, concept, fhirDateTime, reference, text, vocabCode } from './fhir-elements.js';
import { dataAbsent } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';

const INTENTS = ['proposal', 'plan', 'order', 'option'] as const;

/**
 * care_plans -> CarePlan: intent as given (else `plan`), the kind of plan as category, the period, and the
 * condition it addresses (by its code and text: the Condition's id is not in the row, so the
 * reference carries a display only). status comes from the record (derived from the period
 * when the source has none); a status outside request-status is `unknown`.
 */
export const carePlanResource: FhirMapper = (r, ctx) => {
  const start = fhirDateTime(text(r, 'period_start'));
  const end = fhirDateTime(text(r, 'period_end'));
  const reasonText = text(r, 'reason_text');
  const reasonCode = text(r, 'reason_code');
  const statusText = text(r, 'status_text');
  return compact({
    resourceType: 'CarePlan',
    id: ctx.idFor('CarePlan', text(r, 'care_plan_id')),
    identifier: [text(r, 'care_plan_id') ? { value: text(r, 'care_plan_id') } : undefined],
    status: vocabCode('care_plan_status', text(r, 'status'), 'unknown'),
    intent: INTENTS.find((i) => i === text(r, 'intent')?.toLowerCase()) ?? 'plan',
    category: [concept(text(r, 'code_system'), text(r, 'code'), text(r, 'description'))],
    title: text(r, 'description'),
    subject: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
    encounter: reference('Encounter', text(r, 'encounter_id')),
    period: compact({ start, end }),
    addresses: reasonText || reasonCode ? [{ display: reasonText && reasonCode ? `${reasonText} (${reasonCode})` : (reasonText ?? reasonCode) }] : undefined,
    note: statusText ? [{ text: `Status as written: ${statusText}` }] : undefined,
  });
};
