import { claimType, insurance, NORMAL_PRIORITY } from './claim-resource.js';
import { compact, concept, decimal, fhirDateTime, reference, text } from './fhir-elements.js';
import { dataAbsent, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper, MapperContext, ResourceBody } from './fhir-mapper.js';
import type { CanonicalRecord } from './fhir-types.js';

const money = (value: number | undefined) => (value === undefined ? undefined : { value });

function common(r: CanonicalRecord) {
  const created = fhirDateTime(text(r, 'service_start'));
  return {
    identifier: [text(r, 'line_id') ? { value: text(r, 'line_id') } : undefined],
    status: 'active',
    type: claimType(undefined),
    use: 'claim',
    patient: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
    created,
    _created: created ? undefined : dataAbsent(),
  };
}

/** A line's own id when it has one, else its claim's id and line number. */
const lineId = (r: CanonicalRecord, ctx: MapperContext, resourceType: string) =>
  text(r, 'line_id')
    ? ctx.idFor(resourceType, text(r, 'line_id'))
    : ctx.idFor(resourceType, text(r, 'claim_id'), `line/${text(r, 'line_number') ?? ''}`);

/** A charge: a Claim of one item, related to the claim it is a line of. */
function charge(r: CanonicalRecord, ctx: MapperContext): ResourceBody {
  const sequence = decimal(r, 'line_number');
  const start = fhirDateTime(text(r, 'service_start'));
  const end = fhirDateTime(text(r, 'service_end'));
  const encounter = reference('Encounter', text(r, 'encounter_id'));
  const provider = reference('Practitioner', text(r, 'provider_id'));
  const item = compact({
    sequence: sequence !== undefined && Number.isInteger(sequence) && sequence >= 1 ? sequence : 1,
    productOrService: concept(text(r, 'procedure_code_system'), text(r, 'procedure_code'), text(r, 'notes')) ?? dataAbsent(),
    modifier: [text(r, 'modifier_1'), text(r, 'modifier_2')].map((code) => (code ? { coding: [{ code }] } : undefined)),
    servicedPeriod: start || end ? compact({ start, end }) : undefined,
    locationReference: text(r, 'place_of_service') ? { identifier: { value: text(r, 'place_of_service') } } : undefined,
    quantity: decimal(r, 'units') === undefined ? undefined : { value: decimal(r, 'units') },
    unitPrice: money(decimal(r, 'unit_amount')),
    net: money(decimal(r, 'amount')),
    encounter: encounter ? [encounter] : undefined,
  });
  return compact({
    resourceType: 'Claim',
    id: lineId(r, ctx, 'Claim'),
    ...common(r),
    extension: fieldExtensions(r, [['transaction_type', 'String'], ['outstanding', 'Decimal'], ['transfers', 'Decimal']]),
    related: text(r, 'claim_id') ? [{ claim: reference('Claim', text(r, 'claim_id')), relationship: { text: 'line of' } }] : undefined,
    provider: provider ?? dataAbsent(),
    priority: NORMAL_PRIORITY,
    careTeam: text(r, 'supervising_provider_id')
      ? [{ sequence: 1, provider: reference('Practitioner', text(r, 'supervising_provider_id')), role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claimcareteamrole', code: 'supervisor' }] } }]
      : undefined,
    insurance: insurance(text(r, 'insurance_id')),
    item: [item],
    total: money(decimal(r, 'amount')),
  });
}

/** A payment, adjustment or transfer: a ClaimResponse with its payment, answering the claim. */
function payment(r: CanonicalRecord, ctx: MapperContext, kind: string): ResourceBody {
  const amount = decimal(r, 'payments') ?? decimal(r, 'amount') ?? decimal(r, 'transfers') ?? decimal(r, 'adjustments');
  return compact({
    resourceType: 'ClaimResponse',
    id: lineId(r, ctx, 'ClaimResponse'),
    ...common(r),
    extension: fieldExtensions(r, [['transaction_type', 'String'], ['outstanding', 'Decimal'], ['adjustments', 'Decimal']]),
    insurer: dataAbsent(),
    request: reference('Claim', text(r, 'claim_id')),
    outcome: 'complete',
    payment: { type: { text: text(r, 'method') ?? kind.toLowerCase() }, amount: amount === undefined ? dataAbsent() : { value: amount } },
  });
}

/**
 * claim_lines -> one resource per row, since a stream of lines cannot be regrouped: a charge
 * (transaction_type CHARGE or none) is a Claim of one item related to its claim; a payment,
 * adjustment or transfer is a ClaimResponse whose payment answers that claim.
 */
export const claimLineResources: FhirMapper = (r, ctx) => {
  const kind = (text(r, 'transaction_type') ?? 'CHARGE').toUpperCase();
  return kind === 'CHARGE' ? charge(r, ctx) : payment(r, ctx, kind);
};
