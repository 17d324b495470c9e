import type { FhirExtractor } from './fhir-extractor.js';
import { addressOf, codeOf, identifierOf, nameOf, str, telecomOf, usCoreCategory } from './fhir-values.js';

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';

/**
 * Patient -> patients. patient_id is the resource id, the key every other resource of the file
 * references (Encounter.subject `Patient/<id>` or `urn:uuid:<id>`); the MRN, the other
 * identifiers and the US Core race / ethnicity go under extras.
 */
export const extractPatient: FhirExtractor = (r) => {
  const name = nameOf(r.name);
  return {
    patient_id: str(r.id) ?? identifierOf(r.identifier),
    given_name: name.given,
    middle_name: name.middle,
    family_name: name.family,
    prefix: name.prefix,
    suffix: name.suffix,
    gender: str(r.gender),
    birth_date: str(r.birthDate),
    deceased_date: str(r.deceasedDateTime),
    ...addressOf(r.address),
    phone: telecomOf(r.telecom, 'phone'),
    email: telecomOf(r.telecom, 'email'),
    ssn: identifierOf(r.identifier, { system: 'http://hl7.org/fhir/sid/us-ssn', typeCode: 'SS' }),
    marital_status: codeOf(r.maritalStatus).code ?? codeOf(r.maritalStatus).display,
    mrn: identifierOf(r.identifier, { typeCode: 'MR' }),
    race: usCoreCategory(r.extension, `${US_CORE}/us-core-race`),
    ethnicity: usCoreCategory(r.extension, `${US_CORE}/us-core-ethnicity`),
    deceased: typeof r.deceasedBoolean === 'boolean' ? String(r.deceasedBoolean) : null,
  };
};
