import { describe, expect, it } from 'vitest';
import { harmonizeRows } from '../testing/harmonize-rows.js';

// Rows copied from MIMIC-III demo LABEVENTS and MICROBIOLOGYEVENTS (PhysioNet; ODbL v1.0) and
// Synthea observations (OHDSI/dbt-synthea seeds, Apache-2.0). The wide vitals file is invented.
const LABEVENTS = `HADM_ID,ITEMID,CHARTTIME,VALUE,VALUEUOM,FLAG
193924,51214,2115-05-13 14:53:00,226,mg/dL,
170883,51464,2192-04-16 11:50:00,NEG,EU/dL,
157466,51003,2117-08-06 15:05:00,<0.01,ng/mL,
156668,51000,2161-02-03 04:10:00,100,MG/DL,
197611,51498,2123-09-04 12:23:00,1.015, ,
105150,51250,2138-11-14 04:00:00,84,fL,delta
174739,51476,2180-01-25 11:00:00,0-2,#/hpf,
,50931,2172-01-20 05:30:00,214,mg/dL,abnormal
160445,51519,2171-07-21 03:35:00,NONE,,
170883,50920,2192-04-16 11:00:00,See Comments,,
170883,51137,2192-04-16 11:00:00,1+,,
`;

describe('lab_results', () => {
  it('keeps every MIMIC LABEVENTS row: numbers with UCUM units, text results as text, comparators apart', () => {
    const result = harmonizeRows('lab_results', LABEVENTS);
    expect(result.rejected).toEqual([]);
    expect(result.records.map((r) => [r.code, r.code_system, r.value_quantity, r.value_comparator, r.value_text, r.value_unit])).toEqual([
      ['51214', null, '226', null, null, 'mg/dL'],
      ['51464', null, null, null, 'NEG', '{EU}/dL'],
      ['51003', null, '0.01', '<', null, 'ng/mL'],
      ['51000', null, '100', null, null, 'mg/dL'],
      ['51498', null, '1.015', null, null, null],
      ['51250', null, '84', null, null, 'fL'],
      ['51476', null, null, null, '0-2', '/[HPF]'],
      ['50931', null, '214', null, null, 'mg/dL'],
      ['51519', null, null, null, 'NONE', null],
      ['50920', null, null, null, 'See Comments', null],
      ['51137', null, null, null, '1+', null],
    ]);
    expect(result.records.map((r) => r.interpretation)).toEqual([null, null, null, null, null, null, null, 'A', null, null, null]);
    expect(result.records[5]).toMatchObject({ interpretation: null, interpretation_text: 'delta' });
    expect(Object.fromEntries(Object.entries(result.stats.rules).map(([k, v]) => [k, v.count]))).toEqual({
      'observation_interpretation.unknown': 1,
      'number.range_text': 1,
      'observation.unattributed': 1,
    });
  });

  it('converts Synthea glucose and creatinine to SI units, counting each conversion, and keeps survey text', () => {
    const result = harmonizeRows(
      'lab_results',
      `DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE
2023-08-11T18:37:13Z,3a2fa41c-32a1-ca99-ecd8-fdacae38fc3e,d3862223-2f2c-87b7-8a08-3ce13a6db97c,laboratory,2339-0,Glucose,98.7,mg/dL,numeric
2023-08-11T18:37:13Z,3a2fa41c-32a1-ca99-ecd8-fdacae38fc3e,d3862223-2f2c-87b7-8a08-3ce13a6db97c,laboratory,38483-4,Creatinine,1.1,mg/dL,numeric
2023-10-10T04:17:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,survey,72166-2,Tobacco smoking status NHIS,Never smoker,,text
2023-10-07T05:17:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,,,QALY,QALY,8.0,a,numeric
`,
    );
    expect(result.records.map((r) => [r.code_system, r.category, r.value_quantity, r.value_unit, r.value_text])).toEqual([
      ['http://loinc.org', 'laboratory', '5.48', 'mmol/L', null],
      ['http://loinc.org', 'laboratory', '97.3', 'umol/L', null],
      ['http://loinc.org', 'survey', null, null, 'Never smoker'],
      [null, null, '8', 'a', null],
    ]);
    expect(result.stats.conversions).toEqual({ 'glucose mg/dL->mmol/L': 1, 'creatinine mg/dL->umol/L': 1 });
  });

  it('reads MIMIC microbiology susceptibilities: antibiotic as the code, dilution with its comparator, S/R/I', () => {
    const result = harmonizeRows(
      'lab_results',
      `ROW_ID,SUBJECT_ID,HADM_ID,CHARTDATE,CHARTTIME,SPEC_ITEMID,SPEC_TYPE_DESC,ORG_ITEMID,ORG_NAME,ISOLATE_NUM,AB_ITEMID,AB_NAME,DILUTION_TEXT,DILUTION_COMPARISON,DILUTION_VALUE,INTERPRETATION
134699,10006,142345,2164-10-23 00:00:00,2164-10-23 15:30:00,70012,BLOOD CULTURE,80155,"STAPHYLOCOCCUS, COAGULASE NEGATIVE",1,90011,TETRACYCLINE,<=1,<=,1,S
`,
    );
    expect(result.records[0]).toMatchObject({
      code: '90011', description: 'TETRACYCLINE', value_quantity: '1', value_comparator: '<=', interpretation: 'S', specimen: 'BLOOD CULTURE',
      effective_datetime: '2164-10-23T15:30:00',
    });
  });

  it('rejects an implausible glucose and says which analyte and range', () => {
    const result = harmonizeRows('lab_results', 'MRN,LOINC,Result,Units\n1,2345-7,9000,mg/dL\n');
    expect(result.rejected[0]?.rules).toEqual(['labs.glucose.range']);
    expect(result.rejected[0]?.messages[0]).toContain('0.5-150 mmol/L');
  });
});

describe('vital_signs', () => {
  it('reads Synthea long-form vitals by LOINC code, units as written', () => {
    const result = harmonizeRows(
      'vital_signs',
      `DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,VALUE,UNITS
2023-10-10T04:17:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,8302-2,Body Height,127.9,cm
2023-10-10T04:17:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,29463-7,Body Weight,27.8,kg
2023-10-10T04:17:47Z,3edac2e3-d223-6fae-d515-daf96ef6bc76,0622440b-ab3a-87bf-b0d7-f8145ac11cc5,72514-3,Pain severity - 0-10 verbal numeric rating [Score] - Reported,1.0,{score}
`,
    );
    expect(result.records.map((r) => [r.value_quantity, r.value_unit])).toEqual([['127.9', 'cm'], ['27.8', 'kg'], ['1', '{score}']]);
    expect(result.stats.conversions).toBeUndefined();
  });

  it('converts a wide file by the units in its header and values, and rejects the implausible', () => {
    const result = harmonizeRows(
      'vital_signs',
      `MRN,Timestamp,Pulse,BP Systolic,BP Diastolic,Temp F,Weight (lbs),Height_in,SpO2,RR
1,2024-03-01 08:00,72,120,80,98.6,150,65,97,16
2,2024-03-01 09:00,410,120,80,98.6,150,65,97,16
3,2024-03-01 10:00,80,80,120,37,70 kg,170 cm,99,18
`,
    );
    expect(result.records[0]).toMatchObject({
      heart_rate: '72', systolic_bp: '120', diastolic_bp: '80', body_temperature: '37', body_weight: '68.039',
      body_height: '165.1', oxygen_saturation: '97', respiratory_rate: '16', effective_datetime: '2024-03-01T08:00:00',
    });
    expect(result.rejected.map((r) => [r.row, r.rules])).toEqual([
      [2, ['vitals.heart_rate.range']],
      [3, ['vitals.body_temperature.range', 'vitals.blood_pressure.diastolic_above_systolic']],
    ]);
    expect(result.stats.conversions).toEqual({ 'degF->Cel': 1, 'lb->kg': 1, 'in->cm': 1 });
  });
});
