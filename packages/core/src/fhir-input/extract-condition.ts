import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, periodOf, str } from './fhir-values.js';

/** Condition -> conditions: the code (SNOMED, ICD...), onset and abatement, clinical status. */
export const extractCondition: FhirExtractor = (r, refs) => {
  const code = codeOf(r.code);
  const onset = periodOf(r.onsetDateTime, r.onsetPeriod);
  const abatement = periodOf(r.abatementDateTime, r.abatementPeriod);
  const category = codeOf(first(r.category));
  return {
    condition_id: str(r.id),
    patient_id: refs.id(r.subject),
    encounter_id: refs.id(r.encounter),
    code: code.code,
    code_system: code.code ? code.system : null,
    description: code.display,
    onset_datetime: onset.start ?? str(r.recordedDate),
    abatement_datetime: abatement.start ?? abatement.end,
    clinical_status: codeOf(r.clinicalStatus).code,
    category: category.code ?? category.display,
    verification_status: codeOf(r.verificationStatus).code,
  };
};
