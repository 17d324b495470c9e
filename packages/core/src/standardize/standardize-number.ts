import type { FieldDefinition } from '../datasets/dataset-definition.js';
import { finding, type RuleCode } from '../validate/rules.js';
import type { Standardized, Standardizer } from './standardize-context.js';

/** A plain number: sign, digits with optional thousands separators, fraction, exponent. */
const NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** A range written where one number belongs: "1-2", "0.5-2", "325 - 650", "10 to 20". */
const RANGE = /^\d+(?:\.\d+)?\s*(?:-|–|to)\s*\d+(?:\.\d+)?$/i;
const CURRENCY = /^[$€£]\s*/;

/**
 * The canonical text of a plain number, or null when `text` is not one. Thousands separators
 * go ("25,000" -> "25000"), as do a plus sign and IEEE float noise (49112.87100000001 ->
 * 49112.871: at most 15 significant digits survive a double anyway). Integers longer than 15
 * digits keep every digit.
 */
export function canonicalNumber(text: string): string | null {
  if (!NUMBER.test(text) || !/\d/.test(text)) return null;
  const plain = text.replace(/,/g, '').replace(/^\+/, '');
  if (/^-?\d{16,}$/.test(plain)) return plain.replace(/^(-?)0+(?=\d)/, '$1');
  const n = Number(plain);
  if (!Number.isFinite(n)) return null;
  const clean = Number(n.toPrecision(15));
  return String(Object.is(clean, -0) ? 0 : clean);
}

export function isRangeText(text: string): boolean {
  return RANGE.test(text);
}

/**
 * decimal and integer fields. Text that is no number is kept, never dropped: in the field's
 * text field when it has one, else under extras, with number.range_text for ranges and
 * number.not_numeric otherwise ("Weight Captured Separately", "See DN-304 (ID#:10589)").
 */
export function createNumberStandardizer(field: Pick<FieldDefinition, 'type' | 'textField'>): Standardizer {
  const integer = field.type === 'integer';
  return (raw, ctx): Standardized => {
    const value = canonicalNumber(raw.replace(CURRENCY, ''));
    if (value !== null && (!integer || /^-?\d+$/.test(value))) return { value };
    const rule: RuleCode = value !== null ? 'number.not_integer' : isRangeText(raw) ? 'number.range_text' : 'number.not_numeric';
    const where = field.textField ? `kept in ${field.textField}` : 'kept under extras';
    const what = rule === 'number.not_integer' ? 'is not a whole number' : rule === 'number.range_text' ? 'holds a range' : 'holds text';
    const result: Standardized = { value: null, findings: [finding(ctx.field, rule, `${ctx.field} ${what}, not a number; ${where}`)] };
    if (field.textField) result.siblings = { [field.textField]: raw };
    else result.keepRaw = true;
    return result;
  };
}
