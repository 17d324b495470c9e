import type { JsonObject } from '../formats/parse-json-document.js';
import { codeOf, first, list, obj, periodOf, quantityOf, str } from './fhir-values.js';
import type { ReferenceResolver } from './reference-resolver.js';

type FlatRecord = Record<string, string | null>;

/** A diagnosis: its own code, or the code of the Condition it references inside the Bundle. */
function diagnosisOf(diagnosis: JsonObject | null, refs: ReferenceResolver) {
  const concept = diagnosis?.diagnosisCodeableConcept ?? refs.resource(diagnosis?.diagnosisReference)?.code;
  return codeOf(concept);
}

/**
 * Claim -> one claims record and one claim_lines record per item. Diagnoses 1-8 keep their
 * codes (a diagnosisReference is followed to its Condition when the Bundle holds it); a line's
 * id is the claim id and the item sequence.
 */
export function extractClaim(r: JsonObject, refs: ReferenceResolver): { claim: FlatRecord; lines: FlatRecord[] } {
  const claimId = str(r.id);
  const patientId = refs.id(r.patient);
  const providerId = refs.id(r.provider);
  const insurance = list(r.insurance).map(obj);
  const insuranceId = (i: number) => refs.id(insurance[i]?.coverage) ?? str(obj(insurance[i]?.coverage)?.display);
  const diagnoses = list(r.diagnosis).map((d) => diagnosisOf(obj(d), refs));
  const items = list(r.item).map(obj).filter((item): item is JsonObject => item !== null);
  const billable = periodOf(undefined, r.billablePeriod);
  const claim: FlatRecord = {
    claim_id: claimId,
    patient_id: patientId,
    encounter_id: refs.id(first(items[0]?.encounter)),
    provider_id: providerId,
    referring_provider_id: refs.id(r.referral),
    insurance_id: insuranceId(0),
    secondary_insurance_id: insuranceId(1),
    department_id: refs.id(r.facility),
    diagnosis_system: diagnoses[0]?.code ? diagnoses[0].system : null,
    service_date: billable.start,
    billing_status: str(r.status),
    claim_type: codeOf(r.type).code,
    total: quantityOf(r.total).value,
    last_billed_datetime: str(r.created),
  };
  diagnoses.slice(0, 8).forEach((d, i) => (claim[`diagnosis_${i + 1}`] = d.code));
  const lines = items.map((item, i): FlatRecord => {
    const product = codeOf(item.productOrService);
    const served = periodOf(item.servicedDate, item.servicedPeriod);
    const modifiers = list(item.modifier).map((m) => codeOf(m).code);
    const sequence = str(item.sequence) ?? String(i + 1);
    return {
      line_id: claimId ? `${claimId}-${sequence}` : null,
      claim_id: claimId,
      line_number: sequence,
      patient_id: patientId,
      encounter_id: refs.id(first(item.encounter)),
      amount: quantityOf(item.net).value,
      service_start: served.start,
      service_end: served.end,
      place_of_service: codeOf(item.locationCodeableConcept).code ?? refs.id(item.locationReference),
      procedure_code: product.code,
      procedure_code_system: product.code ? product.system : null,
      procedure_text: product.display,
      modifier_1: modifiers[0] ?? null,
      modifier_2: modifiers[1] ?? null,
      units: quantityOf(item.quantity).value,
      unit_amount: quantityOf(item.unitPrice).value,
      provider_id: providerId,
      insurance_id: insuranceId(0),
    };
  });
  return { claim, lines };
}
