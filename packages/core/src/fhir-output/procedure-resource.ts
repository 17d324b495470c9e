import { compact, concept, fhirDateTime, reference, text, vocabCode } from './fhir-elements.js';
import { dataAbsent, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';

/** procedures -> Procedure: completed unless the source says otherwise; a start alone is performedDateTime. */
export const procedureResource: FhirMapper = (r, ctx) => {
  const start = fhirDateTime(text(r, 'performed_start'));
  const end = fhirDateTime(text(r, 'performed_end'));
  const bodySite = text(r, 'body_site');
  return compact({
    resourceType: 'Procedure',
    id: ctx.idFor('Procedure', text(r, 'procedure_id')),
    extension: fieldExtensions(r, [['sequence', 'Integer'], ['cost', 'Decimal']]),
    identifier: [text(r, 'procedure_id') ? { value: text(r, 'procedure_id') } : undefined],
    // A procedure in a file happened unless its status says otherwise.
    status: vocabCode('procedure_status', text(r, 'status'), 'completed'),
    code: concept(text(r, 'code_system'), text(r, 'code'), text(r, 'description')),
    subject: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
    encounter: reference('Encounter', text(r, 'encounter_id')),
    performedDateTime: end ? undefined : start,
    performedPeriod: end ? compact({ start, end }) : undefined,
    performer: [text(r, 'performer_id') ? { actor: reference('Practitioner', text(r, 'performer_id')) } : undefined],
    reasonCode: [concept(text(r, 'reason_code_system'), text(r, 'reason_code'), text(r, 'reason_text'))],
    bodySite: bodySite ? [{ text: bodySite }] : undefined,
  });
};
