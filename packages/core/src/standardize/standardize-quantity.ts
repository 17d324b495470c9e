import type { FieldDefinition } from '../datasets/dataset-definition.js';
import { findConversion, formatNumber } from '../units/conversions.js';
import { analyteByName, findAnalyte, type Analyte } from '../units/plausibility.js';
import { normalizeUnit } from '../units/ucum.js';
import { finding, namedFinding, type Finding } from '../validate/rules.js';
import { canonicalNumber, isRangeText } from './standardize-number.js';
import type { StandardizeContext, Standardized, Standardizer } from './standardize-context.js';
import { lookupTable } from '../lookup-table.js';

/** Comparator, number, and an optional unit written after it ("<0.01", ">= 8", "150 lb", "98.6F"). */
const QUANTITY = /^(<=|>=|=<|=>|<|>|≤|≥|=)?\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)\s*(.*)$/;
const COMPARATORS: Readonly<Record<string, string>> = lookupTable({ '<': '<', '>': '>', '<=': '<=', '>=': '>=', '=<': '<=', '=>': '>=', '≤': '<=', '≥': '>=' });

export interface QuantityColumn {
  /** The unit the column's header names ("Weight (lbs)"), as UCUM. */
  headerUnit: string | null;
}

/**
 * quantity fields: a measured value with a unit, converted to the canonical unit of the field
 * (body_weight: kg) or of the row's analyte (glucose: mmol/L, from the LOINC code or label), then
 * checked against the analyte's plausible range (units/plausibility.ts). Results that are not
 * numbers are kept as typed values, never rejected and never turned into numbers: `NEG`, `1+`,
 * `See Comments` go to the text field; `<0.01` keeps its number with the comparator; ranges
 * (`0-2`) are text with number.range_text. Where the unit comes from, first found: written
 * after the number, the unit column (unitField), the header, else the canonical unit when the
 * analyte implies it (beats per minute, mm[Hg], %).
 */
export function createQuantityStandardizer(field: FieldDefinition, column: QuantityColumn): Standardizer {
  const fixed = field.analyte ? analyteByName(field.analyte) : undefined;
  return (raw, ctx): Standardized => {
    const m = QUANTITY.exec(raw);
    const written = m?.[3] ? normalizeUnit(m[3]) : null;
    if (!m || (written && !written.known)) return asText(field, raw, ctx.field);
    const number = Number(canonicalNumber(m[2] ?? '') ?? NaN);
    if (!Number.isFinite(number)) return asText(field, raw, ctx.field);
    const comparator = m[1] && m[1] !== '=' ? (COMPARATORS[m[1]] ?? null) : null;
    const analyte = fixed ?? analyteOf(field, ctx);
    const canonical = field.unit ?? analyte?.unit;
    const findings: Finding[] = [];
    let unit = written?.ucum ?? unitOf(field, ctx) ?? column.headerUnit;
    let value = number;
    let conversion: string | undefined;
    let checkRange = analyte !== undefined && comparator === null;
    if (unit === null && canonical !== undefined) {
      if (analyte?.name === 'body_temperature' && number >= 80 && number <= 115) {
        unit = '[degF]';
        findings.push(finding(ctx.field, 'unit.assumed', `${ctx.field} has no unit and is too high for Celsius; read as Fahrenheit`));
      } else if (field.unit !== undefined || analyte?.unitImplied) {
        unit = canonical;
      } else {
        findings.push(finding(ctx.field, 'unit.missing', `${ctx.field} has no unit; not converted or range-checked`));
        checkRange = false;
      }
    }
    if (unit !== null && canonical !== undefined && unit !== canonical) {
      const found = findConversion(unit, canonical, analyte?.name);
      if (found) {
        value = Number(formatNumber(found.convert(number), found.decimals));
        conversion = found.name;
        unit = canonical;
      } else {
        findings.push(finding(ctx.field, 'unit.incompatible', `${ctx.field} is in a unit that does not convert to ${canonical}; kept as written`));
        checkRange = false;
      }
    }
    if (checkRange && analyte && (value < analyte.min || value > analyte.max)) {
      findings.push(rangeFinding(ctx.field, analyte));
    }
    const result: Standardized = { value: conversion ? String(value) : String(Number(number.toPrecision(15))) };
    const siblings: Record<string, string | null> = {};
    if (field.unitField) siblings[field.unitField] = unit;
    if (field.comparatorField && comparator) siblings[field.comparatorField] = comparator;
    if (Object.keys(siblings).length > 0) result.siblings = siblings;
    if (conversion) result.conversion = conversion;
    if (findings.length > 0) result.findings = findings;
    return result;
  };
}

function rangeFinding(field: string, analyte: Analyte): Finding {
  return namedFinding(
    field,
    `${analyte.kind}.${analyte.name}.range`,
    'error',
    `${field} is outside the plausible range for ${analyte.name.replace(/_/g, ' ')} (${analyte.min}-${analyte.max} ${analyte.unit})`,
  );
}

function analyteOf(field: FieldDefinition, ctx: StandardizeContext): Analyte | undefined {
  const [codeField, labelField] = field.analyteFrom ?? [];
  if (!codeField || !ctx.record) return undefined;
  return findAnalyte(ctx.record[codeField], labelField ? ctx.record[labelField] : null);
}

function unitOf(field: FieldDefinition, ctx: StandardizeContext): string | null {
  return field.unitField ? (ctx.record?.[field.unitField] ?? null) : null;
}

/** A result that is not a number: into the text field (no warning: text results are results), else extras. */
function asText(field: FieldDefinition, raw: string, name: string): Standardized {
  const range = isRangeText(raw);
  const findings: Finding[] = [];
  if (range) findings.push(finding(name, 'number.range_text', `${name} holds a range, kept as text`));
  else if (!field.textField) findings.push(finding(name, 'number.not_numeric', `${name} holds text, not a number; kept under extras`));
  const result: Standardized = { value: null };
  if (field.textField) result.siblings = { [field.textField]: raw };
  else result.keepRaw = true;
  if (findings.length > 0) result.findings = findings;
  return result;
}
