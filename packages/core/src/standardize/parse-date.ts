import { parseDateTime } from './parse-date-time.js';

export interface ParsedDate {
  /** YYYY-MM-DD */
  iso: string;
  /** The year was written with two digits and resolved against the reference date. */
  twoDigitYear: boolean;
}

/**
 * The date part of any form parseDateTime reads (slashes the US way, the time dropped). A
 * two-digit year becomes the latest year with those digits whose date is not after
 * `referenceDate`; without a reference date it cannot be resolved. Null when the text is no date.
 */
export function parseDate(text: string, referenceDate?: string): ParsedDate | null {
  const parsed = parseDateTime(text, { referenceDate });
  return parsed ? { iso: parsed.date, twoDigitYear: parsed.twoDigitYear } : null;
}
