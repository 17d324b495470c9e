import { codeSystemUri } from './code-systems.js';
import { compact, fhirDate, text } from './fhir-elements.js';
import { fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';

/**
 * pharmacy_inventory -> Medication (R4 has no stock resource): the product (NDC and name,
 * form, generic ingredient, manufacturer) and its batch (lot, expiry); stock on hand, prices,
 * location, supplier and the rest are extensions. One resource per item, lot and location, the
 * dataset's natural key, so its id comes from all three.
 */
export const inventoryResource: FhirMapper = (r, ctx) => {
  const ndc = text(r, 'ndc');
  const name = text(r, 'item_name');
  const itemId = text(r, 'item_id');
  const generic = text(r, 'generic_name');
  const manufacturer = text(r, 'manufacturer');
  const batch = compact({ lotNumber: text(r, 'lot_number'), expirationDate: fhirDate(text(r, 'expiry_date')) });
  return compact({
    resourceType: 'Medication',
    id: ctx.idFor('Medication', itemId, itemId ? `${text(r, 'lot_number') ?? ''}/${text(r, 'location') ?? ''}` : undefined),
    extension: fieldExtensions(r, [
      ['quantity_on_hand', 'Decimal'], ['unit_of_measure', 'String'], ['pack_size', 'Decimal'], ['strength', 'String'], ['brand', 'String'],
      ['received_date', 'Date'], ['unit_cost', 'Decimal'], ['pack_price', 'Decimal'], ['total_value', 'Decimal'], ['location', 'String'],
      ['supplier', 'String'], ['product_group', 'String'], ['reorder_level', 'Decimal'],
    ]),
    identifier: [itemId ? { value: itemId } : undefined],
    code: ndc || name ? compact({ coding: ndc ? [{ system: codeSystemUri('ndc'), code: ndc }] : undefined, text: name }) : undefined,
    manufacturer: manufacturer ? { display: manufacturer } : undefined,
    form: text(r, 'dosage_form') ? { text: text(r, 'dosage_form') } : undefined,
    ingredient: generic ? [{ itemCodeableConcept: { text: generic } }] : undefined,
    batch: Object.keys(batch).length > 0 ? batch : undefined,
  });
};
