import { VOCABULARIES } from '../vocab/vocabularies.js';
import { compact, concept, fhirDateTime, reference, text, vocabConcept } from './fhir-elements.js';
import { dataAbsent, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';
import type { CanonicalRecord } from './fhir-types.js';

const isCode = (codes: Readonly<Record<string, string>>, value: string | undefined) => (value !== undefined && value in codes ? value : undefined);

function reaction(r: CanonicalRecord, n: 1 | 2) {
  const manifestation = concept(text(r, 'reaction_system'), text(r, `reaction_${n}_code`), text(r, `reaction_${n}_description`));
  if (!manifestation) return undefined;
  return compact({ manifestation: [manifestation], severity: isCode(VOCABULARIES.reaction_severity.codes, text(r, `reaction_${n}_severity`)) });
}

/**
 * allergies -> AllergyIntolerance. clinicalStatus is always given (ait-1): the source's, else
 * resolved when the row has an end date and active otherwise. type, category and criticality
 * are codes of required value sets, written only when the source value is one. The end date
 * has no R4 element and is an extension (end_datetime).
 */
export const allergyResource: FhirMapper = (r, ctx) => {
  const end = text(r, 'end_datetime');
  const category = isCode(VOCABULARIES.allergy_category.codes, text(r, 'category'));
  return compact({
    resourceType: 'AllergyIntolerance',
    id: ctx.idFor('AllergyIntolerance', text(r, 'allergy_id')),
    extension: fieldExtensions(r, [['end_datetime', 'DateTime']]),
    identifier: [text(r, 'allergy_id') ? { value: text(r, 'allergy_id') } : undefined],
    clinicalStatus: vocabConcept('allergy_clinical_status', text(r, 'clinical_status') ?? (end ? 'resolved' : 'active')),
    type: isCode(VOCABULARIES.allergy_type.codes, text(r, 'type')),
    category: category ? [category] : undefined,
    criticality: isCode(VOCABULARIES.allergy_criticality.codes, text(r, 'criticality')),
    code: concept(text(r, 'code_system'), text(r, 'code'), text(r, 'description')),
    patient: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
    encounter: reference('Encounter', text(r, 'encounter_id')),
    onsetDateTime: fhirDateTime(text(r, 'onset_datetime')),
    reaction: [reaction(r, 1), reaction(r, 2)],
  });
};
