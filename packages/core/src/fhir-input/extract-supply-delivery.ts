import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, obj, periodOf, quantityOf, str } from './fhir-values.js';

/** SupplyDelivery -> supplies: the item and its quantity, when, for whom, by whom, status. */
export const extractSupplyDelivery: FhirExtractor = (r, refs) => {
  const item = obj(r.suppliedItem);
  const code = codeOf(item?.itemCodeableConcept);
  const when = periodOf(r.occurrenceDateTime, r.occurrencePeriod);
  return {
    supply_id: str(r.id),
    patient_id: refs.id(r.patient),
    code: code.code,
    code_system: code.code ? code.system : null,
    description: code.display ?? str(obj(item?.itemReference)?.display),
    quantity: quantityOf(item?.quantity).value,
    delivered_datetime: when.start,
    status: str(r.status),
    supplier_id: refs.id(r.supplier),
  };
};
