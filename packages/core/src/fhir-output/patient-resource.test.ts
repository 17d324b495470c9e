import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { harmonizeText } from '../harmonize-text.js';
import { FHIR_RESOURCE_SCHEMAS } from './fhir-schemas.js';
import { toFhirResource } from './to-fhir-resource.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const problems = (resource: { resourceType: string }) => {
  const schema = FHIR_RESOURCE_SCHEMAS[resource.resourceType];
  if (!schema) return [`no schema for ${resource.resourceType}`];
  const validate = ajv.getSchema(resource.resourceType) ?? (ajv.addSchema(schema, resource.resourceType), ajv.getSchema(resource.resourceType));
  return validate?.(resource) ? [] : (validate?.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

const meta = { jobId: '0b5e0c36-1111-4222-8333-444455556666', row: 7 };

/** Rows 1 and 4 of ohdsi-dbt-synthea patients.csv (Apache-2.0), and a messy hand-written row. */
const FILE = `Id,BIRTHDATE,DEATHDATE,SSN,PREFIX,FIRST,LAST,MARITAL,GENDER,ADDRESS,CITY,STATE,ZIP,Phone,Email
3edac2e3-d223-6fae-d515-daf96ef6bc76,2014-10-06,,999-17-5017,,Maynard46,Mosciski958,,M,784 Stamm Lock Unit 46,Somerville,Massachusetts,02155,,
261ad2a4-7c6f-da54-6a5b-3441beab9a6a,1973-10-28,1976-07-25,999-45-3308,Mrs.,Gene733,Mann644,M,F,940 Daniel Union,Orleans,Massachusetts,02653,617-884-8300,gene@example.org
MRN 0042,10/03/1950,,,,,O'Brien,x,unknown,,,,,,
`;
const records = harmonizeText(FILE, { dataset: 'patients', referenceDate: '2025-06-15' }).kept.map(
  (r) => [JSON.parse(r.json) as Record<string, unknown>, r.row] as const,
);
const resources = records.map(([record, row]) => toFhirResource('patients', record, { ...meta, row }));

describe('patients -> FHIR Patient', () => {
  it('writes a valid R4 Patient for every record', () => {
    expect(resources).toHaveLength(3);
    for (const resource of resources) expect(problems(resource ?? { resourceType: 'none' })).toEqual([]);
  });

  it('maps identifiers, name, gender, dates, address, telecom and marital status', () => {
    expect(resources[1]).toEqual({
      resourceType: 'Patient',
      id: '261ad2a4-7c6f-da54-6a5b-3441beab9a6a',
      meta: { source: `urn:harmonizer:job:${meta.jobId}#row=2` },
      identifier: [
        { use: 'usual', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] }, value: '261ad2a4-7c6f-da54-6a5b-3441beab9a6a' },
        { use: 'official', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SS', display: 'Social Security number' }] }, system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-45-3308' },
      ],
      name: [{ use: 'official', family: 'Mann644', given: ['Gene733'], prefix: ['Mrs.'] }],
      telecom: [{ system: 'phone', value: '+16178848300' }, { system: 'email', value: 'gene@example.org' }],
      gender: 'female',
      birthDate: '1973-10-28',
      deceasedDateTime: '1976-07-25',
      address: [{ line: ['940 Daniel Union'], city: 'Orleans', state: 'MA', postalCode: '02653' }],
      maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M', display: 'Married' }] },
    });
  });

  it('mints a UUID id for an MRN that is not a valid FHIR id, the same every time', () => {
    const again = toFhirResource('patients', records[2]?.[0] ?? {}, { jobId: 'another-job', row: 99 });
    expect(resources[2]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again?.id).toBe(resources[2]?.id);
    expect(resources[2]).toMatchObject({ identifier: [{ value: 'MRN 0042' }], gender: 'unknown' });
    // An unknown marital status is reported and kept under extras by the engine, so FHIR has none.
    expect(resources[2]).not.toHaveProperty('maritalStatus');
  });

  it('gives a record without any identifier an id from its content, the same in every job', () => {
    const a = toFhirResource('patients', { family_name: 'Doe', birth_date: '1950-01-01', _row: 3 }, { jobId: 'j1', row: 3 });
    const again = toFhirResource('patients', { family_name: 'Doe', birth_date: '1950-01-01', _row: 8 }, { jobId: 'j2', row: 8 });
    const other = toFhirResource('patients', { family_name: 'Doe', birth_date: '1950-01-02', _row: 3 }, { jobId: 'j1', row: 3 });
    expect(again?.id).toBe(a?.id);
    expect(other?.id).not.toBe(a?.id);
    expect(problems(a ?? { resourceType: '' })).toEqual([]);
  });
});

describe('the Patient schema', () => {
  it.each([
    ['a bad gender', { gender: 'M' }],
    ['a birth date with a time', { birthDate: '1980-01-01T00:00:00Z' }],
    ['a date-time without a zone', { deceasedDateTime: '2020-01-01T10:00:00' }],
    ['an empty name', { name: [{}] }],
    ['an unknown element', { sex: 'male' }],
    ['an id with a space', { id: 'MRN 1' }],
  ])('catches %s', (_name, change) => {
    expect(problems({ ...resources[0], ...change } as { resourceType: string })).not.toEqual([]);
  });
});
