import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, periodOf, str } from './fhir-values.js';

/**
 * CarePlan -> care_plans: category (the kind of plan), period, status and intent, and the
 * condition it addresses: its code when the Condition is an entry of the same Bundle, else the
 * reference's display.
 */
export const extractCarePlan: FhirExtractor = (r, refs) => {
  const category = codeOf(first(r.category));
  const period = periodOf(undefined, r.period);
  const addressed = first(r.addresses);
  const condition = refs.resource(addressed);
  const reason = codeOf(condition?.code);
  return {
    care_plan_id: str(r.id),
    patient_id: refs.id(r.subject),
    encounter_id: refs.id(r.encounter),
    code: category.code,
    code_system: category.code ? category.system : null,
    description: str(r.title) ?? category.display,
    period_start: period.start ?? str(r.created),
    period_end: period.end,
    status: str(r.status),
    intent: str(r.intent),
    reason_code: reason.code,
    reason_code_system: reason.code ? reason.system : null,
    reason_text: reason.display ?? str(addressed?.display),
  };
};
