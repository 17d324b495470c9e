import { describe, expect, it } from 'vitest';
import { harmonizeText } from '../harmonize-text.js';
import { harmonizeRows } from '../testing/harmonize-rows.js';
import { udiParts } from './devices.js';
import { DATASETS } from './registry.js';

// Synthea rows from OHDSI/dbt-synthea seeds (Apache-2.0); MIMIC rows from the MIMIC-III demo
// (PhysioNet; ODbL v1.0). The hospital measure rows are invented in the header shape of the CMS
// readmissions file, whose data rows are not copied here.
const kept = (dataset: string, csv: string) => harmonizeText(csv, { dataset, referenceDate: '2025-06-15' });

describe('code_dictionary', () => {
  it('reads MIMIC D_LABITEMS: the local code as written, the LOINC it maps to checked, no source system needed', () => {
    const result = harmonizeRows('code_dictionary', `ROW_ID,ITEMID,LABEL,FLUID,CATEGORY,LOINC_CODE
1,50800,SPECIMEN TYPE,BLOOD,BLOOD GAS,
2,50801,Alveolar-arterial Gradient,Blood,Blood Gas,19991-9
`);
    expect(result.records.map((r) => [r.code, r.display, r.specimen, r.target_code, r.target_code_system])).toEqual([
      ['50800', 'SPECIMEN TYPE', 'BLOOD', null, null],
      ['50801', 'Alveolar-arterial Gradient', 'Blood', '19991-9', 'http://loinc.org'],
    ]);
  });

  it('keys MIMIC D_ITEMS by source system and code, so one ITEMID in two systems is two entries', () => {
    const { kept: rows, duplicates } = kept('code_dictionary', `ROW_ID,ITEMID,LABEL,ABBREVIATION,DBSOURCE,LINKSTO,CATEGORY,UNITNAME,PARAM_TYPE,CONCEPTID
12683,220507,Activated Clotting Time,ACT,metavision,chartevents,Labs,None,Numeric,
1,220507,Activated Clotting Time,ACT,carevue,chartevents,Labs,,Numeric,
2,220507,ACT again,ACT,carevue,chartevents,Labs,,Numeric,
3,50800,SPECIMEN TYPE,,,,BLOOD GAS,,,
4,50800,Specimen type,,,,BLOOD GAS,,,
`);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 4]);
    expect(duplicates).toEqual([{ row: 3, duplicateOf: 2, kind: 'key' }, { row: 5, duplicateOf: 4, kind: 'key' }]);
    expect(JSON.parse(rows[0]?.json ?? '{}')).toMatchObject({ source_system: 'metavision', unit: null, value_type: 'Numeric' });
  });
});

describe('coverage', () => {
  it('reads Synthea payer transitions: full timestamps in the *_YEAR columns, the owner giving the relationship', () => {
    const result = harmonizeRows('coverage', `PATIENT,MEMBERID,START_YEAR,END_YEAR,PAYER,SECONDARY_PAYER,OWNERSHIP,OWNERNAME
3edac2e3-d223-6fae-d515-daf96ef6bc76,2277431c-b682-4a3d-2990-8bef6f1bd4f9,2014-10-14T04:17:47Z,2015-10-20T04:17:47Z,6e2f1a2d-27bd-3701-8d08-dae202c58632,,Guardian,Gail741 Mosciski958
319af005-46b9-f635-79dd-ec44d34a8c23,de165245-1431-3b30-f756-5f2ad1438132,2016-09-11T00:21:58Z,2017-06-04T00:21:58Z,7caa7254-5050-3b5e-9eae-bd5ea30e809c,047f6ec3-6215-35eb-9608-f9dda363a44c,Self,Lewis216 Zulauf375
319af005-46b9-f635-79dd-ec44d34a8c23,x,2019-06-04T00:21:58Z,2017-06-04T00:21:58Z,7caa7254-5050-3b5e-9eae-bd5ea30e809c,,Self,Lewis216 Zulauf375
`);
    expect(result.records.map((r) => [r.period_start, r.period_end, r.relationship, r.secondary_payer_id])).toEqual([
      ['2014-10-14T04:17:47Z', '2015-10-20T04:17:47Z', 'child', null],
      ['2016-09-11T00:21:58Z', '2017-06-04T00:21:58Z', 'self', '047f6ec3-6215-35eb-9608-f9dda363a44c'],
    ]);
    expect(result.rejected).toEqual([expect.objectContaining({ row: 3, rules: ['coverage.end_before_start'] })]);
  });
});

const READMISSIONS = `Hospital Name,Provider ID,State,Measure Name,Number of Discharges,Footnote,Excess Readmission Ratio,Predicted Readmission Rate,Expected Readmission Rate,Number of Readmissions,Start Date,End Date
GENERAL HOSPITAL,010001,AL,READM_30_AMI_HRRP,Not Available,1 - The number of cases/patients is too few to report.,Not Available,Not Available,Not Available,Not Available,07/01/2014,06/30/2017
GENERAL HOSPITAL,010001,AL,READM_30_COPD_HRRP,217,,1.0195,20.9722,20.5712,47,07/01/2014,06/30/2017
GENERAL HOSPITAL,010001,AL,READM_30_HF_HRRP,40,,0.9,10.1,11.2,50,07/01/2014,06/30/2017
GENERAL HOSPITAL,010001,AL,READM_30_COPD_HRRP,217,,1.0195,20.9722,20.5712,47,07/01/2014,06/30/2017
`;

describe('quality_measures', () => {
  it('keeps one row per hospital and measure: only the repeated measure row is a duplicate', () => {
    const { kept: rows, duplicates } = kept('quality_measures', READMISSIONS);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(duplicates).toEqual([{ row: 4, duplicateOf: 2, kind: 'exact' }]);
  });

  it('reads Not Available as empty, keeps the CCN leading zero and the footnote, dates as the period', () => {
    const result = harmonizeRows('quality_measures', READMISSIONS);
    expect(result.records[0]).toMatchObject({
      organization_id: '010001', measure_id: 'READM_30_AMI_HRRP', denominator: null, numerator: null, score: null,
      footnote: '1 - The number of cases/patients is too few to report.', period_start: '2014-07-01', period_end: '2017-06-30',
    });
    expect(result.records[1]).toMatchObject({ denominator: '217', numerator: '47', score: '1.0195', predicted_rate: '20.9722' });
    expect(result.stats.rules['quality_measure.numerator_above_denominator']).toEqual({ severity: 'warning', count: 1 });
  });
});

describe('devices', () => {
  it('splits a human-readable UDI into device identifier, lot and serial', () => {
    expect(udiParts('(01)13465995954590(11)760704(17)010719(10)8477791433724820(21)488266988')).toEqual({
      '01': '13465995954590', '11': '760704', '17': '010719', '10': '8477791433724820', '21': '488266988',
    });
    const result = harmonizeRows('devices', `START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION,UDI
1976-07-25T11:25:06Z,,261ad2a4-7c6f-da54-6a5b-3441beab9a6a,3efa2195-38e2-badc-a815-e8d858aafd3b,705643001,Coronary artery stent (physical object),(01)13465995954590(11)760704(17)010719(10)8477791433724820(21)488266988
`);
    expect(result.records[0]).toMatchObject({
      code: '705643001', code_system: 'http://snomed.info/sct', udi_device_identifier: '13465995954590', lot_number: '8477791433724820',
      serial_number: '488266988', manufacture_date: null, start_datetime: '1976-07-25T11:25:06Z',
    });
  });
});

describe('locations', () => {
  it('rejects a position off the globe and a row naming no location', () => {
    const result = harmonizeRows('locations', `Location ID,Location Name,Latitude,Longitude,Status
L1,Ward 4B,38.2,-95.7,open
L2,Ward 5,-95.7,38.2,
,,,,
`);
    expect(result.records).toEqual([expect.objectContaining({ location_id: 'L1', latitude: '38.2', status: 'active' })]);
    expect(result.rejected.map((r) => [r.row, r.rules])).toEqual([[2, ['location.position_out_of_range']]]);
  });
});

describe('care_plans', () => {
  it('derives the status from the period: completed once ended, active while open', () => {
    const result = harmonizeRows('care_plans', `Id,START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION,REASONCODE,REASONDESCRIPTION
ef0dd717-46eb-4473-5499-3fd3d291e9a6,2009-09-13,,9d188916-8390-282b-3ec2-73fce6e08649,6f27371d-c552-4ec1-8460-d9d5da91f338,384758001,Self-care interventions (procedure),,
60d2b037-fbb0-aae1-455f-a50aa49f66fc,2000-01-18,2000-05-10,1d3d16ce-a3a4-5e9e-1b4d-58a391895443,5620d48f-1026-2e42-8039-34a29f194309,53950000,Respiratory therapy,10509002,Acute bronchitis (disorder)
`);
    expect(result.records.map((r) => [r.care_plan_id, r.status, r.code_system, r.reason_code])).toEqual([
      ['ef0dd717-46eb-4473-5499-3fd3d291e9a6', 'active', 'http://snomed.info/sct', null],
      ['60d2b037-fbb0-aae1-455f-a50aa49f66fc', 'completed', 'http://snomed.info/sct', '10509002'],
    ]);
  });
});

describe('supplies', () => {
  it('reads Synthea supplies as SNOMED CT items with a count, warning on a count that is not positive', () => {
    const result = harmonizeRows('supplies', `DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,QUANTITY
2020-10-07,1cd7cc0a-2e2a-c167-1207-cad02d69328e,87ba74ed-9dcf-329d-f403-084227c41f5d,409534002,Disposable air-purifying respirator (physical object),2
2020-10-07,1cd7cc0a-2e2a-c167-1207-cad02d69328e,87ba74ed-9dcf-329d-f403-084227c41f5d,713779008,Nitrile examination/treatment glove  non-powdered  sterile (physical object),0
`);
    expect(result.records.map((r) => [r.code, r.quantity, r.delivered_datetime])).toEqual([
      ['409534002', '2', '2020-10-07'],
      ['713779008', '0', '2020-10-07'],
    ]);
    expect(result.stats.rules['supply.quantity_not_positive']).toEqual({ severity: 'warning', count: 1 });
  });
});

describe('imaging_studies', () => {
  it('reads Synthea imaging studies: UIDs as written, DICOM modality, SNOMED CT body site and procedure', () => {
    const result = harmonizeRows('imaging_studies', `Id,DATE,PATIENT,ENCOUNTER,SERIES_UID,BODYSITE_CODE,BODYSITE_DESCRIPTION,MODALITY_CODE,MODALITY_DESCRIPTION,INSTANCE_UID,SOP_CODE,SOP_DESCRIPTION,PROCEDURE_CODE
82702944-686c-a8fa-9463-6b72152c58a5,2023-06-06T12:00:08Z,280ee8b5-6ebb-11cf-e4db-8cf101827ec7,55d800bc-7613-49be-f417-a808325415ab,1.2.840.99999999.1.98060115.1686052808412,51185008,Chest,DX,Digital Radiography,1.2.840.99999999.1.1.75434013.194248875300,1.2.840.10008.5.1.4.1.1.1.1,Digital X-Ray Image Storage,399208008
`);
    expect(result.records[0]).toMatchObject({
      imaging_study_id: '82702944-686c-a8fa-9463-6b72152c58a5', started: '2023-06-06T12:00:08Z', series_uid: '1.2.840.99999999.1.98060115.1686052808412',
      body_site_code: '51185008', body_site_code_system: 'http://snomed.info/sct', modality_code: 'DX', sop_class: '1.2.840.10008.5.1.4.1.1.1.1',
      procedure_code: '399208008', procedure_code_system: 'http://snomed.info/sct',
    });
  });
});

describe('optional key fields', () => {
  it.each(Object.values(DATASETS).filter((d) => d.optionalKeyFields))('are part of the natural key of $name and named in its description', (def) => {
    for (const field of def.optionalKeyFields ?? []) {
      expect(def.naturalKey).toContain(field);
      expect(def.description).toContain(field);
    }
  });
});
