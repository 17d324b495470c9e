import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { FieldDefinition } from '../datasets/dataset-definition.js';
import { DATASETS } from '../datasets/registry.js';
import { harmonizeText } from '../harmonize-text.js';
import { DATASET_NAMES } from '../types.js';
import { VOCABULARIES } from '../vocab/vocabularies.js';
import * as fast from './fhir-elements.js';
import { fieldExtensions } from './fhir-extensions.js';
import type { FhirMapper } from './fhir-mapper.js';
import * as reference from './fhir-output.reference.js';
import type { CanonicalRecord, FhirMeta } from './fhir-types.js';
import { toFhirResources } from './to-fhir-resource.js';

/** mulberry32: a small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

const IDS = ['MRN00000001', 'MRN 0042', '3edac2e3-d223-6fae-d515-daf96ef6bc76', '10006', 'a1b2c3d4e5f60718293a4b5c', 'P/1', 'x'.repeat(70), 'id.with-dots'];
const DATES = ['1973-10-28', '1950', '1950-01', '2164-10-23', '2014-10-06', '10/03/1950', ''];
const DATE_TIMES = [
  '2020-01-01T10:00:00', '2020-01-01T10:00:00Z', '2020-01-01T10:00:00+05:30', '2020-01-01T10:00:00-0500', '2020-01-01 10:00',
  '2020-01-01T10:00:00.123Z', '2164-10-23 21:10:15', '2020-01-01', '2020', 'not a date', '2020-01-01T10:00:00 Z',
];
const NUMBERS = ['0', '72', '-3.5', '1,200', '0.12', '1e3', '.5', 'NEG', '<0.01', '>=5', ' 7 ', '12.', 'NaN', 'Infinity'];
const SYSTEMS = ['LOINC', 'SNOMED-CT', 'snomed ct', 'ICD10CM', 'icd-9-cm', 'RxNorm', 'CVX', 'NDC', 'http://example.org/codes', 'urn:oid:1.2.3', 'Local', 'constructor', '__proto__'];
const UNITS = ['mg/dL', 'mm[Hg]', 'Cel', '[degF]', 'kg', '[lb_av]', '%', '/min', 'beats per minute', 'ml', '10*3/uL'];
const TEXTS = ['Boston', "O'Brien", 'García', 'say "hi"', 'back\\slash', 'a\nb', '日本', '😀', 'Acute viral pharyngitis (disorder)', ' ', 'true', 'false'];

/** A plausible canonical value of a field (as standardized, de-identified or not), sometimes a messy one. */
function valueFor(next: () => number, field: FieldDefinition): string {
  const vocabulary = field.vocabulary ? VOCABULARIES[field.vocabulary] : undefined;
  if (vocabulary && next() < 0.8) return pick(next, Object.keys(vocabulary.codes));
  if (next() < 0.1) return pick(next, TEXTS);
  switch (field.type) {
    case 'id':
      return pick(next, IDS);
    case 'date':
      return pick(next, DATES);
    case 'datetime':
      return pick(next, DATE_TIMES);
    case 'decimal':
    case 'integer':
    case 'quantity':
      return pick(next, NUMBERS);
    case 'boolean':
      return pick(next, ['true', 'false', 'yes']);
    case 'unit':
      return pick(next, UNITS);
    case 'code_system':
      return pick(next, SYSTEMS);
    case 'code':
    case 'clinical_code':
      return pick(next, ['195662009', '8867-4', 'E11.9', '08', '0093-3109-01', 'M', 'abnormal', 'H']);
    case 'gender':
      return pick(next, ['male', 'female', 'other', 'unknown']);
    case 'postal_code':
      return pick(next, ['02155', '021', '000', '02155-1234']);
    case 'state':
      return pick(next, ['MA', 'VT', 'Ontario']);
    case 'country':
      return pick(next, ['US', 'CA', 'Mexico']);
    case 'phone':
      return pick(next, ['+16178848300', '617-884-8300', '+442079460000']);
    case 'email':
      return pick(next, ['gene@example.org', 'a.b+c@example.com']);
    case 'ssn':
      return pick(next, ['999-45-3308', '999453308']);
    default:
      return pick(next, TEXTS);
  }
}

/** A canonical record as the NDJSON line's object holds it: every field (null when empty), maybe extras, _row. */
function randomRecord(next: () => number, dataset: keyof typeof DATASETS, fill: number): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of DATASETS[dataset].fields) record[field.name] = next() < fill ? valueFor(next, field) : null;
  if (next() < 0.3) record.extras = next() < 0.5 ? { age_group: '90+' } : { 'Encounter ID': 'E8426881', Temp: '98.2F' };
  record._row = 1 + Math.floor(next() * 1_000_000);
  return record;
}

type ToResources = (dataset: string, record: CanonicalRecord, meta: FhirMeta) => unknown[];

/**
 * toFhirResources as it was: every mapper module loaded afresh with the reference (pre-optimization)
 * helpers, context, ids and Patient mapper in place of the current ones, wrapped as before.
 */
async function loadReferenceToFhirResources(): Promise<ToResources> {
  const replaced = ['./fhir-elements.js', './fhir-extensions.js', './fhir-id.js', './fhir-mapper.js', './patient-resource.js'];
  vi.resetModules();
  for (const path of replaced) vi.doMock(path, () => import('./fhir-output.reference.js'));
  const old = (await import('./to-fhir-resource.js')) as { FHIR_MAPPERS: Record<string, FhirMapper> };
  const ref = await import('./fhir-output.reference.js');
  for (const path of replaced) vi.doUnmock(path);
  vi.resetModules();
  // The mapping graph really is the old one: its Patient mapper is the reference's.
  expect(old.FHIR_MAPPERS.patients).toBe(ref.patientResource);
  expect(old.FHIR_MAPPERS.patients).not.toBe(reference.patientResource);
  return (dataset, record, meta) => ref.referenceToFhirResources(old.FHIR_MAPPERS[dataset], dataset, record, meta);
}

let referenceToFhir: ToResources;
beforeAll(async () => {
  referenceToFhir = await loadReferenceToFhirResources();
});

/** Both outputs as the worker writes them: one JSON line per resource. */
function expectSameJson(dataset: string, record: Record<string, unknown>, meta: FhirMeta): number {
  const written = toFhirResources(dataset, record, meta).map((r) => JSON.stringify(r));
  const expected = referenceToFhir(dataset, record, meta).map((r) => JSON.stringify(r));
  expect(written, `${dataset} ${JSON.stringify(record)}`).toEqual(expected);
  return written.length;
}

describe('FHIR output against the reference implementation', () => {
  it('writes every generated patient exactly as before', () => {
    const next = random(11);
    for (let i = 0; i < 6_000; i++) {
      const record = randomRecord(next, 'patients', pick(next, [0.1, 0.5, 0.9, 1]));
      expectSameJson('patients', record, { jobId: '0b5e0c36-1111-4222-8333-444455556666', row: record._row as number });
    }
  });

  it('writes an empty patient and one with non-string values exactly as before', () => {
    const meta = { jobId: 'j', row: 1 };
    expectSameJson('patients', {}, meta);
    expectSameJson('patients', { patient_id: 42, family_name: 7.5, given_name: NaN, middle_name: 0, gender: true, city: ['x'] }, meta);
  });

  it.each(DATASET_NAMES.filter((d) => d !== 'patients'))('writes every generated %s record exactly as before', (dataset) => {
    const next = random(dataset.length * 7919);
    let resources = 0;
    for (let i = 0; i < 400; i++) {
      const record = randomRecord(next, dataset, pick(next, [0.2, 0.6, 1]));
      resources += expectSameJson(dataset, record, { jobId: 'job-1', row: record._row as number });
    }
    // The records do map (code_dictionary rows never do).
    if (dataset !== 'code_dictionary') expect(resources).toBeGreaterThan(100);
  });

  it('writes harmonized sample rows exactly as before', () => {
    // Rows of ohdsi-dbt-synthea (Apache-2.0) and the MIMIC-III demo (ODbL), as in fhir-datasets.test.ts.
    const files: [string, string][] = [
      ['patients', `Id,BIRTHDATE,DEATHDATE,SSN,PREFIX,FIRST,LAST,MARITAL,GENDER,ADDRESS,CITY,STATE,ZIP,Phone,Email
261ad2a4-7c6f-da54-6a5b-3441beab9a6a,1973-10-28,1976-07-25,999-45-3308,Mrs.,Gene733,Mann644,M,F,940 Daniel Union,Orleans,Massachusetts,02653,617-884-8300,gene@example.org
MRN 0042,10/03/1950,,,,,O'Brien,x,unknown,,,,,,`],
      ['encounters', `ROW_ID,SUBJECT_ID,HADM_ID,ICUSTAY_ID,DBSOURCE,FIRST_CAREUNIT,LAST_CAREUNIT,FIRST_WARDID,LAST_WARDID,INTIME,OUTTIME,LOS
12742,10006,142345,206504,carevue,MICU,MICU,52,52,2164-10-23 21:10:15,2164-10-25 12:21:07,1.6325`],
      ['vital_signs', `Patient ID,Visit Date,Heart Rate,Systolic BP,Diastolic BP,Temp F,Weight (lbs),SpO2
P1,2024-03-01 09:30,72,120,80,98.6,150,97`],
      ['lab_results', `HADM_ID,ITEMID,CHARTTIME,VALUE,VALUEUOM,FLAG
193924,51214,2115-05-13 14:53:00,226,mg/dL,
193924,51221,2115-05-13 14:53:00,23.9,%,abnormal
193924,51487,2115-05-13 14:53:00,NEG,,`],
      ['organizations', `Id,NAME,ADDRESS,CITY,STATE,ZIP,LAT,LON,PHONE,REVENUE
5e765f2b-e908-3888-9fc7-df2cb87beb58,STURDY MEMORIAL HOSPITAL,211 PARK STREET,ATTLEBORO,MA,02703,41.931653,-71.294503,5082225200,0.0`],
      ['claim_lines', `ID,CLAIMID,CHARGEID,PATIENTID,TYPE,AMOUNT,METHOD,FROMDATE,TODATE,PROCEDURECODE,UNITS,UNITAMOUNT,PAYMENTS,ADJUSTMENTS,TRANSFERS,OUTSTANDING
47cd1dc0-2b8b-b518-8ebb-cb5e4728bd87,9120543f-28b9-96ae-09eb-d54f6d918234,0,3edac2e3-d223-6fae-d515-daf96ef6bc76,CHARGE,77.49,,2023-01-27T16:17:47Z,2023-01-27T16:32:47Z,185345009,1,77.49,,,,`],
    ];
    let mapped = 0;
    for (const [dataset, csv] of files) {
      for (const kept of harmonizeText(csv, { dataset, referenceDate: '2025-06-15' }).kept) {
        expectSameJson(dataset, JSON.parse(kept.json) as Record<string, unknown>, { jobId: 'job-1', row: kept.row });
        mapped++;
      }
    }
    expect(mapped).toBe(9);
  });
});

describe('shared FHIR element helpers against the reference implementation', () => {
  const PIECES: unknown[] = [undefined, null, '', 'x', 0, 1.5, false, true, [], [undefined, null, ''], ['a', '', null, 'b'], {}, { a: 1 }, [{}], new Date(0), Object.create({ inherited: 1 })];

  it('compact keeps exactly what it kept', () => {
    const next = random(5);
    for (let i = 0; i < 5_000; i++) {
      const value: Record<string, unknown> = {};
      const count = Math.floor(next() * 6);
      for (let k = 0; k < count; k++) value[pick(next, ['a', 'b', 'c', 'line', '1', '0', 'text'])] = pick(next, PIECES);
      expect(JSON.stringify(fast.compact(value))).toBe(JSON.stringify(reference.compact(value)));
      expect(Object.keys(fast.compact(value))).toEqual(Object.keys(reference.compact(value)));
    }
  });

  it('coding, concept, reference, address and fieldExtensions build what they built', () => {
    const next = random(6);
    const maybe = <T>(items: readonly T[]) => (next() < 0.3 ? pick(next, [undefined, '']) : pick(next, items));
    for (let i = 0; i < 5_000; i++) {
      const system = maybe(SYSTEMS);
      const code = maybe(['8867-4', '195662009', 'x']);
      const display = maybe(TEXTS);
      expect(JSON.stringify(fast.coding(system, code, display))).toBe(JSON.stringify(reference.coding(system, code, display)));
      expect(JSON.stringify(fast.concept(system, code, display))).toBe(JSON.stringify(reference.concept(system, code, display)));
      const id = maybe(IDS);
      expect(JSON.stringify(fast.reference('Patient', id, display))).toBe(JSON.stringify(reference.reference('Patient', id, display)));
      const record = randomRecord(next, 'organizations', pick(next, [0, 0.3, 1]));
      expect(JSON.stringify(fast.address(record))).toBe(JSON.stringify(reference.address(record)));
      const extra = { extension: maybe([[{ url: 'u' }]]), district: maybe(TEXTS), city: maybe(TEXTS) };
      expect(JSON.stringify(fast.address(record, extra))).toBe(JSON.stringify(reference.address(record, extra)));
      const fields = [['revenue', 'Decimal'], ['name', 'String'], ['lat', 'Integer']] as const;
      expect(JSON.stringify(fieldExtensions(record, fields))).toBe(JSON.stringify(reference.fieldExtensions(record, fields)));
    }
  });
});
