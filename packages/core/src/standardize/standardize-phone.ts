import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js';
import { finding } from '../validate/rules.js';
import type { Standardizer } from './standardize-context.js';
import { validNanpE164 } from './standardize-phone-nanp.js';

/**
 * A NANP number (+1) in the plan's shape: area code and exchange both NXX (N is 2-9) and the area
 * code not an N11 service code. 555 numbers (Synthea's, and fiction's) pass; 123-4567 does not.
 */
const NANP_SHAPE = /^\+1(?![2-9]11)[2-9]\d{2}[2-9]\d{6}$/;

/**
 * A NANP number of the right length and shape. Only NANP: elsewhere libphonenumber's "possible"
 * is a length check alone, too weak to tell a typo from a number.
 */
const isWellFormedNanp = (parsed: PhoneNumber): boolean =>
  parsed.countryCallingCode === '1' && parsed.isPossible() && NANP_SHAPE.test(parsed.number);

/**
 * Phone -> E.164 (+16178848300). National numbers are read in the row's country, else the
 * default country. Extensions are dropped (E.164 has none). Three outcomes:
 * - valid (libphonenumber knows the number range as assigned): kept;
 * - a NANP number (+1) that is well-formed but not known to be assigned (555-810-7203, the
 *   fictional numbers of Synthea, or a range newer than the library's metadata): kept in E.164
 *   with phone.unverified, a warning, since dropping a usable contact number loses more than it
 *   protects;
 * - anything else (too short or long, letters, a NANP exchange starting with 0 or 1): dropped
 *   with phone.invalid rather than passed on as if it were clean.
 */
export const standardizePhone: Standardizer = (raw, ctx) => {
  const region = ctx.country && isSupportedCountry(ctx.country) ? ctx.country : ctx.defaultCountry;
  // The common US shapes, valid: the same answer as libphonenumber's, without its per-call RegExps.
  const fast = region === 'US' ? validNanpE164(raw) : null;
  if (fast !== null) return { value: fast };
  return standardizePhoneIn(raw, region, ctx);
};

/** standardizePhone through libphonenumber alone (the reference the fast path is tested against). */
export const standardizePhoneWithLibrary: Standardizer = (raw, ctx) =>
  standardizePhoneIn(raw, ctx.country && isSupportedCountry(ctx.country) ? ctx.country : ctx.defaultCountry, ctx);

function standardizePhoneIn(raw: string, region: CountryCode, ctx: Parameters<Standardizer>[1]): ReturnType<Standardizer> {
  const parsed = parsePhoneNumberFromString(raw, region);
  if (parsed?.isValid()) return { value: parsed.number };
  if (parsed && isWellFormedNanp(parsed)) {
    return {
      value: parsed.number,
      findings: [finding(ctx.field, 'phone.unverified', `${ctx.field} is well-formed but not a number range known to be in use; kept`)],
    };
  }
  return {
    value: null,
    findings: [finding(ctx.field, 'phone.invalid', `${ctx.field} is not a valid phone number; the value was dropped`)],
  };
}
