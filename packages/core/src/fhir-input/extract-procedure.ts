import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, periodOf, str } from './fhir-values.js';

/** Procedure -> procedures: code, when it was performed, status, body site, reason, performer. */
export const extractProcedure: FhirExtractor = (r, refs) => {
  const code = codeOf(r.code);
  const performed = periodOf(r.performedDateTime, r.performedPeriod);
  const reason = codeOf(first(r.reasonCode));
  const bodySite = codeOf(first(r.bodySite));
  return {
    procedure_id: str(r.id),
    patient_id: refs.id(r.subject),
    encounter_id: refs.id(r.encounter),
    code: code.code,
    code_system: code.code ? code.system : null,
    description: code.display,
    performed_start: performed.start,
    performed_end: performed.end,
    status: str(r.status),
    status_text: codeOf(r.statusReason).display,
    body_site: bodySite.display ?? bodySite.code,
    reason_code: reason.code,
    reason_code_system: reason.code ? reason.system : null,
    reason_text: reason.display,
    performer_id: refs.id(first(r.performer)?.actor),
    location_id: refs.id(r.location),
  };
};
