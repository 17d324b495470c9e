import { describe, expect, it } from 'vitest';
import { ANALYTES } from '../units/plausibility.js';
import { VOCABULARIES } from '../vocab/vocabularies.js';
import { isLuhnValid, isNpiValid, isVerhoeffValid, loincCheckDigit } from './check-digits.js';

// LOINC codes from MIMIC-III demo D_LABITEMS.LOINC_CODE (ODbL v1.0) and Synthea observations
// (Apache-2.0); SNOMED CT codes from Synthea conditions, procedures and allergies.
describe('loincCheckDigit', () => {
  it.each([
    '8302-2', '29463-7', '8867-4', '2339-0', '38483-4', '72514-3', '19991-9', '11555-0', '17107-4', '10535-3',
    '17799-8', '14236-4', '26447-3', '12230-9', '51633-6', '17221-3', '7795-8', '24429-3', '20569-0', '11558-4',
  ])('accepts the real LOINC %s', (code) => {
    const [number = '', check = ''] = code.split('-');
    expect(loincCheckDigit(number)).toBe(Number(check));
  });

  it('catches the one MIMIC D_LABITEMS code whose check digit is wrong (5895-7; the mod 10 digit is 8)', () => {
    expect(loincCheckDigit('5895')).toBe(8);
  });

  it('holds for every LOINC code in the plausibility table', () => {
    for (const analyte of ANALYTES) {
      for (const code of analyte.loinc) {
        const [number = '', check = ''] = code.split('-');
        expect(loincCheckDigit(number), `${analyte.name} ${code}`).toBe(Number(check));
      }
    }
  });
});

describe('isVerhoeffValid (SNOMED CT)', () => {
  it.each(['195662009', '10509002', '105531004', '1121000119107', '124171000119105', '428211000124100', '111088007', '84489001'])(
    'accepts the Synthea SNOMED CT code %s',
    (code) => expect(isVerhoeffValid(code)).toBe(true),
  );

  it.each([
    ['a transposition', '195662090'],
    ['one digit off', '195662008'],
    ['the Synthea seed code with a wrong check digit', '10939881000119104'],
  ])('rejects %s', (_name, code) => expect(isVerhoeffValid(code)).toBe(false));

  it('holds for every SNOMED CT route code in the route vocabulary', () => {
    for (const code of Object.keys(VOCABULARIES.route.codes)) expect(isVerhoeffValid(code), code).toBe(true);
  });
});

describe('Luhn and NPI', () => {
  it.each([
    ['the CMS example NPI', '1234567893', true],
    ['an NPI with a wrong check digit', '1234567890', false],
    ['nine digits', '123456789', false],
    ['letters', '12345678AB', false],
  ])('%s', (_name, npi, valid) => expect(isNpiValid(npi)).toBe(valid));

  it('validates a card-style Luhn number and rejects its neighbour', () => {
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
  });
});
