import { finding, type Finding } from '../validate/rules.js';
import { parseDateTime, type DayOrder } from './parse-date-time.js';
import type { Standardized, Standardizer } from './standardize-context.js';

/** Dates systems write for "no date": kept, flagged (date.sentinel). */
const SENTINELS = new Set(['1970-01-01', '1900-01-01']);

export interface DateColumnOptions {
  /** datetime fields keep the time of day and offset as written; date fields keep the date only. */
  withTime: boolean;
  /** The column's day order (inferColumnFormats); default month first. */
  order?: DayOrder | undefined;
  /** options.two_digit_year_base for this field. */
  twoDigitYearBase?: number | undefined;
  /** FieldDefinition.placeholders: text with no digit is a placeholder (warning), not a bad date (error). */
  placeholders?: boolean | undefined;
}

/**
 * A date or date-time column's standardizer. Output: YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS[.f]
 * followed by the offset when one was written (a time without an offset stays local time: the
 * engine does not invent a zone). Two-digit years: with options.two_digit_year_base they follow
 * it silently; otherwise they become the latest past year and are flagged (date.two_digit_year).
 * In fields that allow placeholders, text with no digit at all ("Pre-PQ Process", "Date Not
 * Captured") is not a bad date: the field stays empty, the text goes under extras, with a warning.
 */
export function createDateStandardizer(options: DateColumnOptions): Standardizer {
  const { withTime, order, twoDigitYearBase, placeholders = false } = options;
  return (raw, ctx): Standardized => {
    const parsed = parseDateTime(raw, { order, referenceDate: ctx.referenceDate, twoDigitYearBase });
    if (!parsed) return unparseable(raw, ctx.field, ctx.referenceDate, order, placeholders);
    const findings: Finding[] = [];
    if (SENTINELS.has(parsed.date)) {
      findings.push(finding(ctx.field, 'date.sentinel', `${ctx.field} is ${parsed.date}, a date systems write for "no date"`));
    }
    if (parsed.century === 'reference') {
      findings.push(
        finding(
          ctx.field,
          'date.two_digit_year',
          `${ctx.field} has a two-digit year, read as the latest past century; set options.two_digit_year_base if that is wrong`,
        ),
      );
    }
    const value = withTime && parsed.time ? `${parsed.date}T${parsed.time}${parsed.offset ?? ''}` : parsed.date;
    const result: Standardized = { value };
    if (findings.length > 0) result.findings = findings;
    if (parsed.twoDigitYear) result.twoDigitYear = true;
    return result;
  };
}

function unparseable(
  raw: string,
  field: string,
  referenceDate: string | undefined,
  order: DayOrder | undefined,
  placeholders: boolean,
): Standardized {
  if (placeholders && !/\d/.test(raw)) {
    return {
      value: null,
      keepRaw: true,
      findings: [finding(field, 'date.placeholder', `${field} holds text, not a date; the text is kept under extras`)],
    };
  }
  // Without a reference date a two-digit year cannot be resolved: say so rather than "bad date".
  const twoDigit = !referenceDate && parseDateTime(raw, { order, referenceDate: '9999-12-31' })?.twoDigitYear === true;
  return {
    value: null,
    findings: [
      finding(
        field,
        'date.unparseable',
        twoDigit
          ? `${field} has a two-digit year and no reference date to resolve it; write the year with four digits or set options.two_digit_year_base`
          : `${field} is not a date in a known format; use YYYY-MM-DD`,
      ),
    ],
  };
}

/** A date-only standardizer with the defaults (month-first slashes, reference-date centuries). */
export const standardizeDate: Standardizer = createDateStandardizer({ withTime: false });
