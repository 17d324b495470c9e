import { describe, expect, it } from 'vitest';
import { harmonizeRows } from '../testing/harmonize-rows.js';

// Rows copied from the MIMIC-III Clinical Database Demo (PATIENTS.csv, ADMISSIONS.csv, as
// re-exported through Excel in ../shared/data/external/mimic-iii-demo), Open Data Commons
// Open Database License v1.0; attribution: Johnson, A., Pollard, T., & Mark, R. (2019),
// MIMIC-III Clinical Database Demo (version 1.4), PhysioNet.
const PATIENTS = `ROW_ID,SUBJECT_ID,GENDER,DOB,DOD,DOD_HOSP,DOD_SSN,EXPIRE_FLAG
9467,10006,F,3/5/94 0:00,8/12/65 0:00,8/12/65 0:00,8/12/65 0:00,1
9472,10011,F,6/5/90 0:00,8/28/26 0:00,8/28/26 0:00,,1
9478,10017,F,9/21/75 0:00,9/12/52 0:00,,9/12/52 0:00,1
9486,10026,F,1895-05-17 00:00:00,11/24/95 0:00,,11/24/95 0:00,1
`;

const ADMISSIONS = `ROW_ID,SUBJECT_ID,HADM_ID,ADMITTIME,DISCHTIME,DEATHTIME,ADMISSION_TYPE,ADMISSION_LOCATION,DISCHARGE_LOCATION,INSURANCE,LANGUAGE,RELIGION,MARITAL_STATUS,ETHNICITY,EDREGTIME,EDOUTTIME,DIAGNOSIS,HOSPITAL_EXPIRE_FLAG,HAS_CHARTEVENTS_DATA
12258,10006,142345,10/23/64 21:09,11/1/64 17:15,,EMERGENCY,EMERGENCY ROOM ADMIT,HOME HEALTH CARE,Medicare,,CATHOLIC,SEPARATED,BLACK/AFRICAN AMERICAN,10/23/64 16:43,10/23/64 23:00,SEPSIS,0,1
12263,10011,105331,8/14/26 22:32,8/28/26 18:59,8/28/26 18:59,EMERGENCY,TRANSFER FROM HOSP/EXTRAM,DEAD/EXPIRED,Private,,CATHOLIC,SINGLE,UNKNOWN/NOT SPECIFIED,,,HEPATITIS B,1,1
`;

describe('MIMIC two-digit years', () => {
  it('reads PATIENTS with the latest past century, flags every two-digit year, and rejects the deaths it puts before birth', () => {
    const result = harmonizeRows('patients', PATIENTS);
    expect(result.stats.rules['date.two_digit_year']).toEqual({ severity: 'warning', count: 7 });
    expect(result.rejected.map((r) => r.row)).toEqual([1, 2, 3]);
    for (const rejected of result.rejected) {
      expect(rejected.rules).toContain('deceased_date.before_birth');
      expect(rejected.messages.join(' ')).toMatch(/birth_date and deceased_date were written with a two-digit year.*options\.two_digit_year_base/);
    }
    expect(result.records).toMatchObject([{ patient_id: '10026', birth_date: '1895-05-17', deceased_date: '1995-11-24' }]);
  });

  it('reads PATIENTS with a per-field two_digit_year_base, keeping the four-digit 1895 birth as written', () => {
    const result = harmonizeRows('patients', PATIENTS, { two_digit_year_base: { birth_date: 2000, deceased_date: 2100 } }, null);
    expect(result.rejected).toEqual([]);
    expect(result.stats.rules['date.two_digit_year']).toBeUndefined();
    expect(result.records.map((r) => [r.patient_id, r.birth_date, r.deceased_date])).toEqual([
      ['10006', '2094-03-05', '2165-08-12'],
      ['10011', '2090-06-05', '2126-08-28'],
      ['10017', '2075-09-21', '2152-09-12'],
      ['10026', '1895-05-17', '2195-11-24'],
    ]);
  });

  it('rejects an admission whose discharge lands a century before it, naming the option, and reads it right with the option', () => {
    // On 2126-08-20 the latest past 8/28/26 is 2026: the discharge falls before the 2126 admission.
    const flipped = harmonizeRows('encounters', ADMISSIONS, {}, '2126-08-20');
    expect(flipped.rejected).toHaveLength(1);
    expect(flipped.rejected[0]?.rules).toContain('encounter.end_before_start');
    expect(flipped.rejected[0]?.messages.join(' ')).toMatch(/two-digit year.*two_digit_year_base/);

    const based = harmonizeRows('encounters', ADMISSIONS, { two_digit_year_base: 2100 }, '2126-08-20');
    expect(based.rejected).toEqual([]);
    expect(based.records.map((r) => [r.encounter_id, r.start_datetime, r.end_datetime, r.priority])).toEqual([
      ['142345', '2164-10-23T21:09:00', '2164-11-01T17:15:00', 'EM'],
      ['105331', '2126-08-14T22:32:00', '2126-08-28T18:59:00', 'EM'],
    ]);
    expect(based.stats.formats).toEqual({ start_datetime: 'M/D/YY H:MM', end_datetime: 'M/D/YY H:MM' });
  });
});
