import { describe, expect, it } from 'vitest';
import { harmonizeText } from './harmonize-text.js';
import type { HarmonizeOptions } from './types.js';
import { csvHeader } from './writers/csv-line.js';

const REFERENCE_DATE = '2025-06-15';

/** Runs a small CSV file through the whole pipeline and returns processChunk's view of it. */
function harmonizeCsv(text: string, options: HarmonizeOptions = {}, referenceDate: string | null = REFERENCE_DATE) {
  const { chunk } = harmonizeText(text, { dataset: 'patients', options, ...(referenceDate ? { referenceDate } : {}) });
  return {
    ...chunk,
    json: chunk.accepted.map((a) => JSON.parse(a.json) as Record<string, unknown>),
    rejected: chunk.rejects.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** The first five rows of ohdsi-dbt-synthea seeds/synthea/patients.csv (Apache-2.0), unchanged. */
const SYNTHEA = `Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE
3edac2e3-d223-6fae-d515-daf96ef6bc76,2014-10-06,,999-17-5017,,,,Maynard46,Mosciski958,,,,white,nonhispanic,M,Boston  Massachusetts  US,784 Stamm Lock Unit 46,Somerville,Massachusetts,Middlesex County,02155,42.36877442769006,-71.15168585038569,227761.06,2546.04
9d188916-8390-282b-3ec2-73fce6e08649,2008-04-07,,999-50-8136,,,,Curt84,Schmidt332,,,,white,nonhispanic,M,Duxbury  Massachusetts  US,171 Kemmer Neck Apt 30,Mashpee,Massachusetts,Barnstable County,,41.650023464918554,-70.46398463383107,49112.87100000001,16774.548999999995
1d3d16ce-a3a4-5e9e-1b4d-58a391895443,1996-06-05,,999-66-5642,S99994942,X79835501X,Ms.,Jackie93,Okuneva707,,,S,white,nonhispanic,F,Marlborough  Massachusetts  US,455 Labadie Underpass Suite 69,Winchester,Massachusetts,Middlesex County,01890,42.48519877416328,-71.1299897464768,868661.5575000001,208.16249999999982
261ad2a4-7c6f-da54-6a5b-3441beab9a6a,1973-10-28,1976-07-25,999-45-3308,,,,Gene733,Mann644,,,,white,nonhispanic,M,Boxborough  Massachusetts  US,940 Daniel Union,Orleans,Massachusetts,Barnstable County,02653,41.79643677141291,-69.97373209607235,181953.32,2438.6699999999996
3a2fa41c-32a1-ca99-ecd8-fdacae38fc3e,1963-06-14,,999-94-7159,S99996393,X67995973X,Mrs.,Jetta614,DuBuque211,,Conroy74,M,white,nonhispanic,F,Revere  Massachusetts  US,1028 Sawayn Throughway Apt 89,Framingham,Massachusetts,Middlesex County,01701,42.27661290842522,-71.46899989662302,1519229.8175000006,218443.67250000002
`;

describe('processChunk on Synthea patients', () => {
  const result = harmonizeCsv(SYNTHEA);

  it('accepts every row with no issues', () => {
    expect(result.accepted.map((a) => a.row)).toEqual([1, 2, 3, 4, 5]);
    expect(result.rejects).toEqual([]);
    expect(result.stats).toMatchObject({ rowsIn: 5, rowsRejected: 0, rowsBlank: 0, rules: {} });
  });

  it('writes canonical JSON with unmapped columns under extras and the source row', () => {
    expect(result.json[0]).toEqual({
      patient_id: '3edac2e3-d223-6fae-d515-daf96ef6bc76', given_name: 'Maynard46', middle_name: null,
      family_name: 'Mosciski958', prefix: null, suffix: null, gender: 'male', birth_date: '2014-10-06',
      deceased_date: null, address_line: '784 Stamm Lock Unit 46', city: 'Somerville', state: 'MA',
      postal_code: '02155', country: null, phone: null, email: null, ssn: '999-17-5017', marital_status: null,
      extras: {
        RACE: 'white', ETHNICITY: 'nonhispanic', BIRTHPLACE: 'Boston  Massachusetts  US', COUNTY: 'Middlesex County',
        LAT: '42.36877442769006', LON: '-71.15168585038569', HEALTHCARE_EXPENSES: '227761.06', HEALTHCARE_COVERAGE: '2546.04',
      },
      _row: 1,
    });
  });

  it('keeps prefixes, marital codes, death dates and empty ZIPs', () => {
    expect(result.json[2]).toMatchObject({ prefix: 'Ms.', marital_status: 'S', gender: 'female', postal_code: '01890' });
    expect(result.json[3]).toMatchObject({ deceased_date: '1976-07-25' });
    expect(result.json[1]).toMatchObject({ postal_code: null });
  });

  it('writes CSV lines with the header columns, quoting the extras JSON', () => {
    const width = csvHeader('patients').split(',').length;
    const line = result.accepted[0]?.csv ?? '';
    expect(line.startsWith('3edac2e3-d223-6fae-d515-daf96ef6bc76,Maynard46,,Mosciski958,,,male,2014-10-06,,784 Stamm Lock Unit 46,Somerville,MA,02155,,,,999-17-5017,,"{""RACE"":""white""')).toBe(true);
    expect(line.endsWith('}",1')).toBe(true);
    expect(width).toBe(20);
  });

  it('gives distinct rows distinct keys, keyed by patient_id by default', () => {
    expect(new Set(result.accepted.map((a) => a.exactKey)).size).toBe(5);
    expect(new Set(result.accepted.map((a) => a.dedupKey)).size).toBe(5);
  });

  it('counts filled fields over accepted rows', () => {
    expect(result.stats.filled).toMatchObject({ patient_id: 5, prefix: 2, deceased_date: 1, postal_code: 4, phone: 0 });
  });
});

/** A hand-written messy patients file: semicolons, CRLF, odd formats, one problem per row. */
const MESSY = [
  'MRN;Last Name;First Name;DOB;Sex;Phone;E-mail;ZIP;State;Date of Death;Notes',
  "001;O'BRIEN;mary ann;03/05/1994;F;(617) 884-8300;Mary@Example.COM;2155;massachusetts;;\"likes; semicolons\"",
  '002;Smith;John;1990-13-45;M;;;;;;',
  ';;Ann;2000-01-01;F;;;;;;',
  '003;Doe;Jane;2099-01-01;W;;;;;;',
  '004;Old;Man;1850-01-01;M;;;;;;',
  '005;Dead;Early;1950-01-01;M;;;;;1940-01-01;',
  '006;Lee;Kim;12 Jan 1980;X;555-0000;not-an-email;;NY;;',
  '007;Roe;Rick;19800112;?;+44 20 7946 0958;;02134-1234;;;',
  '008;Short;Row;2001-02-03',
  '',
  '009;Long;Row;2001-02-03;F;;;;;;;surplus',
  '010;Quote;"Multi',
  'Line";1/2/03;u;;;;;;',
].join('\r\n');

describe('processChunk on a messy file', () => {
  const result = harmonizeCsv(MESSY);
  const byRow = new Map(result.json.map((r) => [r._row, r]));

  it.each([
    [2, 'birth_date', 'date.unparseable'],
    [3, 'patient_id', 'patient.unidentifiable'],
    [4, 'birth_date', 'birth_date.future'],
    [5, 'birth_date', 'age.over_125'],
    [6, 'deceased_date', 'deceased_date.before_birth'],
  ])('rejects row %i on %s with %s', (row, field, rule) => {
    expect(result.rejected.find((r) => r.row === row)).toMatchObject({ field, rule, severity: 'error' });
  });

  it('standardizes the accepted rows', () => {
    expect(byRow.get(1)).toMatchObject({
      patient_id: '001', family_name: "O'Brien", given_name: 'Mary Ann', birth_date: '1994-03-05', gender: 'female',
      phone: '+16178848300', email: 'mary@example.com', postal_code: '02155', state: 'MA',
      extras: { Notes: 'likes; semicolons' },
    });
    expect(byRow.get(7)).toMatchObject({ birth_date: '1980-01-12', gender: 'other', phone: null, email: null, state: 'NY' });
    expect(byRow.get(8)).toMatchObject({ birth_date: '1980-01-12', gender: null, phone: '+442079460958', postal_code: '02134-1234' });
    expect(byRow.get(12)).toMatchObject({ given_name: 'Multi Line', birth_date: '2003-01-02', gender: 'unknown' });
  });

  it('numbers rows by data record, counting blank lines but not lines inside quoted fields', () => {
    expect([...byRow.keys()]).toEqual([1, 7, 8, 9, 11, 12]);
    expect(result.stats).toMatchObject({ rowsIn: 11, rowsRejected: 5, rowsBlank: 1 });
  });

  it('keeps ragged rows with a row.column_count warning and surplus cells under extras', () => {
    expect(byRow.get(9)).toMatchObject({ family_name: 'Short', gender: null });
    expect(byRow.get(11)).toMatchObject({ extras: { column_12: 'surplus' } });
    expect(result.stats.rules['row.column_count']).toEqual({ severity: 'warning', count: 2 });
  });

  it('counts every rule, warnings of rejected rows included', () => {
    expect(result.stats.rules).toMatchObject({
      'postal_code.leading_zero_restored': { severity: 'warning', count: 1 },
      'phone.invalid': { severity: 'warning', count: 1 },
      'email.invalid': { severity: 'warning', count: 1 },
      'date.two_digit_year': { severity: 'warning', count: 1 },
      'date.unparseable': { severity: 'error', count: 1 },
      'patient.unidentifiable': { severity: 'error', count: 1 },
    });
  });

  it('never puts a cell value into a reject line', () => {
    const text = result.rejects.join('\n');
    for (const value of ['1990-13-45', '2099-01-01', '1850-01-01', 'Smith', 'Early']) expect(text).not.toContain(value);
  });

  it('lists all issues of a rejected row with the row number', () => {
    const row6 = result.rejected.find((r) => r.row === 6);
    expect(row6?.issues).toEqual([
      { row: 6, field: 'deceased_date', rule: 'deceased_date.before_birth', severity: 'error', message: 'deceased_date is before birth_date' },
    ]);
  });
});
