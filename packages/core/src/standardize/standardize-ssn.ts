import { finding } from '../validate/rules.js';
import type { Standardizer } from './standardize-context.js';

/** US social security number -> 123-45-6789; anything but 9 digits is kept with a warning. */
export const standardizeSsn: Standardizer = (raw, ctx) => {
  const digits = raw.replace(/[\s-]/g, '');
  if (/^\d{9}$/.test(digits)) return { value: `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}` };
  return {
    value: raw.trim(),
    findings: [finding(ctx.field, 'ssn.invalid', `${ctx.field} is not 9 digits; kept as given`)],
  };
};
