import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, obj, quantityOf, str } from './fhir-values.js';

const CVX = 'http://hl7.org/fhir/sid/cvx';

/**
 * Immunization -> immunizations: the CVX vaccine code, when, lot, route, site, dose. The
 * location (a conditional reference in Bulk Data) is kept under extras as its identifier.
 */
export const extractImmunization: FhirExtractor = (r, refs) => {
  const vaccine = codeOf(r.vaccineCode, [CVX]);
  const route = codeOf(r.route);
  const site = codeOf(r.site);
  const dose = quantityOf(r.doseQuantity);
  return {
    immunization_id: str(r.id),
    patient_id: refs.id(r.patient),
    encounter_id: refs.id(r.encounter),
    occurrence_datetime: str(r.occurrenceDateTime) ?? str(r.occurrenceString),
    vaccine_code: vaccine.code,
    vaccine_code_system: vaccine.code ? vaccine.system : null,
    description: vaccine.display,
    status: str(r.status),
    lot_number: str(r.lotNumber),
    expiration_date: str(r.expirationDate),
    manufacturer: str(obj(r.manufacturer)?.display) ?? refs.id(r.manufacturer),
    route: route.code,
    route_text: route.display,
    site: site.display ?? site.code,
    dose_quantity: dose.value,
    dose_unit: dose.value !== null ? dose.unit : null,
    performer_id: refs.id(first(r.performer)?.actor),
    location_id: refs.id(r.location),
    location_name: str(obj(r.location)?.display),
  };
};
