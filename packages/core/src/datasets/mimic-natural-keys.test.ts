import { describe, expect, it } from 'vitest';
import { harmonizeText } from '../harmonize-text.js';

// Rows from the MIMIC-III Clinical Database Demo v1.4 (PhysioNet; ODbL v1.0).
const run = (dataset: string, csv: string) => harmonizeText(csv, { dataset, referenceDate: '2025-06-15' });
const records = (result: ReturnType<typeof run>) => result.kept.map((k) => JSON.parse(k.json) as Record<string, unknown>);

const MICRO_HEADER = 'ROW_ID,SUBJECT_ID,HADM_ID,CHARTDATE,CHARTTIME,SPEC_ITEMID,SPEC_TYPE_DESC,ORG_ITEMID,ORG_NAME,ISOLATE_NUM,AB_ITEMID,AB_NAME,DILUTION_TEXT,DILUTION_COMPARISON,DILUTION_VALUE,INTERPRETATION';

describe('lab_results from MIMIC MICROBIOLOGYEVENTS', () => {
  it('keeps susceptibilities of the same antibiotic at the same time for different organisms or isolates', () => {
    const result = run('lab_results', `${MICRO_HEADER}
134803,10019,177759,2163-05-14 00:00:00,2163-05-14 21:52:00,70012,BLOOD CULTURE,80055,GRAM POSITIVE COCCUS(COCCI),1,90002,PENICILLIN,<=0.06,<=,0,S
134807,10019,177759,2163-05-14 00:00:00,2163-05-14 21:52:00,70012,BLOOD CULTURE,80172,ENTEROCOCCUS FAECALIS,1,90002,PENICILLIN,2,=,2,S
134822,10026,103770,2195-05-17 00:00:00,2195-05-17 09:12:00,70079,URINE,80218,ENTEROBACTERIACEAE,2,90020,IMIPENEM,<=1,<=,1,S
134834,10026,103770,2195-05-17 00:00:00,2195-05-17 09:12:00,70079,URINE,80218,ENTEROBACTERIACEAE,1,90020,IMIPENEM,<=1,<=,1,S
`);
    expect(result.duplicates).toEqual([]);
    expect(records(result).map((r) => [r.code, r.organism_code, r.organism, r.isolate_number, r.value_comparator, r.value_quantity])).toEqual([
      ['90002', '80055', 'GRAM POSITIVE COCCUS(COCCI)', '1', '<=', '0.06'],
      ['90002', '80172', 'ENTEROCOCCUS FAECALIS', '1', '=', '2'],
      ['90020', '80218', 'ENTEROBACTERIACEAE', '2', '<=', '1'],
      ['90020', '80218', 'ENTEROBACTERIACEAE', '1', '<=', '1'],
    ]);
  });

  it('drops a true duplicate: the same result of the same isolate under another ROW_ID', () => {
    const result = run('lab_results', `${MICRO_HEADER}
134822,10026,103770,2195-05-17 00:00:00,2195-05-17 09:12:00,70079,URINE,80218,ENTEROBACTERIACEAE,2,90020,IMIPENEM,<=1,<=,1,S
134999,10026,103770,2195-05-17 00:00:00,2195-05-17 09:12:00,70079,URINE,80218,ENTEROBACTERIACEAE,2,90020,IMIPENEM,<=1,<=,1,S
`);
    expect(result.duplicates).toEqual([{ row: 2, duplicateOf: 1, kind: 'key' }]);
  });

  it('still deduplicates ordinary labs, which have no organism, by encounter, code and time', () => {
    const result = run('lab_results', `HADM_ID,ITEMID,CHARTTIME,VALUE,VALUEUOM
193924,51214,2115-05-13 14:53:00,226,mg/dL
193924,51214,2115-05-13 14:53:00,227,mg/dL
`);
    expect(result.duplicates).toEqual([{ row: 2, duplicateOf: 1, kind: 'key' }]);
  });
});

const PROCEDURE_EVENTS_HEADER =
  'ROW_ID,SUBJECT_ID,HADM_ID,ICUSTAY_ID,STARTTIME,ENDTIME,ITEMID,VALUE,VALUEUOM,LOCATION,LOCATIONCATEGORY,STORETIME,CGID,ORDERID,LINKORDERID,ORDERCATEGORYNAME,SECONDARYORDERCATEGORYNAME,ORDERCATEGORYDESCRIPTION,ISOPENBAG,CONTINUEINNEXTDEPT,CANCELREASON,STATUSDESCRIPTION,COMMENTS_EDITEDBY,COMMENTS_CANCELEDBY,COMMENTS_DATE';

describe('procedures from MIMIC PROCEDUREEVENTS_MV', () => {
  it('keeps two lines placed at the same minute as two procedures (two orders), and drops the rewritten order, not its replacement', () => {
    const result = run('procedures', `${PROCEDURE_EVENTS_HEADER}
17269,42281,195911,256746,2119-10-17 09:06:00,2119-10-17 20:25:00,224277,679,min,R Antecube,Peripheral - old,2119-10-17 20:25:00,14442,6977009,6977009,Peripheral Lines,,Task,1,0,0,FinishedRunning,,,
17270,42281,195911,256746,2119-10-17 09:06:00,2119-10-18 23:34:00,224277,2308,min,L Antecube,Peripheral - old,2119-10-19 01:31:00,14442,9045155,9045155,Peripheral Lines,,Task,1,0,0,FinishedRunning,,,
19517,42281,195911,221684,2119-11-10 13:00:00,2119-11-10 13:01:00,224385,1,None,,,2119-11-10 16:09:00,17457,2613705,2613705,Intubation/Extubation,,Electrolytes,0,0,1,Rewritten,,RN,2119-11-10 16:09:00
19518,42281,195911,221684,2119-11-10 13:00:00,2119-11-10 13:01:00,224385,1,None,,,2119-11-10 16:10:00,17457,7004723,7004723,Intubation/Extubation,,Electrolytes,0,0,0,FinishedRunning,,,
`);
    expect(result.duplicates).toEqual([]);
    expect(result.report.superseded).toMatchObject({ count: 1, examples: [{ row: 3 }] });
    expect(records(result).map((r) => [r.procedure_id, r.body_site, r.status])).toEqual([
      ['6977009', 'R Antecube', 'completed'],
      ['9045155', 'L Antecube', 'completed'],
      ['7004723', null, 'completed'],
    ]);
  });
});

describe('procedures from MIMIC PROCEDURES_ICD', () => {
  it('writes ICD-9-CM volume 3 codes dotted after two digits, leading zeros kept', () => {
    const result = run('procedures', `ROW_ID,SUBJECT_ID,HADM_ID,SEQ_NUM,ICD9_CODE
3994,10114,167957,1,3605
3995,10114,167957,2,9604
3996,10114,167957,3,0331
3997,10114,167957,4,0014
`);
    expect(records(result).map((r) => [r.code, r.code_system])).toEqual([
      ['36.05', 'http://hl7.org/fhir/sid/icd-9-cm'],
      ['96.04', 'http://hl7.org/fhir/sid/icd-9-cm'],
      ['03.31', 'http://hl7.org/fhir/sid/icd-9-cm'],
      ['00.14', 'http://hl7.org/fhir/sid/icd-9-cm'],
    ]);
    expect(result.report.rules).toEqual([]);
  });
});
