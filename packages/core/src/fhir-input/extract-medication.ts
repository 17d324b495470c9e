import type { JsonObject } from '../formats/parse-json-document.js';
import type { FhirExtractor } from './fhir-extractor.js';
import { codeOf, first, obj, periodOf, quantityOf, str } from './fhir-values.js';
import type { ReferenceResolver } from './reference-resolver.js';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const NDC = 'http://hl7.org/fhir/sid/ndc';

/** The drug: medicationCodeableConcept, or the code of a Medication the Bundle holds. */
function drugOf(r: JsonObject, refs: ReferenceResolver) {
  const concept = r.medicationCodeableConcept ?? refs.resource(r.medicationReference)?.code;
  const code = codeOf(concept, [RXNORM]);
  const ndc = codeOf(concept, [NDC]);
  return {
    code: code.code,
    code_system: code.code ? code.system : null,
    ndc: ndc.system === NDC ? ndc.code : null,
    description: code.display ?? str(obj(r.medicationReference)?.display),
  };
}

/** MedicationRequest -> medications (kind request): the drug, when, dosage, route, dispense, reason. */
export const extractMedicationRequest: FhirExtractor = (r, refs) => {
  const dosage = first(r.dosageInstruction);
  const dose = quantityOf(first(dosage?.doseAndRate)?.doseQuantity);
  const route = codeOf(dosage?.route);
  const dispense = obj(r.dispenseRequest);
  const validity = periodOf(undefined, dispense?.validityPeriod);
  const reason = codeOf(first(r.reasonCode));
  return {
    kind: 'request',
    order_id: str(r.id),
    order_group_id: str(obj(r.groupIdentifier)?.value),
    patient_id: refs.id(r.subject),
    encounter_id: refs.id(r.encounter),
    ...drugOf(r, refs),
    start_datetime: validity.start ?? str(r.authoredOn),
    end_datetime: validity.end,
    recorded_datetime: str(r.authoredOn),
    status: str(r.status),
    status_text: codeOf(r.statusReason).display,
    dose_value: dose.value,
    dose_unit: dose.value !== null ? dose.unit : null,
    dose_text: str(dosage?.text),
    route: route.code,
    route_text: route.display,
    dispense_quantity: quantityOf(dispense?.quantity).value,
    dispense_count: str(dispense?.numberOfRepeatsAllowed),
    reason_code: reason.code,
    reason_code_system: reason.code ? reason.system : null,
    reason_text: reason.display ?? str(obj(first(r.reasonReference))?.display),
    prescriber_id: refs.id(r.requester),
    intent: str(r.intent),
  };
};

/** MedicationAdministration -> medications (kind administration): the drug, when, dose, rate, route, who gave it. */
export const extractMedicationAdministration: FhirExtractor = (r, refs) => {
  const dosage = obj(r.dosage);
  const dose = quantityOf(dosage?.dose);
  const rate = quantityOf(dosage?.rateQuantity);
  const route = codeOf(dosage?.route);
  const effective = periodOf(r.effectiveDateTime, r.effectivePeriod);
  const reason = codeOf(first(r.reasonCode));
  return {
    kind: 'administration',
    order_id: refs.id(r.request) ?? str(r.id),
    patient_id: refs.id(r.subject),
    encounter_id: refs.id(r.context),
    ...drugOf(r, refs),
    start_datetime: effective.start,
    end_datetime: effective.end,
    status: str(r.status),
    dose_value: dose.value,
    dose_unit: dose.value !== null ? dose.unit : null,
    dose_text: str(dosage?.text),
    rate_value: rate.value,
    rate_unit: rate.value !== null ? rate.unit : null,
    route: route.code,
    route_text: route.display,
    reason_code: reason.code,
    reason_code_system: reason.code ? reason.system : null,
    reason_text: reason.display,
    performer_id: refs.id(first(r.performer)?.actor),
    administration_id: str(r.id),
  };
};
