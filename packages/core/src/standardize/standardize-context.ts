import type { CountryCode } from 'libphonenumber-js';
import type { Finding } from '../validate/rules.js';

export interface StandardizeContext {
  /** Canonical field being standardized (named in messages). */
  field: string;
  /** ISO date of "today"; see ChunkTask.referenceDate. */
  referenceDate: string | undefined;
  /** Region for national phone numbers and US-only rules when the row names no country. */
  defaultCountry: CountryCode;
  /** The row's own country as ISO alpha-2, when it has one. */
  country: string | null;
  /**
   * The row's fields standardized so far. Columns run in phases (chunk-plan.ts): units, code
   * systems and the country first, then the other fields, then quantities, which read the unit
   * and the analyte's code from here.
   */
  record?: Readonly<Record<string, string | null>>;
}

export interface Standardized {
  /** null when the value is empty or was dropped. */
  value: string | null;
  findings?: Finding[];
  /** Values for sibling fields (the code system of a code, the unit after a conversion), by canonical name. */
  siblings?: Record<string, string | null>;
  /** Name of the unit conversion done (units/conversions.ts), counted in ChunkStats.conversions. */
  conversion?: string;
  /** The raw text is no value of the field's type and has no text field: keep it under extras. */
  keepRaw?: boolean;
  /** A date whose year was written with two digits (named in cross-field rule messages). */
  twoDigitYear?: boolean;
}

/** Standardizes one trimmed, non-missing raw value. */
export type Standardizer = (raw: string, ctx: StandardizeContext) => Standardized;
