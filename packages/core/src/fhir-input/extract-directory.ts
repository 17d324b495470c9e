import type { FhirExtractor } from './fhir-extractor.js';
import { addressOf, codeOf, first, identifierOf, nameOf, obj, str, telecomOf } from './fhir-values.js';

const NPI = 'http://hl7.org/fhir/sid/us-npi';

/**
 * Practitioner -> practitioners. practitioner_id is the resource id; the NPI is its own field,
 * the value other resources' conditional references (`Practitioner?identifier=...us-npi|<npi>`)
 * resolve to.
 */
export const extractPractitioner: FhirExtractor = (r) => {
  const name = nameOf(r.name);
  const npi = identifierOf(r.identifier, { system: NPI });
  const qualification = codeOf(first(r.qualification)?.code);
  const full = name.text ?? ([name.prefix, name.given, name.middle, name.family].filter(Boolean).join(' ') || null);
  return {
    practitioner_id: str(r.id) ?? npi,
    npi,
    npi_system: npi ? NPI : null,
    full_name: full,
    given_name: name.given,
    family_name: name.family,
    prefix: name.prefix,
    qualification: qualification.display ?? qualification.code,
    gender: str(r.gender),
    ...addressOf(r.address),
    phone: telecomOf(r.telecom, 'phone'),
    email: telecomOf(r.telecom, 'email'),
    active: typeof r.active === 'boolean' ? String(r.active) : null,
  };
};

/**
 * PractitionerRole -> practitioners: the practitioner it names (its id, or the NPI of a logical or
 * conditional reference), with the role's specialty, organization and contacts.
 */
export const extractPractitionerRole: FhirExtractor = (r, refs) => {
  const practitioner = obj(r.practitioner);
  const identifier = obj(practitioner?.identifier);
  const npi = str(identifier?.system) === NPI ? str(identifier?.value) : null;
  const specialty = codeOf(first(r.specialty));
  const role = codeOf(first(r.code));
  return {
    practitioner_id: refs.id(practitioner),
    npi,
    npi_system: npi ? NPI : null,
    full_name: str(practitioner?.display),
    qualification: role.display ?? role.code,
    specialty: specialty.display ?? specialty.code,
    organization_id: refs.id(r.organization),
    phone: telecomOf(r.telecom, 'phone'),
    email: telecomOf(r.telecom, 'email'),
    role_id: str(r.id),
    location_id: refs.id(first(r.location)),
  };
};

/** Organization -> organizations: id, NPI, name, type, address and contacts. */
export const extractOrganization: FhirExtractor = (r, refs) => {
  const npi = identifierOf(r.identifier, { system: NPI });
  const type = codeOf(first(r.type));
  return {
    organization_id: str(r.id) ?? identifierOf(r.identifier),
    npi,
    npi_system: npi ? NPI : null,
    name: str(r.name),
    type: type.display ?? type.code,
    ...addressOf(r.address),
    phone: telecomOf(r.telecom, 'phone'),
    email: telecomOf(r.telecom, 'email'),
    active: typeof r.active === 'boolean' ? String(r.active) : null,
    part_of: refs.id(r.partOf),
  };
};
