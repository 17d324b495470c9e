import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, list, obj, periodOf, str } from './fhir-values.js';

/** AllergyIntolerance -> allergies: the substance code, type, category, criticality and up to two reactions. */
export const extractAllergy: FhirExtractor = (r, refs) => {
  const code = codeOf(r.code);
  const onset = periodOf(r.onsetDateTime, r.onsetPeriod);
  const reactions = list(r.reaction).map(obj);
  const reaction = (i: number) => {
    const manifestation = codeOf(first(reactions[i]?.manifestation));
    return { code: manifestation.code, system: manifestation.system, text: manifestation.display, severity: str(reactions[i]?.severity) };
  };
  const [one, two] = [reaction(0), reaction(1)];
  return {
    allergy_id: str(r.id),
    patient_id: refs.id(r.patient),
    encounter_id: refs.id(r.encounter),
    onset_datetime: onset.start ?? str(r.recordedDate),
    end_datetime: onset.end,
    code: code.code,
    code_system: code.code ? code.system : null,
    description: code.display,
    type: str(r.type),
    category: str(list(r.category)[0]),
    criticality: str(r.criticality),
    clinical_status: codeOf(r.clinicalStatus).code,
    reaction_1_code: one.code,
    reaction_1_description: one.text,
    reaction_1_severity: one.severity,
    reaction_2_code: two.code,
    reaction_2_description: two.text,
    reaction_2_severity: two.severity,
    reaction_system: one.code ? one.system : null,
  };
};
