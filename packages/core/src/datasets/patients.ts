import type { DatasetDefinition, FieldDefinition, FieldType } from './dataset-definition.js';

/**
 * Patients, aligned with FHIR R4 Patient (identifier, name, gender, birthDate, deceasedDateTime,
 * address, telecom). Choices, so that they are written down:
 * - No single column is required: files identify people by an id (MRN, Synthea Id, MIMIC
 *   SUBJECT_ID) or, lacking one, by family name plus birth date. The header must offer one of
 *   the two, and a row with neither (`patient.unidentifiable`) is rejected.
 * - Dates: an unparseable birth or death date rejects the row (`date.unparseable`), as do a birth
 *   or death date after the reference date, a death before birth, and a living patient born more
 *   than 125 years before the reference date (`age.over_125`): such rows are wrong, not unusual.
 * - The natural key (default dedup key) is patient_id alone: the same MRN twice is one patient
 *   whatever else differs. Name + birth date is not a key: different people share both.
 * - marital_status maps to the v3 MaritalStatus codes (M, S, D, W, L, T, UNK...): Synthea's
 *   letters and MIMIC's words (MARRIED, SINGLE, LIFE PARTNER) alike; an unknown one is reported
 *   (marital_status.unknown) and kept under extras.
 * - race, ethnicity, county and the like stay under extras (listed in knownExtras so that fuzzy
 *   matching never takes COUNTY for country or MAIDEN for middle_name).
 */
const field = (name: string, type: FieldType, fhirPath: string, synonyms: string[]): FieldDefinition => ({
  name,
  type,
  required: false,
  synonyms,
  fhirPath,
});

const fields: FieldDefinition[] = [
  field('patient_id', 'id', 'Patient.identifier', [
    'Id', 'MRN', 'PatientId', 'Patient ID', 'patient_nbr', 'Patient Number', 'Patient No', 'SUBJECT_ID',
    'Medical Record Number', 'Medical Record No', 'MRN Number', 'Record Number', 'Chart Number', 'PID',
    'Person ID', 'Member ID', 'Subject', 'Patient Identifier',
  ]),
  field('given_name', 'name', 'Patient.name.given', [
    'First', 'First Name', 'FirstName', 'Given', 'Given Name', 'Forename', 'FNAME', 'Patient First Name',
  ]),
  field('middle_name', 'name', 'Patient.name.given', ['Middle', 'Middle Name', 'Middle Initial', 'MI', 'MNAME']),
  field('family_name', 'name', 'Patient.name.family', [
    'Last', 'Last Name', 'LastName', 'Surname', 'Family', 'Family Name', 'LNAME', 'Patient Last Name',
  ]),
  field('prefix', 'name_prefix', 'Patient.name.prefix', ['Prefix', 'Name Prefix', 'Title', 'Salutation']),
  field('suffix', 'name_suffix', 'Patient.name.suffix', ['Suffix', 'Name Suffix']),
  field('gender', 'gender', 'Patient.gender', [
    'SEX', 'GENDER', 'Administrative Gender', 'Patient Sex', 'Patient Gender', 'Sex Code', 'Gender Code',
  ]),
  field('birth_date', 'date', 'Patient.birthDate', [
    'DOB', 'Date of Birth', 'BIRTHDATE', 'birth_date', 'Birth Date', 'Birthday', 'Born', 'Patient DOB',
  ]),
  field('deceased_date', 'date', 'Patient.deceasedDateTime', [
    'DEATHDATE', 'DOD', 'Date of Death', 'Death Date', 'Deceased Date', 'Deceased', 'Date Deceased',
    'Deceased Date Time',
  ]),
  field('address_line', 'text', 'Patient.address.line', [
    'ADDRESS', 'Street', 'Street Address', 'Address Line', 'Address Line 1', 'Address1', 'Addr',
    'Home Address',
  ]),
  field('city', 'text', 'Patient.address.city', ['City', 'Town', 'Municipality']),
  field('state', 'state', 'Patient.address.state', ['State', 'Province', 'State Code', 'State/Province']),
  field('postal_code', 'postal_code', 'Patient.address.postalCode', [
    'ZIP', 'Zip Code', 'Zipcode', 'ZIP5', 'Postal', 'Postal Code', 'Postcode',
  ]),
  field('country', 'country', 'Patient.address.country', ['Country', 'Country Code', 'Nation']),
  field('phone', 'phone', 'Patient.telecom(phone)', [
    'PHONE', 'Telephone', 'Phone Number', 'Tel', 'Home Phone', 'Mobile', 'Mobile Phone', 'Cell',
    'Cell Phone', 'Contact Number',
  ]),
  field('email', 'email', 'Patient.telecom(email)', ['EMAIL', 'e-mail', 'Email Address', 'E-mail Address']),
  field('ssn', 'ssn', 'Patient.identifier(ssn)', ['SSN', 'Social Security Number', 'Social Security No']),
  { ...field('marital_status', 'coded', 'Patient.maritalStatus', ['Marital', 'Marital Status', 'MARITAL_STATUS']), vocabulary: 'marital_status' },
];

/** The same date `years` years earlier, compared as ISO strings. */
const yearsBefore = (iso: string, years: number): string =>
  `${String(Number(iso.slice(0, 4)) - years).padStart(4, '0')}${iso.slice(4)}`;

export const patients: DatasetDefinition = {
  name: 'patients',
  description: 'People receiving care: identifiers, names, gender, birth and death, address and contacts.',
  fhirResource: 'Patient',
  fields,
  naturalKey: ['patient_id'],
  requiredColumnsAnyOf: [['patient_id'], ['family_name', 'birth_date']],
  knownExtras: [
    'county', 'maiden', 'maiden name', 'drivers', 'passport', 'birthplace', 'lat', 'lon', 'latitude',
    'longitude', 'race', 'ethnicity', 'healthcare expenses', 'healthcare coverage', 'row id', 'age',
    'language', 'religion', 'expire flag', 'dod hosp', 'dod ssn', 'income', 'full name', 'name',
  ],
  rules: [
    {
      rule: 'patient.unidentifiable',
      severity: 'error',
      field: 'patient_id',
      message: 'patient_id is empty and family_name or birth_date is missing too: the row identifies no one',
      violated: (r) => !r.patient_id && !(r.family_name && r.birth_date),
    },
    {
      rule: 'birth_date.future',
      severity: 'error',
      field: 'birth_date',
      message: 'birth_date is after the processing date',
      dateFields: ['birth_date'],
      violated: (r, ctx) => !!ctx.referenceDate && !!r.birth_date && r.birth_date > ctx.referenceDate,
    },
    {
      rule: 'deceased_date.future',
      severity: 'error',
      field: 'deceased_date',
      message: 'deceased_date is after the processing date',
      dateFields: ['deceased_date'],
      violated: (r, ctx) => !!ctx.referenceDate && !!r.deceased_date && r.deceased_date > ctx.referenceDate,
    },
    {
      rule: 'deceased_date.before_birth',
      severity: 'error',
      field: 'deceased_date',
      message: 'deceased_date is before birth_date',
      dateFields: ['birth_date', 'deceased_date'],
      violated: (r) => !!r.birth_date && !!r.deceased_date && r.deceased_date < r.birth_date,
    },
    {
      rule: 'age.over_125',
      severity: 'error',
      field: 'birth_date',
      message: 'birth_date makes a living patient older than 125 years',
      dateFields: ['birth_date'],
      violated: (r, ctx) =>
        !!ctx.referenceDate && !!r.birth_date && !r.deceased_date && r.birth_date < yearsBefore(ctx.referenceDate, 125),
    },
  ],
};
