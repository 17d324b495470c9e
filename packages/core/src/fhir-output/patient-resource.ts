import { V2_IDENTIFIER_TYPE } from './code-systems.js';
import { address, fhirDate, fhirDateTime, textValue, vocabConcept } from './fhir-elements.js';
import type { FhirMapper, ResourceBody } from './fhir-mapper.js';
import type { Identifier } from './fhir-types.js';

const identifierType = (code: string, display: string) => ({ coding: [{ system: V2_IDENTIFIER_TYPE, code, display }] });
/** Shared by every Patient, as observation-resource.ts shares its categories: resources are written, never changed. */
const MRN_TYPE = identifierType('MR', 'Medical record number');
const SSN_TYPE = identifierType('SS', 'Social Security number');

/**
 * patients -> Patient: MRN and SSN identifiers, one official name, gender, birth/death, address, telecom.
 * Every element is set only when it has a value, in the resource's element order: what compact()
 * of the whole resource would keep, built directly (a patients job maps every accepted row).
 * Fields are read as `r.name` (see textValue).
 */
export const patientResource: FhirMapper = (r, ctx) => {
  const mrn = textValue(r.patient_id);
  const ssn = textValue(r.ssn);
  const patient: ResourceBody = { resourceType: 'Patient', id: ctx.idFor('Patient', mrn) };
  if (mrn || ssn) {
    const identifier: Identifier[] = [];
    if (mrn) identifier.push({ use: 'usual', type: MRN_TYPE, value: mrn });
    if (ssn) identifier.push({ use: 'official', type: SSN_TYPE, system: 'http://hl7.org/fhir/sid/us-ssn', value: ssn });
    patient.identifier = identifier;
  }
  const name = officialName(r);
  if (name) patient.name = [name];
  const phone = textValue(r.phone);
  const email = textValue(r.email);
  if (phone || email) {
    const telecom: { system: string; value: string }[] = [];
    if (phone) telecom.push({ system: 'phone', value: phone });
    if (email) telecom.push({ system: 'email', value: email });
    patient.telecom = telecom;
  }
  const gender = textValue(r.gender);
  if (gender) patient.gender = gender;
  const birthDate = fhirDate(textValue(r.birth_date));
  if (birthDate) patient.birthDate = birthDate;
  const deceasedDateTime = fhirDateTime(textValue(r.deceased_date));
  if (deceasedDateTime) patient.deceasedDateTime = deceasedDateTime;
  const home = address(r);
  if (home) patient.address = [home];
  const maritalStatus = vocabConcept('marital_status', textValue(r.marital_status));
  if (maritalStatus) patient.maritalStatus = maritalStatus;
  return patient;
};

/** The official HumanName, or undefined when it would hold nothing but its `use`. */
function officialName(r: Parameters<FhirMapper>[0]): Record<string, unknown> | undefined {
  const family = textValue(r.family_name);
  const givenName = textValue(r.given_name);
  const middleName = textValue(r.middle_name);
  const prefix = textValue(r.prefix);
  const suffix = textValue(r.suffix);
  if (!family && !givenName && !middleName && !prefix && !suffix) return undefined;
  const name: Record<string, unknown> = { use: 'official' };
  if (family) name.family = family;
  if (givenName && middleName) name.given = [givenName, middleName];
  else if (givenName || middleName) name.given = [givenName ?? middleName];
  if (prefix) name.prefix = [prefix];
  if (suffix) name.suffix = [suffix];
  return name;
}
