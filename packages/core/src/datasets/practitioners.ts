import type { DatasetDefinition } from './dataset-definition.js';
import { codeField, defineField as f } from './define-field.js';

/**
 * Practitioners (physicians, nurses, caregivers), aligned with FHIR R4 Practitioner. npi is
 * checked (10 digits, Luhn over 80840 + NPI); an invalid NPI is kept with code.check_digit.
 * Synthea providers give a full name in one column (full_name), numeric suffixes and all:
 * names are not split, since splitting "Víctor493 Noriega353" guesses. Gender maps like patients.
 */
export const practitioners: DatasetDefinition = {
  name: 'practitioners',
  description: 'Clinicians: identifiers and NPI, name, gender, specialty, organization, address and contacts.',
  fhirResource: 'Practitioner',
  fields: [
    f('practitioner_id', 'id', 'Practitioner.identifier', ['Id', 'Provider ID', 'Practitioner ID', 'Physician ID', 'Doctor ID', 'Staff ID', 'CGID', 'Clinician ID']),
    codeField('npi', 'Practitioner.identifier(npi)', ['npi'], ['NPI', 'National Provider Identifier', 'Provider NPI', 'NPI Number'], { systemField: 'npi_system' }),
    f('npi_system', 'code_system', 'Practitioner.identifier.system', []),
    f('full_name', 'text', 'Practitioner.name.text', ['NAME', 'Full Name', 'Provider Name', 'Practitioner Name', 'Physician Name', 'Doctor Name']),
    f('given_name', 'name', 'Practitioner.name.given', ['First', 'First Name', 'Given Name', 'FirstName']),
    f('family_name', 'name', 'Practitioner.name.family', ['Last', 'Last Name', 'Family Name', 'Surname', 'LastName']),
    f('prefix', 'name_prefix', 'Practitioner.name.prefix', ['Prefix', 'Title', 'Salutation']),
    f('qualification', 'text', 'Practitioner.qualification', ['Credentials', 'Credential', 'Degree', 'Qualification', 'LABEL']),
    f('gender', 'gender', 'Practitioner.gender', ['GENDER', 'Sex']),
    f('specialty', 'text', 'PractitionerRole.specialty', ['SPECIALITY', 'Specialty', 'Specialization', 'Taxonomy', 'Primary Specialty']),
    f('organization_id', 'id', 'PractitionerRole.organization', ['ORGANIZATION', 'Organization ID', 'Facility ID', 'Practice ID', 'Hospital ID']),
    f('address_line', 'text', 'Practitioner.address.line', ['ADDRESS', 'Street', 'Street Address', 'Address Line', 'Address1']),
    f('city', 'text', 'Practitioner.address.city', ['City']),
    f('state', 'state', 'Practitioner.address.state', ['State', 'State Code']),
    f('postal_code', 'postal_code', 'Practitioner.address.postalCode', ['ZIP', 'ZIP Code', 'Zipcode', 'Postal Code']),
    f('phone', 'phone', 'Practitioner.telecom(phone)', ['PHONE', 'Phone Number', 'Telephone', 'Office Phone']),
    f('email', 'email', 'Practitioner.telecom(email)', ['EMAIL', 'Email Address']),
  ],
  naturalKey: ['practitioner_id'],
  requiredColumnsAnyOf: [['practitioner_id'], ['npi'], ['full_name'], ['family_name']],
  knownExtras: ['lat', 'lon', 'latitude', 'longitude', 'utilization', 'row id', 'description'],
  rules: [
    {
      rule: 'practitioner.unidentifiable',
      severity: 'error',
      field: 'practitioner_id',
      message: 'practitioner_id, npi and every name field are empty: the row identifies no one',
      violated: (r) => !r.practitioner_id && !r.npi && !r.full_name && !r.family_name,
    },
  ],
  fileNameHints: ['practitioner', 'practitioners', 'provider', 'providers', 'physicians', 'clinicians', 'caregivers', 'staff'],
};
