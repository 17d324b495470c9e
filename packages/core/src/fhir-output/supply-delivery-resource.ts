import { compact, concept, decimal, fhirDateTime, reference, text, vocabCode } from './fhir-elements.js';
import { EXTENSION_BASE } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';

/**
 * supplies -> SupplyDelivery: completed unless the source says otherwise, the item as a coded
 * concept with its quantity, when, for whom and by whom. SupplyDelivery has no encounter
 * element: the encounter is an extension.
 */
export const supplyDeliveryResource: FhirMapper = (r, ctx) => {
  const quantity = decimal(r, 'quantity');
  const encounter = reference('Encounter', text(r, 'encounter_id'));
  const item = concept(text(r, 'code_system'), text(r, 'code'), text(r, 'description'));
  return compact({
    resourceType: 'SupplyDelivery',
    id: ctx.idFor('SupplyDelivery', text(r, 'supply_id')),
    extension: [encounter ? { url: `${EXTENSION_BASE}encounter_id`, valueReference: encounter } : undefined],
    identifier: [text(r, 'supply_id') ? { value: text(r, 'supply_id') } : undefined],
    status: vocabCode('supply_delivery_status', text(r, 'status'), 'completed'),
    patient: reference('Patient', text(r, 'patient_id')),
    suppliedItem: item || quantity !== undefined ? compact({ quantity: quantity === undefined ? undefined : { value: quantity }, itemCodeableConcept: item }) : undefined,
    occurrenceDateTime: fhirDateTime(text(r, 'delivered_datetime')),
    supplier: reference('Organization', text(r, 'supplier_id')),
  });
};
