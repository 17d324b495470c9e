import { V2_IDENTIFIER_TYPE } from './code-systems.js';
import { address, compact, fhirDate, fhirDateTime, text, vocabConcept } from './fhir-elements.js';
import type { FhirMapper } from './fhir-mapper.js';
import type { Identifier } from './fhir-types.js';

const identifierType = (code: string, display: string) => ({ coding: [{ system: V2_IDENTIFIER_TYPE, code, display }] });

/** patients -> Patient: MRN and SSN identifiers, one official name, gender, birth/death, address, telecom. */
export const patientResource: FhirMapper = (r, ctx) => {
  const mrn = text(r, 'patient_id');
  const ssn = text(r, 'ssn');
  const identifier: Identifier[] = [];
  if (mrn) identifier.push({ use: 'usual', type: identifierType('MR', 'Medical record number'), value: mrn });
  if (ssn) identifier.push({ use: 'official', type: identifierType('SS', 'Social Security number'), system: 'http://hl7.org/fhir/sid/us-ssn', value: ssn });
  const name = compact({
    use: 'official',
    family: text(r, 'family_name'),
    given: [text(r, 'given_name'), text(r, 'middle_name')],
    prefix: [text(r, 'prefix')],
    suffix: [text(r, 'suffix')],
  });
  const phone = text(r, 'phone');
  const email = text(r, 'email');
  return compact({
    resourceType: 'Patient',
    id: ctx.idFor('Patient', mrn),
    identifier,
    name: Object.keys(name).length > 1 ? [name] : undefined,
    telecom: [phone ? { system: 'phone', value: phone } : undefined, email ? { system: 'email', value: email } : undefined],
    gender: text(r, 'gender'),
    birthDate: fhirDate(text(r, 'birth_date')),
    deceasedDateTime: fhirDateTime(text(r, 'deceased_date')),
    address: [address(r)],
    maritalStatus: vocabConcept('marital_status', text(r, 'marital_status')),
  });
};
