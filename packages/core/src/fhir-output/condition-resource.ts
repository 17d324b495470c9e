import { compact, concept, fhirDateTime, reference, text, vocabConcept } from './fhir-elements.js';
import { dataAbsent, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';
import type { CodeableConcept } from './fhir-types.js';

const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const ABATED = ['inactive', 'resolved', 'remission'];

const category = (code: 'problem-list-item' | 'encounter-diagnosis', display: string): CodeableConcept => ({
  coding: [{ system: CATEGORY, code, display }],
});

/**
 * conditions -> Condition. clinicalStatus is the source's, else resolved when the row has an
 * abatement date and active otherwise. A source status that contradicts an abatement date
 * (con-4: an abated condition is inactive, resolved or in remission) keeps the status and
 * moves the date to a note. Category: the source's when it names one, else an encounter
 * diagnosis when the row names an encounter and a problem-list item when not.
 */
export const conditionResource: FhirMapper = (r, ctx) => {
  const status = text(r, 'clinical_status');
  const abatement = fhirDateTime(text(r, 'abatement_datetime'));
  const contradicts = abatement !== undefined && status !== undefined && !ABATED.includes(status);
  const sourceCategory = text(r, 'category');
  const categoryConcept = sourceCategory
    ? /problem/i.test(sourceCategory)
      ? category('problem-list-item', 'Problem List Item')
      : /encounter|diagnos|billing|admission/i.test(sourceCategory)
        ? category('encounter-diagnosis', 'Encounter Diagnosis')
        : { text: sourceCategory }
    : text(r, 'encounter_id')
      ? category('encounter-diagnosis', 'Encounter Diagnosis')
      : category('problem-list-item', 'Problem List Item');
  return compact({
    resourceType: 'Condition',
    id: ctx.idFor('Condition', text(r, 'condition_id')),
    extension: fieldExtensions(r, [['sequence', 'Integer']]),
    identifier: [text(r, 'condition_id') ? { value: text(r, 'condition_id') } : undefined],
    clinicalStatus: vocabConcept('condition_clinical_status', status ?? (abatement ? 'resolved' : 'active')),
    category: [categoryConcept],
    code: concept(text(r, 'code_system'), text(r, 'code'), text(r, 'description')),
    subject: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
    encounter: reference('Encounter', text(r, 'encounter_id')),
    onsetDateTime: fhirDateTime(text(r, 'onset_datetime')),
    abatementDateTime: contradicts ? undefined : abatement,
    note: contradicts ? [{ text: `The source gives an abatement date (${abatement}) although the status is ${status}.` }] : undefined,
  });
};
