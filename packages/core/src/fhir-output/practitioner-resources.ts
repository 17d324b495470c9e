import { V2_IDENTIFIER_TYPE } from './code-systems.js';
import { address, compact, reference, text } from './fhir-elements.js';
import type { FhirMapper, ResourceBody } from './fhir-mapper.js';
import type { CanonicalRecord, Identifier } from './fhir-types.js';

const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';

/** The identifiers shared by practitioners and organizations: the source id and the NPI. */
export function providerIdentifiers(r: CanonicalRecord, idField: string): Identifier[] {
  const id = text(r, idField);
  const npi = text(r, 'npi');
  return [
    ...(id ? [{ use: 'usual', value: id }] : []),
    ...(npi ? [{ use: 'official', type: { coding: [{ system: V2_IDENTIFIER_TYPE, code: 'NPI', display: 'National provider identifier' }] }, system: NPI_SYSTEM, value: npi }] : []),
  ];
}

export function contact(r: CanonicalRecord) {
  const phone = text(r, 'phone');
  const email = text(r, 'email');
  return [phone ? { system: 'phone', value: phone } : undefined, email ? { system: 'email', value: email } : undefined];
}

/**
 * practitioners -> Practitioner, plus a PractitionerRole when the row names a specialty or an
 * organization (R4 keeps those on the role, not on the person). Synthea's single-column names
 * stay whole in name.text.
 */
export const practitionerResources: FhirMapper = (r, ctx) => {
  const sourceId = text(r, 'practitioner_id') ?? text(r, 'npi');
  const name = compact({ text: text(r, 'full_name'), family: text(r, 'family_name'), given: [text(r, 'given_name')], prefix: [text(r, 'prefix')] });
  const qualification = text(r, 'qualification');
  const practitioner: ResourceBody = compact({
    resourceType: 'Practitioner',
    id: ctx.idFor('Practitioner', sourceId),
    identifier: providerIdentifiers(r, 'practitioner_id'),
    name: Object.keys(name).length > 0 ? [name] : undefined,
    telecom: contact(r),
    address: [address(r)],
    gender: text(r, 'gender'),
    qualification: qualification ? [{ code: { text: qualification } }] : undefined,
  });
  const specialty = text(r, 'specialty');
  const organization = text(r, 'organization_id');
  if (!specialty && !organization) return practitioner;
  const role: ResourceBody = compact({
    resourceType: 'PractitionerRole',
    id: ctx.idFor('PractitionerRole', sourceId, 'role'),
    practitioner: { reference: `Practitioner/${practitioner.id}` },
    organization: reference('Organization', organization),
    specialty: specialty ? [{ text: specialty }] : undefined,
  });
  return [practitioner, role];
};
