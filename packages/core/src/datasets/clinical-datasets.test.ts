import { describe, expect, it } from 'vitest';
import { harmonizeRows } from '../testing/harmonize-rows.js';

// Rows copied from Synthea via OHDSI/dbt-synthea seeds (Apache-2.0) and from the MIMIC-III
// Clinical Database Demo v1.4 (PhysioNet; Open Data Commons ODbL v1.0).
const ICD9 = 'http://hl7.org/fhir/sid/icd-9-cm';
const SCT = 'http://snomed.info/sct';

describe('encounters', () => {
  it('maps Synthea encounters: class to v3 ActCode, type and reason to SNOMED CT, times with their offset', () => {
    const result = harmonizeRows(
      'encounters',
      `Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION
57f2562b-445c-f11c-ba40-edc55af3c84f,2023-01-27T16:17:47Z,2023-01-27T16:32:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,e002090d-4e92-300e-b41e-7d1f21dee4c6,2d85c411-b7bb-3133-8903-276c2e31f452,42c4fca7-f8a9-3cd1-982a-dd9751bf3e2a,ambulatory,185345009,Encounter for symptom,77.49,3798.09,0.00,195662009,Acute viral pharyngitis (disorder)
0622440b-ab3a-87bf-b0d7-f8145ac11cc5,2023-10-10T04:17:47Z,2023-10-10T04:32:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,d6155326-7127-3791-8031-7704e5d867ce,f98dc38d-9c3f-32cb-b7a3-ac99a7df97f4,42c4fca7-f8a9-3cd1-982a-dd9751bf3e2a,wellness,410620009,Well child visit (procedure),129.16,1005.08,0.00,,
`,
    );
    expect(result.rejected).toEqual([]);
    expect(result.records[0]).toMatchObject({
      class: 'AMB', class_text: 'ambulatory', type_code: '185345009', type_code_system: SCT, reason_code: '195662009',
      start_datetime: '2023-01-27T16:17:47Z', end_datetime: '2023-01-27T16:32:47Z',
      extras: { BASE_ENCOUNTER_COST: '77.49', TOTAL_CLAIM_COST: '3798.09', PAYER_COVERAGE: '0.00' },
    });
    expect(result.records[1]).toMatchObject({ class: 'AMB', class_text: 'wellness', reason_code: null });
  });

  it('keeps the ICU stays and ward transfers of one admission apart (natural key: encounter + start)', () => {
    const stays = harmonizeRows(
      'encounters',
      `ROW_ID,SUBJECT_ID,HADM_ID,ICUSTAY_ID,DBSOURCE,EVENTTYPE,PREV_CAREUNIT,CURR_CAREUNIT,PREV_WARDID,CURR_WARDID,INTIME,OUTTIME,LOS
54440,10006,142345,206504,carevue,admit,,MICU,,52,2164-10-23 21:10:15,2164-10-25 12:21:07,39.18
54441,10006,142345,,carevue,transfer,MICU,,52,45,2164-10-25 12:21:07,2164-11-01 17:14:27,172.89
54442,10006,142345,,carevue,discharge,,,45,,2164-11-01 17:14:27,,
`,
    );
    expect(stays.records.map((r) => [r.event_type, r.care_unit, r.ward, r.previous_ward, r.segment_id, r.start_datetime])).toEqual([
      ['admit', 'MICU', '52', null, '206504', '2164-10-23T21:10:15'],
      ['transfer', null, '45', '52', null, '2164-10-25T12:21:07'],
      ['discharge', null, null, '45', null, '2164-11-01T17:14:27'],
    ]);
    expect(new Set(stays.accepted.map((a) => a.dedupKey)).size).toBe(3);
    expect(stays.records[0]?.extras).toMatchObject({ LOS: '39.18' });
  });

  it('rejects a discharge before the admission and a negative length of stay', () => {
    const result = harmonizeRows('encounters', 'HADM_ID,ADMITTIME,DISCHTIME,time_in_hospital\n1,2020-05-02 10:00,2020-05-01 09:00,1\n2,2020-05-01,2020-05-02,-3\n');
    expect(result.rejected.map((r) => r.rules)).toEqual([['encounter.end_before_start'], ['encounter.negative_length']]);
  });

  it('restores the leading zeros UCI dropped from ICD-9 diagnoses, knowing the column from its values', () => {
    // Invented rows in the UCI header shape (its data rows are not copied into the project).
    const result = harmonizeRows('encounters', 'encounter_id,patient_nbr,diag_1,diag_2,diag_3,max_glu_serum\n1,7,250.83,?,8,None\n2,8,276,V57,38,>300\n');
    expect(result.records.map((r) => [r.diagnosis_1, r.diagnosis_2, r.diagnosis_3, r.diagnosis_system])).toEqual([
      ['250.83', null, '008', ICD9],
      ['276', 'V57', '038', ICD9],
    ]);
    expect(result.stats.rules['icd.leading_zero_restored']?.count).toBe(2);
    expect(result.records[0]?.extras).toEqual({ max_glu_serum: 'None' });
  });
});

describe('conditions', () => {
  it('dots MIMIC ICD-9 codes and records the system', () => {
    const result = harmonizeRows(
      'conditions',
      `ROW_ID,SUBJECT_ID,HADM_ID,SEQ_NUM,ICD9_CODE
112344,10006,142345,1,99591
112355,10006,142345,12,E8791
112356,10006,142345,13,V090
`,
    );
    expect(result.records.map((r) => [r.code, r.code_system, r.sequence])).toEqual([
      ['995.91', ICD9, '1'],
      ['E879.1', ICD9, '12'],
      ['V09.0', ICD9, '13'],
    ]);
  });

  it('reads Synthea SNOMED CT conditions with date-only onsets, and rejects an abatement before onset', () => {
    const result = harmonizeRows(
      'conditions',
      `START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION
2023-01-27,2023-02-09,3edac2e3-d223-6fae-d515-daf96ef6bc76,57f2562b-445c-f11c-ba40-edc55af3c84f,195662009,Acute viral pharyngitis (disorder)
2011-08-09,,9d188916-8390-282b-3ec2-73fce6e08649,fa5e3e1f-217f-f8ce-a479-ed569c6599df,232353008,Perennial allergic rhinitis with seasonal variation
2011-08-09,2011-08-01,9d188916-8390-282b-3ec2-73fce6e08649,fa5e3e1f-217f-f8ce-a479-ed569c6599df,232353008,swapped dates
`,
    );
    expect(result.records.map((r) => [r.code, r.code_system, r.onset_datetime, r.abatement_datetime])).toEqual([
      ['195662009', SCT, '2023-01-27', '2023-02-09'],
      ['232353008', SCT, '2011-08-09', null],
    ]);
    expect(result.rejected).toEqual([expect.objectContaining({ row: 3, rules: ['condition.end_before_start'] })]);
  });

  it('requires the patient: a condition belongs to someone', () => {
    const result = harmonizeRows('conditions', 'PATIENT,CODE\n,195662009\n');
    expect(result.rejected[0]?.rules).toEqual(['required.missing']);
  });
});

describe('procedures', () => {
  it('dots ICD-9 procedure codes after two digits (PROCEDURES_ICD) and keeps CPT codes (CPTEVENTS) without dates', () => {
    const icd = harmonizeRows('procedures', 'ROW_ID,SUBJECT_ID,HADM_ID,SEQ_NUM,ICD9_CODE\n3994,10114,167957,1,3605\n3995,10114,167957,2,3722\n');
    expect(icd.records.map((r) => [r.code, r.code_system])).toEqual([['36.05', ICD9], ['37.22', ICD9]]);
    const cpt = harmonizeRows(
      'procedures',
      `ROW_ID,SUBJECT_ID,HADM_ID,COSTCENTER,CHARTDATE,CPT_CD,CPT_NUMBER,CPT_SUFFIX,TICKET_ID_SEQ,SECTIONHEADER,SUBSECTIONHEADER,DESCRIPTION
4615,10117,105150,ICU,,99254,99254,,1,Evaluation and management,Consultations,
`,
    );
    expect(cpt.records[0]).toMatchObject({
      code: '99254', code_system: 'http://www.ama-assn.org/go/cpt', performed_start: null, description: null,
      extras: { SUBSECTIONHEADER: 'Consultations' },
    });
  });

  it('reads Synthea procedures with long SNOMED CT extension codes and costs', () => {
    const result = harmonizeRows(
      'procedures',
      `START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,REASONCODE,REASONDESCRIPTION
2023-05-15T11:33:59Z,2023-05-15T11:47:38Z,9d188916-8390-282b-3ec2-73fce6e08649,886cc0bc-ec99-24a2-9c91-6443a625629e,428211000124100,Assessment of substance use (procedure),516.65,,
`,
    );
    expect(result.records[0]).toMatchObject({ code: '428211000124100', code_system: SCT, cost: '516.65', performed_end: '2023-05-15T11:47:38Z' });
  });
});
