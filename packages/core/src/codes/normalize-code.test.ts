import { describe, expect, it } from 'vitest';
import type { CodeSystem } from './code-systems.js';
import { codeFamily, systemFromName, systemInFamily } from './code-systems.js';
import { CODE_MATCHERS, detectCodeSystem } from './normalize-code.js';

type Row = [CodeSystem, string, boolean, string | null, string | undefined];

// Real codes: MIMIC-III demo DIAGNOSES_ICD / PROCEDURES_ICD / CPTEVENTS / PRESCRIPTIONS.NDC
// (ODbL v1.0), UCI diabetes diag_1..3 spellings, Synthea CVX and RxNorm codes (Apache-2.0).
describe('CODE_MATCHERS', () => {
  it.each<Row>([
    ['icd9cm', '99591', false, '995.91', undefined],
    ['icd9cm', 'V090', false, 'V09.0', undefined],
    ['icd9cm', 'E8791', false, 'E879.1', undefined],
    ['icd9cm', '250.83', false, '250.83', undefined],
    ['icd9cm', '250', false, '250', undefined],
    ['icd9cm', 'V57', false, 'V57', undefined],
    ['icd9cm', '4019', false, '401.9', undefined],
    ['icd9cm', '8', true, '008', 'icd.leading_zero_restored'],
    ['icd9cm', '38', true, '038', 'icd.leading_zero_restored'],
    ['icd9cm', '8', false, null, undefined],
    ['icd9cm', '250.831', false, null, undefined],
    ['icd9pcs', '3605', false, '36.05', undefined],
    ['icd9pcs', '966', false, '96.6', undefined],
    ['icd9pcs', '99.04', false, '99.04', undefined],
    ['icd10cm', 'E119', false, 'E11.9', undefined],
    ['icd10cm', 'e11.9', false, 'E11.9', undefined],
    ['icd10cm', 'U071', false, 'U07.1', undefined],
    ['icd10cm', 'S72.001A', false, 'S72.001A', undefined],
    ['icd10cm', '250.83', false, null, undefined],
    ['icd10pcs', '0DTJ4ZZ', false, '0DTJ4ZZ', undefined],
    ['ndc', '00006494300', false, '00006494300', undefined],
    ['ndc', '0006-4943-00', false, '00006494300', undefined],
    ['ndc', '50242-040-62', false, '50242004062', undefined],
    ['ndc', '12345-6789-1', false, '12345678901', undefined],
    ['ndc', '00006-4943-00', false, '00006494300', undefined],
    ['ndc', '6494300', true, '00006494300', 'ndc.leading_zero_restored'],
    ['ndc', '6494300', false, null, undefined],
    ['ndc', '1234567890', false, '1234567890', 'ndc.ambiguous'],
    ['cvx', '08', false, '08', undefined],
    ['cvx', '8', false, '08', 'cvx.leading_zero_restored'],
    ['cvx', '140', false, '140', undefined],
    ['cvx', '1400', false, null, undefined],
    ['rxnorm', '665078', false, '665078', undefined],
    ['rxnorm', 'RX123', false, null, undefined],
    ['cpt', '99254', false, '99254', undefined],
    ['cpt', '0001f', false, '0001F', undefined],
    ['cpt', '0042T', false, '0042T', undefined],
    ['hcpcs', 'j1234', false, 'J1234', undefined],
    ['hcpcs', 'Z1234', false, null, undefined],
    ['loinc', '8302-2', false, '8302-2', undefined],
    ['loinc', '83022', true, '8302-2', undefined],
    ['loinc', '83022', false, null, undefined],
    ['snomed', '195662009', false, '195662009', undefined],
    ['snomed', '051185008', false, null, undefined],
    ['snomed', '224263', false, null, undefined],
    ['npi', '1234567893', false, '1234567893', undefined],
  ])('%s reads %j (known column: %s) as %j', (system, raw, known, code, repair) => {
    const match = CODE_MATCHERS[system](raw, known);
    expect(match?.code ?? null).toBe(code);
    expect(match?.repair).toBe(repair);
    if (match) expect(match.checkFailed ?? false).toBe(false);
  });

  it.each<[CodeSystem, string]>([
    ['loinc', '8302-3'],
    ['snomed', '10939881000119104'],
    ['npi', '1234567890'],
  ])('%s marks %j as a check-digit failure, keeping its form', (system, raw) => {
    expect(CODE_MATCHERS[system](raw, true)).toMatchObject({ code: raw, checkFailed: true });
  });
});

describe('detectCodeSystem', () => {
  const dx: CodeSystem[] = ['snomed', 'icd10cm', 'icd9cm'];
  it.each<[string, readonly CodeSystem[], CodeSystem | null, string | null]>([
    ['195662009', dx, 'snomed', '195662009'],
    ['99591', dx, 'icd9cm', '995.91'],
    ['E119', dx, 'icd10cm', 'E11.9'],
    ['10939881000119104', dx, null, null],
    ['51214', ['loinc', 'local'], 'local', '51214'],
    ['2339-0', ['loinc', 'local'], 'loinc', '2339-0'],
  ])('reads %j among %j as %s', (raw, accepted, system, code) => {
    const detected = detectCodeSystem(raw, accepted);
    expect(detected?.system ?? null).toBe(system);
    expect(detected?.match.code ?? null).toBe(code);
  });
});

describe('code system names', () => {
  it.each([
    ['ICD9_CODE', 'icd9'],
    ['LOINC_CODE', 'loinc'],
    ['CPT_CD', 'cpt'],
    ['ITEMID', 'local'],
    ['NDC', 'ndc'],
    ['SNOMED-CT', 'snomed'],
    ['RxNorm', 'rxnorm'],
    ['CODE', null],
    ['diag_1', null],
  ])('reads the header or name %j as the %s family', (text, family) => expect(codeFamily(text)).toBe(family));

  it('picks the ICD-9 member a field accepts: procedures in a procedures field, diagnoses otherwise', () => {
    expect(systemInFamily('icd9', ['snomed', 'cpt', 'icd9pcs'])).toBe('icd9pcs');
    expect(systemInFamily('icd9', ['snomed', 'icd9cm'])).toBe('icd9cm');
    expect(systemFromName('http://hl7.org/fhir/sid/icd-9-cm', ['icd10cm', 'icd9cm'])).toBe('icd9cm');
    expect(systemFromName('http://hl7.org/fhir/sid/icd-9-cm', ['icd9pcs'])).toBe('icd9pcs');
  });
});
