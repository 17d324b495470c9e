import { compact, concept, decimal, fhirDateTime, reference, text } from './fhir-elements.js';
import { dataAbsent, fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';
import type { CanonicalRecord, CodeableConcept } from './fhir-types.js';
import { lookupTable } from '../lookup-table.js';

const CLAIM_TYPE = 'http://terminology.hl7.org/CodeSystem/claim-type';
const CLAIM_TYPES = ['institutional', 'oral', 'pharmacy', 'professional', 'vision'];
export const NORMAL_PRIORITY: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal', display: 'Normal' }],
};
const CARE_TEAM_ROLE = 'http://terminology.hl7.org/CodeSystem/claimcareteamrole';
const DRG_SYSTEMS: Readonly<Record<string, string>> = lookupTable({
  HCFA: 'https://www.cms.gov/Medicare/Coding/AcuteInpatientPPS',
  MS: 'https://www.cms.gov/Medicare/Coding/AcuteInpatientPPS',
  APR: 'https://www.3m.com/apr-drg',
});

/** Claim.type: a claim-type code when the source has one, its text otherwise, data-absent when empty. */
export function claimType(value: string | undefined): CodeableConcept {
  if (!value) return dataAbsent() as CodeableConcept;
  const code = value.toLowerCase();
  return CLAIM_TYPES.includes(code) ? { coding: [{ system: CLAIM_TYPE, code }] } : { text: value };
}

/** Claim.insurance (1..*): the primary coverage (focal), then the secondary; data-absent coverage when none. */
export function insurance(primary: string | undefined, secondary?: string) {
  const coverage = (id: string | undefined) => (id ? { identifier: { value: id } } : dataAbsent());
  return [
    { sequence: 1, focal: true, coverage: coverage(primary) },
    ...(secondary ? [{ sequence: 2, focal: false, coverage: coverage(secondary) }] : []),
  ];
}

function diagnoses(r: CanonicalRecord) {
  const out: object[] = [];
  for (let n = 1; n <= 8; n++) {
    const code = concept(text(r, 'diagnosis_system'), text(r, `diagnosis_${n}`));
    if (code) out.push({ sequence: out.length + 1, diagnosisCodeableConcept: code });
  }
  const drg = text(r, 'drg_code');
  if (drg) {
    const type = text(r, 'drg_type')?.toUpperCase();
    const packageCode = compact({ coding: [compact({ system: type ? DRG_SYSTEMS[type] : undefined, code: drg })], text: text(r, 'drg_description') });
    // diagnosis[x] is required: the DRG's description (or code) stands for the grouped diagnoses.
    out.push({ sequence: out.length + 1, diagnosisCodeableConcept: { text: text(r, 'drg_description') ?? `DRG ${drg}` }, packageCode });
  }
  return out;
}

/**
 * claims -> Claim (use claim, priority normal, status active: Synthea's billing states are not
 * Claim.status and stay an extension). Elements R4 requires that the source lacks (created,
 * provider, a coverage) are written with the data-absent-reason extension, never made up.
 * The encounter, illness date and amounts without an R4 element are extensions.
 */
export const claimResource: FhirMapper = (r, ctx) => {
  const created = fhirDateTime(text(r, 'last_billed_datetime') ?? text(r, 'service_date'));
  const careTeam = [
    ['supervising_provider_id', 'supervisor'],
    ['referring_provider_id', 'other'],
  ].flatMap(([field, role]) => {
    const id = text(r, field as string);
    return id ? [{ provider: reference('Practitioner', id), role: { coding: [{ system: CARE_TEAM_ROLE, code: role }] } }] : [];
  }).map((member, i) => ({ sequence: i + 1, ...member }));
  const total = decimal(r, 'total');
  const encounter = reference('Encounter', text(r, 'encounter_id'));
  return compact({
    resourceType: 'Claim',
    id: ctx.idFor('Claim', text(r, 'claim_id')),
    extension: [
      ...fieldExtensions(r, [['billing_status', 'String'], ['outstanding', 'Decimal'], ['illness_date', 'DateTime'], ['drg_severity', 'Integer'], ['drg_mortality', 'Integer']]),
      ...(encounter ? [{ url: 'urn:harmonizer:fhir:extension:encounter_id', valueReference: encounter }] : []),
    ],
    identifier: [text(r, 'claim_id') ? { value: text(r, 'claim_id') } : undefined],
    status: 'active',
    type: claimType(text(r, 'claim_type')),
    use: 'claim',
    patient: reference('Patient', text(r, 'patient_id')) ?? dataAbsent(),
    billablePeriod: text(r, 'service_date') ? { start: fhirDateTime(text(r, 'service_date')) } : undefined,
    created,
    _created: created ? undefined : dataAbsent(),
    provider: reference('Practitioner', text(r, 'provider_id')) ?? dataAbsent(),
    priority: NORMAL_PRIORITY,
    facility: text(r, 'department_id') ? { identifier: { value: text(r, 'department_id') } } : undefined,
    careTeam,
    diagnosis: diagnoses(r),
    insurance: insurance(text(r, 'insurance_id'), text(r, 'secondary_insurance_id')),
    total: total === undefined ? undefined : { value: total },
  });
};
