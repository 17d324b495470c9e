import { compact, concept, decimal, fhirDate, fhirDateTime, quantity, reference, text, vocabCode, vocabConcept } from './fhir-elements.js';
import { dataAbsent, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';

/**
 * immunizations -> Immunization: completed unless the source says otherwise. vaccineCode and
 * occurrence are required: without a code or description the vaccine is data-absent, and
 * without a date the occurrence is the string "unknown" (occurrenceString).
 */
export const immunizationResource: FhirMapper = (r, ctx) => {
  const manufacturer = text(r, 'manufacturer');
  const site = text(r, 'site');
  const occurrence = fhirDateTime(text(r, 'occurrence_datetime'));
  return compact({
    resourceType: 'Immunization',
    id: ctx.idFor('Immunization', text(r, 'immunization_id')),
    extension: fieldExtensions(r, [['cost', 'Decimal']]),
    identifier: [text(r, 'immunization_id') ? { value: text(r, 'immunization_id') } : undefined],
    status: vocabCode('immunization_status', text(r, 'status'), 'completed'),
    vaccineCode: concept(text(r, 'vaccine_code_system'), text(r, 'vaccine_code'), text(r, 'description')) ?? dataAbsent(),
    patient: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
    encounter: reference('Encounter', text(r, 'encounter_id')),
    occurrenceDateTime: occurrence,
    occurrenceString: occurrence ? undefined : 'unknown',
    manufacturer: manufacturer ? { display: manufacturer } : undefined,
    lotNumber: text(r, 'lot_number'),
    expirationDate: fhirDate(text(r, 'expiration_date')),
    site: site ? { text: site } : undefined,
    route: vocabConcept('route', text(r, 'route')) ?? (text(r, 'route_text') ? { text: text(r, 'route_text') } : undefined),
    doseQuantity: quantity(decimal(r, 'dose_quantity'), text(r, 'dose_unit')),
    performer: [text(r, 'performer_id') ? { actor: reference('Practitioner', text(r, 'performer_id')) } : undefined],
  });
};
