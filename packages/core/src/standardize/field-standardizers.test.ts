import { describe, expect, it } from 'vitest';
import type { FieldDefinition, FieldType } from '../datasets/dataset-definition.js';
import type { StandardizeContext } from './standardize-context.js';
import { createFieldStandardizer, type ColumnContext } from './standardizers.js';

const ctx = (record: Record<string, string | null> = {}): StandardizeContext => ({
  field: 'f', referenceDate: '2025-06-15', defaultCountry: 'US', country: null, record,
});
const def = (type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  name: 'f', type, required: false, synonyms: [], fhirPath: '', ...extra,
});
const run = (field: FieldDefinition, raw: string, record?: Record<string, string | null>, column: ColumnContext = {}) =>
  createFieldStandardizer(field, column)(raw, ctx(record));
const rules = (result: { findings?: { rule: string }[] }) => (result.findings ?? []).map((f) => f.rule);

describe('datetime', () => {
  it.each([
    ['2016-04-29T18:38:08Z', '2016-04-29T18:38:08Z'],
    ['1989-10-04T02:25:16-04:00', '1989-10-04T02:25:16-04:00'],
    ['2164-10-23 21:10:15', '2164-10-23T21:10:15'],
    ['2014-10-06', '2014-10-06'],
    ['07/01/2014', '2014-07-01'],
  ])('keeps the time and offset of %j: %j', (raw, value) => expect(run(def('datetime'), raw).value).toBe(value));

  it('drops the time in a date field', () => expect(run(def('date'), '2016-04-29T18:38:08Z').value).toBe('2016-04-29'));

  it('flags the epoch and 1900-01-01 as sentinels, keeping them', () => {
    const result = run(def('datetime'), '1970-01-01T00:00:00Z');
    expect([result.value, rules(result)]).toEqual(['1970-01-01T00:00:00Z', ['date.sentinel']]);
    expect(rules(run(def('date'), '1900-01-01'))).toEqual(['date.sentinel']);
  });

  it('flags a two-digit year read against the processing date, not one read with a base', () => {
    expect(rules(run(def('datetime'), '10/23/64 21:09'))).toEqual(['date.two_digit_year']);
    const based = run(def('datetime'), '10/23/64 21:09', {}, { twoDigitYearBase: 2100 });
    expect([based.value, rules(based), based.twoDigitYear]).toEqual(['2164-10-23T21:09:00', [], true]);
  });

  it('keeps a placeholder under extras with a warning where the field allows it, else rejects it', () => {
    const kept = run(def('date', { placeholders: true }), 'Pre-PQ Process');
    expect([kept.value, kept.keepRaw, rules(kept)]).toEqual([null, true, ['date.placeholder']]);
    expect(rules(run(def('date'), 'Date Not Captured'))).toEqual(['date.unparseable']);
  });

  it.each(['?', 'unknown', 'Not Available', 'NA', 'null', '', '  '])('reads %j as no date', (raw) => {
    expect(run(def('datetime'), raw)).toEqual({ value: null });
  });
});

describe('decimal and integer', () => {
  it.each<[FieldType, string, string | null, string[]]>([
    ['decimal', '25,000', '25000', []],
    ['decimal', '0.5', '0.5', []],
    ['decimal', '49112.87100000001', '49112.871', []],
    ['decimal', '16774.548999999995', '16774.549', []],
    ['decimal', '0.00', '0', []],
    ['decimal', '-71.15168585038569', '-71.1516858503857', []],
    ['decimal', '$1,234.50', '1234.5', []],
    ['decimal', '1-2', null, ['number.range_text']],
    ['decimal', '325-650', null, ['number.range_text']],
    ['decimal', 'Weight Captured Separately', null, ['number.not_numeric']],
    ['decimal', 'See DN-304 (ID#:10589)', null, ['number.not_numeric']],
    ['decimal', 'NaN', null, []],
    ['decimal', 'Not Available', null, []],
    ['decimal', '-', null, []],
    ['integer', '1.0', '1', []],
    ['integer', '29872499824296', '29872499824296', []],
    ['integer', '1.5', null, ['number.not_integer']],
  ])('%s %j -> %j %j', (type, raw, value, expected) => {
    const result = run(def(type), raw);
    expect([result.value, rules(result)]).toEqual([value, expected]);
    if (expected.length > 0) expect(result.keepRaw).toBe(true);
  });

  it('puts a range into the text field when the field has one', () => {
    expect(run(def('decimal', { textField: 'f_text' }), '1-2')).toMatchObject({ value: null, siblings: { f_text: '1-2' } });
  });
});

describe('boolean', () => {
  it.each([['true', 'true'], ['FALSE', 'false'], ['Y', 'true'], ['n', 'false'], ['1', 'true'], ['0', 'false'], ['Yes', 'true'], ['No', 'false']])(
    '%j -> %j',
    (raw, value) => expect(run(def('boolean'), raw).value).toBe(value),
  );

  it('keeps a non-boolean under extras with a warning', () => {
    expect(run(def('boolean'), 'maybe')).toMatchObject({ value: null, keepRaw: true, findings: [{ rule: 'boolean.invalid' }] });
  });
});

describe('quantity', () => {
  const result = def('quantity', { unitField: 'u', comparatorField: 'cmp', textField: 'txt', analyteFrom: ['code', 'label'], notMissing: ['NONE'] });
  it.each<[string, Record<string, string | null>, string | null, Record<string, string | null>, string[]]>([
    ['NEG', { u: 'mg/dL' }, null, { txt: 'NEG' }, []],
    ['1+', {}, null, { txt: '1+' }, []],
    ['See Comments', {}, null, { txt: 'See Comments' }, []],
    ['NONE', {}, null, { txt: 'NONE' }, []],
    ['0-2', {}, null, { txt: '0-2' }, ['number.range_text']],
    ['<0.01', { u: 'ng/mL' }, '0.01', { cmp: '<', u: 'ng/mL' }, []],
    ['>=8', {}, '8', { cmp: '>=' }, []],
    ['=>8', {}, '8', { cmp: '>=' }, []],
    ['226', { code: '2339-0', u: 'mg/dL' }, '12.54', { u: 'mmol/L' }, []],
    ['1.1', { label: 'Creatinine', u: 'mg/dL' }, '97.3', { u: 'umol/L' }, []],
    ['72', { code: '8867-4', u: null }, '72', { u: '/min' }, []],
    ['720', { code: '8867-4', u: '/min' }, '720', { u: '/min' }, ['vitals.heart_rate.range']],
    ['<0.5', { code: '2339-0', u: 'mmol/L' }, '0.5', { cmp: '<', u: 'mmol/L' }, []],
    ['90', { code: '2339-0', u: null }, '90', { u: null }, ['unit.missing']],
    ['5', { code: '2339-0', u: 'g/dL' }, '5', { u: 'g/dL' }, ['unit.incompatible']],
    ['1.0', { code: '72514-3', u: '{score}' }, '1', { u: '{score}' }, []],
  ])('%j with %j -> %j %j %j', (raw, record, value, siblings, expected) => {
    const out = run(result, raw, { code: null, label: null, u: null, ...record });
    expect([out.value, rules(out)]).toEqual([value, expected]);
    expect(out.siblings).toMatchObject(siblings);
  });

  const weight = def('quantity', { unit: 'kg', analyte: 'body_weight' });
  const temp = def('quantity', { unit: 'Cel', analyte: 'body_temperature' });
  it.each<[FieldDefinition, string, ColumnContext, string | null, string | undefined, string[]]>([
    [weight, '150', { headerUnit: '[lb_av]' }, '68.039', 'lb->kg', []],
    [weight, '150 lb', {}, '68.039', 'lb->kg', []],
    [weight, '70', {}, '70', undefined, []],
    [weight, '7000', {}, '7000', undefined, ['vitals.body_weight.range']],
    [temp, '98.6', {}, '37', 'degF->Cel', ['unit.assumed']],
    [temp, '98.6', { headerUnit: '[degF]' }, '37', 'degF->Cel', []],
    [temp, '37.2', {}, '37.2', undefined, []],
    [temp, 'warm', {}, null, undefined, ['number.not_numeric']],
  ])('wide-form %#: %j -> %j by %s', (field, raw, column, value, conversion, expected) => {
    const out = run(field, raw, {}, column);
    expect([out.value, out.conversion, rules(out)]).toEqual([value, conversion, expected]);
  });
});

describe('codes, systems, vocabularies and units', () => {
  const code = def('clinical_code', { codeSystems: ['snomed', 'icd10cm', 'icd9cm'], systemField: 'sys' });
  it.each<[string, Record<string, string | null>, ColumnContext, string, string | null, string[]]>([
    ['99591', {}, { codeSystem: 'icd9cm' }, '995.91', 'http://hl7.org/fhir/sid/icd-9-cm', []],
    ['8', {}, { codeSystem: 'icd9cm' }, '008', 'http://hl7.org/fhir/sid/icd-9-cm', ['icd.leading_zero_restored']],
    ['195662009', {}, {}, '195662009', 'http://snomed.info/sct', []],
    ['V090', { sys: 'http://hl7.org/fhir/sid/icd-9-cm' }, {}, 'V09.0', 'http://hl7.org/fhir/sid/icd-9-cm', []],
    ['ABC', {}, { codeSystem: 'icd9cm' }, 'ABC', 'http://hl7.org/fhir/sid/icd-9-cm', ['code.invalid_format']],
    ['ABC', {}, {}, 'ABC', null, ['code.unrecognized']],
  ])('code %j (row %j, column %j) -> %j in %j', (raw, record, column, value, system, expected) => {
    const out = run(code, raw, { sys: null, ...record }, column);
    expect([out.value, out.siblings?.sys ?? null, rules(out)]).toEqual([value, system, expected]);
  });

  it('reads NDC 0 as no NDC where the field says so', () => {
    const ndc = def('clinical_code', { codeSystems: ['ndc'], missingValues: ['0'] });
    expect(run(ndc, '0')).toEqual({ value: null });
    expect(run(ndc, '00006494300').value).toBe('00006494300');
  });

  it.each([['SNOMED-CT', 'http://snomed.info/sct', []], ['RxNorm', 'http://www.nlm.nih.gov/research/umls/rxnorm', []], ['Local X', 'Local X', ['code_system.unknown']]])(
    'code system %j -> %j',
    (raw, value, expected) => {
      const out = run(def('code_system'), raw);
      expect([out.value, rules(out)]).toEqual([value, expected]);
    },
  );

  it('maps a coded value and keeps the spelling; reports an unknown one', () => {
    const route = def('coded', { vocabulary: 'route', textField: 'route_text' });
    expect(run(route, 'IV DRIP')).toEqual({ value: '47625008', siblings: { route_text: 'IV DRIP' } });
    expect(run(route, 'DIALYS')).toMatchObject({ value: null, siblings: { route_text: 'DIALYS' }, findings: [{ rule: 'route.unknown' }] });
    expect(run(def('coded', { vocabulary: 'marital_status' }), 'ENGAGED')).toMatchObject({ value: null, keepRaw: true });
  });

  it.each([['MG/DL', 'mg/dL', []], ['mEq.', 'meq', []], [' ', null, []], ['+/-', '+/-', ['unit.unrecognized']]])('unit %j -> %j', (raw, value, expected) => {
    const out = run(def('unit'), raw);
    expect([out.value, rules(out)]).toEqual([value, expected]);
  });
});

describe('missing-value markers', () => {
  const types: FieldType[] = ['text', 'decimal', 'integer', 'boolean', 'datetime', 'clinical_code', 'coded', 'unit', 'quantity'];
  const extras: Partial<Record<FieldType, Partial<FieldDefinition>>> = { coded: { vocabulary: 'route' }, clinical_code: { codeSystems: ['local'] } };
  it.each(['?', 'Not Available', 'None', 'N/A', 'NA', 'null', '', '   ', 'NaN', '#N/A'])('reads %j as empty in every field type', (raw) => {
    for (const type of types) expect(run(def(type, extras[type]), raw), type).toEqual({ value: null });
  });

  it('keeps None as a value where the field says it is one (a urinalysis result: none seen)', () => {
    const value = def('quantity', { textField: 'txt', notMissing: ['None', 'NONE'] });
    expect(run(value, 'None')).toEqual({ value: null, siblings: { txt: 'None' } });
  });

  it("reads a field's own markers as empty: MIMIC's NDC 0, Synthea's insurance id 0", () => {
    expect(run(def('id', { missingValues: ['0'] }), '0')).toEqual({ value: null });
    expect(run(def('id'), '0')).toEqual({ value: '0' });
  });
});
