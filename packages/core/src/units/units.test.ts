import { describe, expect, it } from 'vitest';
import { CONVERSIONS, findConversion, formatNumber } from './conversions.js';
import { unitFromHeader } from './header-unit.js';
import { analyteByName, ANALYTES, findAnalyte } from './plausibility.js';
import { normalizeUnit } from './ucum.js';

// Unit spellings from MIMIC-III demo LABEVENTS, PRESCRIPTIONS and INPUTEVENTS_MV (ODbL v1.0) and
// Synthea observations (Apache-2.0).
describe('normalizeUnit', () => {
  it.each([
    ['mg/dL', 'mg/dL'], ['MG/DL', 'mg/dL'], ['mEq/L', 'meq/L'], ['MEQ/L', 'meq/L'], ['mEq', 'meq'], ['mEq.', 'meq'],
    ['g', 'g'], ['gm', 'g'], ['grams', 'g'], ['mm Hg', 'mm[Hg]'], ['MM HG', 'mm[Hg]'], ['mm[Hg]', 'mm[Hg]'],
    ['ml', 'mL'], ['mL', 'mL'], ['ng/ml', 'ng/mL'], ['sec', 's'], ['SECONDS', 's'], ['mOsm/kg', 'mosm/kg'],
    ['MOSM/KG', 'mosm/kg'], ['units', 'U'], ['UNIT', 'U'], ['K/uL', '10*3/uL'], ['m/uL', '10*6/uL'], ['#/hpf', '/[HPF]'],
    ['IU/L', '[iU]/L'], ['uIU/mL', 'u[iU]/mL'], ['{score}', '{score}'], ['{#}', '{#}'], ['/min', '/min'], ['Cel', 'Cel'],
    ['kg/m2', 'kg/m2'], ['10*3/uL', '10*3/uL'], ['TAB', '{tbl}'], ['PUFF', '{puff}'], ['NEB', '{neb}'], ['Appl', '{appl}'],
    ['mcg/hr', 'ug/h'], ['mL/hour', 'mL/h'], ['mEq./hour', 'meq/h'], ['mg/kg/hour', 'mg/kg/h'], ['grams/min', 'g/min'],
    ['units/hour', 'U/h'], ['lbs', '[lb_av]'], ['°F', '[degF]'], ['in', '[in_i]'],
  ])('%j -> %j', (raw, ucum) => expect(normalizeUnit(raw)).toEqual({ ucum, known: true }));

  it.each(['+/-', 'Pos/Neg', 'furlongs'])('keeps the unknown unit %j as written, marked unknown', (raw) => {
    expect(normalizeUnit(raw)).toEqual({ ucum: raw, known: false });
  });
});

describe('conversions', () => {
  it.each([
    ['[lb_av]', 'kg', undefined, 150, '68.039', 'lb->kg'],
    ['[oz_av]', 'kg', undefined, 120, '3.402', 'oz->kg'],
    ['[in_i]', 'cm', undefined, 60, '152.4', 'in->cm'],
    ['[degF]', 'Cel', undefined, 98.6, '37', 'degF->Cel'],
    ['[degF]', 'Cel', undefined, 101.3, '38.5', 'degF->Cel'],
    ['mg/dL', 'mmol/L', 'glucose', 226, '12.54', 'glucose mg/dL->mmol/L'],
    ['mg/dL', 'mmol/L', 'cholesterol_total', 200, '5.17', 'cholesterol mg/dL->mmol/L'],
    ['mg/dL', 'mmol/L', 'triglycerides', 150, '1.69', 'triglycerides mg/dL->mmol/L'],
    ['mg/dL', 'umol/L', 'creatinine', 1.1, '97.3', 'creatinine mg/dL->umol/L'],
    ['meq/L', 'mmol/L', 'potassium', 4.2, '4.2', 'meq/L->mmol/L'],
  ])('%s -> %s (%s): %d -> %s by %s', (from, to, analyte, value, expected, name) => {
    const conversion = findConversion(from, to, analyte);
    expect(conversion?.name).toBe(name);
    expect(formatNumber(conversion!.convert(value), conversion!.decimals)).toBe(expected);
  });

  it('converts mass to substance concentration only for the analyte whose molar mass it uses', () => {
    expect(findConversion('mg/dL', 'mmol/L', 'sodium')).toBeUndefined();
    expect(findConversion('mg/dL', 'mmol/L', undefined)).toBeUndefined();
  });

  it('names every conversion uniquely (the report counts them by name)', () => {
    const names = CONVERSIONS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('analytes', () => {
  it.each([
    ['8867-4', null, 'heart_rate'],
    ['2339-0', 'Glucose', 'glucose'],
    [null, 'Body Weight', 'body_weight'],
    ['51214', 'Heart  Rate', 'heart_rate'],
    ['5792-7', 'Glucose [Mass/volume] in Urine by Test strip', undefined],
  ])('finds the analyte of code %j, label %j: %s', (code, label, name) => {
    expect(findAnalyte(code, label)?.name).toBe(name);
  });

  it('gives every analyte a canonical unit and a range with min below max', () => {
    for (const a of ANALYTES) {
      expect(a.min, a.name).toBeLessThan(a.max);
      expect(normalizeUnit(a.unit), a.name).toEqual({ ucum: a.unit, known: true });
    }
    expect(analyteByName('body_temperature')?.unit).toBe('Cel');
  });
});

describe('unitFromHeader', () => {
  it.each([
    ['Weight (lbs)', '[lb_av]'],
    ['Temp_F', '[degF]'],
    ['height in', '[in_i]'],
    ['Weight (kilograms)', 'kg'],
    ['Pulse (bpm)', '/min'],
    ['TempF', '[degF]'],
    ['Heart Rate', null],
    ['Weight', null],
    ['BP Systolic', null],
  ])('%j names the unit %j', (header, unit) => expect(unitFromHeader(header)).toBe(unit));
});
