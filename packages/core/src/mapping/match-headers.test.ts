import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { matchHeaders } from './match-headers.js';

/** The mapping of one header placed beside an id column (so the required columns are there). */
function mapOne(header: string) {
  const mapping = matchHeaders(['MRN', header], 'patients');
  return mapping.columns[1];
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('matchHeaders', () => {
  it.each([
    ['DOB', 'birth_date'], ['Date of Birth', 'birth_date'], ['BIRTHDATE', 'birth_date'], ['birth_date', 'birth_date'],
    ['birthdate', 'birth_date'], ['DEATHDATE', 'deceased_date'], ['DOD', 'deceased_date'], ['Date of Death', 'deceased_date'],
    ['FIRST', 'given_name'], ['First Name', 'given_name'], ['given', 'given_name'], ['LAST', 'family_name'],
    ['Surname', 'family_name'], ['Last Name', 'family_name'], ['SEX', 'gender'], ['GENDER', 'gender'],
    ['ADDRESS', 'address_line'], ['Street', 'address_line'], ['ZIP', 'postal_code'], ['Zip Code', 'postal_code'],
    ['postal', 'postal_code'], ['PHONE', 'phone'], ['Telephone', 'phone'], ['Phone Number', 'phone'], ['EMAIL', 'email'],
    ['e-mail', 'email'], ['E_Mail', 'email'], ['date.of.birth', 'birth_date'], ['  Last   Name ', 'family_name'],
    ['CITY', 'city'], ['State', 'state'], ['SSN', 'ssn'], ['MARITAL', 'marital_status'], ['Middle Name', 'middle_name'],
  ])('maps %j to %s with confidence 1', (header, field) => {
    expect(mapOne(header)).toMatchObject({ field, confidence: 1 });
  });

  it.each([['Id'], ['MRN'], ['PatientId'], ['Patient ID'], ['patient_nbr'], ['SUBJECT_ID'], ['Medical Record Number']])(
    'maps the id header %j to patient_id',
    (header) => {
      expect(matchHeaders([header, 'GENDER'], 'patients').columns[0]).toMatchObject({ field: 'patient_id', confidence: 1 });
    },
  );

  it('marks the canonical name itself as exact and a synonym as synonym', () => {
    expect(mapOne('birth_date')?.method).toBe('exact');
    expect(mapOne('DOB')?.method).toBe('synonym');
  });

  it.each([
    ['Birth Dt', 'birth_date'],
    ['Patient Last Nm', 'family_name'],
    ['Pt First Nm', 'given_name'],
    ['Pt DOB', 'birth_date'],
    ['Member Date of Birth', 'birth_date'],
    ['Gendr', 'gender'],
    ['Brth Date', 'birth_date'],
    ['Telephone Nbr', 'phone'],
    ['Emial', 'email'],
    ['SEX_CD', 'gender'],
  ])('fuzzily maps %j to %s with confidence below 1', (header, field) => {
    const column = mapOne(header);
    expect(column).toMatchObject({ field, method: 'fuzzy' });
    expect(column?.confidence).toBeGreaterThan(0.9);
    expect(column?.confidence).toBeLessThan(1);
  });

  it.each([['COUNTY'], ['MAIDEN'], ['RACE'], ['ETHNICITY'], ['START'], ['PROVIDER'], ['No-show'], ['HEALTHCARE_EXPENSES']])(
    'leaves the look-alike %j unmapped',
    (header) => {
      expect(mapOne(header)).toMatchObject({ field: null, confidence: 0, method: 'none' });
    },
  );

  it('maps every field at most once: the exact synonym beats a fuzzy candidate, the earlier column a later one', () => {
    const mapping = matchHeaders(['Birth Dt', 'MRN', 'DOB', 'Id', 'Date of Birth'], 'patients');
    expect(mapping.columns.map((c) => c.field)).toEqual([null, 'patient_id', 'birth_date', null, null]);
  });

  it('maps the Synthea patients header and keeps the rest for extras', () => {
    const header = 'Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE'.split(',');
    const mapped = Object.fromEntries(
      matchHeaders(header, 'patients').columns.filter((c) => c.field).map((c) => [c.source, c.field]),
    );
    expect(mapped).toEqual({
      Id: 'patient_id', BIRTHDATE: 'birth_date', DEATHDATE: 'deceased_date', SSN: 'ssn', PREFIX: 'prefix',
      FIRST: 'given_name', LAST: 'family_name', SUFFIX: 'suffix', MARITAL: 'marital_status', GENDER: 'gender',
      ADDRESS: 'address_line', CITY: 'city', STATE: 'state', ZIP: 'postal_code',
    });
  });

  it('applies overrides before automatic matching, finding the column case-insensitively', () => {
    const mapping = matchHeaders(['ID', 'Name', 'Born On'], 'patients', { name: 'family_name', 'Born On': 'birth_date' });
    expect(mapping.columns.map((c) => [c.field, c.method, c.confidence])).toEqual([
      ['patient_id', 'synonym', 1],
      ['family_name', 'override', 1],
      ['birth_date', 'override', 1],
    ]);
  });

  it('lets an override take a field away from the column that would have matched it', () => {
    const mapping = matchHeaders(['DOB', 'Real DOB', 'MRN'], 'patients', { 'Real DOB': 'birth_date' });
    expect(mapping.columns.map((c) => c.field)).toEqual([null, 'birth_date', 'patient_id']);
  });

  it.each<{ name: string; overrides: Record<string, string>; text: string }>([
    { name: 'an unknown source column', overrides: { Nope: 'birth_date' }, text: '"Nope"' },
    { name: 'an unknown canonical field', overrides: { DOB: 'dob' }, text: '"dob"' },
    { name: 'two columns for one field', overrides: { DOB: 'birth_date', Born: 'birth_date' }, text: 'birth_date' },
  ])('rejects an override naming $name', ({ overrides, text }) => {
    const err = inputError(() => matchHeaders(['MRN', 'DOB', 'Born'], 'patients', overrides));
    expect(err.code).toBe('input.invalid_mapping');
    expect(err.message).toContain(text);
  });

  it('requires patient_id, or family_name and birth_date, and names the headers it found', () => {
    const err = inputError(() => matchHeaders(['First Name', 'City'], 'patients'));
    expect(err.code).toBe('input.required_columns_missing');
    expect(err.message).toContain('patient_id, or family_name and birth_date');
    expect(err.message).toContain('"First Name"');
  });

  it('accepts family_name and birth_date without an id', () => {
    expect(matchHeaders(['Surname', 'DOB'], 'patients').columns.every((c) => c.field !== null)).toBe(true);
  });
});
