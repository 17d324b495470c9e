import { finding } from '../validate/rules.js';
import type { Standardizer } from './standardize-context.js';

/**
 * Postal codes stay strings. In the US (the row's country, else the default country) they are
 * normalized to 12345 or 12345-6789; a 4-digit code is a ZIP that lost its leading zero in a
 * spreadsheet (New England: 02155 -> 2155) and gets it back with a warning. Other countries'
 * codes are upper-cased and kept.
 */
export const standardizePostalCode: Standardizer = (raw, ctx) => {
  const text = raw.trim().replace(/\s+/g, ' ').toUpperCase();
  if ((ctx.country ?? ctx.defaultCountry) !== 'US') return { value: text };
  const zip = /^(\d{5})(?:[- ]?(\d{4}))?$/.exec(text);
  if (zip) return { value: zip[2] ? `${zip[1]}-${zip[2]}` : (zip[1] ?? text) };
  const lostZero = /^(\d{4})(?:-(\d{4}))?$/.exec(text);
  if (lostZero) {
    return {
      value: `0${lostZero[1]}${lostZero[2] ? `-${lostZero[2]}` : ''}`,
      findings: [
        finding(ctx.field, 'postal_code.leading_zero_restored', `${ctx.field} had 4 digits; its leading zero was restored`),
      ],
    };
  }
  return {
    value: text,
    findings: [finding(ctx.field, 'postal_code.invalid', `${ctx.field} is not a US ZIP code (12345 or 12345-6789); kept as given`)],
  };
};
