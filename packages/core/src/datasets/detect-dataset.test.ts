import { describe, expect, it } from 'vitest';
import { InputError } from '../input-error.js';
import { EXTERNAL_HEADERS } from '../testing/external-headers.js';
import { detectDataset, resolveDataset } from './detect-dataset.js';
import { getDataset } from './registry.js';

const SYNTHEA_PATIENTS =
  'Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE';

const headerOf = (path: string): string[] => {
  const found = EXTERNAL_HEADERS.find(([p]) => p === path);
  if (!found) throw new Error(`no header for ${path}`);
  return found[1].split(',');
};
const fileName = (path: string) => path.split('/').pop() ?? path;

/** Every CSV of ../shared/data/external: the dataset detected with its file name, and the least confidence. */
const EXPECTED: readonly [string, string, number][] = [
  ['cms-hospital-compare/Hospital_General_Information.csv', 'organizations', 0.45],
  ['cms-hospital-compare/Hospital_Readmissions_Reduction_Program.csv', 'quality_measures', 0.95],
  ['kaggle-noshow-appointments-sample/KaggleV2-May-2016_sample_first162_last163.csv', 'appointments', 0.7],
  ['mimic-iii-demo/ADMISSIONS.csv', 'encounters', 0.65],
  ['mimic-iii-demo/CALLOUT.csv', 'encounters', 0.4],
  ['mimic-iii-demo/CPTEVENTS.csv', 'procedures', 0.7],
  ['mimic-iii-demo/DATETIMEEVENTS.csv', 'lab_results', 0.75],
  ['mimic-iii-demo/DIAGNOSES_ICD.csv', 'conditions', 0.85],
  ['mimic-iii-demo/DRGCODES.csv', 'claims', 0.9],
  ['mimic-iii-demo/D_ITEMS.csv', 'code_dictionary', 0.9],
  ['mimic-iii-demo/D_LABITEMS.csv', 'code_dictionary', 0.9],
  ['mimic-iii-demo/ICUSTAYS.csv', 'encounters', 0.75],
  ['mimic-iii-demo/INPUTEVENTS_MV.csv', 'medications', 0.7],
  ['mimic-iii-demo/MICROBIOLOGYEVENTS.csv', 'lab_results', 0.75],
  ['mimic-iii-demo/OUTPUTEVENTS.csv', 'vital_signs', 0.65],
  ['mimic-iii-demo/PATIENTS.csv', 'patients', 0.7],
  ['mimic-iii-demo/PRESCRIPTIONS.csv', 'medications', 0.8],
  ['mimic-iii-demo/PROCEDUREEVENTS_MV.csv', 'procedures', 0.65],
  ['mimic-iii-demo/PROCEDURES_ICD.csv', 'procedures', 0.85],
  ['mimic-iii-demo/SERVICES.csv', 'encounters', 0.8],
  ['mimic-iii-demo/TRANSFERS.csv', 'encounters', 0.85],
  ['mimic-iii-demo-labs/LABEVENTS.csv', 'lab_results', 0.95],
  ['ohdsi-dbt-synthea/allergies.csv', 'allergies', 0.95],
  ['ohdsi-dbt-synthea/careplans.csv', 'care_plans', 0.95],
  ['ohdsi-dbt-synthea/claims.csv', 'claims', 0.85],
  ['ohdsi-dbt-synthea/claims_transactions.csv', 'claim_lines', 0.85],
  ['ohdsi-dbt-synthea/conditions.csv', 'conditions', 0.95],
  ['ohdsi-dbt-synthea/devices.csv', 'devices', 0.95],
  ['ohdsi-dbt-synthea/encounters.csv', 'encounters', 0.85],
  ['ohdsi-dbt-synthea/imaging_studies.csv', 'imaging_studies', 0.95],
  ['ohdsi-dbt-synthea/immunizations.csv', 'immunizations', 0.95],
  ['ohdsi-dbt-synthea/medications.csv', 'medications', 0.9],
  ['ohdsi-dbt-synthea/observations.csv', 'lab_results', 0.9],
  ['ohdsi-dbt-synthea/organizations.csv', 'organizations', 0.9],
  ['ohdsi-dbt-synthea/patients.csv', 'patients', 0.75],
  ['ohdsi-dbt-synthea/payer_transitions.csv', 'coverage', 0.95],
  ['ohdsi-dbt-synthea/payers.csv', 'organizations', 0.35],
  ['ohdsi-dbt-synthea/procedures.csv', 'procedures', 0.95],
  ['ohdsi-dbt-synthea/providers.csv', 'practitioners', 0.85],
  ['ohdsi-dbt-synthea/supplies.csv', 'supplies', 0.95],
  ['uci-diabetes-130-sample/diabetic_data_first83.csv', 'encounters', 0.55],
  ['usaid-scms-supply-chain/SCMS_Delivery_History_Dataset.csv', 'pharmacy_inventory', 0.7],
];

describe('detectDataset on every file in ../shared/data/external', () => {
  it('covers every CSV header listed', () => {
    expect(EXPECTED.map(([p]) => p).sort()).toEqual(EXTERNAL_HEADERS.map(([p]) => p).sort());
  });

  it.each(EXPECTED)('detects %s as %s with confidence >= %d', (path, dataset, least) => {
    const detected = detectDataset(headerOf(path), { fileName: fileName(path) });
    expect(detected?.dataset).toBe(dataset);
    expect(detected?.confidence).toBeGreaterThanOrEqual(least);
    expect(detected?.confidence).toBeLessThanOrEqual(1);
  });
});

describe('detectDataset', () => {
  it.each([
    ['Synthea patients', SYNTHEA_PATIENTS],
    ['MIMIC-III PATIENTS', 'ROW_ID,SUBJECT_ID,GENDER,DOB,DOD,DOD_HOSP,DOD_SSN,EXPIRE_FLAG'],
    ['a small messy patient list', 'MRN,Last Name,First Name,DOB,Sex,Phone'],
  ])('detects patients in the %s header, without a file name', (_name, header) => {
    const detected = detectDataset(header.split(','));
    expect(detected?.dataset).toBe('patients');
    expect(detected?.confidence).toBeGreaterThan(0.4);
  });

  it('halves the confidence when another dataset explains the header as well and the file name does not help', () => {
    const header = headerOf('ohdsi-dbt-synthea/conditions.csv');
    expect(detectDataset(header)).toEqual({ dataset: 'conditions', confidence: 0.5 });
    expect(detectDataset(header, { fileName: 'procedures.csv' })).toEqual({ dataset: 'procedures', confidence: 1 });
    expect(detectDataset(header, { fileName: 'uploads/2024/MEDICATIONS.csv.gz' })).toEqual({ dataset: 'medications', confidence: 1 });
  });

  it('tells MIMIC PROCEDURES_ICD from DIAGNOSES_ICD (the same columns) by the file name', () => {
    const header = headerOf('mimic-iii-demo/DIAGNOSES_ICD.csv');
    expect(headerOf('mimic-iii-demo/PROCEDURES_ICD.csv')).toEqual(header);
    expect(detectDataset(header, { fileName: 'PROCEDURES_ICD.csv' })?.dataset).toBe('procedures');
    expect(detectDataset(header, { fileName: 'mimic/procedures_icd.csv.gz' })?.dataset).toBe('procedures');
    expect(detectDataset(header, { fileName: 'DIAGNOSES_ICD.csv' })?.dataset).toBe('conditions');
  });

  it('tells per-hospital measure results from a list of hospitals without the file name', () => {
    expect(detectDataset(headerOf('cms-hospital-compare/Hospital_Readmissions_Reduction_Program.csv'))?.dataset).toBe('quality_measures');
    expect(detectDataset(headerOf('cms-hospital-compare/Hospital_General_Information.csv'))?.dataset).toBe('organizations');
  });

  it('tells devices, supplies and care plans from the conditions and medications they look like', () => {
    expect(detectDataset(headerOf('ohdsi-dbt-synthea/devices.csv'))).toEqual({ dataset: 'devices', confidence: 1 });
    expect(detectDataset(headerOf('ohdsi-dbt-synthea/supplies.csv'))).toEqual({ dataset: 'supplies', confidence: 1 });
    expect(detectDataset(headerOf('ohdsi-dbt-synthea/careplans.csv'))?.dataset).toBe('care_plans');
    expect(detectDataset(headerOf('ohdsi-dbt-synthea/conditions.csv'))?.dataset).toBe('conditions');
  });

  it('lets a file name lower the bar, never raise a poor match above a clear one', () => {
    const sparse = 'SUBJECT_ID,HADM_ID,A,B,C,D,E,F,G,H'.split(',');
    expect(detectDataset(sparse)).toBeNull();
    expect(detectDataset(sparse, { fileName: 'ADMISSIONS.csv' })?.dataset).toBe('encounters');
    expect(detectDataset(headerOf('mimic-iii-demo-labs/LABEVENTS.csv'), { fileName: 'conditions.csv' })?.dataset).toBe('lab_results');
  });

  it.each([['nothing recognisable', 'a,b,c'], ['one id column', 'MRN,x,y,z']])('detects nothing in %s', (_name, header) => {
    expect(detectDataset(header.split(','))).toBeNull();
  });
});

describe('resolveDataset', () => {
  it('takes the dataset the user named, with confidence 1', () => {
    expect(resolveDataset(['a'], 'patients')).toEqual({ dataset: 'patients', confidence: 1, method: 'specified' });
  });

  it('falls back to detection', () => {
    expect(resolveDataset(SYNTHEA_PATIENTS.split(','))).toMatchObject({ dataset: 'patients', method: 'detected' });
  });

  it.each([
    ['an unknown dataset name', ['MRN', 'DOB'], 'drugs'],
    ['an undetectable header', ['a', 'b'], undefined],
  ])('throws input.unknown_dataset for %s', (_name, header, requested) => {
    expect(() => resolveDataset(header, requested)).toThrow(InputError);
    try {
      resolveDataset(header, requested);
    } catch (err) {
      expect((err as InputError).code).toBe('input.unknown_dataset');
    }
  });

  it('getDataset returns the definition with its natural key', () => {
    expect(getDataset('patients').naturalKey).toEqual(['patient_id']);
    expect(getDataset('encounters').naturalKey).toEqual(['encounter_id', 'start_datetime']);
  });
});
