import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, obj, periodOf, str } from './fhir-values.js';

/** Coverage -> coverage: beneficiary, subscriber id, first payor, period, relationship, plan type. */
export const extractCoverage: FhirExtractor = (r, refs) => {
  const payor = first(r.payor);
  const period = periodOf(undefined, r.period);
  const relationship = codeOf(r.relationship);
  const type = codeOf(r.type);
  return {
    coverage_id: str(r.id),
    patient_id: refs.id(r.beneficiary),
    member_id: str(r.subscriberId),
    payer_id: refs.id(payor),
    payer_name: str(payor?.display),
    plan_type: type.display ?? type.code,
    period_start: period.start,
    period_end: period.end,
    relationship: relationship.code ?? relationship.display,
    subscriber_name: str(obj(r.subscriber)?.display),
  };
};
