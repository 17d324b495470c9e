import { compact, concept, decimal, fhirDateTime, quantity, reference, text, vocabConcept } from './fhir-elements.js';
import { dataAbsent, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper, MapperContext, ResourceBody } from './fhir-mapper.js';
import type { CanonicalRecord, CodeableConcept, Quantity } from './fhir-types.js';
import { codeSystemUri } from './code-systems.js';
import { lookupTable } from '../lookup-table.js';

/** A SimpleQuantity (dose): a Quantity without comparator. */
const simple = (q: Quantity | undefined): Quantity | undefined => {
  if (!q) return undefined;
  const { comparator: _comparator, ...rest } = q;
  return rest;
};

/** medication_status -> MedicationRequest.status (required binding); the rest have no request equivalent. */
const REQUEST_STATUS: Readonly<Record<string, string>> = lookupTable({
  active: 'active', 'in-progress': 'active', 'on-hold': 'on-hold', cancelled: 'cancelled', 'not-done': 'cancelled',
  completed: 'completed', 'entered-in-error': 'entered-in-error', stopped: 'stopped', draft: 'draft', unknown: 'unknown',
});
/** medication_status -> MedicationAdministration.status (required binding). */
const ADMINISTRATION_STATUS: Readonly<Record<string, string>> = lookupTable({
  'in-progress': 'in-progress', active: 'in-progress', 'not-done': 'not-done', cancelled: 'not-done', 'on-hold': 'on-hold',
  completed: 'completed', 'entered-in-error': 'entered-in-error', stopped: 'stopped', unknown: 'unknown', draft: 'unknown',
});

function medication(r: CanonicalRecord): CodeableConcept {
  const main = concept(text(r, 'code_system'), text(r, 'code'), text(r, 'description'));
  const ndc = text(r, 'ndc');
  const coding = [...(main?.coding ?? []), ...(ndc ? [{ system: codeSystemUri('ndc'), code: ndc }] : [])];
  if (coding.length === 0 && !main?.text) return dataAbsent() as CodeableConcept;
  return compact({ coding, text: main?.text ?? text(r, 'generic_name') });
}

/** An order may hold several items (a drug and its diluent): the id is the order's and the item's, as the natural key. */
const orderId = (r: CanonicalRecord, ctx: MapperContext, resourceType: string) =>
  ctx.idFor(resourceType, text(r, 'order_id'), text(r, 'order_id') ? text(r, 'code') : undefined);

const route = (r: CanonicalRecord) => vocabConcept('route', text(r, 'route')) ?? (text(r, 'route_text') ? { text: text(r, 'route_text') } : undefined);
const EXTENSIONS = [['cost', 'Decimal'], ['total_cost', 'Decimal']] as const;

function request(r: CanonicalRecord, ctx: MapperContext): ResourceBody {
  const start = fhirDateTime(text(r, 'start_datetime'));
  const end = fhirDateTime(text(r, 'end_datetime'));
  const status = text(r, 'status');
  const dose = simple(quantity(decimal(r, 'dose_value'), text(r, 'dose_unit')));
  const dispensed = decimal(r, 'dispense_quantity');
  const repeats = decimal(r, 'dispense_count');
  return compact({
    resourceType: 'MedicationRequest',
    id: orderId(r, ctx, 'MedicationRequest'),
    extension: fieldExtensions(r, EXTENSIONS),
    identifier: [text(r, 'order_id') ? { value: text(r, 'order_id') } : undefined],
    // Without a status, an order with an end date has stopped and one without is active (as Synthea's own FHIR export).
    status: (status && REQUEST_STATUS[status]) ?? (end ? 'stopped' : 'active'),
    intent: 'order',
    medicationCodeableConcept: medication(r),
    subject: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
    encounter: reference('Encounter', text(r, 'encounter_id')),
    authoredOn: fhirDateTime(text(r, 'recorded_datetime')) ?? start,
    requester: reference('Practitioner', text(r, 'prescriber_id')),
    reasonCode: [concept(text(r, 'reason_code_system'), text(r, 'reason_code'), text(r, 'reason_text'))],
    groupIdentifier: text(r, 'order_group_id') ? { value: text(r, 'order_group_id') } : undefined,
    dosageInstruction: [
      compact({ text: text(r, 'dose_text'), route: route(r), doseAndRate: dose ? [{ doseQuantity: dose }] : undefined }),
    ].filter((d) => Object.keys(d).length > 0),
    dispenseRequest: compact({
      validityPeriod: start || end ? compact({ start, end }) : undefined,
      numberOfRepeatsAllowed: repeats !== undefined && Number.isInteger(repeats) && repeats >= 0 ? repeats : undefined,
      quantity: dispensed === undefined ? undefined : { value: dispensed },
    }),
  });
}

/** effective[x] is required: the period when the row has one, else the time it was recorded; none, no resource. */
function administration(r: CanonicalRecord, ctx: MapperContext): ResourceBody | null {
  const start = fhirDateTime(text(r, 'start_datetime'));
  const end = fhirDateTime(text(r, 'end_datetime'));
  const recorded = fhirDateTime(text(r, 'recorded_datetime'));
  if (!start && !end && !recorded) return null;
  const status = text(r, 'status');
  const dose = simple(quantity(decimal(r, 'dose_value'), text(r, 'dose_unit')));
  const rate = quantity(decimal(r, 'rate_value'), text(r, 'rate_unit'));
  return compact({
    resourceType: 'MedicationAdministration',
    id: orderId(r, ctx, 'MedicationAdministration'),
    extension: fieldExtensions(r, EXTENSIONS),
    identifier: [text(r, 'order_id') ? { value: text(r, 'order_id') } : undefined],
    status: (status && ADMINISTRATION_STATUS[status]) ?? 'completed',
    medicationCodeableConcept: medication(r),
    subject: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
    context: reference('Encounter', text(r, 'encounter_id')),
    effectiveDateTime: start && end ? undefined : (start ?? end ?? recorded),
    effectivePeriod: start && end ? { start, end } : undefined,
    performer: [text(r, 'performer_id') ? { actor: reference('Practitioner', text(r, 'performer_id')) } : undefined],
    reasonCode: [concept(text(r, 'reason_code_system'), text(r, 'reason_code'), text(r, 'reason_text'))],
    // mad-1: a dosage needs a dose or a rate; route and text alone are left out.
    dosage:
      dose || rate
        ? compact({ text: text(r, 'dose_text'), route: route(r), dose, rateQuantity: rate })
        : undefined,
  });
}

/**
 * medications -> MedicationRequest (kind request, the default) or MedicationAdministration
 * (kind administration). The drug is coded with the row's code (RxNorm or local) and its NDC.
 * An administration with no time at all cannot be written (effective[x] is required): none.
 */
export const medicationResources: FhirMapper = (r, ctx) => {
  if (/admin/i.test(text(r, 'kind') ?? '')) {
    const resource = administration(r, ctx);
    return resource ? [resource] : [];
  }
  return request(r, ctx);
};
