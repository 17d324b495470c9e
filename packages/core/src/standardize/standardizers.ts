import type { FieldDefinition, FieldType } from '../datasets/dataset-definition.js';
import { isMissingValue, type MissingKind } from './missing-value.js';
import type { StandardizeContext, Standardized, Standardizer } from './standardize-context.js';
import { standardizeBoolean } from './standardize-boolean.js';
import { createCodeStandardizer, standardizeCodeSystem } from './standardize-code.js';
import { createCodedStandardizer } from './standardize-coded.js';
import { standardizeCountry } from './standardize-country.js';
import { createDateStandardizer } from './standardize-date.js';
import { standardizeEmail } from './standardize-email.js';
import { standardizeGender } from './standardize-gender.js';
import { standardizeNameField, standardizeSuffix } from './standardize-name.js';
import { createNumberStandardizer } from './standardize-number.js';
import { standardizePhone } from './standardize-phone.js';
import { standardizePostalCode } from './standardize-postal-code.js';
import { createQuantityStandardizer } from './standardize-quantity.js';
import { standardizeSsn } from './standardize-ssn.js';
import { standardizeState } from './standardize-state.js';
import { standardizeUnit } from './standardize-unit.js';
import type { CodeSystem } from '../codes/code-systems.js';
import type { DayOrder } from './parse-date-time.js';

const collapse: Standardizer = (raw) => ({ value: raw.replace(/\s+/g, ' ') });

/** Standardizers that need nothing but the value. */
const SIMPLE: Partial<Record<FieldType, Standardizer>> = {
  id: (raw) => ({ value: raw }),
  text: collapse,
  name: standardizeNameField,
  name_prefix: standardizeNameField,
  name_suffix: standardizeSuffix,
  gender: standardizeGender,
  phone: standardizePhone,
  email: standardizeEmail,
  postal_code: standardizePostalCode,
  state: standardizeState,
  country: standardizeCountry,
  ssn: standardizeSsn,
  code: (raw) => ({ value: raw.replace(/\s+/g, ' ').toUpperCase() }),
  boolean: standardizeBoolean,
  unit: standardizeUnit,
  code_system: standardizeCodeSystem,
};

/** What a column contributes besides its field: header-borne facts and inferred formats. */
export interface ColumnContext {
  /** The column's day order (date types). */
  dayOrder?: DayOrder | undefined;
  /** options.two_digit_year_base resolved for this field. */
  twoDigitYearBase?: number | undefined;
  /** The code system the column holds (clinical_code). */
  codeSystem?: CodeSystem | null | undefined;
  /** The unit the header names (quantity). */
  headerUnit?: string | null | undefined;
}

const missingKind = (type: FieldType): MissingKind =>
  type === 'date' || type === 'datetime' ? 'date' : type === 'decimal' || type === 'integer' || type === 'quantity' ? 'number' : 'other';

/**
 * The standardizer for one column, built once per chunk: trims the raw cell, maps missing-value
 * markers to null (those of the field's kind, its own `missingValues`, but not its `notMissing`),
 * then runs the field type's standardizer.
 */
export function createFieldStandardizer(field: FieldDefinition, column: ColumnContext = {}): Standardizer {
  const inner = typeStandardizer(field, column);
  const kind = missingKind(field.type);
  const extraMissing = new Set(field.missingValues ?? []);
  const notMissing = new Set(field.notMissing ?? []);
  return (raw, ctx): Standardized => {
    const trimmed = raw.trim();
    if (trimmed === '' || extraMissing.has(trimmed)) return { value: null };
    if (!notMissing.has(trimmed) && isMissingValue(trimmed, kind)) return { value: null };
    return inner(trimmed, ctx);
  };
}

function typeStandardizer(field: FieldDefinition, column: ColumnContext): Standardizer {
  switch (field.type) {
    case 'date':
    case 'datetime':
      return createDateStandardizer({
        withTime: field.type === 'datetime',
        order: column.dayOrder,
        twoDigitYearBase: column.twoDigitYearBase,
        placeholders: field.placeholders,
      });
    case 'decimal':
    case 'integer':
      return createNumberStandardizer(field);
    case 'quantity':
      return createQuantityStandardizer(field, { headerUnit: column.headerUnit ?? null });
    case 'clinical_code':
      return createCodeStandardizer(field, column.codeSystem ?? null);
    case 'coded':
      return createCodedStandardizer(field);
    default: {
      const simple = SIMPLE[field.type];
      if (!simple) throw new Error(`no standardizer for field type ${field.type}`);
      return simple;
    }
  }
}

/** Standardizes one raw value of a field type with default settings (tests, one-off values). */
export function standardizeValue(type: FieldType, raw: string, ctx: StandardizeContext): Standardized {
  return createFieldStandardizer({ name: ctx.field, type, required: false, synonyms: [], fhirPath: '' })(raw, ctx);
}
