import { describe, expect, it } from 'vitest';
import { matchHeaders } from '../mapping/match-headers.js';
import type { DatasetName } from '../types.js';
import { inferColumnFormats } from './infer-column-formats.js';

const hintsFor = (dataset: DatasetName, header: string[], rows: string[][]) => inferColumnFormats(matchHeaders(header, dataset), rows);

describe('inferColumnFormats', () => {
  it.each([
    ['one day-first value settles the column', ['03/04/1980', '25/04/1980'], 'dmy', undefined],
    ['one month-first value settles the column', ['03/04/1980', '04/25/1980'], 'mdy', undefined],
    ['every value fits both: month first, marked ambiguous', ['03/04/1980', '01/02/1990'], 'mdy', true],
  ])('%s', (_name, values, dayOrder, ambiguous) => {
    const hints = hintsFor('patients', ['MRN', 'DOB'], values.map((v, i) => [String(i), v]));
    expect(hints[1]).toMatchObject({ dayOrder });
    expect(hints[1]?.ambiguous).toBe(ambiguous);
  });

  it('names the formats of a mixed column, most frequent first (MIMIC PATIENTS.DOB)', () => {
    // MIMIC-III demo PATIENTS.csv DOB values (ODbL v1.0).
    const rows = [['10006', '3/5/94 0:00'], ['10011', '6/5/90 0:00'], ['10017', '9/21/75 0:00'], ['10026', '1895-05-17 00:00:00']];
    expect(hintsFor('patients', ['SUBJECT_ID', 'DOB'], rows)[1]).toEqual({ dayOrder: 'mdy', format: 'M/D/YY H:MM (3) | YYYY-MM-DD HH:MM:SS (1)' });
  });

  it('finds an ICD-9 column from its values when the header does not say (UCI diag_1)', () => {
    const rows = [['1', '250.83'], ['2', 'V57'], ['3', '8'], ['4', '?']];
    expect(hintsFor('encounters', ['encounter_id', 'diag_1'], rows)[1]).toEqual({ codeSystem: 'icd9cm', format: 'ICD-9-CM' });
  });

  it('leaves SNOMED CT columns, and columns whose header names the system, to other means', () => {
    // Synthea conditions codes (Apache-2.0); MIMIC DIAGNOSES_ICD says ICD9 in its header.
    expect(hintsFor('conditions', ['PATIENT', 'CODE'], [['p', '195662009'], ['p', '232353008']])[1]).toBeUndefined();
    expect(hintsFor('conditions', ['SUBJECT_ID', 'ICD9_CODE'], [['1', '99591']])[1]).toBeUndefined();
  });

  it('reads an ICD-10 column as ICD-10 and a mixed one as undecided (E and V codes exist in both)', () => {
    expect(hintsFor('conditions', ['MRN', 'DX'], [['1', 'E11.9'], ['2', 'I10']])[1]?.codeSystem).toBe('icd10cm');
    expect(hintsFor('conditions', ['MRN', 'DX'], [['1', 'I10'], ['2', '250.00']])[1]).toBeUndefined();
  });
});
