import { finding } from '../validate/rules.js';
import type { Standardizer } from './standardize-context.js';

/** One local part, an @, and a dotted domain whose labels do not start or end with a hyphen. */
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;

/** Email -> lower case (mailto: removed); an invalid address is dropped with a warning. */
export const standardizeEmail: Standardizer = (raw, ctx) => {
  const email = raw.replace(/^mailto:/i, '').trim().toLowerCase();
  if (EMAIL.test(email) && !email.includes('..')) return { value: email };
  return {
    value: null,
    findings: [finding(ctx.field, 'email.invalid', `${ctx.field} is not a valid email address; the value was dropped`)],
  };
};
